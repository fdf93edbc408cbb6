// Smoke test: we run inside a real extension host and our extension is known
// to it. It must not activate the extension (it may not be built yet), only
// look at its manifest.
import * as assert from 'assert';
import * as vscode from 'vscode';

describe('smoke: real VS Code extension host', () => {
  it('exposes the vscode API', () => {
    assert.strictEqual(typeof vscode.version, 'string');
  });

  it('knows the log-hunt.log-hunt extension', () => {
    const ext = vscode.extensions.getExtension('log-hunt.log-hunt');
    assert.ok(ext, 'extension log-hunt.log-hunt is not loaded');
    assert.strictEqual((ext.packageJSON as { name: string }).name, 'log-hunt');
  });
});
