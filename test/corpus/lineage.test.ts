/**
 * Issue 12's lineage acceptance: for every CAR-2014-05-002 match in the corpus's XML logs, the
 * parent is the services.exe process create when the log has it, and the children are exactly
 * the creates the matched process launched. The expectation comes from a reading of the log of
 * this test's own (regular expressions over each <Event>), not from the engine's readers.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { huntFile, huntFileParallel, loadRules, LoadedRules } from '../../src/engine';
import { assertEvery } from '../support/assertions';
import { corpusAbsentTest, corpusEntries, evtxCorpusEntries } from '../support/corpus';

interface Create {
  recordId: string;
  guid: string;
  parentGuid: string;
  image: string;
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** The Sysmon process creates of an XML log, read with regular expressions. */
export function readCreates(file: string): Create[] {
  const bytes = readFileSync(file);
  const text = bytes[0] === 0xff && bytes[1] === 0xfe ? bytes.toString('utf16le') : bytes.toString('utf8');
  const creates: Create[] = [];
  for (const [event] of text.matchAll(/<Event[\s>][\s\S]*?<\/Event>/g)) {
    if (!/<EventID[^>]*>\s*1\s*<\/EventID>/.test(event) || !/Microsoft-Windows-Sysmon/i.test(event)) continue;
    const data = (name: string) => {
      const m = new RegExp(`<Data Name=["']${name}["']\\s*>([^<]*)</Data>`).exec(event);
      return m ? unescape(m[1]).trim() : '';
    };
    const recordId = /<EventRecordID>\s*(\d+)\s*<\/EventRecordID>/.exec(event)?.[1] ?? '';
    creates.push({ recordId, guid: data('ProcessGuid').toLowerCase(), parentGuid: data('ParentProcessGuid').toLowerCase(), image: data('Image') });
  }
  return creates;
}

const xmlLogs = corpusEntries()?.filter((e) => e.format.startsWith('xml'));

describe('corpus: lineage of CAR-2014-05-002 matches (issue 12)', function () {
  if (!xmlLogs) {
    corpusAbsentTest('lineage');
    return;
  }
  let car: LoadedRules;
  before(async () => {
    car = await loadRules({ ids: ['CAR-2014-05-002'] });
  });

  it('covers XML logs with matches', () => {
    assert.ok(xmlLogs.filter((e) => e.matches > 0).length >= 4, xmlLogs.map((e) => e.file).join(', '));
  });

  for (const entry of xmlLogs) {
    it(`${entry.file}: parent services.exe, children exactly those launched`, async () => {
      const creates = readCreates(entry.path);
      const { matches } = await huntFile(entry.path, { rules: car, lineage: true });
      assert.equal(matches.length, entry.matches);
      for (const match of matches) {
        const lineage = match.lineage;
        assert.ok(lineage, 'the match has lineage');
        const self = creates.find((c) => c.recordId === match.event.recordId);
        assert.ok(self, `record ${match.event.recordId} is a process create`);
        const parent = creates.find((c) => c.guid === self.parentGuid);
        if (parent) {
          assert.match(parent.image, /\\services\.exe$/i);
          assert.equal(lineage.parent?.recordId, parent.recordId);
          assert.match(lineage.parent?.image ?? '', /\\services\.exe$/i);
          assert.equal(lineage.ancestors[0], lineage.parent);
        } else assert.equal(lineage.parent, null);
        const children = creates.filter((c) => c.parentGuid === self.guid).map((c) => c.recordId);
        assert.deepEqual(lineage.children.map((c) => c.recordId), children);
        for (const child of lineage.children) {
          assert.equal(child.file, entry.path);
          assert.ok(child.position && child.position.line >= 1, 'a child has its position in the file');
        }
      }
    });
  }

  it('shim appfix: five of its six matches have their services.exe create in the log, three ancestors up', async () => {
    const entry = xmlLogs.find((e) => e.file === 'persistence_sysmon_11_13_1_shime_appfix.xml');
    assert.ok(entry);
    const { matches } = await huntFile(entry.path, { rules: car, lineage: true });
    const withParent = matches.filter((m) => m.lineage?.parent);
    assert.equal(withParent.length, 5);
    for (const m of withParent) assert.equal(m.lineage?.ancestors.length, 3);
  });

  it('psexec meterpreter: the cmd.exe launched by services.exe launches powershell.exe', async () => {
    const entry = xmlLogs.find((e) => e.file === 'LM_sysmon_psexec_smb_meterpreter.xml');
    assert.ok(entry);
    const [match] = (await huntFile(entry.path, { rules: car, lineage: true })).matches;
    // services.exe started before the log did: its create is not in it.
    assert.match(match.event.fields.parent_image_path ?? '', /\\services\.exe$/i);
    assert.equal(match.lineage?.parent, null);
    assert.deepEqual(match.lineage?.children.map((c) => c.image?.toLowerCase().split('\\').pop()), ['powershell.exe']);
    // Descendants: the children first, then theirs (the powershell.exe's own child here).
    assert.deepEqual(match.lineage?.descendants.map((c) => c.recordId), ['9808', '9809']);
    assert.deepEqual(match.lineage?.children.map((c) => c.recordId), ['9808']);
  });

  it('the .evtx logs give the same lineage as their XML, by record id', async () => {
    for (const evtx of evtxCorpusEntries() ?? []) {
      const xml = xmlLogs.find((e) => e.file === evtx.file.replace(/\.evtx$/, '.xml'));
      if (!xml || xml.matches === 0) continue;
      const ids = (r: Awaited<ReturnType<typeof huntFile>>) =>
        r.matches.map((m) => ({ parent: m.lineage?.parent?.recordId, children: m.lineage?.children.map((c) => c.recordId), place: !!m.lineage?.parent?.place }));
      const a = ids(await huntFile(evtx.path, { rules: car, lineage: true }));
      const b = ids(await huntFile(xml.path, { rules: car, lineage: true }));
      assert.deepEqual(a.map(({ parent, children }) => ({ parent, children })), b.map(({ parent, children }) => ({ parent, children })), evtx.file);
      assertEvery(a, (m) => m.parent === undefined || m.place, 'an .evtx entry has its chunk and offset');
    }
  });

  it('the fast path (raw-text reading of creates no rule wants) gives the lineage the full parser gives', async () => {
    const library = await loadRules();
    for (const entry of [...xmlLogs, ...(corpusEntries() ?? []).filter((e) => !e.format.startsWith('xml'))]) {
      const fast = await huntFile(entry.path, { rules: library, lineage: true });
      const plain = await huntFile(entry.path, { rules: library, lineage: true, mode: 'plain' });
      assert.deepEqual(fast.matches.map((m) => m.lineage), plain.matches.map((m) => m.lineage), entry.file);
    }
  });

  it('a parallel hunt gives the same lineage as one thread', async () => {
    for (const entry of xmlLogs.filter((e) => e.matches > 0).slice(0, 2)) {
      const one = await huntFile(entry.path, { rules: car, lineage: true });
      const many = await huntFileParallel(entry.path, { rules: car, lineage: true, threads: 3, minParallelBytes: 0 });
      assert.deepEqual(many.matches.map((m) => m.lineage), one.matches.map((m) => m.lineage), entry.file);
    }
  });
});
