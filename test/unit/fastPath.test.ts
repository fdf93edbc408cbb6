/**
 * The fast path must give exactly what the plain SAX path gives: matches, positions and counts,
 * on every corpus file, on generated logs, and whatever the chunk size; and the parallel hunt
 * exactly what the single-threaded one gives. This file: the JSON files of the corpus, and every
 * corpus file on 3 threads. The XML files and the generated logs are in fastPath.*.test.ts
 * (fastPathSupport.ts says why the split).
 */
import { corpusAbsentTest, corpusEntries } from '../support/corpus';
import { assertSameInParallel, corpusFastPathSuite, isXmlEntry } from './fastPathSupport';

describe('fast path equals plain SAX path', function () {
  corpusFastPathSuite((entry) => !isXmlEntry(entry), 'fast path equality');
});

describe('parallel hunt equals the single-threaded hunt', function () {
  const entries = corpusEntries();
  if (entries) {
    // One test per file: each starts 3 workers that compile the rules, which adds up on a busy machine.
    for (const entry of entries) {
      it(`${entry.file}, on 3 threads`, async () => {
        await assertSameInParallel(entry.path, 3);
      });
    }
  } else {
    corpusAbsentTest('parallel equality');
  }
});
