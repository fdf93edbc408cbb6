/**
 * The quick XML reader (readers/xmlQuick.ts) gives exactly parseXmlRecord's record, or undefined:
 * on every record of the corpus's XML files, the generated logs of both mixes, the fixtures, and
 * hand-made edge cases; and it takes nearly all the plain records.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { generateLogInMemory, MIXES } from '../../bench/generate';
import { Rng } from '../fuzz/fuzz';
import { sniffEncoding, TextEncoding } from '../../src/engine/decode';
import { readEvtxChunkXml } from '../../src/engine/evtxFile';
import { detectShape, framerFor } from '../../src/engine/readers/detect';
import { quickXmlRecord } from '../../src/engine/readers/xmlQuick';
import { assertEvery } from '../support/assertions';
import { corpusEntriesIfAny, evtxCorpusEntries, REPO_ROOT } from '../support/corpus';
import { quickVersusSax } from '../support/quickXml';
import { shapeFixtures } from '../support/shapes';

/** The records of an XML log, framed by the project's own framer, as decoded text. */
function xmlRecords(bytes: Buffer): string[] {
  const { encoding, bomLength } = sniffEncoding(bytes);
  bytes = bytes.subarray(bomLength);
  if (encoding !== 'utf-8') bytes = Buffer.from(new TextDecoder(encoding satisfies TextEncoding).decode(bytes), 'utf8');
  if (detectShape(bytes, true)?.family !== 'xml') return [];
  const texts: string[] = [];
  framerFor('xml').frame({ bytes, base: 0 }, true, {
    record: (start, end) => texts.push(bytes.toString('utf8', start, end)),
    malformed: () => undefined,
  });
  return texts;
}

/** Checks one record text against SAX (test/support/quickXml.ts); returns whether the quick reader took it. */
function assertSameAsSax(text: string, what: string): boolean {
  const { taken, difference } = quickVersusSax(text);
  assert.equal(difference, undefined, what);
  return taken;
}

/** Checks every record; returns [taken, total]. */
function checkAll(texts: string[], what: string): [number, number] {
  let taken = 0;
  texts.forEach((text, i) => {
    if (assertSameAsSax(text, `${what} record ${i}`)) taken++;
  });
  return [taken, texts.length];
}

async function generated(shape: 'eventviewer' | 'wevtutil', mix: 'production' | 'incident', seed: number): Promise<Buffer> {
  return (await generateLogInMemory({ shape, targetBytes: 400_000, seed, matchEvery: 50, mix })).bytes;
}

/** A Sysmon create in wevtutil's form, with `data` as its EventData's inner XML. */
function event(data: string, system = "<EventID>1</EventID><Channel>Microsoft-Windows-Sysmon/Operational</Channel>"): string {
  return `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon'/>${system}</System>${data}</Event>`;
}

/** What the mutations put in: markup, entities (good and bad), quotes, white space, odd characters. */
const SPECIALS = [
  '<', '>', '&', ';', '#', 'x', '"', "'", '/', ' ', '\r', '\n', '\t', '_', '=', '!', '?', 'Name', '\ufeff', '\u00e9', '\u0000', '\u{1F600}',
  '&amp;', '&lt;', '&#65;', '&#x1F600;', '&#xd800;', '&#0;', '&nbsp;', '&AMP;', '&#X41;', '&#0065;', '&#1114112;',
  '<![CDATA[x]]>', '<!--c-->', '<?p?>', '<a/>', '</a>', '<Data>', '</Data>', "<Data Name='Z'>z</Data>", '<Data/>', '<UserData>', '<System>', '</System>', '<EventData>',
];

/** One seeded change of a record's text: insert, delete, replace, or repeat a tag. */
function mutate(text: string, rng: Rng): string {
  const at = rng.int(text.length + 1);
  switch (rng.int(4)) {
    case 0:
      return text.slice(0, at) + rng.pick(SPECIALS) + text.slice(at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1 + rng.int(3));
    case 2:
      return text.slice(0, at) + rng.pick(SPECIALS) + text.slice(at + 1);
    default: {
      const open = text.lastIndexOf('<', at);
      const close = text.indexOf('>', open);
      if (open < 0 || close < 0) return text;
      return text.slice(0, at) + text.slice(open, close + 1) + text.slice(at);
    }
  }
}

