/**
 * ruleFiles lists a folder's rule files (`.yml`/`.yaml`, any case) in name order, subfolders in
 * their place among the names, a symbolic link to a folder not followed; a path that cannot be read
 * is reported, not thrown.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ruleFiles } from '../../src/engine/rules/load';
import { SkippedRule } from '../../src/engine/rules/rule';

describe('ruleFiles', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'loghunt-rulefiles-'));
    for (const dir of ['b', 'b/d', 'b/c', 'a.yml.d', 'e']) mkdirSync(path.join(root, dir));
    for (const file of ['z.yml', 'a.yaml', 'M.YML', 'notes.txt', 'b/d/x.yml', 'b/c/y.yaml', 'b/2.yml', 'a.yml.d/in.yml', 'e/.hidden.yml']) {
      writeFileSync(path.join(root, file), 'title: x\n');
    }
    symlinkSync(path.join(root, 'b'), path.join(root, 'link'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('lists rule files in name order, folders in their place', async () => {
    const trouble: SkippedRule[] = [];
    const files = await ruleFiles(root, trouble);
    const expected = ['M.YML', 'a.yaml', 'a.yml.d/in.yml', 'b/2.yml', 'b/c/y.yaml', 'b/d/x.yml', 'e/.hidden.yml', 'z.yml'].map((f) => path.join(root, f));
    assert.deepEqual(files, expected);
    assert.deepEqual(trouble, []);
  });

  it('a file is itself; a missing path is reported with its reason', async () => {
    const trouble: SkippedRule[] = [];
    assert.deepEqual(await ruleFiles(path.join(root, 'z.yml'), trouble), [path.join(root, 'z.yml')]);
    assert.deepEqual(await ruleFiles(path.join(root, 'missing'), trouble), []);
    assert.equal(trouble.length, 1);
    assert.equal(trouble[0].category, 'unreadable');
    assert.match(trouble[0].reason, /ENOENT/);
  });
});
