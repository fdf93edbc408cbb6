/**
 * The lean lineage note of a JSON create or terminate read by lineageJson.ts (the ids from the
 * parsed object, per shape) is exactly processNoteOf's from parseJsonRecord's record, or is left to
 * that full reading: on every record of the corpus's JSON logs, the fixtures of every JSON shape,
 * the generated logs of both mixes, hand-made records and random mutations of them.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { generateLogInMemory, MIXES } from '../../bench/generate';
import { Rng } from '../fuzz/fuzz';
import { sniffEncoding, TextEncoding } from '../../src/engine/decode';
import { processNoteKind, processNoteOf } from '../../src/engine/lineage';
import { jsonProcessNote } from '../../src/engine/lineageJson';
import { detectShape, framerFor } from '../../src/engine/readers/detect';
import { parseJsonRecord } from '../../src/engine/readers/jsonShapes';
import { corpusEntriesIfAny, REPO_ROOT } from '../support/corpus';
import { shapeFixtures } from '../support/shapes';

const WHERE = { position: { line: 4, column: 2 }, byteOffset: 100, byteLength: 50 };

/** The records of a JSON log, framed by the project's own framer: [decoded text, latin1 view of its UTF-8]. */
function jsonRecords(bytes: Buffer): [string, string][] {
  const { encoding, bomLength } = sniffEncoding(bytes);
  bytes = bytes.subarray(bomLength);
  if (encoding !== 'utf-8') bytes = Buffer.from(new TextDecoder(encoding satisfies TextEncoding).decode(bytes), 'utf8');
  if (detectShape(bytes, true)?.family !== 'json') return [];
  const texts: [string, string][] = [];
  framerFor('json').frame({ bytes, base: 0 }, true, {
    record: (start, end, latin1) => texts.push([bytes.toString('utf8', start, end), latin1]),
    malformed: () => undefined,
  });
  return texts;
}

/**
 * Checks the raw reading of one record against the full one, both EventIDs; returns whether it
 * gave a note (or none) for a create or terminate. `latin1`: the record's latin1 view, read with
 * asciiOnly (a note from it must be the decoded text's).
 */
function check(text: string, what: string, latin1?: string): boolean {
  let record;
  try {
    record = parseJsonRecord(text);
  } catch {
    assert.equal(jsonProcessNote(text, 1, WHERE, false), 'parse', what);
    return false;
  }
  const kind = processNoteKind(record.record);
  let taken = false;
  for (const id of [1, 5] as const) {
    const raw = jsonProcessNote(text, id, WHERE, false);
    const wanted = kind === (id === 1 ? 'create' : 'exit');
    if (!wanted || raw === 'parse') {
      assert.equal(raw, 'parse', `${what}: EventID ${id}, ${kind ?? 'not a process record'}`);
      continue;
    }
    if (raw === 'decode') assert.fail(`${what}: decoded text read as 'decode'`);
    const full = processNoteOf(record.record, WHERE, true);
    assert.deepEqual(raw.note, full, what);
    assert.equal(raw.shape, record.shape, what);
    taken = true;
    if (latin1 !== undefined) {
      const view = jsonProcessNote(latin1, id, WHERE, true);
      if (view !== 'decode') assert.deepEqual(view === 'parse' ? view : view.note, full, `${what} (latin1 view)`);
    }
  }
  return taken;
}

function checkFile(bytes: Buffer, what: string): [number, number] {
  let taken = 0;
  let processes = 0;
  jsonRecords(bytes).forEach(([text, latin1], i) => {
    if (check(text, `${what} record ${i}`, latin1)) taken++;
    try {
      if (processNoteKind(parseJsonRecord(text).record)) processes++;
    } catch {
      // not JSON: checked above
    }
  });
  return [taken, processes];
}

async function generated(shape: 'ecs' | 'flat', mix: 'production' | 'incident', seed: number): Promise<Buffer> {
  return (await generateLogInMemory({ shape, targetBytes: 400_000, seed, matchEvery: 50, mix })).bytes;
}

const GUID = '{5770385F-C22A-0001-0000-0010ABCDEF01}';
const PARENT = '{5770385F-C22A-0002-0000-0010ABCDEF01}';
const IDS = { UtcTime: '2024-01-02 03:04:05.678', ProcessGuid: GUID, ProcessId: '100', ParentProcessGuid: PARENT, ParentProcessId: '600', Image: 'C:\\x\\cmd.exe' };
const SYSMON = { SourceName: 'Microsoft-Windows-Sysmon', Channel: 'Microsoft-Windows-Sysmon/Operational', Hostname: 'HOST-A' };

