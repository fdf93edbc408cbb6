// The rule editor in a real VS Code: problems in Sigma rule files as they are typed, a save that
// re-hunts the rule over the last hunt's files, and the CodeLens that shows the rule's count.
// Rules are copied to a temporary folder, because the tests edit and save them.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { acceptQuickPicksUntil, fixture, logHunt, reset, sleep, withSetting } from './helpers';

const RULE_ID = '5d7c1c52-9a43-4b8e-8f43-2f0d1e6a9b11';
const LOG = fixture('ruleEditor/canary.xml');

/** Polls `probe` until `ok` holds (the features are debounced and asynchronous); fails with the last value. */
async function waitFor<T>(what: string, probe: () => T | Thenable<T>, ok: (value: T) => boolean, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > until) assert.fail(`${what}: still ${JSON.stringify(value)} after ${ms} ms`);
    await sleep(100);
  }
}

function ruleProblems(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Log Hunt');
}

/** Problems entries on the log for the test rule's matches. */
function canaryMatches(): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(LOG).filter((d) => d.source === 'Log Hunt' && codeOf(d) === RULE_ID);
}

/** The other rules' Problems entries on the log, comparable across re-runs. */
function otherMatches(): string[] {
  return vscode.languages.getDiagnostics(LOG)
    .filter((d) => d.source === 'Log Hunt' && codeOf(d) !== RULE_ID)
    .map((d) => `${d.range.start.line}:${d.range.start.character} ${String(codeOf(d))}`)
    .sort();
}

function codeOf(d: vscode.Diagnostic): unknown {
  return typeof d.code === 'object' ? d.code.value : d.code;
}

/** The titles of the lenses on `uri`, as the editor shows them. */
async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
  return lenses.map((l) => l.command?.title ?? '');
}

const countLens = async (uri: vscode.Uri): Promise<string> => (await lensTitles(uri))[0] ?? '';

async function replaceInEditor(editor: vscode.TextEditor, from: string, to: string): Promise<void> {
  const text = editor.document.getText();
  const at = text.indexOf(from);
  assert.ok(at >= 0, `${from} not in ${editor.document.uri.fsPath}`);
  const range = new vscode.Range(editor.document.positionAt(at), editor.document.positionAt(at + from.length));
  assert.ok(await editor.edit((edit) => edit.replace(range, to)), 'edit refused');
}