describe('quick XML reader = parseXmlRecord', function () {
  this.timeout(300_000);
  const shares: string[] = [];
  after(() => console.log(`      quick reader took: ${shares.join('; ')}`));

  it('every record of the corpus XML files: same record or undefined, and nearly all taken', () => {
    const entries = corpusEntriesIfAny('quick XML reader').filter((e) => e.path.endsWith('.xml'));
    const shapesDir = path.join(path.dirname(entries[0]?.path ?? '.'), 'shapes');
    const files = [...entries.map((e) => e.path)];
    for (const f of entries.length > 0 ? readdirSync(shapesDir) : []) if (f.endsWith('.xml')) files.push(path.join(shapesDir, f));
    let taken = 0;
    let total = 0;
    for (const file of new Set(files)) {
      const [t, n] = checkAll(xmlRecords(readFileSync(file)), path.basename(file));
      assert.ok(n > 0, `${file}: records framed`);
      taken += t;
      total += n;
    }
    if (total === 0) return;
    shares.push(`corpus ${taken}/${total}`);
    assert.ok(taken >= 0.99 * total, `only ${taken} of ${total} corpus records taken`);
  });

  it("the corpus's .evtx records as the engine renders them in XML (readEvtxChunkXml)", async () => {
    let taken = 0;
    let total = 0;
    for (const entry of evtxCorpusEntries() ?? []) {
      for (let chunk = 0; ; chunk++) {
        const xml = await readEvtxChunkXml(entry.path, chunk);
        if (xml === undefined) break;
        const [t, n] = checkAll(xmlRecords(Buffer.from(xml, 'utf8')), `${entry.file} chunk ${chunk}`);
        taken += t;
        total += n;
      }
    }
    if (total === 0) return;
    shares.push(`.evtx rendered ${taken}/${total}`);
    assert.ok(taken >= 0.99 * total, `only ${taken} of ${total} rendered records taken`);
  });

  for (const mix of MIXES) {
    for (const shape of ['eventviewer', 'wevtutil'] as const) {
      it(`generated ${shape} logs, ${mix} mix: every record the same, and all taken`, async () => {
        const [taken, total] = checkAll(xmlRecords(await generated(shape, mix, 11)), `${shape}/${mix}`);
        shares.push(`${shape}/${mix} ${taken}/${total}`);
        assert.ok(total > 100, 'records generated');
        assert.equal(taken, total, 'the generator writes plain XML only');
      });
    }
  }

  it('the test fixtures and the shape fixtures', () => {
    const fixtures = path.join(REPO_ROOT, 'test', 'fixtures');
    const inputs: [string, Buffer][] = Object.entries(shapeFixtures());
    for (const f of readdirSync(fixtures)) if (f.endsWith('.xml')) inputs.push([f, readFileSync(path.join(fixtures, f))]);
    let taken = 0;
    let total = 0;
    for (const [name, bytes] of inputs) {
      const [t, n] = checkAll(xmlRecords(bytes), name);
      taken += t;
      total += n;
    }
    shares.push(`fixtures ${taken}/${total}`);
    assert.ok(total > 20 && taken > total / 2, `${taken} of ${total} fixture records taken`);
  });

  it('20,000 seeded mutations of real records: each one the same as SAX or left to it', async () => {
    const rng = new Rng(20261201);
    const records = [...xmlRecords(await generated('wevtutil', 'incident', 3)).slice(0, 40), ...xmlRecords(await generated('eventviewer', 'production', 4)).slice(0, 40)];
    for (const entry of corpusEntriesIfAny('quick XML reader mutations').filter((e) => e.path.endsWith('.xml'))) records.push(...xmlRecords(readFileSync(entry.path)).slice(0, 10));
    let taken = 0;
    const N = 20_000;
    for (let i = 0; i < N; i++) {
      let text = rng.pick(records);
      for (let k = 1 + rng.int(2); k > 0; k--) text = mutate(text, rng);
      if (assertSameAsSax(text, `mutation ${i}: ${JSON.stringify(text)}`)) taken++;
    }
    shares.push(`mutated ${taken}/${N}`);
    assert.ok(taken > N / 10 && taken < N, `${taken} of ${N} mutated records taken: both kinds must occur`);
  });

  describe('hand-made records', () => {
    const taken = (text: string) => assertSameAsSax(text, text);
    const value = (text: string, name: string) => {
      assert.ok(taken(text), 'taken');
      return quickXmlRecord(text)!.data[name];
    };

    it('decodes the five entities and character references as SAX does, astral ones too', () => {
      const data = "<EventData><Data Name='CommandLine'>a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#65;&#x42;&#x0043;&#0068; &#x1F600;&#128512; &#xe9;&#xE9;</Data></EventData>";
      assert.equal(value(event(data), 'CommandLine'), `a <b> & "c" 'd' ABCD \u{1F600}\u{1F600} \u00e9\u00e9`);
    });

    it('entities in attribute values, in both quotes', () => {
      assert.equal(value(event(`<EventData><Data Name="A&amp;B">x</Data><Data Name='C&quot;D'>y</Data><Data Name="E'F">z</Data></EventData>`), 'A&B'), 'x');
      assert.equal(quickXmlRecord(event(`<EventData><Data Name='C&quot;D'>y</Data></EventData>`))!.data['C"D'], 'y');
      assert.equal(value(event(`<EventData><Data Name="E'F">z</Data></EventData>`), "E'F"), 'z');
      const system = `<EventID Qualifiers="7">1</EventID><TimeCreated SystemTime = "2024-01-01T00:00:00Z" /><Security UserID='S&#45;1'/>`;
      assert.ok(taken(event('<EventData/>', system)));
      assert.equal(quickXmlRecord(event('', system))!.system.Security_UserID, 'S-1');
    });

    it('white space: between attributes, before `>` and `/>`, in end tags, line ends kept in values', () => {
      const text = `\n  <Event>\r\n <System >\n\t<Provider\n Name = 'P'\r\n/>\n<EventID\t>1</EventID >\n</System\n>\n<EventData>\r\n<Data Name='A'>line1\r\nline2 </Data>\n</EventData></Event>\n \n`;
      assert.equal(value(text, 'A'), 'line1\r\nline2 ');
      assert.equal(quickXmlRecord(text)!.eventId, 1);
    });

    it("empty Data, <Data Name='X'/>, unnamed Data as Data, Data_2, and other EventData children", () => {
      const text = event("<EventData><Data Name='Empty'></Data><Data Name='Closed'/><Data>one</Data><Data/><Data>three</Data><Binary>00FF</Binary></EventData>");
      assert.ok(taken(text));
      assert.deepEqual(quickXmlRecord(text)!.data, { Empty: '', Closed: '', Data: 'one', Data_2: '', Data_3: 'three', Binary: '00FF' });
    });

    it('attributes it has no use for, on any element', () => {
      const text = event(`<EventData Kind='k'><Data Name='A' Type="t" ${Array.from({ length: 20 }, (_, i) => `a${i}='${i}'`).join(' ')}>1</Data></EventData>`, "<EventID Qualifiers='0'>1</EventID><Execution ProcessID='4' ThreadID='8' xmlns:x='urn:x'/>");
      assert.equal(value(text, 'A'), '1');
      assert.deepEqual(Object.keys(quickXmlRecord(text)!.system), ['Provider_Name', 'EventID_Qualifiers', 'EventID', 'Execution_ProcessID', 'Execution_ThreadID']);
    });

    it('no EventData; empty System elements (`<Level></Level>` is a field, `<Correlation/>` is not)', () => {
      const text = event('', '<EventID>4</EventID><Level></Level><Correlation/><Keywords/>');
      assert.ok(taken(text));
      assert.deepEqual(Object.keys(quickXmlRecord(text)!.system), ['Provider_Name', 'EventID', 'Level']);
    });

    it('UserData: its leaves, at any depth, and nothing of its inner elements', () => {
      const text = event("<UserData><Op xmlns='urn:x'><User>u</User><Inner><Deep>d</Deep><Empty/></Inner><Param>p &amp; q</Param></Op></UserData>");
      assert.ok(taken(text));
      assert.deepEqual(quickXmlRecord(text)!.data, { User: 'u', Deep: 'd', Empty: '', Param: 'p & q' });
    });

    it('RenderingInfo after EventData and a declaration-less no-namespace record', () => {
      const text = `<Event><System><Provider Name="P"/><EventID>3</EventID></System><EventData><Data Name="X">1</Data></EventData><RenderingInfo Culture="en-US"><Message>m</Message><Keywords><Keyword>k</Keyword></Keywords></RenderingInfo></Event>`;
      assert.ok(taken(text));
      assert.deepEqual(quickXmlRecord(text)!.data, { X: '1' });
    });

    it('leaves to SAX: CDATA, comments, processing instructions, DOCTYPE, a BOM', () => {
      const texts = [
        event("<EventData><Data Name='A'><![CDATA[x<y]]></Data></EventData>"),
        event("<EventData><!-- c --><Data Name='A'>x</Data></EventData>"),
        event("<EventData><Data Name='A'>x<?pi x?></Data></EventData>"),
        `<!DOCTYPE Event>${event('')}`,
        `<?xml version="1.0"?>${event('')}`,
        `\ufeff${event('')}`,
      ];
      assertEvery(texts, (text) => quickXmlRecord(text) === undefined, 'left to SAX');
      for (const text of texts) assertSameAsSax(text, text);
    });

    it('leaves to SAX: entities it does not take, repeated names, odd markup', () => {
      const texts = [
        event("<EventData><Data Name='A'>&nbsp;</Data></EventData>"),
        event("<EventData><Data Name='A'>&AMP;</Data></EventData>"),
        event("<EventData><Data Name='A'>&#X41;</Data></EventData>"),
        event("<EventData><Data Name='A'>&#0;</Data></EventData>"),
        event("<EventData><Data Name='A'>&#xD800;</Data></EventData>"),
        event("<EventData><Data Name='A'>&#1114112;</Data></EventData>"),
        event("<EventData><Data Name='A'>a & b</Data></EventData>"),
        event("<EventData>&bogus;<Data Name='A'>x</Data></EventData>"),
        event("<EventData><Data Name='A'>1</Data><Data Name='A'>2</Data></EventData>"),
        event("<EventData><Data Name='A' Name='B'>1</Data></EventData>"),
        event("<EventData><Data Name='__proto__'>1</Data></EventData>"),
        event('', '<EventID>1</EventID><EventID>2</EventID>'),
        event('', "<My_Thing Id='1'/>"),
        event("<EventData><Data Name=A>1</Data></EventData>"),
        event("<EventData><Data Name='A'Other='B'>1</Data></EventData>"),
        event("<EventData><Data Name='A'>1</Dato></EventData>"),
        event("<EventData><Data Name='A'>1</EventData>"),
        event("<EventData><Data Name='A'>1</Data></EventData>") + '<Event/>',
        event("<EventData><Data Name='A'>1</Data></EventData>") + 'x',
        event("<EventData><Data Name='A'>1</Data></EventData>").slice(0, -3),
        `x${event('')}`,
        event("<EventData>< Data Name='A'>1</Data></EventData>"),
        event("<EventData><Data Name='A'>1</ Data></EventData>"),
        event("<EventData><Data Name='A'/ ></EventData>"),
        event("<EventData><Donnée Name='A'>1</Donnée></EventData>"),
        event(`<EventData><Data Name='A' ${Array.from({ length: 40 }, (_, i) => `a${i}='${i}'`).join(' ')}>1</Data></EventData>`),
        '',
        '   ',
      ];
      assertEvery(texts, (text) => quickXmlRecord(text) === undefined, 'left to SAX');
      for (const text of texts) assertSameAsSax(text, text);
    });

    it('every span of a record found by hand holds its raw value', () => {
      const text = event("<EventData><Data Name='A'>x &amp; y</Data><Data Name='B'/></EventData>", "<EventID>1</EventID><TimeCreated SystemTime='T'/>");
      const record = quickXmlRecord(text)!;
      assert.equal(text.slice(...record.locate('A')!), 'x &amp; y');
      assert.equal(text.slice(...record.locate('TimeCreated')!), 'T');
      assert.equal(text.slice(...record.locate('Provider_Name')!), 'Microsoft-Windows-Sysmon');
      assert.deepEqual(record.locate('B'), [text.indexOf("'B'/>") + 5, text.indexOf("'B'/>") + 5]);
      assert.equal(record.locate('Missing'), undefined);
    });
  });
});
