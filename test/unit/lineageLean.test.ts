/**
 * The lean lineage index's parts: the raw-text reading of an XML create's ids (the parser's values,
 * or undefined for the parser to read), the UtcTime fast path (Date.parse's values), the read-back
 * of details (nothing rather than another process's when the file changed), and the capped walk
 * down (against a plain breadth-first walk written here).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { generateLogInMemory } from '../../bench/generate';
import { HuntResult, huntFile, huntFiles, LineageIndex, loadRules, MAX_LINEAGE_LIST, Match } from '../../src/engine';
import { RecordReader } from '../../src/engine/lineageRead';
import { processNoteOf, ProcessNote, timeOf } from '../../src/engine/lineage';
import { quickXmlCreateNote } from '../../src/engine/lineageQuick';
import { XmlPrefilter } from '../../src/engine/readers/prefilter';
import { builtinRules, ruleSetOf } from '../../src/engine/rules/load';
import { parseXmlRecord } from '../../src/engine/readers/xmlRecord';
import { Rng } from '../fuzz/fuzz';
import { assertEvery } from '../support/assertions';
import { corpusEntriesIfAny } from '../support/corpus';

const GUID = '{5770385F-C22A-0001-0000-0010ABCDEF01}';
const PARENT = '{5770385F-C22A-0002-0000-0010ABCDEF01}';

/** A Sysmon create; `data` replaces the EventData's inner text, `computer` the Computer element. */
function create(options: { q?: string; data?: string; computer?: string; time?: string } = {}): string {
  const q = options.q ?? '"';
  const d = (name: string, value: string) => `<Data Name=${q}${name}${q}>${value}</Data>`;
  const data =
    options.data ??
    [d('RuleName', '-'), d('UtcTime', options.time ?? '2024-01-02 03:04:05.678'), d('ProcessGuid', GUID), d('ProcessId', '100'), d('Image', 'C:\\x\\cmd.exe'), d('CommandLine', 'cmd /c "a &amp; b"'), d('ParentProcessGuid', PARENT), d('ParentProcessId', '600')].join('');
  return (
    `<Event><System><Provider Name=${q}Microsoft-Windows-Sysmon${q}/><EventID>1</EventID><TimeCreated SystemTime=${q}2024-01-02T03:04:05.6789Z${q}/>` +
    `<EventRecordID>7</EventRecordID><Channel>Microsoft-Windows-Sysmon/Operational</Channel>${options.computer ?? '<Computer>HOST-A</Computer>'}</System>` +
    `<EventData>${data}</EventData></Event>`
  );
}

const WHERE = { position: { line: 3, column: 1 }, byteOffset: 10, byteLength: 20 };

/** The lean note the parser's record gives: what the raw-text reading must give too. */
function parsedNote(xml: string): ProcessNote | undefined {
  return processNoteOf(parseXmlRecord(xml), WHERE, true);
}

/** Hunts `file` with CAR-2014-05-002 (one match) with the lean index and the eager one; asserts the same lineage; the lean result. */
async function leanEqualsEager(file: string): Promise<HuntResult> {
  const rules = await loadRules({ ids: ['CAR-2014-05-002'] });
  const lean = await huntFile(file, { rules, lineage: true });
  const index = new LineageIndex();
  const eager = await huntFile(file, { rules, lineageIndex: index });
  index.attach(eager.matches);
  assert.equal(lean.matches.length, 1);
  assert.deepEqual(lean.matches.map((m) => m.lineage), eager.matches.map((m) => m.lineage));
  return lean;
}

