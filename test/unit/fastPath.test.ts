/**
 * The fast path must give exactly what the plain SAX path gives: matches, positions and counts,
 * on every corpus file, on generated logs, and whatever the chunk size.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { generateLog, SHAPE_EXT, SHAPES } from '../../bench/generate';
import { huntFile } from '../../src/engine/hunt';
import { huntFileParallel } from '../../src/engine/parallel';
import { HuntOptions, HuntResult } from '../../src/engine/huntTypes';
import { corpusAbsentTest, corpusEntries } from '../support/corpus';
import { shapeFixtures } from '../support/shapes';

/** What must be identical between the paths: everything but the timing. */
function comparable(result: HuntResult) {
  const { seconds: _seconds, ...summary } = result.summary;
  return { summary, matches: result.matches, malformed: result.malformed };
}

async function assertSame(file: string, options: HuntOptions = {}): Promise<HuntResult> {
  const plain = await huntFile(file, { ...options, mode: 'plain' });
  const fast = await huntFile(file, { ...options, mode: 'fast' });
  assert.deepEqual(comparable(fast), comparable(plain), `${file} with ${JSON.stringify(options)}`);
  return fast;
}

const CHUNK_SIZES = [1, 2, 3, 7, 64, 4093, 65536, 1 << 20];

describe('fast path equals plain SAX path', function () {
  const dir = mkdtempSync(path.join(tmpdir(), 'log-hunt-fast-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('generated logs, every shape, chunk sizes 1 B .. 1 MB', () => {
    for (const shape of SHAPES) {
      it(`${shape}`, async () => {
        const file = path.join(dir, `gen.${shape}.${SHAPE_EXT[shape]}`);
        const truth = await generateLog({ shape, targetBytes: 120_000, seed: 7, matchEvery: 30 }, file);
        const base = await assertSame(file);
        assert.deepEqual(
          [base.summary.events, base.summary.processCreates, base.summary.matches],
          [truth.events, truth.processCreates, truth.matches],
        );
        assert.ok(truth.matches > 0, 'the generated log holds matches');
        for (const chunkSize of CHUNK_SIZES) {
          const fast = await huntFile(file, { chunkSize });
          assert.deepEqual(comparable(fast), comparable(base), `chunk size ${chunkSize}`);
        }
      });
    }
  });

  it('hand-made fixtures of every shape', async () => {
    for (const [name, bytes] of Object.entries(shapeFixtures())) {
      const file = path.join(dir, name);
      writeFileSync(file, bytes);
      await assertSame(file);
    }
  });

  describe('corpus', () => {
    const entries = corpusEntries();
    if (!entries) {
      corpusAbsentTest('fast path equality');
      return;
    }
    for (const entry of entries) {
      it(entry.file, async () => {
        const base = await assertSame(entry.path);
        // Small chunks on small files only: a read per byte of a 4 MB file takes a minute.
        for (const chunkSize of CHUNK_SIZES.filter((size) => base.summary.bytes / size <= 60_000)) {
          assert.deepEqual(comparable(await huntFile(entry.path, { chunkSize })), comparable(base), `chunk size ${chunkSize}`);
        }
      });
    }
  });
});

describe('parallel hunt equals the single-threaded hunt', function () {
  const dir = mkdtempSync(path.join(tmpdir(), 'log-hunt-parallel-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function assertSameInParallel(file: string, threads: number): Promise<void> {
    const single = await huntFile(file);
    const parallel = await huntFileParallel(file, { threads, minParallelBytes: 0 });
    assert.deepEqual(comparable(parallel), comparable(single), `${file} on ${threads} threads`);
  }

  for (const shape of SHAPES) {
    it(`generated ${shape} log, cut into 2, 3 and 7 parts`, async () => {
      const file = path.join(dir, `gen.${shape}.${SHAPE_EXT[shape]}`);
      const truth = await generateLog({ shape, targetBytes: 2_000_000, seed: 11, matchEvery: 100 }, file);
      assert.ok(truth.matches > 5);
      for (const threads of [2, 3, 7]) await assertSameInParallel(file, threads);
    });
  }

  it('a one-line Event Viewer export: columns carry across the cut', async () => {
    const file = path.join(dir, 'one-line.xml');
    const events = shapeFixtures()['eventviewer.xml'].toString().replace(/^.*?<Events>|<\/Events>$/g, '');
    writeFileSync(file, `<?xml version="1.0"?><Events>${events.repeat(400)}</Events>`);
    await assertSameInParallel(file, 3);
  });

  const entries = corpusEntries();
  if (entries) {
    it('every corpus file, on 3 threads', async () => {
      for (const entry of entries) await assertSameInParallel(entry.path, 3);
    });
  } else {
    corpusAbsentTest('parallel equality');
  }
});
