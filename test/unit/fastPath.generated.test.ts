/**
 * The fast path equals the plain SAX path, and the parallel hunt the single-threaded one, on
 * generated logs of every shape and on the hand-made fixtures (fastPath.test.ts and
 * fastPath.xml.test.ts have the corpus; fastPathSupport.ts says why the split).
 */
import { CAR_2014_05_002_ONLY } from '../support/rules';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { generateLog, SHAPE_EXT, SHAPES } from '../../bench/generate';
import { huntFile } from '../../src/engine/hunt';
import { shapeFixtures } from '../support/shapes';
import { assertSame, assertSameInParallel, CHUNK_SIZES, comparable, tempDirForSuite } from './fastPathSupport';

describe('fast path equals plain SAX path', function () {
  const dir = tempDirForSuite('log-hunt-fast-');

  describe('generated logs, every shape, chunk sizes 1 B .. 1 MB', () => {
    for (const shape of SHAPES) {
      it(`${shape}`, async () => {
        const file = path.join(dir, `gen.${shape}.${SHAPE_EXT[shape]}`);
        const truth = await generateLog({ shape, targetBytes: 120_000, seed: 7, matchEvery: 30 }, file);
        await assertSame(file); // the whole built-in library: fast path = plain path
        const base = await assertSame(file, { rules: CAR_2014_05_002_ONLY });
        assert.deepEqual(
          [base.summary.events, base.summary.processCreates, base.summary.matches],
          [truth.events, truth.processCreates, truth.matches],
        );
        assert.ok(truth.matches > 0, 'the generated log holds matches');
        for (const chunkSize of CHUNK_SIZES) {
          const fast = await huntFile(file, { rules: CAR_2014_05_002_ONLY, chunkSize });
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
});

describe('parallel hunt equals the single-threaded hunt', function () {
  const dir = tempDirForSuite('log-hunt-parallel-');

  for (const shape of SHAPES) {
    it(`generated ${shape} log, cut into 2, 3 and 7 parts, and into 30 parts hunted by 2 workers in turn`, async () => {
      const file = path.join(dir, `gen.${shape}.${SHAPE_EXT[shape]}`);
      const truth = await generateLog({ shape, targetBytes: 2_000_000, seed: 11, matchEvery: 100 }, file);
      assert.ok(truth.matches > 5);
      for (const threads of [2, 3, 7]) await assertSameInParallel(file, threads);
      await assertSameInParallel(file, 2, 70_000);
      // Keeping fewer matches than the log holds: the first ones in file order, whichever part found them.
      await assertSameInParallel(file, 2, 70_000, Math.floor(truth.matches / 2));
    });
  }

  it('a one-line Event Viewer export: columns carry across the cut', async () => {
    const file = path.join(dir, 'one-line.xml');
    const events = shapeFixtures()['eventviewer.xml'].toString().replace(/^.*?<Events>|<\/Events>$/g, '');
    writeFileSync(file, `<?xml version="1.0"?><Events>${events.repeat(400)}</Events>`);
    await assertSameInParallel(file, 3);
  });
});