describe('lineage: the lean index', () => {
  it('reads an XML create\'s ids from its raw text as the parser does, or leaves it to the parser', () => {
    const plain = [
      create(),
      create({ q: "'" }),
      create({ computer: '<Computer>HOST-&#x42;</Computer>' }),
      create({ computer: '' }),
      create({ data: `<Data Name="UtcTime"/><Data Name="ProcessGuid">${GUID}</Data><Data>unnamed</Data><Data Name="ProcessId">4</Data>` }),
      create({ time: '2024-02-30 23:59:59.999' }),
      create({ data: `<Data Name='ProcessGuid'>${GUID}</Data><Data Name="ParentProcessId"></Data>` }),
    ];
    for (const xml of plain) {
      const quick = quickXmlCreateNote(xml, WHERE, false);
      assert.ok(quick, xml);
      assert.deepEqual(quick, parsedNote(xml), xml);
    }
    const forParser = [
      create({ data: `<Data Name="ProcessGuid">${GUID}</Data><Data Name="ProcessGuid">${PARENT}</Data>` }),
      create({ data: `<Data Name="ProcessGuid"><![CDATA[${GUID}]]></Data>` }),
      create({ data: `<!-- <Data Name="ProcessGuid">${PARENT}</Data> --><Data Name="ProcessGuid">${GUID}</Data>` }),
      create({ data: `<Data Name="ProcessGuid" >${GUID}</Data>` }),
      create({ data: `<Data Name="Image"><b>x</b></Data><Data Name="ProcessGuid">${GUID}</Data>` }),
      create({ computer: "<Computer xmlns=''>HOST-A</Computer>" }),
      create({ computer: '<Computer>HOST-A</Computer><Computer>HOST-B</Computer>' }),
      create({ data: `<Data Name="ProcessGuid">${GUID}&bogus;</Data>` }),
    ];
    assertEvery(forParser, (xml) => quickXmlCreateNote(xml, WHERE, false) === undefined, 'records left to the parser');
    // The latin1 view of UTF-8: a host with other than ASCII is read again from the decoded text.
    const utf8 = create({ computer: '<Computer>HÖST</Computer>' });
    assert.equal(quickXmlCreateNote(Buffer.from(utf8, 'utf8').toString('latin1'), WHERE, true), undefined);
    assert.equal(quickXmlCreateNote(utf8, WHERE, false)?.host, 'HÖST');
    assert.deepEqual(quickXmlCreateNote(utf8, WHERE, false), parsedNote(utf8));
  });

  it('on 10,000 seeded mutations of real creates, the raw reading gives the parser\'s note or leaves the record to it', () => {
    // Records the parser reads as a Sysmon create (the caller has checked EventID and provider on
    // the raw text): markup between Data elements (`<\rData`, `<Image>`), a `</System>` in an
    // attribute, quotes, white space, entities and repeated fields put in anywhere.
    const creates: string[] = [];
    for (const entry of corpusEntriesIfAny('lean notes of mutated creates').filter((e) => e.path.endsWith('.xml'))) {
      const text = readFileSync(entry.path, 'utf8');
      for (let at = text.indexOf('<Event'); at >= 0 && creates.length < 3000; at = text.indexOf('<Event', at + 1)) {
        const end = text.indexOf('</Event>', at);
        if (end < 0) break;
        const record = text.slice(at, end + 8);
        if (/<EventID[^>]*>1<\/EventID>/.test(record)) creates.push(record);
      }
    }
    creates.push(create(), create({ q: "'" }));
    const inserts = [' ', '\t', '\r', '"', "'", '>', '<', '/>', '&amp;', '&bogus;', '<b>x</b>', ' Foo="1"', '<Data>', '<Data/>', `<Data Name="ProcessGuid">${PARENT}</Data>`, '<Data Name="ProcessId"/>', '<Data Name="Hashes">h</Data>', '<ProcessGuid>{0}</ProcessGuid>', '</System>', '<Computer>x</Computer>', '<!-- c -->'];
    const rng = new Rng(43);
    let compared = 0;
    const differing: string[] = [];
    for (let i = 0; i < 10000; i++) {
      let xml = rng.pick(creates);
      for (let k = 1 + rng.int(2); k > 0; k--) {
        const at = rng.int(xml.length);
        xml = xml.slice(0, at) + rng.pick(inserts) + xml.slice(at);
      }
      const quick = quickXmlCreateNote(xml, WHERE, false);
      if (!quick) continue;
      let parsed: ProcessNote | undefined;
      try {
        parsed = parsedNote(xml);
      } catch {
        continue; // not well-formed: the fast path skips such a record unread (README, "Bad input")
      }
      if (parsed?.kind !== 'create') continue;
      compared++;
      if (JSON.stringify(quick) !== JSON.stringify(parsed)) differing.push(xml);
    }
    assert.ok(compared > 800, `${compared} mutated creates compared`);
    assert.deepEqual(differing.slice(0, 3), [], `${differing.length} of ${compared} differ from the parser's note`);
  });

  it('reuses what the XML fast path found of a create (its </System>, no markup) and reads the same note', async () => {
    const plain = [create(), create({ q: "'" }), create({ computer: '' }), create({ data: `<Data>x</Data><Data Name="ProcessGuid">${GUID}</Data>` })];
    const marked = [create({ data: `<!-- x --><Data Name="ProcessGuid">${GUID}</Data>` }), create({ data: `<?pi x?><Data Name="ProcessGuid">${GUID}</Data>` })];
    // CAR-2014-05-002 cannot match these creates (no services.exe): the fast path gives their
    // EventID, having looked for markup. With no rule for EventID 1, it gives it without looking.
    const car = new XmlPrefilter(ruleSetOf(await loadRules({ ids: ['CAR-2014-05-002'] })));
    const none = new XmlPrefilter(ruleSetOf({ ...(await loadRules({ ids: ['CAR-2014-05-002'] })), rules: [] }));
    let reused = 0;
    for (const prefilter of [car, none]) {
      for (const xml of [...plain, ...marked]) {
        if (prefilter.classify(xml) !== 1) continue;
        const found = { ...prefilter.found };
        assert.equal(found.systemEnd, xml.indexOf('</System>'), xml);
        if (found.markupFree) assert.ok(!/<[!?]/.test(xml), xml);
        assert.deepEqual(quickXmlCreateNote(xml, WHERE, false, found), quickXmlCreateNote(xml, WHERE, false), xml);
        if (found.markupFree) reused++;
      }
    }
    assert.equal(reused, plain.length, 'every plain create CAR-2014-05-002 cannot match is read with what the fast path found');
  });

  it('reads UtcTime by its digits as Date.parse does, in range and out of it', () => {
    const times = ['2024-01-02 03:04:05.678', '2024-02-30 00:00:00.000', '2023-02-29 12:00:00.001', '2024-04-31 23:59:59.999', '2024-13-01 00:00:00.000', '2024-01-00 00:00:00.000', '2024-01-01 24:00:00.000', '2024-01-01 23:60:00.000', '0099-01-01 00:00:00.000', '2024-01-01T03:04:05.678Z', '2024-01-01 03:04:05.67', 'x024-01-01 03:04:05.678', '2024-0a-01 00:00:00.000', '2024-01-01 0:000:00.000', '2024-01-01 00:00:00.00x', '2024-01-01 00:00:5.5000', '2024/01/01 00:00:00.000', '2024-12-31 23:59:59.999'];
    for (const t of times) {
      const iso = t.includes('T') ? t : t.replace(' ', 'T');
      assert.deepEqual(timeOf(t), Date.parse(/[zZ]$/.test(iso) ? iso : `${iso}Z`), t);
    }
  });

  it('reads details back from the file, and gives nothing of another process when the file changed', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'log-hunt-lean-'));
    try {
      const file = path.join(dir, 'a.xml');
      const first = create();
      writeFileSync(file, first);
      const index = new LineageIndex(undefined, { deferDetails: true });
      index.beginFile(file);
      const note = parsedNote(first)!;
      index.add({ ...note, byteOffset: 0, byteLength: Buffer.byteLength(first) });
      const child = create({ data: `<Data Name="ProcessGuid">{5770385F-C22A-0003-0000-0010ABCDEF01}</Data><Data Name="ParentProcessGuid">${GUID}</Data>` });
      const match = { event: parseXmlRecord(child) } as unknown as Match;
      const probe = { ...match, event: { ...match.event, eventId: 1, data: parseXmlRecord(child).data } } as Match;
      const parent = index.lineageOf(probe).parent;
      assert.equal(parent?.image, 'C:\\x\\cmd.exe');
      assert.equal(parent?.commandLine, 'cmd /c "a & b"');
      assert.equal(parent?.recordId, '7');
      assert.equal(parent?.time, '2024-01-02T03:04:05.6789Z');
      // Another process now at those bytes: its details are not this one's.
      writeFileSync(file, create({ data: `<Data Name="ProcessGuid">${PARENT}</Data><Data Name="Image">C:\\other.exe</Data>` }));
      const again = new LineageIndex(undefined, { deferDetails: true });
      again.beginFile(file);
      again.add({ ...note, byteOffset: 0, byteLength: Buffer.byteLength(first) });
      const stale = again.lineageOf(probe).parent;
      assert.equal(stale?.processGuid, GUID.toLowerCase());
      assert.equal(stale?.image, null);
      assert.equal(stale?.commandLine, null);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a JSON log with UTF-8 in it: lean notes read from the latin1 view give the eager lineage', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'log-hunt-lean-'));
    try {
      const file = path.join(dir, 'utf8.jsonl');
      const rec = (n: number, host: string, image: string, parent: number | undefined, more: Record<string, string> = {}) =>
        JSON.stringify({ EventID: 1, SourceName: 'Microsoft-Windows-Sysmon', Channel: 'Microsoft-Windows-Sysmon/Operational', Hostname: host, EventRecordID: n, UtcTime: `2024-01-02 03:00:0${n}.000`, ProcessGuid: `{5770385F-C22A-000${n}-0000-0010ABCDEF01}`, ProcessId: 100 + n, ParentProcessGuid: parent === undefined ? undefined : `{5770385F-C22A-000${parent}-0000-0010ABCDEF01}`, ParentProcessId: parent === undefined ? undefined : 100 + parent, Image: image, ParentImage: parent === undefined ? undefined : 'C:\\Windows\\System32\\services.exe', CommandLine: `${image} /c x`, ...more });
      writeFileSync(file, [
        rec(1, 'HOST-A', 'C:\\Windows\\System32\\services.exe', undefined, { Product: 'Microsoft® Windows®' }),
        rec(2, 'HOST-A', 'C:\\Windows\\System32\\cmd.exe', 1),
        rec(3, 'HÖST-B', 'C:\\Tools\\tâche.exe', 2, { Product: 'Outil®' }),
        rec(4, 'HOST-A', 'C:\\Tools\\ok.exe', 2, { Product: 'Outil®', User: 'ACME\\jürgen' }),
      ].join('\n'));
      const lean = await leanEqualsEager(file);
      const children = lean.matches[0].lineage!.children;
      assert.deepEqual(children.map((c) => [c.host, c.image, c.user]), [['höst-b', 'C:\\Tools\\tâche.exe', null], ['host-a', 'C:\\Tools\\ok.exe', 'ACME\\jürgen']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads back thousands of named processes in spans: the lineage of every match is the eager one, across files', async () => {
    // The built-in library on the incident mix matches most process creates, so nearly every
    // create is named by some lineage and read back, in spans of near neighbours (lineage.ts
    // readSpan); the two files make the spans change files, and the reads are checked by count.
    const dir = mkdtempSync(path.join(tmpdir(), 'log-hunt-lean-'));
    const spans: number[] = [];
    const proto = RecordReader.prototype;
    const readSpan = Object.getOwnPropertyDescriptor(proto, 'readSpan')!;
    Object.defineProperty(proto, 'readSpan', {
      ...readSpan,
      value: function (this: RecordReader, file: string, offset: number, end: number) {
        spans.push(end - offset);
        (readSpan.value as RecordReader['readSpan']).call(this, file, offset, end);
      },
    });
    try {
      const files = ['wevtutil', 'ecs'].map((shape, k) => {
        const file = path.join(dir, `incident-${shape}.log`);
        return { file, shape, k };
      });
      for (const { file, shape, k } of files) {
        writeFileSync(file, (await generateLogInMemory({ shape: shape as 'wevtutil' | 'ecs', targetBytes: 1_500_000, seed: 7 + k, matchEvery: 50, mix: 'incident' })).bytes);
      }
      const rules = builtinRules();
      const lean = await huntFiles(files.map((f) => f.file), { rules, lineage: true });
      const index = new LineageIndex();
      const eager = await huntFiles(files.map((f) => f.file), { rules, lineageIndex: index });
      const leanMatches = lean.results.flatMap((r) => r.matches);
      const eagerMatches = eager.results.flatMap((r) => r.matches);
      index.attach(eagerMatches);
      assert.ok(leanMatches.length > 1000, `${leanMatches.length} matches`);
      assert.ok(spans.length >= 2 && spans.some((n) => n > 100_000), `spans ${spans.join(', ')}`);
      assert.equal(leanMatches.length, eagerMatches.length);
      const named = leanMatches.filter((m) => m.lineage?.parent?.image);
      assert.ok(named.length > 300, `${named.length} matches name their parent's image`);
      const pairs = leanMatches.map((m, i) => ({ lean: JSON.stringify(m.lineage), eager: JSON.stringify(eagerMatches[i].lineage) }));
      assertEvery(pairs, (p) => p.lean === p.eager, 'lean lineage equals the eager one');
    } finally {
      Object.defineProperty(proto, 'readSpan', readSpan);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an XML log with UTF-8 in it: details read back from the latin1 view only where they are ASCII', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'log-hunt-lean-'));
    try {
      const file = path.join(dir, 'utf8.xml');
      const guid = (n: number) => `{5770385F-C22A-000${n}-0000-0010ABCDEF01}`;
      const d = (name: string, value: string) => `<Data Name="${name}">${value}</Data>`;
      const rec = (n: number, image: string, parent: number | undefined, user: string, host = 'HOST-A') =>
        create({
          computer: `<Computer>${host}</Computer>`,
          data: [d('UtcTime', `2024-01-02 03:00:0${n}.000`), d('ProcessGuid', guid(n)), d('ProcessId', String(100 + n)), d('Image', image), d('Product', 'Microsoft® Windows®'),
            d('CommandLine', `${image} /c x`), d('User', user), ...(parent === undefined ? [] : [d('ParentProcessGuid', guid(parent)), d('ParentProcessId', String(100 + parent)), d('ParentImage', 'C:\\Windows\\System32\\services.exe')])].join(''),
        });
      writeFileSync(file, [
        rec(1, 'C:\\Windows\\System32\\services.exe', undefined, 'NT AUTHORITY\\SYSTEM'),
        rec(2, 'C:\\Windows\\System32\\cmd.exe', 1, 'ACME\\jürgen'),
        rec(3, 'C:\\Tools\\tâche.exe', 2, 'ACME\\svc', 'HÖST-B'),
        rec(4, 'C:\\Tools\\ok.exe', 2, 'ACME\\svc'),
      ].join('\n'));
      const lean = await leanEqualsEager(file);
      const { parent, children } = lean.matches[0].lineage!;
      assert.equal(parent?.image, 'C:\\Windows\\System32\\services.exe');
      assert.deepEqual(children.map((c) => [c.host, c.image, c.user]), [['höst-b', 'C:\\Tools\\tâche.exe', 'ACME\\svc'], ['host-a', 'C:\\Tools\\ok.exe', 'ACME\\svc']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('walks down as a plain breadth-first walk does, and cuts the list at its cap', () => {
    const index = new LineageIndex();
    index.beginFile('x');
    const g = (n: number) => `{00000000-0000-0000-0000-${String(n).padStart(12, '0')}}`;
    const parents = new Map<number, number>();
    let n = 1;
    const add = (parent?: number) => {
      const me = n++;
      if (parent !== undefined) parents.set(me, parent);
      index.add({ kind: 'create', guid: g(me), parentGuid: parent === undefined ? undefined : g(parent), pid: String(me), at: me, recordId: String(me) });
      return me;
    };
    const root = add();
    // A wide, deep tree: 30 children, each with 40 children, each with 2.
    for (let a = 0; a < 30; a++) {
      const child = add(root);
      for (let b = 0; b < 40; b++) {
        const grandchild = add(child);
        add(grandchild);
        add(grandchild);
      }
    }
    const lineage = index.lineageOf({ event: { eventId: 1, data: { ProcessGuid: g(root), ProcessId: String(root) }, fields: {}, range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } } } } as unknown as Match);
    const below: number[] = [];
    const queue = [root];
    while (queue.length > 0) {
      const p = queue.shift()!;
      const kids = [...parents].filter(([, parent]) => parent === p).map(([kid]) => kid);
      below.push(...kids);
      queue.push(...kids);
    }
    assert.ok(below.length > MAX_LINEAGE_LIST);
    assert.deepEqual(lineage.descendants.map((e) => Number(e.recordId)), below.slice(0, MAX_LINEAGE_LIST));
    assert.equal(lineage.children.length, 30);
    assert.equal(lineage.truncated, true);
    // The entries of a process are one object, shared by the lineages that name it (two children of the root here).
    const probe = (id: number) => ({ event: { eventId: 1, data: { ProcessGuid: g(id), ProcessId: String(id) }, fields: {} } }) as unknown as Match;
    const [first, second] = lineage.children.map((e) => Number(e.recordId));
    assert.equal(index.lineageOf(probe(first)).parent, index.lineageOf(probe(second)).parent);
    assert.equal(index.lineageOf(probe(first)).parent?.recordId, String(root));
  });
});
