/**
 * The lean lineage index (ids and places only, details read back from the file for the processes a
 * lineage names) gives exactly the lineage of the eager index (every note with its details), on
 * every corpus log: XML, JSON, UTF-16 and `.evtx`, one thread and workers, one file and several.
 */
import assert from 'node:assert/strict';
import { huntFile, huntFileParallel, huntFiles, LineageIndex, loadRules, LoadedRules, Match } from '../../src/engine';
import { corpusAbsentTest, corpusEntries, evtxCorpusEntries } from '../support/corpus';

const lineages = (matches: readonly Match[]) => matches.map((m) => m.lineage);

/** The eager reference: an index that keeps every note's details, attached by the caller. */
async function eager(file: string, rules: LoadedRules): Promise<Match[]> {
  const index = new LineageIndex();
  assert.equal(index.defersDetails, false);
  const { matches } = await huntFile(file, { rules, lineageIndex: index });
  index.attach(matches);
  return matches;
}

describe('corpus: the lean lineage index gives the eager one\'s lineage (issue 12)', function () {
  const text = corpusEntries();
  const evtx = evtxCorpusEntries() ?? [];
  if (!text) {
    corpusAbsentTest('lineage (lean)');
    return;
  }
  const logs = [...text, ...evtx];
  let library: LoadedRules;
  before(async () => {
    library = await loadRules();
  });

  it('one thread, every corpus log, every built-in rule', async () => {
    let entries = 0;
    for (const entry of logs) {
      const lean = await huntFile(entry.path, { rules: library, lineage: true });
      const expected = lineages(await eager(entry.path, library));
      assert.deepEqual(lineages(lean.matches), expected, entry.file);
      for (const l of expected) entries += (l?.ancestors.length ?? 0) + (l?.descendants.length ?? 0);
    }
    assert.ok(entries > 100, `the corpus's lineages name processes (${entries})`);
  });

  it('workers: text logs cut into parts, .evtx parts, the same lineage as the eager index', async () => {
    const picks = [...text.filter((e) => e.matches > 0 && e.format.startsWith('xml')).slice(0, 3), ...text.filter((e) => e.matches > 0 && !e.format.startsWith('xml')).slice(0, 2), ...evtx.filter((e) => e.matches > 0).slice(0, 2)];
    assert.ok(picks.length >= 5, picks.map((e) => e.file).join(', '));
    for (const entry of picks) {
      const many = await huntFileParallel(entry.path, { rules: library, lineage: true, threads: 3, minParallelBytes: 0, chunkSize: 1 << 16 });
      assert.deepEqual(lineages(many.matches), lineages(await eager(entry.path, library)), entry.file);
    }
  });

  it('several files in one hunt: the same lineage as one eager index across them', async () => {
    const files = logs.filter((e) => e.matches > 0).slice(0, 6).map((e) => e.path);
    const lean = await huntFiles(files, { rules: library, lineage: true, threads: 2, minParallelBytes: 0 });
    const index = new LineageIndex();
    const reference = await huntFiles(files, { rules: library, lineageIndex: index, threads: 1 });
    for (const r of reference.results) index.attach(r.matches);
    assert.deepEqual(lean.results.map((r) => lineages(r.matches)), reference.results.map((r) => lineages(r.matches)));
  });
});