describe('rule editor', () => {
  let dir: string;
  /** A fresh copy under its own name: an open document of an earlier test may lag its file's changes. */
  const copy = (name: string, as = name): vscode.Uri => {
    const target = path.join(dir, as);
    fs.copyFileSync(fixture(`ruleEditor/${name}`).fsPath, target);
    return vscode.Uri.file(target);
  };

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-rules-'));
  });
  after(async () => {
    await reset();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(reset);

  const broken: [file: string, line: number, code: string, severity: vscode.DiagnosticSeverity, message: RegExp][] = [
    ['unknown-modifier.yml', 7, 'unsupported modifier', vscode.DiagnosticSeverity.Error, /unknown modifier 'endswithh'/],
    ['bad-condition.yml', 8, 'bad condition', vscode.DiagnosticSeverity.Error, /unexpected 'and'/],
    ['linux-logsource.yml', 2, 'not windows', vscode.DiagnosticSeverity.Warning, /not a Windows event log/],
  ];
  for (const [file, line, code, severity, message] of broken) {
    it(`${file}: one problem, on line ${line + 1}, "${code}"`, async () => {
      const uri = copy(file);
      await vscode.window.showTextDocument(uri);
      const [problem, ...more] = await waitFor(`problems of ${file}`, () => ruleProblems(uri), (ds) => ds.length > 0);
      assert.deepStrictEqual(more, []);
      assert.strictEqual(problem.range.start.line, line);
      assert.strictEqual(problem.range.end.line, line);
      assert.ok(!problem.range.isEmpty, 'an empty range');
      assert.strictEqual(codeOf(problem), code);
      assert.strictEqual(problem.severity, severity);
      assert.match(problem.message, message);
    });
  }

  it('fixing the rule in the editor clears its problem, without a save', async () => {
    const uri = copy('unknown-modifier.yml', 'fixed.yml');
    const editor = await vscode.window.showTextDocument(uri);
    await waitFor('the problem', () => ruleProblems(uri), (ds) => ds.length === 1);
    await replaceInEditor(editor, 'endswithh', 'endswith');
    await waitFor('no problem', () => ruleProblems(uri), (ds) => ds.length === 0);
    // And breaking it again brings it back.
    await replaceInEditor(editor, 'condition: selection', 'condition: selection or');
    const [problem] = await waitFor('the condition problem', () => ruleProblems(uri), (ds) => ds.length === 1);
    assert.strictEqual(codeOf(problem), 'bad condition');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('a YAML file that is no rule gets no problems and no lenses', async () => {
    const file = path.join(dir, 'ci.yml');
    fs.writeFileSync(file, 'jobs:\n  build:\n    runs-on: [linux\n');
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(uri);
    await sleep(600);
    assert.deepStrictEqual(ruleProblems(uri), []);
    assert.deepStrictEqual(await lensTitles(uri), []);
  });

  it('saving a rule after a hunt re-hunts it: the lens, the Problems and the tree go 0 -> 2 -> 0', async () => {
    const api = await logHunt();
    const uri = copy('canary-rule.yml');
    const editor = await vscode.window.showTextDocument(uri);
    assert.deepStrictEqual(await lensTitles(uri), ['not hunted yet', 'Hunt this rule', 'Generate query']);
    // The lens sits on the title line.
    const [lens] = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
    assert.strictEqual(lens.range.start.line, 0);

    await vscode.commands.executeCommand('logHunt.huntFile', LOG);
    // The built-in CAR analytics find services.exe -> cmd.exe; a re-run of the rule leaves them be.
    const others = otherMatches();
    assert.ok(others.length > 0, 'the fixture has no match of the built-in rules');
    await vscode.window.showTextDocument(editor.document);
    // The hunt ran the configured rules; this one is in no rule folder, so it is still unhunted.
    assert.strictEqual(await countLens(uri), 'not hunted yet');

    await replaceInEditor(editor, 'nothing-here.exe', 'canary.exe');
    assert.ok(await editor.document.save(), 'save refused');
    assert.strictEqual(await waitFor('the lens', () => countLens(uri), (t) => t !== 'not hunted yet'), '2 matches in 1 file');
    assert.strictEqual(canaryMatches().length, 2);
    assert.deepStrictEqual(otherMatches(), others);
    const roots = api.results.getChildren().map((node) => api.results.getTreeItem(node));
    const row = roots.find((item) => item.id?.includes(RULE_ID));
    assert.ok(row, `no results row for the rule among ${roots.map((r) => r.id).join(', ')}`);
    assert.match(String(row.description), /^2 matches/);

    await replaceInEditor(editor, 'canary.exe', 'nothing-at-all.exe');
    assert.ok(await editor.document.save(), 'save refused');
    assert.strictEqual(await waitFor('the lens', () => countLens(uri), (t) => !t.startsWith('2 ')), 'no matches in 1 file');
    assert.deepStrictEqual(canaryMatches(), []);
    assert.deepStrictEqual(otherMatches(), others);
    assert.ok(!api.results.getChildren().some((node) => api.results.getTreeItem(node).id?.includes(RULE_ID)), 'the rule still has a results row');
  });

  it('a rule in logHunt.rules.folders counts from the hunt itself, and a save re-hunts it', async () => {
    const folder = path.join(dir, 'folder');
    fs.mkdirSync(folder, { recursive: true });
    const uri = copy('canary-rule.yml', path.join('folder', 'canary-folder.yml'));
    fs.writeFileSync(uri.fsPath, fs.readFileSync(uri.fsPath, 'utf8').replace('nothing-here.exe', 'canary.exe'));
    await withSetting('rules.folders', [folder], async () => {
      const editor = await vscode.window.showTextDocument(uri);
      assert.strictEqual(await countLens(uri), 'not hunted yet');
      await vscode.commands.executeCommand('logHunt.huntFile', LOG);
      assert.strictEqual(canaryMatches().length, 2);
      assert.strictEqual(await waitFor('the lens', () => countLens(uri), (t) => t !== 'not hunted yet'), '2 matches in 1 file');
      await replaceInEditor(editor, 'canary.exe', 'nothing-at-all.exe');
      assert.ok(await editor.document.save(), 'save refused');
      assert.strictEqual(await waitFor('the lens', () => countLens(uri), (t) => !t.startsWith('2 ')), 'no matches in 1 file');
      assert.deepStrictEqual(canaryMatches(), []);
    });
  });

  it('Hunt this rule before any hunt runs it over the open log, and says so', async () => {
    const uri = copy('canary-rule.yml', 'canary-hunt.yml');
    fs.writeFileSync(uri.fsPath, fs.readFileSync(uri.fsPath, 'utf8').replace('nothing-here.exe', 'canary.exe'));
    await vscode.window.showTextDocument(LOG);
    await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.Beside });
    const outcome = await vscode.commands.executeCommand<{ matches: number; files: number; ruleIds: string[]; message: string }>('logHunt.huntRule', uri);
    assert.deepStrictEqual(outcome.ruleIds, [RULE_ID]);
    assert.strictEqual(outcome.matches, 2);
    assert.strictEqual(outcome.files, 1);
    assert.strictEqual(outcome.message, 'rule Canary tool started: 2 matches in 1 file');
    assert.strictEqual(canaryMatches().length, 2);
    assert.strictEqual(await countLens(uri), '2 matches in 1 file');
  });

  it('Generate query: a Sigma rule gets its query (the setting\'s target); a CAR analytic gets its query', async () => {
    const uri = copy('canary-rule.yml', 'canary-query.yml');
    const sigma = await withSetting('queryTarget', 'kql', () =>
      acceptQuickPicksUntil(vscode.commands.executeCommand<{ ruleId?: string; target?: string }>('logHunt.generateRuleQuery', uri, RULE_ID)),
    );
    assert.strictEqual(sigma.ruleId, RULE_ID);
    assert.strictEqual(sigma.target, 'kql');
    assert.strictEqual(vscode.window.activeTextEditor?.document.languageId, 'kql');
    const car = await acceptQuickPicksUntil(vscode.commands.executeCommand<{ analytic?: string }>('logHunt.generateRuleQuery', uri, 'CAR-2014-05-002'));
    assert.strictEqual(car.analytic, 'CAR-2014-05-002');
  });
});
