/**
 * quickXmlProcessRecord (lineage.ts): the raw-text reading of an XML create or terminate that
 * lineage uses for records no rule wants and for the read-back of details. It must give the
 * parser's values for the fields lineage reads, or undefined for the parser to read the record;
 * and it must take the plain records (else lineage pays the parser for each). Checked on the
 * corpus's XML creates and terminates, generated logs of both mixes, and seeded mutations of them,
 * against parseXmlRecord and against a regex reading written here (the one it replaced, which
 * took a few malformed records the parser reads otherwise: `<\rData`, an `<Image>` in EventData).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generateLogInMemory, MIXES } from '../../bench/generate';
import { quickXmlProcessRecord, xmlText } from '../../src/engine/lineage';
import { ParsedRecord } from '../../src/engine/readers/record';
import { parseXmlRecord } from '../../src/engine/readers/xmlRecord';
import { Rng } from '../fuzz/fuzz';
import { assertEvery } from '../support/assertions';
import { corpusEntriesIfAny } from '../support/corpus';

const FIELDS = ['UtcTime', 'ProcessGuid', 'ProcessId', 'ParentProcessGuid', 'ParentProcessId', 'Image', 'CommandLine', 'User'];

/** An XML log's creates and terminates: `<Event` to `</Event>`, with their EventID. */
function processRecords(text: string): { text: string; id: number }[] {
  const out: { text: string; id: number }[] = [];
  for (let at = text.indexOf('<Event'); at >= 0; at = text.indexOf('<Event', at + 1)) {
    const end = text.indexOf('</Event>', at);
    if (end < 0) break;
    const record = text.slice(at, end + 8);
    const id = /<EventID[^>]*>(\d+)<\/EventID>/.exec(record)?.[1];
    if (id === '1' || id === '5') out.push({ text: record, id: Number(id) });
  }
  return out;
}

/** What lineage reads of a record, for comparison. */
function seen(r: ParsedRecord) {
  const data: Record<string, string> = {};
  for (const f of FIELDS) if (r.data[f] !== undefined && r.data[f] !== '') data[f] = r.data[f];
  return { eventId: r.eventId, provider: r.provider, channel: r.channel, recordId: r.recordId, time: r.time, computer: r.computer, data };
}

/** The regex reading the walk replaced: every named `<Data` plainly written, the lineage fields once each. */
function regexReading(record: string): Record<string, string> | undefined {
  if (record.includes('<!') || record.includes('<?')) return undefined;
  const systemEnd = record.indexOf('</System>');
  if (systemEnd < 0) return undefined;
  const any = /<Data Name=(?:"\w+"|'\w+')\s*(?:\/>|>[^<]*<\/Data>)/g;
  const wanted = /<Data Name=(?:"(\w+)"|'(\w+)')\s*(?:\/>|>([^<]*)<\/Data>)/g;
  let names = 0;
  any.lastIndex = systemEnd;
  while (any.test(record)) names++;
  const data: Record<string, string> = {};
  wanted.lastIndex = systemEnd;
  for (let m = wanted.exec(record); m; m = wanted.exec(record)) {
    const name = m[1] ?? m[2];
    if (!FIELDS.includes(name)) continue;
    if (Object.hasOwn(data, name)) return undefined;
    const value = m[3] === undefined ? '' : xmlText(m[3]);
    if (value === undefined) return undefined;
    data[name] = value;
  }
  let tags = 0;
  for (let at = record.indexOf('<Data', systemEnd); at >= 0; at = record.indexOf('<Data', at + 5)) if (record[at + 5] !== '>') tags++;
  if (tags !== names) return undefined;
  for (const name in data) if (data[name] === '') delete data[name];
  return data;
}