/** Hand-made records of every shape lineageJson reads, and of those it leaves to the parser. */
function handMade(): string[] {
  const j = (o: unknown) => JSON.stringify(o);
  const ecs = (data: object, more: object = {}) =>
    j({ '@timestamp': '2024-01-02T03:04:05.678Z', event: { code: '1', provider: 'Microsoft-Windows-Sysmon' }, host: { name: 'ecs-host' }, winlog: { channel: 'Microsoft-Windows-Sysmon/Operational', event_id: '1', provider_name: 'Microsoft-Windows-Sysmon', event_data: data }, process: { entity_id: GUID, pid: 100, parent: { entity_id: PARENT, pid: 600 } }, ...more });
  return [
    j({ EventID: 1, ...SYSMON, ...IDS }),
    j({ ...IDS, ...SYSMON, EventID: '1' }), // reordered keys
    j({ EventID: 5, ...SYSMON, UtcTime: IDS.UtcTime, ProcessId: '100' }), // a terminate without a GUID
    j({ EventID: 5, ...SYSMON, UtcTime: IDS.UtcTime, ProcessGuid: GUID, ProcessId: '100' }),
    j({ EventID: 1, ...SYSMON, ...IDS, ProcessGuid: undefined, ParentProcessId: undefined }), // missing fields
    j({ EventID: 1, ...SYSMON, ...IDS, UtcTime: undefined, TimeCreated: '2024-01-02T03:04:05Z' }), // no UtcTime
    j({ EventID: 1, ...SYSMON, ...IDS, ProcessId: 100, ParentProcessId: 'LONG' }).replace('"LONG"', '12345678901234567890'), // a long number
    j({ EventID: 1, ...SYSMON, ...IDS, ProcessId: null, Hostname: null, Computer: 'HOST-B' }), // nulls
    j({ EventID: 1, ...SYSMON, ...IDS, ProcessId: true, ParentProcessId: 6.0 }),
    j({ EventID: 1, ...SYSMON, ...IDS, Hostname: 'HÖST-Ü', ProcessGuid: '{ÄBC}' }), // unicode
    j({ EventID: 1, ...SYSMON, ...IDS, Image: 'C:\\tâche\u2028.exe' }),
    j({ EventID: 1, SourceName: 'Microsoft-Windows-Kernel-General', Channel: 'System', ...IDS }), // not Sysmon
    `{"EventID":1,"SourceName":"Microsoft-Windows-Sysmon","ProcessGuid":"${GUID}","ProcessGuid":"${PARENT}","UtcTime":"${IDS.UtcTime}"}`, // duplicate keys
    `{"EventID":1,"SourceName":"Microsoft-Windows-Sysmon","Process\\u0047uid":"${GUID}","UtcTime":"${IDS.UtcTime}"}`, // an escaped key
    `{"EventID":1,"SourceName":"Microsoft-Windows-Sysmon","ProcessGuid":"\\u007b5770385F-C22A-0001-0000-0010ABCDEF01\\u007d","ProcessId":"1\\u0030","UtcTime":"${IDS.UtcTime}"}`, // escaped values
    `{"EventID":1,"SourceName":"Microsoft-Windows-Sysmon","ProcessGuid":"${GUID}","UtcTime":"${IDS.UtcTime}",}`, // not JSON
    `{"EventID":1,"SourceName":"Microsoft-Windows-Sysmon","ProcessGuid":"${GUID}\t","UtcTime":"${IDS.UtcTime}"}`,
    '[1]',
    ecs({ UtcTime: IDS.UtcTime }), // ids from process.*
    ecs({ UtcTime: IDS.UtcTime, ProcessGuid: '{00000000-0000-0000-0000-000000000001}' }), // event_data's own first
    ecs({ UtcTime: IDS.UtcTime }, { winlog: { channel: 'System', event_id: '1', provider_name: 'Other', event_data: { UtcTime: IDS.UtcTime } }, event: { code: '1', provider: 'Microsoft-Windows-Sysmon' } }),
    ecs({ UtcTime: IDS.UtcTime }, { process: [GUID] }),
    ecs({ UtcTime: IDS.UtcTime }, { process: { entity_id: GUID, pid: 1e21, parent: 'x' } }),
    ecs({ UtcTime: IDS.UtcTime }, { host: 'flat-host' }),
    j({ '@timestamp': 'x', source_name: 'Microsoft-Windows-Sysmon', log_name: 'Microsoft-Windows-Sysmon/Operational', event_id: 1, computer_name: 'H6', event_data: IDS }),
    j({ result: { EventCode: '1', Computer: 'HS', source: 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational', ...IDS, _raw: '<Event/>' } }),
    j({ Provider: 'Microsoft-Windows-Sysmon', Computer: 'HZ', EventID: 1, EventData: JSON.stringify(IDS) }),
    j({ Provider: 'Microsoft-Windows-Sysmon', Computer: 'HZ', EventID: 1, EventData: '{"ProcessGuid": broken' }),
    j({ Event: { System: { EventID: 1, Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } }, Computer: 'HE' }, EventData: IDS } }),
    j({ Event: { System: { EventID: { '#text': 1 }, Provider_attributes: { Name: 'Microsoft-Windows-Sysmon' } }, EventData: { ...IDS, Data: ['a', 'b'] } } }),
    j({ Event: { System: { EventID: 1, Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } } }, EventData: IDS, UserData: { X: { ProcessGuid: PARENT } } } }),
  ];
}

