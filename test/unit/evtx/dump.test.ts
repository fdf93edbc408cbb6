/**
 * `dumpEvtx`: an `.evtx` as XML (an Event Viewer export) and as JSON Lines (evtx_dump's shape).
 * Each dump reads back, through our own readers, to the records decodeRecord gives, field by field;
 * hunting a dump finds what the rules find on the decoded records; the JSON equals SigmaHQ's
 * evtx_dump twins after the formatting differences listed in json.ts (normalised below); writer-made
 * records cover the shapes the corpus lacks (unnamed Data, arrays, UserData, numbers, empties).
 */
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { evtxCorpusEntries } from '../../support/corpus';
import { skipOrFailWithoutShared } from '../../support/shared';
import { dumpEvtx, DumpFormat } from '../../../src/engine/dump';
import { huntFile, huntText, UnreadableInputError } from '../../../src/engine/hunt';
import { builtinRules, compileSources, LoadedRules, loadRules } from '../../../src/engine/rules/load';
import { RuleSet } from '../../../src/engine/rules/ruleSet';
import { parseJsonRecord } from '../../../src/engine/readers/jsonShapes';
import { parseXmlRecord } from '../../../src/engine/readers/xmlRecord';
import { ParsedRecord } from '../../../src/engine/readers/record';
import { EvtxParsedRecord, EvtxProblem } from '../../../src/engine/readers/evtx';
import { decodeFile, SIGMA_REGRESSION_DIR, SIGMA_WINDOWS_RULES, splitJsonObjects } from './support';
import { ChunkWriter, fileHeader, filetimeOf, Sub, SYSMON_TEMPLATE, sysmonFile, sysmonSubs, TElement, u16, u32, u64, utf16z } from './writer';
import { filesUnder } from '../../support/files';

const SUITE = 'EVTX dump';

interface Dumped {
  text: string;
  records: number;
  chunks: number;
  problems: EvtxProblem[];
}

async function dump(file: string, to: DumpFormat): Promise<Dumped> {
  const parts: string[] = [];
  const problems: EvtxProblem[] = [];
  const counts = await dumpEvtx(file, to, (t) => void parts.push(t), { onProblem: (p) => problems.push(p) });
  assert.equal(counts.problems, problems.length);
  return { text: parts.join(''), records: counts.records, chunks: counts.chunks, problems };
}

/** The fields a reader gives, for comparison (not locate). */
function fieldsOf(r: ParsedRecord) {
  return { eventId: r.eventId, provider: r.provider, channel: r.channel, computer: r.computer, recordId: r.recordId, time: r.time, data: r.data, system: r.system };
}

const xmlRecords = (text: string) => [...text.matchAll(/<Event[\s>][\s\S]*?<\/Event>/g)].map((m) => m[0]);
const jsonLines = (text: string) => text.split('\n').filter((l) => l !== '');

/** Rule id + record id of every match the rules (the built-in ones by default) make on the decoded records. */
function expectedMatches(records: readonly EvtxParsedRecord[], rules: LoadedRules = builtinRules()): string[] {
  const set = new RuleSet(rules.rules);
  return records.flatMap((r) => set.evaluate(r, true).map((hit) => `${hit.rule.id} ${r.recordId}`));
}

/**
 * The same rules, compiled apart for each output family. A RuleSet caches the fast path's raw-text
 * patterns by EventID alone, not by the family's escaping (XML's `&amp;`, JSON's `\\`), so one rule
 * set hunting XML and then JSON misses JSON matches (ruleSet.ts's mayMatch; reported with issue 10).
 */
const perFamily = new WeakMap<LoadedRules, Map<string, LoadedRules>>();
function rulesFor(rules: LoadedRules, family: string): LoadedRules {
  let byFamily = perFamily.get(rules);
  if (!byFamily) perFamily.set(rules, (byFamily = new Map<string, LoadedRules>()));
  let compiled = byFamily.get(family);
  if (!compiled) byFamily.set(family, (compiled = compileSources(rules.sources, rules.selection)));
  return compiled;
}

/** Hunts a dump as a user would (the fast path on), with the rules compiled for its family. */
async function huntedMatches(text: string, name: string, rules: LoadedRules = builtinRules()): Promise<{ matches: string[]; events: number; format: string; malformed: number }> {
  const result = await huntText(text, name, { rules: rulesFor(rules, path.extname(name)) });
  return {
    matches: result.matches.map((m) => `${m.rule.id} ${m.event.recordId}`),
    events: result.summary.events,
    format: result.summary.format,
    malformed: result.summary.malformed,
  };
}

