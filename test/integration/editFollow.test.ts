// Diagnostics and the tree follow edits of a hunted log: moved with the text, or dropped with a
// message when the edit touches their event; never left on the wrong text, also across undo/redo.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { LogHuntApi } from '../../src/extension/activate';
import { fixture, huntWithServicesCmdOnly, label, logHunt, matchDiagnostics, reset, Row, treeRows, waitFor } from './helpers';

describe('results follow edits', () => {
  huntWithServicesCmdOnly();
  let api: LogHuntApi;
  let dir: string;
  let log: vscode.Uri;
  let editor: vscode.TextEditor;
  /** The matched values' text, from the hunt of the unedited file. */
  let values: string[];

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-edit-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    await reset();
    api = await logHunt();
    // A fresh copy each time. Named .txt (the hunt reads the content): Hunt This Rule runs over the
    // last log editor whose document is still loaded, which VS Code keeps for minutes after its
    // editor closes, and a later test (evtx) expects no such log.
    fs.copyFileSync(fixture('services-cmd.xml').fsPath, path.join(dir, 'log.txt'));
    log = vscode.Uri.file(path.join(dir, 'log.txt'));
    editor = await vscode.window.showTextDocument(log);
    await vscode.commands.executeCommand('logHunt.huntFile', log);
    values = sorted().map((d) => editor.document.getText(d.range));
    assert.strictEqual(values.length, 3);
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  const sorted = (): vscode.Diagnostic[] => matchDiagnostics(log).sort((a, b) => a.range.start.line - b.range.start.line);
  const lines = (): number[] => sorted().map((d) => d.range.start.line);
  const texts = (): string[] => sorted().map((d) => editor.document.getText(d.range));
  const matchRows = (): Row[] => {
    const [rule] = treeRows(api);
    return treeRows(api, rule.node).flatMap((host) => treeRows(api, host.node));
  };
  const edit = (f: (b: vscode.TextEditorEdit) => void) => editor.edit(f);

  it('moves the diagnostics and the tree rows with lines inserted above', async () => {
    assert.deepStrictEqual(lines(), [2, 4, 6]);
    assert.ok(await edit((b) => b.insert(new vscode.Position(1, 0), '<!-- one -->\n<!-- two -->\n')));
    await waitFor('diagnostics moved', lines, (l) => l[0] === 4);
    assert.deepStrictEqual(lines(), [4, 6, 8]);
    assert.deepStrictEqual(texts(), values);
    // The tree says the new lines (1-based), and opens the moved value.
    // (re-rendered once typing pauses)
    const descriptions = await waitFor('rows say the new lines', () => matchRows().map((r) => String(r.item.description)), (ds) => ds.some((d) => d.endsWith('log.txt:5')));
    assert.ok(!descriptions.some((d) => d.endsWith('log.txt:3')), descriptions.join('\n'));
    // What the row opens and Reveal in File selects: the match's range, on the moved value.
    const first = matchRows().find((r) => String(r.item.description).endsWith(':5'))!.node;
    assert.ok(first.kind === 'match' && first.match.valueRange);
    const { start, end } = first.match.valueRange;
    assert.strictEqual(editor.document.getText(new vscode.Range(start.line - 1, start.column - 1, end.line - 1, end.column - 1)), values[0]);
  });

  it('moves a diagnostic on the same line when text is inserted before its event', async () => {
    assert.ok(await edit((b) => b.insert(new vscode.Position(2, 0), 'XYZ')));
    await waitFor('diagnostic shifted', () => sorted()[0].range.start.character, (c) => c > 0);
    assert.deepStrictEqual(texts(), values);
  });

  it('drops the diagnostic of an event the edit touches, says so once, and keeps the others right', async () => {
    const target = sorted()[0];
    // Inside the first matched event.
    const at = editor.document.lineAt(target.range.start.line).text.indexOf('sc start updater');
    assert.ok(at > 0);
    assert.ok(await edit((b) => b.insert(new vscode.Position(target.range.start.line, at), 'EDITED ')));
    await waitFor('diagnostic dropped', () => sorted().length, (n) => n === 2);
    assert.deepStrictEqual(texts(), values.slice(1));
    const notices = treeRows(api).map((r) => label(r.item));
    assert.ok(notices.includes('Results in log.txt changed by an edit; hunt again'), notices.join('\n'));
    assert.strictEqual(matchRows().length, 2);
    // A second edit elsewhere adds no second notice.
    assert.ok(await edit((b) => b.insert(new vscode.Position(0, 0), '\n')));
    await waitFor('moved again', lines, (l) => l[0] === 5);
    assert.strictEqual(treeRows(api).filter((r) => label(r.item).startsWith('Results in log.txt changed')).length, 1);
    assert.deepStrictEqual(texts(), values.slice(1));
  });

  it('leaves no diagnostic on the wrong text across undo and redo', async () => {
    assert.ok(await edit((b) => b.insert(new vscode.Position(1, 0), '<!-- a -->\n')));
    await waitFor('moved', lines, (l) => l[0] === 3);
    const line = sorted()[1].range.start.line;
    assert.ok(await edit((b) => b.replace(new vscode.Range(line, 10, line, 20), '')));
    await waitFor('dropped', () => sorted().length, (n) => n === 2);
    for (const step of ['undo', 'undo', 'redo', 'redo', 'undo', 'undo']) {
      await vscode.commands.executeCommand(step);
      // Each remaining diagnostic still covers exactly its matched value.
      await waitFor(`after ${step}`, texts, (t) => t.length === 2 && t[0] === values[0] && t[1] === values[2]);
    }
    assert.strictEqual(editor.document.isDirty, false);
    // Hunting again brings back every match and clears the notice.
    await vscode.commands.executeCommand('logHunt.huntFile', log);
    assert.deepStrictEqual(texts(), values);
    assert.ok(!treeRows(api).some((r) => label(r.item).startsWith('Results in log.txt changed')));
  });
});