/** What the mutations put in place of a value or a key, or beside one. */
const SPECIALS = [
  'null', 'true', '0', '-0', '1.0', '1e2', '12345678901234567', '"1"', '" 1 "', '"5"', '{}', '[]', '""', '"\\u0031"', '"\\"', '"\\u00e9"', '"é"',
  '"ProcessGuid"', '"ProcessGuid":"{1-2}",', '"UtcTime":"2024-01-01 00:00:00.000",', '"EventID":5,', '"winlog":{},', '"Event":{},', ',', '{', '}', '\t', ' ',
];

function mutate(rng: Rng, text: string): string {
  const at = rng.int(text.length + 1);
  const special = SPECIALS[rng.int(SPECIALS.length)];
  if (rng.int(2) === 0) return text.slice(0, at) + special + text.slice(at);
  // Replace the value after a colon.
  const colon = text.indexOf(':', at);
  if (colon < 0) return text + special;
  const end = text.slice(colon + 1).search(/[,}]/);
  return text.slice(0, colon + 1) + special + (end < 0 ? '' : text.slice(colon + 1 + end));
}

describe('lineage: JSON creates and terminates read without building the record (lineageJson)', () => {
  it('hand-made records: the full reading\'s note, or left to it', () => {
    let taken = 0;
    for (const [i, text] of handMade().entries()) if (check(text, `hand-made ${i}: ${text}`, Buffer.from(text, 'utf8').toString('latin1'))) taken++;
    assert.ok(taken >= 15, `hand-made records read (${taken})`);
    // Left to the full reading: duplicate or escaped keys are JSON.parse's business, as are the cases the shapes read otherwise.
    const left = handMade().filter((text) => jsonProcessNote(text, 1, WHERE, false) === 'parse').length;
    assert.ok(left >= 8, `records left to the full reading (${left})`);
    // The latin1 view of UTF-8: a host or id with other than ASCII is read again from the decoded text.
    const unicode = handMade()[9];
    assert.equal(jsonProcessNote(Buffer.from(unicode, 'utf8').toString('latin1'), 1, WHERE, true), 'decode');
    const read = jsonProcessNote(unicode, 1, WHERE, false);
    assert.ok(typeof read === 'object' && read.note?.host === 'HÖST-Ü' && read.note.guid === '{ÄBC}');
  });

  it('every record of the fixtures of every JSON shape', () => {
    const fixtures = shapeFixtures();
    let processes = 0;
    for (const name of Object.keys(fixtures)) processes += checkFile(fixtures[name], name)[1];
    // (Their creates have no UtcTime, so their time is the shape's own: left to the full reading.)
    assert.ok(processes > 20, String(processes));
  });

  it('every record of the corpus\'s JSON logs', () => {
    const entries = corpusEntriesIfAny('lineage of JSON creates');
    if (entries.length === 0) return;
    const dir = path.dirname(entries[0].path);
    const files = [...entries.map((e) => e.path), ...readdirSync(path.join(dir, 'shapes')).map((f) => path.join(dir, 'shapes', f))].filter((f) => /\.(json|jsonl|ndjson)$/.test(f));
    let taken = 0;
    let processes = 0;
    for (const file of files) {
      const [got, all] = checkFile(readFileSync(file), path.relative(REPO_ROOT, file));
      taken += got;
      processes += all;
    }
    assert.ok(files.length >= 8, String(files.length));
    assert.ok(taken >= processes * 0.9, `read ${taken} of ${processes} creates and terminates`);
  });

  for (const shape of ['ecs', 'flat'] as const) {
    for (const mix of MIXES) {
      it(`every record of a generated ${shape} log, ${mix} mix`, async () => {
        const [taken, processes] = checkFile(await generated(shape, mix, 5), `${shape}/${mix}`);
        assert.ok(processes > 50 && taken >= processes * 0.99, `read ${taken} of ${processes}`);
      });
    }
  }

  it('random mutations of records of every shape', () => {
    const rng = new Rng(12);
    const bases = [...handMade(), ...jsonRecords(shapeFixtures()['ecs.ndjson']).map(([t]) => t)];
    let taken = 0;
    for (let n = 0; n < 4000; n++) {
      let text = bases[rng.int(bases.length)];
      for (let k = rng.int(3); k >= 0; k--) text = mutate(rng, text);
      if (check(text, `mutation ${n}: ${text}`)) taken++;
    }
    assert.ok(taken > 400, String(taken));
  });
});
