// Hunting inside a real VS Code: the corpus's real logs and small hand-written fixtures, through
// the commands a user runs, checked on what VS Code then holds (diagnostics, documents).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { HuntOutcome } from '../../src/extension/huntCommand';
import { assertEvery } from '../support/assertions';
import { skipOrFailWithoutShared } from '../support/shared';
import { corpusDir, fixture, huntWithServicesCmdOnly, logHunt, matchDiagnostics, readManifest, reset, sleep, waitFor, withSetting } from './helpers';

/** Each file of a hunt: its name and what became of it. */
const outcomeWords = (outcome: HuntOutcome | undefined): string[][] =>
  (outcome?.files ?? []).map((f) => [path.basename(f.uri.fsPath), f.notALog ? `not a log: ${f.notALog}` : f.summary ? 'hunted' : `error: ${f.error}`]);

const huntFile = (uri?: vscode.Uri) => vscode.commands.executeCommand<HuntOutcome | undefined>('logHunt.huntFile', uri);

describe('hunt: the corpus of real logs', () => {
  before(reset);
  const rows = readManifest()?.filter((r) => r.format !== 'evtx');
  if (!rows) {
    it('needs ../shared/corpus, which is absent', function () {
      skipOrFailWithoutShared(this, `the corpus (${corpusDir})`, 'hunt: the corpus of real logs');
    });
    return;
  }

  for (const row of rows) {
    it(`${row.file}: ${row.matches} diagnostics on the Image values (${row.format})`, async () => {
      const uri = vscode.Uri.file(path.join(corpusDir, row.file));
      const outcome = await huntFile(uri);
      const summary = outcome?.files[0].summary;
      assert.ok(summary, `no summary: ${outcome?.files[0].error}`);
      assert.strictEqual(summary.events, row.events, 'events');
      const diagnostics = matchDiagnostics(uri);
      assert.strictEqual(diagnostics.length, row.matches, 'match diagnostics');
      if (diagnostics.length === 0) return;
      const document = await vscode.workspace.openTextDocument(uri);
      for (const d of diagnostics) {
        const text = document.getText(d.range);
        assert.ok(text.toLowerCase().endsWith('cmd.exe'), `range ${JSON.stringify(d.range)} holds ${JSON.stringify(text)}`);
      }
    });
  }
});

