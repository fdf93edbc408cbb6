/** The shared corpus of real Sysmon logs, read from ../shared beside the project. */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { sharedMissingMessage, sharedRequired, skipOrFailWithoutShared } from './shared';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
/** ../shared/corpus beside the repository; LOG_HUNT_CORPUS_DIR points elsewhere (the guard tests use it). */
export const CORPUS_DIR = process.env.LOG_HUNT_CORPUS_DIR
  ? path.resolve(process.env.LOG_HUNT_CORPUS_DIR)
  : path.resolve(REPO_ROOT, '..', 'shared', 'corpus');

export interface CorpusEntry {
  file: string;
  path: string;
  format: string;
  events: number;
  processCreates: number;
  matches: number;
}

/** Every text (non-EVTX) manifest row, or undefined when ../shared is absent. */
export function corpusEntries(): CorpusEntry[] | undefined {
  return manifestRows()?.filter((e) => e.format !== 'evtx');
}

/** Every `.evtx` manifest row, or undefined when ../shared is absent. */
export function evtxCorpusEntries(): CorpusEntry[] | undefined {
  return manifestRows()?.filter((e) => e.format === 'evtx');
}

function manifestRows(): CorpusEntry[] | undefined {
  const manifest = path.join(CORPUS_DIR, 'MANIFEST.tsv');
  if (!existsSync(manifest)) return undefined;
  const [header, ...rows] = readFileSync(manifest, 'utf8').trim().split('\n');
  const cols = header.split('\t');
  const col = (name: string) => {
    const i = cols.indexOf(name);
    if (i < 0) throw new Error(`MANIFEST.tsv has no column ${name}`);
    return i;
  };
  return rows
    .map((row) => row.split('\t'))
    .map((cells) => ({
      file: cells[col('file')],
      path: path.join(CORPUS_DIR, cells[col('file')]),
      format: cells[col('format')],
      events: Number(cells[col('events')]),
      processCreates: Number(cells[col('sysmon_eid1')]),
      matches: Number(cells[col('car_2014_05_002_matches')]),
    }));
}

/** Says loudly, once, that the corpus suite did not run. */
export function announceSkip(suite: string): void {
  console.warn(`\n  !!! ${suite}: ../shared/corpus is absent, so the corpus tests were SKIPPED !!!\n`);
}

/**
 * Declares, inside a describe whose corpus cases cannot be declared, the test that stands in for
 * them: it fails under CI, and elsewhere is skipped loudly.
 */
export function corpusAbsentTest(suite: string): void {
  it('needs ../shared/corpus, which is absent', function () {
    skipOrFailWithoutShared(this, '../shared/corpus', suite);
  });
}

/**
 * The manifest's entries for a test that adds the corpus to other inputs: [] when it is absent
 * (said loudly), and a failure under CI.
 */
export function corpusEntriesIfAny(suite: string): CorpusEntry[] {
  const entries = corpusEntries();
  if (entries) return entries;
  if (sharedRequired()) throw new Error(sharedMissingMessage('../shared/corpus', suite));
  announceSkip(suite);
  return [];
}