/** Insertions that make a record less plain: markup, quotes, white space, entities, repeated fields. */
const INSERTS = [' ', '  ', '\t', '"', "'", '>', '<', '/>', '&amp;', '&bogus;', '&#x41;', '\r', '<b>x</b>', ' Foo="1"', '<Data>', '<Data/>', '<Data Name="Image">C:\\x.exe</Data>', "<Data Name='User'>u</Data>", '<Data Name="Hashes">h</Data>', '<Data Name="Image"/>', '<Data Name="Odd-Name">v</Data>', '<!-- c -->'];

function mutate(text: string, rng: Rng): string {
  // Mostly inside EventData, where the walk works.
  const from = Math.max(0, text.indexOf('</System>'));
  const at = from + rng.int(text.length - from);
  return text.slice(0, at) + rng.pick(INSERTS) + text.slice(at);
}

/** Checks one record; returns whether the quick reading took it. */
function check(text: string, id: number): { taken: boolean; problem?: string } {
  const quick = quickXmlProcessRecord(text, id);
  const regex = regexReading(text);
  // The quick reading may leave to the parser what the regex took (markup between elements), never the reverse.
  if (quick !== undefined && regex === undefined) return { taken: true, problem: 'the quick reading takes what the regex reading refused' };
  if (!quick) return { taken: false };
  const inOrder = (d: Record<string, string>) => JSON.stringify(FIELDS.filter((f) => Object.hasOwn(d, f)).map((f) => [f, d[f]]));
  if (inOrder(quick.data) !== inOrder(regex!)) return { taken: true, problem: `data differs from the regex reading: ${inOrder(quick.data)} against ${inOrder(regex!)}` };
  let parsed: ParsedRecord;
  try {
    parsed = parseXmlRecord(text);
  } catch {
    // The parser refuses it (e.g. a repeated field lineage does not read): the fast path skips such records unread (README, "Bad input").
    return { taken: true };
  }
  const a = JSON.stringify(seen(quick));
  const b = JSON.stringify(seen(parsed));
  return { taken: true, problem: a === b ? undefined : `quick ${a}\nparser ${b}` };
}

describe('lineage: the quick reading of an XML create or terminate', () => {
  const records: { text: string; id: number; where: string }[] = [];
  before(async () => {
    for (const entry of corpusEntriesIfAny('quickXmlProcessRecord').filter((e) => e.path.endsWith('.xml'))) {
      for (const r of processRecords(readFileSync(entry.path, 'utf8'))) records.push({ ...r, where: entry.path });
    }
    for (const mix of MIXES) {
      for (const shape of ['wevtutil', 'eventviewer'] as const) {
        const { bytes } = await generateLogInMemory({ shape, targetBytes: 300_000, seed: 5, matchEvery: 50, mix });
        for (const r of processRecords(bytes.toString('utf8'))) records.push({ ...r, where: `${shape}/${mix}` });
      }
    }
  });

  it('gives the parser\'s values on every record it takes, and takes every plain generated one', () => {
    assert.ok(records.length > 500, `${records.length} records`);
    const results = records.map((r) => ({ ...r, ...check(r.text, r.id) }));
    assertEvery(results, (r) => r.problem === undefined, 'same as the parser and the regex reading');
    const generated = results.filter((r) => !r.where.endsWith('.xml'));
    assert.ok(generated.length > 300, `${generated.length} generated records`);
    assertEvery(generated, (r) => r.taken, 'a plain generated record is taken');
  });

  it('4,000 seeded mutations: the parser\'s values or left to it', () => {
    const rng = new Rng(31);
    const results: { problem?: string; taken: boolean }[] = [];
    for (let i = 0; i < 4000; i++) {
      const r = rng.pick(records);
      let text = r.text;
      for (let k = 1 + rng.int(2); k > 0; k--) text = mutate(text, rng);
      results.push(check(text, r.id));
    }
    assertEvery(results, (r) => r.problem === undefined, 'a mutated record: same as the parser and the regex reading');
    // The mutations leave many records plain enough (a space, a field lineage does not read): some must be taken.
    assert.ok(results.filter((r) => r.taken).length > 400, `${results.filter((r) => r.taken).length} taken`);
  });
});
