// Clear Results removes everything a hunt left: diagnostics, tree rows, status bar.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { allLogHuntDiagnostics, fixture, huntWithServicesCmdOnly, logHunt, reset } from './helpers';

describe('clear results', () => {
  huntWithServicesCmdOnly();
  before(reset);

  it('removes every diagnostic, tree row and the status bar count', async () => {
    const api = await logHunt();
    await vscode.commands.executeCommand('logHunt.huntFiles', [fixture('services-cmd.xml'), fixture('malformed.xml')]);
    assert.strictEqual(allLogHuntDiagnostics().length, 3 + 2);
    assert.ok(api.results.getChildren().length > 0);
    assert.ok(api.statusBar.text);

    await vscode.commands.executeCommand('logHunt.clearResults');
    assert.deepStrictEqual(allLogHuntDiagnostics(), []);
    assert.deepStrictEqual(api.results.getChildren(), []);
    assert.strictEqual(api.statusBar.text, undefined);
  });
});
