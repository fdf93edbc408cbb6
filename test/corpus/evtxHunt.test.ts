/**
 * Hunting the corpus's `.evtx` files directly: MANIFEST.tsv's counts, every match placed by record
 * id, chunk and offset, the same matches as the export of the same file beside it (with
 * the CAR library and with every SigmaHQ windows rule), fast = plain, two workers = one thread,
 * and the record and chunk renderings a face shows.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import {
  huntFile,
  huntFileParallel,
  huntText,
  loadRules,
  LoadedRules,
  locateInRecordXml,
  Match,
  readEvtxChunkXml,
  readEvtxRecordXml,
  summarizeEvtxFile,
} from '../../src/engine';
import { parseXmlRecord } from '../../src/engine/readers/xmlRecord';
import { comparable } from '../unit/fastPathSupport';
import { CorpusEntry, corpusAbsentTest, CORPUS_DIR, evtxCorpusEntries } from '../support/corpus';
import { skipOrFailWithoutShared } from '../support/shared';
import { SIGMA_WINDOWS_RULES } from '../unit/evtx/support';

const SUITE = 'EVTX corpus hunt';
const CAR = 'CAR-2014-05-002';

/** The export of the same records beside an `.evtx` in the corpus (python-evtx XML, or evtx_dump JSON), and whether it holds only its Sysmon records. */
function twinOf(entry: CorpusEntry): { file: string; sysmonOnly: boolean } | undefined {
  const base = entry.path.replace(/\.evtx$/, '');
  if (existsSync(`${base}.xml`)) return { file: `${base}.xml`, sysmonOnly: false };
  if (existsSync(`${base}.sysmon.xml`)) return { file: `${base}.sysmon.xml`, sysmonOnly: true };
  if (existsSync(`${base}.json`)) return { file: `${base}.json`, sysmonOnly: false };
  return undefined;
}

/** Each match as `rule record`, sorted: what must agree between two readings of the same records. */
function hits(matches: Match[], sysmonOnly = false): string[] {
  return matches
    .filter((m) => !sysmonOnly || m.event.provider === 'Microsoft-Windows-Sysmon')
    .map((m) => `${m.analyticId} ${m.event.recordId}`)
    .sort();
}

/**
 * Matches the `.evtx` gives and its python-evtx export does not, each for a formatting difference
 * of python-evtx: it pads hex64 values (`0x00000000000003e7`), where Windows, and we, write
 * `0x3e7`, the form SigmaHQ's rules name (LogonId: '0x3e7').
 */
const ONLY_IN_EVTX: Record<string, string[]> = {
  'LM_sysmon_3_12_13_1_SharpRDP.evtx': ['178e615d-e666-498b-9630-9ed363038101 311382'],
};

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