describe('hunt: fixtures', () => {
  huntWithServicesCmdOnly();
  beforeEach(reset);

  it('Hunt Current File hunts the active editor: one Error per match (the rule is high), message, source, code, range', async () => {
    const uri = fixture('services-cmd.xml');
    await vscode.window.showTextDocument(uri);
    const outcome = await huntFile();
    assert.strictEqual(outcome?.matches, 3);
    const diagnostics = matchDiagnostics(uri);
    assert.strictEqual(diagnostics.length, 3);
    const [first, , third] = diagnostics;
    assert.strictEqual(first.message, 'Services launching Cmd (high) on Image: C:\\Windows\\System32\\cmd.exe · cmd.exe /c sc start updater');
    assert.strictEqual(first.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(first.source, 'Log Hunt');
    const code = first.code as { value: string; target: vscode.Uri };
    assert.strictEqual(code.value, 'CAR-2014-05-002');
    assert.strictEqual(code.target.toString(), 'https://car.mitre.org/analytics/CAR-2014-05-002/');
    const document = await vscode.workspace.openTextDocument(uri);
    assert.strictEqual(first.range.start.line, 2);
    assert.strictEqual(document.getText(first.range), 'C:\\Windows\\System32\\cmd.exe');
    // A long command line is shortened to about 120 characters.
    assert.ok(third.message.endsWith('…'), third.message);
    assert.ok(third.message.length < 200, `${third.message.length} characters`);
  });

  it('the status bar shows the count of the results view: every hunted file\'s', async () => {
    const api = await logHunt();
    await huntFile(fixture('services-cmd.xml'));
    assert.match(api.statusBar.text ?? '', /3 matches/);
    await huntFile(fixture('services-cmd.jsonl'));
    assert.match(api.statusBar.text ?? '', /4 matches/);
  });

  it('hunts JSON lines too, with the range on the Image value', async () => {
    const uri = fixture('services-cmd.jsonl');
    await huntFile(uri);
    const [d] = matchDiagnostics(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    assert.strictEqual(document.getText(d.range), 'C:\\\\Windows\\\\System32\\\\cmd.exe');
  });

  it('an untitled editor is hunted from its text', async () => {
    const content = fs.readFileSync(fixture('services-cmd.xml').fsPath, 'utf8');
    const document = await vscode.workspace.openTextDocument({ language: 'xml', content });
    await vscode.window.showTextDocument(document);
    const outcome = await huntFile();
    assert.strictEqual(outcome?.matches, 3);
    assert.strictEqual(matchDiagnostics(document.uri).length, 3);
  });

  it('an editor with unsaved changes is hunted from its text, not from disk', async () => {
    const uri = fixture('services-cmd.jsonl');
    const editor = await vscode.window.showTextDocument(uri);
    try {
      // Line 2 holds the only match; delete it without saving.
      await editor.edit((e) => e.delete(new vscode.Range(1, 0, 2, 0)));
      assert.ok(editor.document.isDirty);
      const outcome = await huntFile();
      assert.strictEqual(outcome?.files[0].summary?.events, 2);
      assert.strictEqual(outcome?.matches, 0);
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  it('logHunt.severity overrides the level', async () => {
    const uri = fixture('services-cmd.xml');
    await withSetting('severity', 'Warning', () => huntFile(uri));
    assertEvery(matchDiagnostics(uri), (d) => d.severity === vscode.DiagnosticSeverity.Warning, 'match diagnostics under severity Warning');
  });

  it('malformed records are Information diagnostics, beside the match', async () => {
    const uri = fixture('malformed.xml');
    const outcome = await huntFile(uri);
    assert.strictEqual(outcome?.files[0].summary?.malformed, 1);
    const all = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Log Hunt');
    const info = all.filter((d) => d.severity === vscode.DiagnosticSeverity.Information);
    assert.strictEqual(all.length, 2);
    assert.strictEqual(info.length, 1);
    assert.strictEqual(info[0].range.start.line, 3);
    assert.match(info[0].message, /^Malformed record skipped: event is not closed/);
  });

  it('logHunt.parseEveryRecord reports a broken record that the fast path skips unparsed', async () => {
    // Line 4 is a network connection (EventID 3) whose <Data> is never closed: it cannot match.
    const uri = fixture('broken-network.xml');
    const information = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Log Hunt' && d.severity === vscode.DiagnosticSeverity.Information);
    const fast = await huntFile(uri);
    assert.strictEqual(fast?.files[0].summary?.malformed, 0);
    assert.strictEqual(information().length, 0);
    const parsed = await withSetting('parseEveryRecord', true, () => huntFile(uri));
    assert.strictEqual(parsed?.files[0].summary?.malformed, 1);
    assert.strictEqual(parsed?.matches, 1);
    assert.deepStrictEqual(information().map((d) => d.range.start.line), [3]);
    assert.match(information()[0].message, /^Malformed record skipped: XML event not readable/);
  });

  it('a new hunt of a file replaces its diagnostics', async () => {
    const uri = fixture('services-cmd.xml');
    await huntFile(uri);
    await huntFile(uri);
    assert.strictEqual(matchDiagnostics(uri).length, 3);
    await withSetting('maxDiagnostics', 1, () => huntFile(uri));
    assert.strictEqual(matchDiagnostics(uri).length, 1);
  });

  it('a hunt that finds nothing says why, in the engine\'s words', async () => {
    const outcome = await huntFile(fixture('network-only.xml'));
    assert.strictEqual(outcome?.matches, 0);
    assert.match(outcome?.files[0].summary?.why ?? '', /no Sysmon process creates/);
  });

  it('an unreadable input gives the engine\'s one-line message', async () => {
    const outcome = await huntFile(fixture(''));
    assert.match(outcome?.files[0].error ?? '', /is a directory$/);
  });

  it('a file in which no event is recognised is refused: no diagnostics, no results, listed as skipped beside logs', async () => {
    const api = await logHunt();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-not-a-log-'));
    try {
      const readme = path.join(dir, 'README.md');
      fs.writeFileSync(readme, '# Notes\n\nHunting <Event> logs is fun.\n\n- one\n- two\n'.repeat(20));
      const alone = await huntFile(vscode.Uri.file(readme));
      assert.deepStrictEqual(outcomeWords(alone), [['README.md', 'not a log: no events found']]);
      assert.strictEqual(alone?.matches, 0);
      assert.deepStrictEqual(vscode.languages.getDiagnostics(vscode.Uri.file(readme)), []);
      assert.deepStrictEqual(api.results.getChildren(), []);
      assert.strictEqual(api.statusBar.text, undefined);

      // Named as a log (.json) but holding no event: refused too, in a folder hunt beside a log.
      fs.writeFileSync(path.join(dir, 'package.json'), '{"name": "x", "version": "1.0.0"}\n');
      fs.copyFileSync(fixture('services-cmd.xml').fsPath, path.join(dir, 'a.xml'));
      const folder = await vscode.commands.executeCommand<HuntOutcome>('logHunt.huntFiles', [vscode.Uri.file(dir)]);
      assert.deepStrictEqual(outcomeWords(folder), [['a.xml', 'hunted'], ['package.json', 'not a log: no events found']]);
      assert.deepStrictEqual(vscode.languages.getDiagnostics(vscode.Uri.file(path.join(dir, 'package.json'))), []);
      assert.strictEqual(api.statusBar.tooltip, 'Log Hunt: 3 matches in a.xml. Click to show the results.');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Hunt Selected Files (the Explorer menu with several files selected) hunts every file of the selection', async () => {
    const [a, b] = [fixture('services-cmd.xml'), fixture('services-cmd.jsonl')];
    // The Explorer passes the clicked file and the whole selection.
    const outcome = await vscode.commands.executeCommand<HuntOutcome>('logHunt.huntSelectedFiles', b, [a, b]);
    assert.deepStrictEqual(outcomeWords(outcome), [['services-cmd.xml', 'hunted'], ['services-cmd.jsonl', 'hunted']]);
    assert.strictEqual(outcome.matches, 3 + 1);
  });

  it('Hunt Files… ticks many of the workspace\'s log files in a quick pick (code-server\'s file dialog picks one)', async () => {
    const root = vscode.workspace.workspaceFolders?.[0].uri;
    assert.ok(root, 'the tests run in a workspace');
    const dir = path.join(root.fsPath, '000-lh-pick-many'); // listed first: the picker sorts by path
    fs.mkdirSync(dir, { recursive: true });
    try {
      fs.copyFileSync(fixture('services-cmd.xml').fsPath, path.join(dir, 'a.xml'));
      fs.copyFileSync(fixture('services-cmd.jsonl').fsPath, path.join(dir, 'b.jsonl'));
      const pending = vscode.commands.executeCommand<HuntOutcome | undefined>('logHunt.huntFiles');
      // Tick the first two files, as Space does, then Enter.
      const api = await logHunt();
      const pick = await waitFor('the quick pick', () => api.filePick, (p) => p !== undefined && p.items.length >= 2);
      if (!pick) return assert.fail('no quick pick');
      assert.strictEqual(pick.canSelectMany, true);
      pick.selectedItems = pick.items.slice(0, 2);
      // The workbench hears of the ticks asynchronously.
      await waitFor('the ticks', () => pick.selectedItems.length, (n) => n === 2);
      await sleep(500);
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      const outcome = await pending;
      assert.deepStrictEqual(outcomeWords(outcome), [['a.xml', 'hunted'], ['b.jsonl', 'hunted']]);
      assert.strictEqual(outcome?.matches, 3 + 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Open the Sample Log (the welcome view) opens the bundled sample, which Hunt Current File then hunts', async () => {
    await vscode.commands.executeCommand('logHunt.openSample');
    const document = vscode.window.activeTextEditor?.document;
    assert.ok(document?.uri.path.endsWith('/samples/sysmon-sample.xml'), document?.uri.toString());
    const outcome = await huntFile();
    assert.ok(outcome?.files[0].summary, outcome?.files[0].error);
    assert.ok(outcome.matches > 0, 'the sample holds a services.exe -> cmd.exe match');
  });

  it('Hunt Files… hunts the log files of a folder and its subfolders', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-folder-'));
    try {
      fs.mkdirSync(path.join(dir, 'sub'));
      fs.mkdirSync(path.join(dir, '.hidden'));
      fs.copyFileSync(fixture('services-cmd.xml').fsPath, path.join(dir, 'a.xml'));
      fs.copyFileSync(fixture('services-cmd.jsonl').fsPath, path.join(dir, 'sub', 'b.JSONL'));
      fs.copyFileSync(fixture('services-cmd.xml').fsPath, path.join(dir, '.hidden', 'c.xml'));
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a log');
      const outcome = await vscode.commands.executeCommand<HuntOutcome>('logHunt.huntFiles', [vscode.Uri.file(dir)]);
      const names = outcome.files.map((f) => path.relative(dir, f.uri.fsPath));
      assert.deepStrictEqual(names, ['a.xml', path.join('sub', 'b.JSONL')]);
      assert.strictEqual(outcome.matches, 3 + 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
