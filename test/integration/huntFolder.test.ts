// Hunt Folder…: every log under a folder, recognised by content, the other files skipped and
// named, what logHunt.huntFolder.exclude matches left out.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FolderHuntOutcome } from '../../src/extension/huntFolderCommand';
import { servicesCmdEvtx } from '../unit/evtx/writer';
import { fixture, huntWithServicesCmdOnly, logHunt, matchDiagnostics, reset, treeRows, withSetting } from './helpers';

describe('Hunt Folder…', () => {
  huntWithServicesCmdOnly();
  let dir: string;
  const at = (...parts: string[]) => path.join(dir, ...parts);
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-folder-'));
    for (const sub of ['sub', 'evtx', 'archive', '.hidden']) fs.mkdirSync(at(sub));
    fs.copyFileSync(fixture('services-cmd.xml').fsPath, at('services.xml'));
    fs.copyFileSync(fixture('services-cmd.jsonl').fsPath, at('sub', 'services.jsonl'));
    // An .evtx under a name that does not say so: found by its content.
    fs.writeFileSync(at('evtx', 'system-archive.bin'), servicesCmdEvtx());
    fs.writeFileSync(at('README.md'), '# Case 42\n\nLogs collected from HOST-A.\n');
    fs.copyFileSync(fixture('services-cmd.xml').fsPath, at('archive', 'old.xml'));
    fs.copyFileSync(fixture('services-cmd.xml').fsPath, at('.hidden', 'copy.xml'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(reset);

  const huntFolder = () => vscode.commands.executeCommand<FolderHuntOutcome>('logHunt.huntFolder', vscode.Uri.file(dir));
  const rel = (uri: vscode.Uri) => path.relative(dir, uri.fsPath).split(path.sep).join('/');

  it('hunts the XML, JSONL and .evtx logs, skips README.md and leaves out the excluded folder', async () => {
    const outcome = await withSetting('huntFolder.exclude', ['archive', '.*'], huntFolder);
    const hunted = outcome.files.filter((f) => f.summary).map((f) => [rel(f.uri), f.summary!.matches]);
    assert.deepStrictEqual(hunted, [['evtx/system-archive.bin', 1], ['services.xml', 3], ['sub/services.jsonl', 1]]);
    assert.deepStrictEqual(outcome.files.filter((f) => f.notALog).map((f) => rel(f.uri)), ['README.md']);
    assert.deepStrictEqual(outcome.excluded.map(rel).sort(), ['.hidden', 'archive']);
    assert.strictEqual(outcome.matches, 5);
    assert.strictEqual(outcome.cancelled, false);
    // The results: Problems on the text logs, the tree over every file and host.
    assert.strictEqual(matchDiagnostics(vscode.Uri.file(at('services.xml'))).length, 3);
    assert.strictEqual(matchDiagnostics(vscode.Uri.file(at('archive', 'old.xml'))).length, 0);
    const api = await logHunt();
    const [rule] = treeRows(api);
    assert.strictEqual(rule.item.description, '5 matches · T1543.003');
    const described = treeRows(api, rule.node).flatMap((host) => treeRows(api, host.node).map((m) => String(m.item.description)));
    assert.ok(described.some((d) => d.includes('system-archive.bin record')), described.join('\n'));
    assert.ok(described.some((d) => d.includes('services.jsonl:')), described.join('\n'));
  });

  it('leaves out hidden folders by default, and hunts what the setting no longer excludes', async () => {
    const byDefault = await huntFolder();
    assert.deepStrictEqual(byDefault.excluded.map(rel), ['.hidden']);
    assert.ok(byDefault.files.some((f) => rel(f.uri) === 'archive/old.xml' && f.summary?.matches === 3));
  });

  it('says when a folder holds no logs', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-folder-empty-'));
    try {
      fs.writeFileSync(path.join(empty, 'notes.txt'), 'nothing here\n');
      const outcome = await vscode.commands.executeCommand<FolderHuntOutcome>('logHunt.huntFolder', vscode.Uri.file(empty));
      assert.deepStrictEqual(outcome.files.map((f) => [path.basename(f.uri.fsPath), Boolean(f.notALog), f.summary]), [['notes.txt', true, undefined]]);
      assert.strictEqual(outcome.matches, 0);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
