/** The unit-test tooling: `npm run test:one`'s path mapping and the pruning of orphaned out/ files. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { orphans } from '../harness/pruneOut';
import { compiledTest, mocharcOptions } from '../harness/testOne';

describe('test tooling', () => {
  let root: string;
  const touch = (rel: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), '');
  };
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'log-hunt-tooling-'));
    for (const rel of ['test/unit/a.test.ts', 'test/unit/hostile/b.test.ts', 'test/corpus/c.test.ts', 'test/unit/helper.ts', 'test/support/d.test.ts']) {
      touch(rel);
      touch(`out/${rel.replace(/\.ts$/, '.js')}`);
    }
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  describe('test:one maps a test file to its compiled one', () => {
    it('from the source, relative to the repository or to the current folder, or from out/', () => {
      assert.deepEqual(compiledTest('test/unit/a.test.ts', root, root), { js: 'out/test/unit/a.test.js' });
      assert.deepEqual(compiledTest('b.test.ts', path.join(root, 'test/unit/hostile'), root), { js: 'out/test/unit/hostile/b.test.js' });
      assert.deepEqual(compiledTest('./test/corpus/c.test.ts', path.join(root, 'test'), root), { js: 'out/test/corpus/c.test.js' });
      assert.deepEqual(compiledTest(path.join(root, 'out/test/unit/a.test.js'), '/', root), { js: 'out/test/unit/a.test.js' });
    });

    it('refuses what is not a unit or corpus test file, saying why', () => {
      const error = (arg: string) => {
        const result = compiledTest(arg, root, root);
        return 'error' in result ? result.error : undefined;
      };
      assert.match(error('test/support/d.test.ts') ?? '', /not under test\/unit\/ or test\/corpus\//);
      assert.match(error('test/unit/helper.ts') ?? '', /not a test file/);
      assert.match(error('test/unit/missing.test.ts') ?? '', /no such file/);
      touch('test/unit/new.test.ts');
      assert.match(error('test/unit/new.test.ts') ?? '', /was not compiled/);
    });

    it("keeps .mocharc.json's options but its spec and parallel settings", () => {
      assert.deepEqual(
        mocharcOptions({ spec: ['out/**/*.test.js'], parallel: true, jobs: 2, timeout: 60000, reporter: 'spec', color: false, require: ['a', 'b'] }),
        ['--timeout', '60000', '--reporter', 'spec', '--no-color', '--require', 'a', '--require', 'b'],
      );
    });
  });

  it('compile-tests prunes compiled files whose source is gone', () => {
    touch('out/test/unit/gone.test.js');
    touch('out/test/unit/gone.test.js.map');
    touch('out/src/engine/old/moved.js');
    touch('out/src/engine/kept.js');
    touch('src/engine/kept.ts');
    assert.deepEqual(orphans(root), [
      path.join('out', 'src', 'engine', 'old', 'moved.js'),
      path.join('out', 'test', 'unit', 'gone.test.js'),
      path.join('out', 'test', 'unit', 'gone.test.js.map'),
    ]);
  });
});
