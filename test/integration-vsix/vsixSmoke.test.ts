// Smoke test of the PACKAGED extension: run by `npm run test:vsix`, which
// builds log-hunt.vsix, installs it into a fresh extensions folder with
// code-server's --install-extension, and points the development path at a
// stub (harness option --vsix), so the copy under test is the installed one.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { HuntOutcome } from '../../src/extension/huntCommand';
import { servicesCmdEvtx } from '../unit/evtx/writer';

/** The repository: the nearest folder above out/test/integration-vsix with a package.json. */
const repoRoot = ((): string => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${__dirname}`);
  }
})();

/** Inside `parent`, or `parent` itself. */
const isWithin = (child: string, parent: string): boolean => {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

describe('VSIX: the installed extension', () => {
  let ext: vscode.Extension<unknown>;
  let tmp: string | undefined;
  after(() => tmp && fs.rmSync(tmp, { recursive: true, force: true }));

  before(() => {
    const found = vscode.extensions.getExtension('log-hunt.log-hunt');
    assert.ok(found, 'extension log-hunt.log-hunt is not installed');
    ext = found;
  });

  it('is loaded from the extensions folder, not from the repository', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    assert.ok(!isWithin(ext.extensionPath, repoRoot), `loaded from ${ext.extensionPath}, inside the repository`);
    // The folder name that --install-extension gives: <publisher>.<name>-<version>.
    assert.strictEqual(path.basename(ext.extensionPath), `log-hunt.log-hunt-${version}`);
    assert.strictEqual((ext.packageJSON as { version: string }).version, version);
  });

  it('holds the runtime files and none of the development ones', () => {
    const has = (p: string): boolean => fs.existsSync(path.join(ext.extensionPath, p));
    for (const p of ['package.json', 'dist/extension.js', 'media/icon.png', 'syntaxes/spl.tmLanguage.json', 'samples/sysmon-sample.xml']) {
      assert.ok(has(p), `missing ${p}`);
    }
    // Every bundle esbuild wrote (extension, worker thread, CLI), as a bundle may load another.
    for (const js of fs.readdirSync(path.join(repoRoot, 'dist')).filter((f) => f.endsWith('.js'))) {
      assert.ok(has(`dist/${js}`), `missing dist/${js}`);
    }
    for (const p of ['src', 'test', 'bench', 'out', 'docs', 'node_modules', 'tsconfig.json', 'esbuild.js', 'dist/extension.js.map']) {
      assert.ok(!has(p), `should not be packaged: ${p}`);
    }
  });

  it('opening an .evtx activates the extension and shows its EVTX viewer, not a binary notice', async () => {
    assert.ok(!ext.isActive, 'already active: this test must run before any command');
    tmp ??= fs.mkdtempSync(path.join(os.tmpdir(), 'lh-vsix-'));
    const file = vscode.Uri.file(path.join(tmp, 'services.evtx'));
    fs.writeFileSync(file.fsPath, servicesCmdEvtx());
    await vscode.commands.executeCommand('vscode.open', file);
    for (let i = 0; i < 100 && !ext.isActive; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(ext.isActive, 'opening the .evtx did not activate the installed extension');
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(input instanceof vscode.TabInputCustom, 'the .evtx did not open in a custom editor');
    assert.strictEqual(input.viewType, 'logHunt.evtxViewer');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('hunts a log: logHunt.huntFile gives one CAR-2014-05-002 diagnostic on the Image value', async () => {
    // A real corpus log when the shared corpus sits beside the repository;
    // else the sample shipped in the VSIX, copied out so the hunt reads a
    // plain file of the user's, as it would in practice.
    const corpusFile = path.resolve(repoRoot, '..', 'shared', 'corpus', 'LM_sysmon_psexec_smb_meterpreter.xml');
    let file = corpusFile;
    if (!fs.existsSync(corpusFile)) {
      console.warn(`    (corpus absent at ${corpusFile}: hunting the VSIX's own samples/sysmon-sample.xml)`);
      tmp ??= fs.mkdtempSync(path.join(os.tmpdir(), 'lh-vsix-'));
      file = path.join(tmp, 'sysmon-sample.xml');
      fs.copyFileSync(path.join(ext.extensionPath, 'samples', 'sysmon-sample.xml'), file);
    }
    const uri = vscode.Uri.file(file);

    // The whole built-in CAR library runs by default; this log holds one CAR-2014-05-002 match.
    await vscode.commands.executeCommand('logHunt.selectRules', ['CAR-2014-05-002']);
    const outcome = await vscode.commands.executeCommand<HuntOutcome | undefined>('logHunt.huntFile', uri);
    assert.ok(ext.isActive, 'the command did not activate the installed extension');
    assert.strictEqual(outcome?.files[0]?.error, undefined, 'hunt error');
    assert.strictEqual(outcome?.matches, 1, 'matches');

    const diagnostics = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Log Hunt');
    assert.strictEqual(diagnostics.length, 1, 'diagnostics');
    const [d] = diagnostics;
    assert.strictEqual(typeof d.code === 'object' ? d.code.value : d.code, 'CAR-2014-05-002');
    const text = (await vscode.workspace.openTextDocument(uri)).getText(d.range);
    assert.match(text, /cmd\.exe$/i, `range holds ${JSON.stringify(text)}`);

    await vscode.commands.executeCommand('logHunt.clearResults');
    assert.strictEqual(vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'Log Hunt').length, 0);
  });

  it('hunts a large log on worker threads: dist/worker.js loads from the installed folder', async function () {
    // Files of 16 MB and more are cut into parts hunted by worker threads
    // (src/engine/parallel.ts), which load dist/worker.js beside the bundle:
    // a file only the packaging can forget. The sample's events repeated,
    // each copy holding its one match.
    if (os.availableParallelism() < 2) this.skip(); // one core: no threads to test
    const sample = fs.readFileSync(path.join(ext.extensionPath, 'samples', 'sysmon-sample.xml'), 'latin1');
    const open = sample.indexOf('<Events>') + '<Events>\r\n'.length;
    const close = sample.lastIndexOf('</Events>');
    const copies = Math.ceil((17 << 20) / (close - open));
    tmp ??= fs.mkdtempSync(path.join(os.tmpdir(), 'lh-vsix-'));
    const file = path.join(tmp, 'large.xml');
    const fd = fs.openSync(file, 'w');
    try {
      fs.writeSync(fd, sample.slice(0, open), null, 'latin1');
      for (let i = 0; i < copies; i++) fs.writeSync(fd, sample.slice(open, close), null, 'latin1');
      fs.writeSync(fd, sample.slice(close), null, 'latin1');
    } finally {
      fs.closeSync(fd);
    }

    await vscode.commands.executeCommand('logHunt.selectRules', ['CAR-2014-05-002']);
    const outcome = await vscode.commands.executeCommand<HuntOutcome | undefined>('logHunt.huntFile', vscode.Uri.file(file));
    assert.strictEqual(outcome?.files[0]?.error, undefined, 'hunt error');
    assert.strictEqual(outcome?.matches, copies, 'matches');
    await vscode.commands.executeCommand('logHunt.clearResults');
    await vscode.commands.executeCommand('logHunt.selectRules', []);
  });
});