describe(SUITE, function () {
  const entries = evtxCorpusEntries();
  if (!entries) return corpusAbsentTest(SUITE);

  it('the corpus has its nine .evtx files', () => assert.equal(entries.length, 9));

  for (const entry of entries) {
    describe(entry.file, () => {
      it("gives MANIFEST.tsv's events, process creates and CAR-2014-05-002 matches, each placed by record, chunk and offset", async () => {
        const { summary, matches, malformed } = await huntFile(entry.path);
        assert.equal(summary.format, 'evtx (Windows event log)');
        assert.deepEqual([summary.events, summary.processCreates, summary.matchesByRule[CAR] ?? 0], [entry.events, entry.processCreates, entry.matches]);
        assert.deepEqual(malformed, []);
        for (const m of matches) {
          const place = m.event.place;
          assert.ok(place && place.offset >= 4096 + 512 && place.chunk === Math.floor((place.offset - 4096) / 65536), `placed in its chunk: ${JSON.stringify(place)}`);
          assert.match(m.event.recordId ?? '', /^\d+$/, 'has its EventRecordID');
        }
      });

      it('finds the same CAR library matches, on the same record ids, as the export of the file beside it', async function () {
        const twin = twinOf(entry);
        if (!twin) this.skip();
        const ours = await huntFile(entry.path);
        const theirs = await huntFile(twin.file);
        assert.deepEqual(hits(ours.matches, twin.sysmonOnly), hits(theirs.matches));
        assert.ok(entry.matches === 0 || hits(ours.matches).some((h) => h.startsWith(CAR)));
      });

      it('fast = plain, and two workers = one thread', async () => {
        const plain = await huntFile(entry.path, { mode: 'plain' });
        const fast = await huntFile(entry.path);
        assert.deepEqual(comparable(fast), comparable(plain));
        const parallel = await huntFileParallel(entry.path, { threads: 2, minParallelBytes: 0 });
        assert.deepEqual(comparable(parallel), comparable(fast));
      });

      it('renders each matched record, whose fields and matched value are where the match says', async () => {
        const { matches } = await huntFile(entry.path);
        for (const m of matches) {
          const xml = await readEvtxRecordXml(entry.path, m.event.place!);
          assert.ok(xml, `record at ${m.event.place!.offset}`);
          assert.deepEqual(parseXmlRecord(xml).data, m.event.data);
          const pretty = await readEvtxRecordXml(entry.path, m.event.place!, { pretty: true });
          assert.ok(pretty!.split('\n').length > 10, 'pretty XML is laid out over lines');
          assert.deepEqual(parseXmlRecord(pretty!).data, m.event.data, 'pretty XML holds the same values');
          if (m.field === undefined || m.valueRange === undefined) continue;
          // The one-line XML: the match's range is the value's span there.
          assert.equal(m.valueRange.start.line, 1);
          assert.equal(unescape(xml.slice(m.valueRange.start.column - 1, m.valueRange.end.column - 1)), m.event.data[m.field] ?? parseXmlRecord(xml).system[m.field]);
          const span = locateInRecordXml(pretty!, m.field);
          assert.ok(span, `${m.field} is found in the pretty XML`);
        }
      });

      it('summarises the file: records, chunks, time span, hosts and EventIDs', async () => {
        const s = await summarizeEvtxFile(entry.path);
        assert.equal(s.records, entry.events);
        assert.ok(s.chunks >= 1);
        assert.deepEqual(s.problems, []);
        assert.ok(s.firstTime && s.lastTime && s.firstTime <= s.lastTime);
        assert.equal(Object.values(s.eventIds).reduce((a, b) => a + b, 0), entry.events);
        assert.equal(Object.values(s.hosts).reduce((a, b) => a + b, 0), entry.events);
      });

      it("renders its first chunk as an XML document that hunts as the chunk's records", async () => {
        const xml = await readEvtxChunkXml(entry.path, 0);
        assert.ok(xml);
        const { summary } = await huntText(xml, 'chunk0.xml');
        assert.equal(summary.malformed, 0);
        assert.ok(summary.events > 0 && summary.events <= entry.events);
        assert.equal(await readEvtxChunkXml(entry.path, 10_000), undefined);
      });
    });
  }

  describe('every SigmaHQ windows rule loaded', () => {
    let rules: LoadedRules;
    before(async function () {
      if (!existsSync(SIGMA_WINDOWS_RULES)) skipOrFailWithoutShared(this, '../shared/sigma/rules/windows', SUITE);
      rules = await loadRules({ paths: [SIGMA_WINDOWS_RULES] });
    });

    it('each .evtx gives the matches of its export, fast = plain', async () => {
      let compared = 0;
      for (const entry of entries) {
        const fast = await huntFile(entry.path, { rules });
        const plain = await huntFile(entry.path, { rules, mode: 'plain' });
        assert.deepEqual(comparable(fast), comparable(plain), `${entry.file}: fast = plain`);
        const twin = twinOf(entry);
        if (!twin) continue;
        const theirs = await huntFile(twin.file, { rules });
        const ours = hits(fast.matches, twin.sysmonOnly);
        const extra = ONLY_IN_EVTX[entry.file] ?? [];
        assert.deepEqual(extra.filter((h) => !ours.includes(h)), [], 'each known difference is still there');
        assert.deepEqual(ours.filter((h) => !extra.includes(h)), hits(theirs.matches), `${entry.file}: = ${path.relative(CORPUS_DIR, twin.file)}`);
        compared++;
      }
      assert.equal(compared, 9);
    });
  });
});