/**
 * Normalises the formatting differences between our JSON and evtx_dump's (json.ts lists them), on
 * both sides alike: GUIDs upper case without braces, FILETIMEs to six fraction digits, trailing
 * whitespace of strings dropped.
 */
function normaliseDump(value: unknown): unknown {
  if (typeof value === 'string') {
    const guid = /^\{([0-9a-fA-F-]{36})\}$/.exec(value);
    if (guid) return guid[1].toUpperCase();
    if (/^[0-9A-F-]{36}$/.test(value)) return value;
    const time = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d+)Z$/.exec(value);
    if (time) return `${time[1]}.${time[2].padEnd(6, '0').slice(0, 6)}Z`;
    return value.trimEnd();
  }
  if (Array.isArray(value)) return value.map(normaliseDump);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normaliseDump(v)]));
  return value;
}

/** Where a SigmaHQ twin disagrees with its own `.evtx` (see sigma.test.ts): the field, and the value the bytes hold. */
const TWIN_ERRATA: Record<string, Record<string, string>> = {
  'ad691d92-15f2-4181-9aa4-723c74f9ddc3.evtx': { ParentCommandLine: 'C:\\Windows\\Explorer.EXE' },
};

describe('dump: .evtx to XML and JSON Lines', function () {
  describe('the corpus', function () {
    const rows = evtxCorpusEntries();
    if (!rows) {
      it('needs ../shared/corpus, which is absent', function () {
        skipOrFailWithoutShared(this, '../shared/corpus', SUITE);
      });
      return;
    }
    it('the manifest lists .evtx files', function () {
      assert.ok(rows.length >= 9, `${rows.length} .evtx rows`);
    });
    for (const row of rows) {
      describe(row.file, function () {
        it(`XML: an Event Viewer export of ${row.events} records, each read back by parseXmlRecord to decodeRecord's fields`, async function () {
          const decoded = decodeFile(row.path);
          const out = await dump(row.path, 'xml');
          assert.deepEqual(out.problems, []);
          assert.equal(out.records, row.events);
          assert.ok(out.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<Events>\n'));
          assert.ok(out.text.endsWith('\n</Events>\n'));
          const records = xmlRecords(out.text);
          assert.equal(records.length, decoded.records.length);
          records.forEach((xml, i) => assert.deepEqual(fieldsOf(parseXmlRecord(xml)), fieldsOf(decoded.records[i]), `record ${decoded.records[i].recordId}`));
        });

        it('JSONL: one evtx_dump object per line, each read back by parseJsonRecord to decodeRecord\'s fields', async function () {
          const decoded = decodeFile(row.path);
          const out = await dump(row.path, 'jsonl');
          assert.deepEqual(out.problems, []);
          const lines = jsonLines(out.text);
          assert.equal(lines.length, row.events);
          assert.ok(out.text.endsWith('}\n'));
          lines.forEach((line, i) => {
            const { shape, record } = parseJsonRecord(line);
            assert.equal(shape, 'evtx_dump JSON');
            assert.deepEqual(fieldsOf(record), fieldsOf(decoded.records[i]), `record ${decoded.records[i].recordId}`);
          });
        });

        it(`hunting either dump finds what the rules find on the decoded records (${row.matches} CAR-2014-05-002)`, async function () {
          const decoded = decodeFile(row.path);
          const expected = expectedMatches(decoded.records);
          for (const to of ['xml', 'jsonl'] as const) {
            const hunted = await huntedMatches((await dump(row.path, to)).text, `${row.file}.${to}`);
            assert.equal(hunted.events, row.events, to);
            assert.equal(hunted.malformed, 0, to);
            assert.equal(hunted.format, to === 'xml' ? 'xml (Event Viewer export)' : 'json (JSON lines, evtx_dump JSON)');
            assert.deepEqual(hunted.matches, expected, to);
          }
          assert.equal(expected.filter((m) => m.startsWith('CAR-2014-05-002 ')).length, row.matches);
        });
      });
    }
  });

  describe('SigmaHQ regression data', function () {
    if (!existsSync(SIGMA_REGRESSION_DIR)) {
      it('needs ../shared/sigma/regression_data, which is absent', function () {
        skipOrFailWithoutShared(this, '../shared/sigma/regression_data', SUITE);
      });
      return;
    }
    it('our JSON Lines equal each evtx_dump twin as JSON (keys, order, types), after the formatting differences', async function () {
      const files = filesUnder(SIGMA_REGRESSION_DIR, /\.evtx$/);
      assert.ok(files.length >= 150, `${files.length} .evtx cases`);
      let compared = 0;
      const differences: string[] = [];
      for (const file of files) {
        const twin = file.replace(/\.evtx$/, '.json');
        if (!existsSync(twin)) continue;
        const where = path.relative(SIGMA_REGRESSION_DIR, file);
        const out = await dump(file, 'jsonl');
        assert.deepEqual(out.problems, [], where);
        const ours = jsonLines(out.text).map((l) => JSON.parse(l) as { Event: { EventData?: Record<string, unknown> } });
        const theirs = splitJsonObjects(readFileSync(twin, 'utf8')).map((t) => JSON.parse(t) as { Event: { EventData?: Record<string, unknown> } });
        assert.equal(ours.length, theirs.length, where);
        const errata = TWIN_ERRATA[path.basename(file)] ?? {};
        for (let i = 0; i < ours.length; i++) {
          for (const [field, bytesSay] of Object.entries(errata)) {
            assert.equal(ours[i].Event.EventData?.[field], bytesSay, `${where}: ${field} as the record's bytes hold it`);
            theirs[i].Event.EventData![field] = bytesSay;
          }
          const a = JSON.stringify(normaliseDump(ours[i]));
          const b = JSON.stringify(normaliseDump(theirs[i]));
          if (a !== b) differences.push(`${where} #${i}:\n  ours   ${a}\n  theirs ${b}`);
          compared++;
        }
      }
      assert.deepEqual(differences.slice(0, 5), []);
      assert.ok(compared >= 150, `${compared} records compared`);
    });

    it('hunting the XML and JSONL dumps finds what the rules find on the decoded records', async function () {
      for (const file of filesUnder(SIGMA_REGRESSION_DIR, /\.evtx$/)) {
        const decoded = decodeFile(file);
        const expected = expectedMatches(decoded.records);
        for (const to of ['xml', 'jsonl'] as const) {
          const hunted = await huntedMatches((await dump(file, to)).text, `${path.basename(file)}.${to}`);
          assert.equal(hunted.events, decoded.records.length, `${file} ${to}`);
          assert.deepEqual(hunted.matches, expected, `${file} ${to}`);
        }
      }
    });
  });

  describe("every SigmaHQ windows rule, on the corpus's and SigmaHQ's .evtx", function () {
    it('hunting the XML and JSONL dumps finds what hunting the .evtx finds, and the rules on the decoded records', async function () {
      const rows = evtxCorpusEntries();
      if (!rows || !existsSync(SIGMA_WINDOWS_RULES) || !existsSync(SIGMA_REGRESSION_DIR)) skipOrFailWithoutShared(this, '../shared/corpus and ../shared/sigma', SUITE);
      const rules = await loadRules({ paths: [SIGMA_WINDOWS_RULES], builtin: false });
      assert.ok(rules.rules.length > 1000, `${rules.rules.length} rules`);
      let total = 0;
      for (const file of [...rows.map((r) => r.path), ...filesUnder(SIGMA_REGRESSION_DIR, /\.evtx$/)]) {
        const expected = expectedMatches(decodeFile(file).records, rules).sort();
        total += expected.length;
        const direct = (await huntFile(file, { rules })).matches.map((m) => `${m.rule.id} ${m.event.recordId}`).sort();
        assert.deepEqual(direct, expected, `${path.basename(file)}: hunting the .evtx itself`);
        for (const to of ['xml', 'jsonl'] as const) {
          const hunted = await huntedMatches((await dump(file, to)).text, `${path.basename(file)}.${to}`, rules);
          assert.deepEqual(hunted.matches.sort(), expected, `${path.basename(file)} ${to}`);
        }
      }
      assert.ok(total > 200, `${total} matches compared`);
    });
  });

  describe('shapes the corpus lacks (records made by writer.ts)', function () {
    let dir: string;
    before(function () {
      dir = mkdtempSync(path.join(tmpdir(), 'log-hunt-dump-'));
    });
    after(function () {
      rmSync(dir, { recursive: true, force: true });
    });

    /** One record of SYSMON_TEMPLATE whose EventData (or UserData) is `body` with `values`. */
    function oneRecordFile(name: string, body: TElement, values: Sub[], eventId = 1): string {
      const w = new ChunkWriter();
      const data: Sub = { type: 0x21, bytes: w.nested('body', body, values) };
      assert.ok(w.record(7, filetimeOf('2024-01-02T03:04:05Z'), 'sysmon', SYSMON_TEMPLATE, sysmonSubs(7, eventId, data)));
      const file = path.join(dir, name);
      writeFileSync(file, Buffer.concat([fileHeader(1, 8), w.finish()]));
      return file;
    }

    async function jsonOf(file: string): Promise<{ Event: Record<string, unknown> }> {
      const out = await dump(file, 'jsonl');
      assert.deepEqual(out.problems, []);
      const lines = jsonLines(out.text);
      assert.equal(lines.length, 1);
      return JSON.parse(lines[0]) as { Event: Record<string, unknown> };
    }

    /** The dump's JSON and XML both read back to decodeRecord's fields. */
    async function roundTrips(file: string): Promise<void> {
      const decoded = decodeFile(file).records[0];
      const json = jsonLines((await dump(file, 'jsonl')).text)[0];
      assert.deepEqual(fieldsOf(parseJsonRecord(json).record), fieldsOf(decoded), json);
      const xml = xmlRecords((await dump(file, 'xml')).text)[0];
      assert.deepEqual(fieldsOf(parseXmlRecord(xml)), fieldsOf(decoded), xml);
    }

    it('System: numbers as numbers, hex as strings, absent optional attributes left out, `null` for an element with nothing', async function () {
      const file = oneRecordFile('system.evtx', { el: 'EventData', children: [{ el: 'Data', attrs: [['Name', 'A']], children: [{ sub: 0, type: 0x01 }] }] }, [{ type: 0x01, bytes: utf16z('x') }]);
      const event = (await jsonOf(file)).Event;
      assert.deepEqual(event.System, {
        Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon', Guid: '{5770385f-c22a-43e0-bf4c-06f5698ffbd9}' } },
        EventID: 1,
        Keywords: '0x8000000000000000',
        TimeCreated: { '#attributes': { SystemTime: '2024-01-02T03:04:05.6789012Z' } },
        EventRecordID: 7,
        Correlation: null,
        Channel: 'Microsoft-Windows-Sysmon/Operational',
        Computer: 'HOST-1',
        Security: { '#attributes': { UserID: 'S-1-5-18' } },
      });
      assert.deepEqual(event.EventData, { A: 'x' });
      await roundTrips(file);
    });

    it('named Data: integers, booleans and a uint64 past 2^53 as JSON numbers (exact), hex and GUIDs as strings, an empty value as ""', async function () {
      const names = ['I8', 'U16', 'I32', 'U64', 'Bool', 'Hex64', 'Guid', 'Empty', 'Text'];
      const body: TElement = {
        el: 'EventData',
        children: names.map((name, i) => ({ el: 'Data', attrs: [['Name', name]], children: [{ sub: i, type: [0x03, 0x06, 0x07, 0x0a, 0x0d, 0x15, 0x0f, 0x01, 0x01][i] }] })),
      };
      const values: Sub[] = [
        { type: 0x03, bytes: Buffer.from([0xfe]) },
        { type: 0x06, bytes: u16(65535) },
        { type: 0x07, bytes: u32(0xffffffff) },
        { type: 0x0a, bytes: u64(18446744073709551615n) },
        { type: 0x0d, bytes: u32(1) },
        { type: 0x15, bytes: u64(0x76073n) },
        { type: 0x0f, bytes: Buffer.alloc(16, 0xab) },
        { type: 0x01, bytes: Buffer.alloc(0) },
        { type: 0x01, bytes: utf16z('say "hi"\n\ttab') },
      ];
      const file = oneRecordFile('numbers.evtx', body, values);
      const line = jsonLines((await dump(file, 'jsonl')).text)[0];
      assert.ok(line.includes('"I8":-2,"U16":65535,"I32":-1,"U64":18446744073709551615,"Bool":true,"Hex64":"0x76073","Guid":"{abababab-abab-abab-abab-abababababab}","Empty":"","Text":"say \\"hi\\"\\n\\ttab"'), line);
      await roundTrips(file);
    });

    it('hostile text (markup, quotes, control characters, line breaks, U+2028, astral and lone surrogates) reads back the same from both dumps', async function () {
      const nasty = ['<Event>&amp;</Event> ]]> \'"', 'a\u0001b\u001b[31mred\u0007', 'line1\r\nline2\n\tend', '\u2028\u2029 \u{1F600} \u202Egnp.exe', 'x\uD800y\uDC00z'];
      const names = nasty.map((_, i) => `F${i}`);
      const body: TElement = { el: 'EventData', children: names.map((name, i) => ({ el: 'Data', attrs: [['Name', name]], children: [{ sub: i, type: 0x01 }] })) };
      const file = oneRecordFile('hostile.evtx', body, nasty.map((s) => ({ type: 0x01, bytes: utf16z(s) })));
      assert.deepEqual(decodeFile(file).records[0].data, Object.fromEntries(names.map((n, i) => [n, nasty[i]])));
      await roundTrips(file);
      for (const to of ['xml', 'jsonl'] as const) {
        const hunted = await huntedMatches((await dump(file, to)).text, `hostile.${to}`);
        assert.deepEqual([hunted.events, hunted.malformed], [1, 0], to);
      }
      assert.equal(jsonLines((await dump(file, 'jsonl')).text).length, 1);
    });

    it('unnamed Data: "Data":{"#text":[...]} (one value: "Data":{"#text":value}), as evtx_dump writes them', async function () {
      const many = oneRecordFile(
        'unnamed.evtx',
        { el: 'EventData', children: [0, 1, 2].map((i) => ({ el: 'Data', children: [{ sub: i, type: [0x01, 0x08, 0x01][i] }] })) },
        [
          { type: 0x01, bytes: utf16z('first') },
          { type: 0x08, bytes: u32(42) },
          { type: 0x01, bytes: Buffer.alloc(0) },
        ],
        4624,
      );
      assert.deepEqual((await jsonOf(many)).Event.EventData, { Data: { '#text': ['first', 42, ''] } });
      await roundTrips(many);
      const one = oneRecordFile('unnamed1.evtx', { el: 'EventData', children: [{ el: 'Data', children: [{ sub: 0, type: 0x01 }] }] }, [{ type: 0x01, bytes: utf16z('only') }], 4624);
      assert.deepEqual((await jsonOf(one)).Event.EventData, { Data: { '#text': 'only' } });
      await roundTrips(one);
    });

    it('UserData: nested elements, attributes under #attributes, text beside them under #text, repeats as Name, Name_1, ...', async function () {
      const body: TElement = {
        el: 'UserData',
        children: [
          {
            el: 'LogFileCleared',
            attrs: [['xmlns', 'http://manifests.microsoft.com/win/2004/08/windows/eventlog']],
            children: [
              { el: 'SubjectUserName', children: [{ sub: 0, type: 0x01 }] },
              { el: 'ClientProcessId', children: [{ sub: 1, type: 0x08 }] },
              { el: 'URL', attrs: [['scheme', 'http']], children: [{ sub: 2, type: 0x01 }] },
              { el: 'Header', children: ['GET /'] },
              { el: 'Header', children: ['Accept: */*'] },
            ],
          },
        ],
      };
      const file = oneRecordFile('userdata.evtx', body, [
        { type: 0x01, bytes: utf16z('admin') },
        { type: 0x08, bytes: u32(25920) },
        { type: 0x01, bytes: utf16z('http://example.com/x') },
      ], 104);
      assert.deepEqual((await jsonOf(file)).Event.UserData, {
        LogFileCleared: {
          '#attributes': { xmlns: 'http://manifests.microsoft.com/win/2004/08/windows/eventlog' },
          SubjectUserName: 'admin',
          ClientProcessId: 25920,
          URL: { '#attributes': { scheme: 'http' }, '#text': 'http://example.com/x' },
          Header: 'GET /',
          Header_1: 'Accept: */*',
        },
      });
      // Read back: the same fields as decodeRecord, but the repeat: the XML keeps the last Header, evtx_dump's JSON the first (and Header_1).
      const decoded = decodeFile(file).records[0];
      const json = parseJsonRecord(jsonLines((await dump(file, 'jsonl')).text)[0]).record;
      assert.deepEqual({ ...json.data, Header: 'Accept: */*', Header_1: undefined }, { ...decoded.data, Header_1: undefined });
    });

    it('an array substitution repeats its element: named Data keep their name (the last is read), other elements get _1, _2', async function () {
      const strings = Buffer.concat([utf16z('a'), utf16z('b'), utf16z('c')]);
      const body: TElement = {
        el: 'EventData',
        children: [
          { el: 'Data', attrs: [['Name', 'List']], children: [{ sub: 0, type: 0x81 }] },
          { el: 'Data', attrs: [['Name', 'Ports']], children: [{ sub: 1, type: 0x86 }] },
        ],
      };
      const file = oneRecordFile('array.evtx', body, [
        { type: 0x81, bytes: strings },
        { type: 0x86, bytes: Buffer.concat([u16(80), u16(443)]) },
      ]);
      const line = jsonLines((await dump(file, 'jsonl')).text)[0];
      assert.ok(line.includes('"EventData":{"List":"a","List":"b","List":"c","Ports":80,"Ports":443}'), line);
      await roundTrips(file);
    });

    it('a file of many chunks streams chunk by chunk, in order', async function () {
      const file = path.join(dir, 'many.evtx');
      writeFileSync(file, sysmonFile(4, 50));
      const xml = await dump(file, 'xml');
      assert.equal(xml.records, 200);
      assert.equal(xml.chunks, 4);
      const ids = xmlRecords(xml.text).map((x) => parseXmlRecord(x).recordId);
      assert.deepEqual(ids, Array.from({ length: 200 }, (_, i) => String(i + 1)));
      const hunted = await huntedMatches(xml.text, 'many.xml');
      assert.equal(hunted.events, 200);
    });

    it('a damaged chunk and a record that does not decode are reported (chunk, offset) and skipped; the rest is dumped', async function () {
      const file = path.join(dir, 'damaged.evtx');
      const buf = sysmonFile(3, 20);
      // Chunk 1: a byte of its last record's command line changed (the CRC fails; records recovered by their
      // framing). Not a byte of the template its first record defines: a damaged chunk decodes from its own
      // bytes only, never from templates other chunks left in the file's cache (one thread = workers).
      buf[buf.indexOf(Buffer.from('echo 40', 'utf16le'), 4096 + 65536)] ^= 0x01;
      // Chunk 2: its first record's BinXML token replaced by garbage.
      buf[4096 + 2 * 65536 + 512 + 24] = 0xee;
      writeFileSync(file, buf);
      for (const to of ['xml', 'jsonl'] as const) {
        const out = await dump(file, to);
        assert.ok(out.problems.some((p) => p.chunkNumber === 1 && /CRC32/.test(p.message)), JSON.stringify(out.problems));
        assert.ok(out.problems.some((p) => p.chunkNumber === 2 && p.recordId === 41), JSON.stringify(out.problems));
        assert.ok(out.records >= 40 && out.records < 60, `${out.records} records`);
        const hunted = await huntedMatches(out.text, `damaged.${to}`);
        assert.equal(hunted.events, out.records);
        assert.equal(hunted.malformed, 0);
      }
    });

    it('not an EVTX file, or an empty one: UnreadableInputError, nothing written', async function () {
      const text = path.join(dir, 'not.evtx');
      writeFileSync(text, '<Events></Events>\n');
      const empty = path.join(dir, 'empty.evtx');
      writeFileSync(empty, '');
      for (const file of [text, empty]) {
        const parts: string[] = [];
        await assert.rejects(
          dumpEvtx(file, 'xml', (t) => void parts.push(t)),
          (e: unknown) => e instanceof UnreadableInputError && /not an EVTX file/.test(e.message),
        );
        assert.deepEqual(parts, []);
      }
    });

    it('a file that changes while it is dumped: a problem says so', async function () {
      const file = path.join(dir, 'live.evtx');
      writeFileSync(file, sysmonFile(2, 10));
      const problems: EvtxProblem[] = [];
      let writes = 0;
      await dumpEvtx(file, 'jsonl', () => {
        if (writes++ === 0) appendFileSync(file, Buffer.alloc(65536));
      }, { onProblem: (p) => problems.push(p) });
      assert.deepEqual(problems.map((p) => p.message), [`the file changed while it was dumped (size ${4096 + 2 * 65536} -> ${4096 + 3 * 65536} bytes); dump it again for a consistent copy`]);
    });

    it('waits for a write that returns a promise, and stops on the signal', async function () {
      const file = path.join(dir, 'slow.evtx');
      writeFileSync(file, sysmonFile(3, 10));
      const order: string[] = [];
      await dumpEvtx(file, 'jsonl', async (t) => {
        order.push(`start ${t.length}`);
        await new Promise((r) => setTimeout(r, 5));
        order.push('end');
      });
      for (let i = 0; i < order.length; i += 2) assert.equal(order[i + 1], 'end');
      const controller = new AbortController();
      let writes = 0;
      await assert.rejects(
        dumpEvtx(file, 'jsonl', () => {
          if (++writes === 1) controller.abort();
        }, { signal: controller.signal }),
        (e: unknown) => (e as Error).name === 'AbortError',
      );
      assert.equal(writes, 1);
    });
  });
});
