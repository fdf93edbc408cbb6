/**
 * What the fast-path and parallel equality tests share. They are split over three files so that
 * mocha's parallel run can spread them over its workers (docs/testing.md):
 * - fastPath.generated.test.ts: generated logs and hand-made fixtures, both equalities;
 * - fastPath.xml.test.ts: the XML files of the corpus, fast path against plain;
 * - fastPath.test.ts: the JSON files of the corpus, fast path against plain, and every corpus
 *   file through the parallel hunt (the guard test on ../shared runs this file).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { huntFile } from '../../src/engine/hunt';
import { huntFileParallel } from '../../src/engine/parallel';
import { HuntOptions, HuntResult } from '../../src/engine/huntTypes';
import { corpusAbsentTest, CorpusEntry, corpusEntries } from '../support/corpus';

/** What must be identical between the paths: everything but the timing. */
export function comparable(result: HuntResult) {
  const { seconds: _seconds, ...summary } = result.summary;
  return { summary, matches: result.matches, malformed: result.malformed };
}

export async function assertSame(file: string, options: HuntOptions = {}): Promise<HuntResult> {
  const plain = await huntFile(file, { ...options, mode: 'plain' });
  const fast = await huntFile(file, { ...options, mode: 'fast' });
  // Loaded rules are named by their count: their sources would bury the difference.
  const shown = { ...options, rules: options.rules && `${options.rules.rules.length} rules` };
  assert.deepEqual(comparable(fast), comparable(plain), `${file} with ${JSON.stringify(shown)}`);
  return fast;
}

export const CHUNK_SIZES = [1, 2, 3, 7, 64, 4093, 65536, 1 << 20];

/**
 * `partBytes`: cut the file into parts this large at most, so that each worker hunts several in turn.
 * `maxStoredMatches`: keep only the first so many (the parts after the cap is filled send none).
 */
export async function assertSameInParallel(file: string, threads: number, partBytes?: number, maxStoredMatches?: number): Promise<void> {
  const single = await huntFile(file, { maxStoredMatches });
  const parallel = await huntFileParallel(file, { threads, minParallelBytes: 0, partBytes, maxStoredMatches });
  assert.deepEqual(comparable(parallel), comparable(single), `${file} on ${threads} threads${partBytes ? `, parts of ${partBytes} bytes` : ''}${maxStoredMatches !== undefined ? `, ${maxStoredMatches} kept` : ''}`);
}

/** A temp folder made now and removed after the enclosing describe. Call inside a describe body. */
export function tempDirForSuite(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The corpus files read as XML, by the manifest's format column (the rest are JSON). */
export const isXmlEntry = (entry: CorpusEntry): boolean => entry.format.startsWith('xml');

/** describe('corpus'): fast path against plain on the corpus files `which` keeps, every chunk size. */
export function corpusFastPathSuite(which: (entry: CorpusEntry) => boolean, suite: string): void {
  describe('corpus', () => {
    const entries = corpusEntries();
    if (!entries) {
      corpusAbsentTest(suite);
      return;
    }
    for (const entry of entries.filter(which)) {
      it(entry.file, async () => {
        const base = await assertSame(entry.path);
        // Small chunks on small files only: a read per byte of a 4 MB file takes a minute.
        for (const chunkSize of CHUNK_SIZES.filter((size) => base.summary.bytes / size <= 60_000)) {
          assert.deepEqual(comparable(await huntFile(entry.path, { chunkSize })), comparable(base), `chunk size ${chunkSize}`);
        }
      });
    }
  });
}
