/**
 * The CLI tests that run dist/cli.js must not pass on a stale build: they would test the code of
 * the last `npm run build`, not the sources. They fail and say to build, rather than build: a
 * test run should not rewrite dist/ (what `npx log-hunt` runs and the VSIX packs), least of all
 * in a checkout where other work is half done, and `npm test` builds first anyway.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { assertBuiltCliFresh, sourcesNewerThanBuild } from '../../support/cli';

describe('guard: a stale dist/cli.js fails the CLI tests, saying to build', () => {
  let root: string;
  const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));
  const touch = (rel: string, seconds: number) => {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '');
    utimesSync(file, at(seconds), at(seconds));
  };
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'log-hunt-stale-'));
    touch('src/engine/hunt.ts', 10);
    touch('src/cli/main.ts', 20);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('passes when dist/cli.js is newer than every source', () => {
    touch('dist/cli.js', 30);
    assert.deepEqual(sourcesNewerThanBuild(root), []);
    assertBuiltCliFresh(root);
  });

  it('fails, naming the newer source and `npm run build`, when a source changed after the build', () => {
    touch('dist/cli.js', 15);
    assert.deepEqual(sourcesNewerThanBuild(root), [path.join('src', 'cli', 'main.ts')]);
    assert.throws(() => assertBuiltCliFresh(root), /dist\/cli\.js is older than src.cli.main\.ts: run `npm run build`/);
  });

  it('a source deep under src counts; a file that is not TypeScript, or the extension (bundled apart), does not', () => {
    touch('dist/cli.js', 30);
    touch('src/engine/rules/sigma/deep/x.ts', 40);
    touch('src/engine/notes.md', 50);
    touch('src/extension/activate.ts', 60);
    assert.deepEqual(sourcesNewerThanBuild(root), [path.join('src', 'engine', 'rules', 'sigma', 'deep', 'x.ts')]);
  });

  it('fails when there is no build at all', () => {
    assert.throws(() => assertBuiltCliFresh(root), /npm run build/);
  });
});
