// Generated queries open as read-only `loghunt-query:` documents (issue 14, point 8): a title
// naming target and rule, the language mode, no save prompt, laid out over lines, notes in the
// words of VS Code's settings, a Copy button.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import type { QueryOutcome } from '../../src/extension/queryCommand';
import { reset, waitFor, withSetting } from './helpers';

const generate = (args: object) => vscode.commands.executeCommand<QueryOutcome | undefined>('logHunt.generateQuery', args);
const CAR = { analytic: 'CAR-2014-05-002' };

async function shown(args: object): Promise<QueryOutcome> {
  const outcome = await generate(args);
  assert.ok(outcome, 'no query generated');
  await waitFor('the query editor active', () => vscode.window.activeTextEditor?.document === outcome.document, (yes) => yes, 5_000);
  return outcome;
}

describe('query documents', () => {
  beforeEach(reset);

  it('opens read-only, titled by target and rule, in the query language, never untitled or dirty', async () => {
    const { document } = await shown({ ...CAR, target: 'spl', style: 'precise' });
    assert.strictEqual(document.uri.scheme, 'loghunt-query');
    assert.strictEqual(path.posix.basename(document.uri.path), 'Splunk SPL — CAR-2014-05-002 Services launching Cmd.spl');
    assert.strictEqual(vscode.window.tabGroups.activeTabGroup.activeTab?.label, 'Splunk SPL — CAR-2014-05-002 Services launching Cmd.spl');
    assert.strictEqual(document.languageId, 'spl');
    assert.strictEqual(document.isUntitled, false);
    assert.strictEqual(document.isDirty, false);

    // The user cannot change it: the scheme's file system is read-only, and typing in the editor does nothing.
    // (An extension's own WorkspaceEdit still reaches the editor's model: VS Code 1.100 applies
    // those to read-only documents too, so that is not what is checked.)
    const before = document.getText();
    assert.strictEqual(vscode.workspace.fs.isWritableFileSystem('loghunt-query'), false);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(document.uri, Buffer.from('tampered'))), /NoPermissions|permission/i);
    await vscode.commands.executeCommand('type', { text: 'typed ' });
    await vscode.commands.executeCommand('deleteLeft');
    assert.deepStrictEqual({ text: document.getText(), dirty: document.isDirty }, { text: before, dirty: false });

    // Closing asks nothing: the tab goes at once.
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitFor('the query tab closed', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).length, (n) => n === 0, 5_000);
  });

  it('the CAR style and a Sigma rule export get their own titles and modes', async () => {
    const car = await shown({ ...CAR, target: 'dnif', style: 'car' });
    assert.strictEqual(path.posix.basename(car.document.uri.path), 'DNIF — CAR-2014-05-002 Services launching Cmd (CAR style).dnif');
    assert.strictEqual(car.document.languageId, 'dnif');
    const sigma = await shown({ ...CAR, target: 'sigma' });
    assert.match(path.posix.basename(sigma.document.uri.path), /^.+ — CAR-2014-05-002 Services launching Cmd\.yml$/);
    assert.strictEqual(sigma.document.languageId, 'yaml');
    assert.strictEqual(sigma.document.getText(), sigma.text, 'a Sigma rule is shown as written');
  });

  it('SPL and DNIF span several lines; the one-line query is the same text with the line breaks read as spaces', async () => {
    for (const target of ['spl', 'dnif']) {
      const { document, text } = await shown({ ...CAR, target, style: 'precise' });
      assert.ok(document.lineCount >= 3, `${target}: ${document.lineCount} lines:\n${document.getText()}`);
      assert.strictEqual(text.includes('\n'), false, `${target}: the engine's query is one line`);
      assert.strictEqual(document.getText().replace(/\n */g, ' '), text);
      assert.strictEqual(await vscode.env.clipboard.readText(), document.getText(), `${target}: copied as shown`);
    }
  });

  it('the same query again reuses its tab; another setting updates its text', async () => {
    const first = await shown({ ...CAR, target: 'spl', style: 'precise' });
    await withSetting('splunkIndex', 'sysmon_prod', async () => {
      const again = await shown({ ...CAR, target: 'spl', style: 'precise' });
      assert.strictEqual(again.document.uri.toString(), first.document.uri.toString());
      await waitFor('the new index shown', () => again.document.getText(), (t) => t.startsWith('index=sysmon_prod '), 5_000);
    });
    assert.strictEqual(vscode.window.tabGroups.all.flatMap((g) => g.tabs).length, 1);
  });

  it('notes name the setting (logHunt.splunkIndex, logHunt.dnifLimit), not the CLI\'s option', async () => {
    const spl = await shown({ ...CAR, target: 'spl', style: 'precise' });
    assert.ok(spl.notes.some((n) => n.includes('set the logHunt.splunkIndex setting if your Sysmon events are in another index')), spl.notes.join('\n'));
    const dnif = await shown({ ...CAR, target: 'dnif', style: 'car' });
    assert.ok(dnif.notes.some((n) => n.includes('the logHunt.dnifLimit setting changes it')), dnif.notes.join('\n'));
    for (const note of [...spl.notes, ...dnif.notes]) assert.doesNotMatch(note, /--index|--limit|pass splunkIndex|splunkIndex option/);
  });

  it('Copy Query copies the query document, and is offered only on one', async () => {
    const { document } = await shown({ ...CAR, target: 'eql', style: 'precise' });
    await vscode.env.clipboard.writeText('something else');
    await vscode.commands.executeCommand('logHunt.copyQuery');
    assert.strictEqual(await vscode.env.clipboard.readText(), document.getText());
    const menu = (vscode.extensions.getExtension('log-hunt.log-hunt')!.packageJSON as { contributes: { menus: Record<string, { command: string; when?: string }[]> } })
      .contributes.menus['editor/title'].find((m) => m.command === 'logHunt.copyQuery');
    // The workbench hands back the when clause normalised (the value quoted).
    assert.match(menu?.when ?? '', /^resourceScheme == '?loghunt-query'?$/);
  });
});
