// Binary .evtx in a real VS Code: the viewer (a custom editor) in place of the "binary file"
// notice, hunting it from there, diagnostics on the matched value in the record's XML document,
// the tree's link to that document, the chunk and whole-file XML, and folder hunts that include .evtx.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { HuntOutcome } from '../../src/extension/huntCommand';
import type { MatchNode } from '../../src/extension/resultsTree';
import { skipOrFailWithoutShared } from '../support/shared';
import { servicesCmdEvtx, sysmonFile } from '../unit/evtx/writer';
import { corpusDir, fixture, huntWithServicesCmdOnly, logHunt, matchDiagnostics, reset, treeRows, waitFor } from './helpers';

const EVTX_SCHEME = 'loghunt-evtx';
const VIEW_TYPE = 'logHunt.evtxViewer';
const CMD = 'C:\\Windows\\System32\\cmd.exe';

const huntFile = (uri?: vscode.Uri) => vscode.commands.executeCommand<HuntOutcome | undefined>('logHunt.huntFile', uri);

/** Log Hunt's diagnostics on the record documents of `file`, with their documents' URIs. */
function recordDiagnostics(file: vscode.Uri): [vscode.Uri, vscode.Diagnostic[]][] {
  return vscode.languages.getDiagnostics()
    .filter(([uri]) => uri.scheme === EVTX_SCHEME && uri.path.startsWith(`${file.path}.record-`))
    .map(([uri, ds]): [vscode.Uri, vscode.Diagnostic[]] => [uri, ds.filter((d) => d.source === 'Log Hunt')])
    .filter(([, ds]) => ds.length > 0);
}

async function openViewer(file: vscode.Uri): Promise<vscode.TabInputCustom> {
  await vscode.commands.executeCommand('vscode.open', file);
  const input = await waitFor('the active tab to be the EVTX viewer', () => vscode.window.tabGroups.activeTabGroup.activeTab?.input, (i) => i instanceof vscode.TabInputCustom);
  return input as vscode.TabInputCustom;
}

/** The match rows of the results tree, rule -> host -> match. */
function matchRows(api: Awaited<ReturnType<typeof logHunt>>): { node: MatchNode; item: vscode.TreeItem }[] {
  return treeRows(api).flatMap((rule) => treeRows(api, rule.node)).flatMap((host) => treeRows(api, host.node))
    .filter((row): row is { node: MatchNode; item: vscode.TreeItem } => row.node.kind === 'match');
}

describe('evtx: a binary Windows event log in the editor', () => {
  huntWithServicesCmdOnly();
  let dir: string;
  let file: vscode.Uri;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-evtx-'));
    file = vscode.Uri.file(path.join(dir, 'services.evtx'));
    fs.writeFileSync(file.fsPath, servicesCmdEvtx());
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(reset);

  it('opening an .evtx shows the Log Hunt viewer with the file\'s summary, not a binary notice', async () => {
    const input = await openViewer(file);
    assert.strictEqual(input.viewType, VIEW_TYPE);
    assert.strictEqual(input.uri.toString(), file.toString());
    const api = await logHunt();
    const shown = await waitFor('the viewer', () => api.evtxViewer.shown(file), (v) => v !== undefined);
    assert.strictEqual(shown?.error, undefined);
    assert.strictEqual(shown?.summary?.records, 2);
    assert.strictEqual(shown?.summary?.chunks, 1);
    assert.deepStrictEqual(shown?.summary?.eventIds, { 1: 2 });
    assert.deepStrictEqual(shown?.summary?.problems, []);
    assert.strictEqual(shown?.hunted, false);
  });

  it('Hunt Current File hunts the .evtx of the active viewer: the diagnostic sits on the matched value in the record\'s XML', async () => {
    await openViewer(file);
    const outcome = await huntFile();
    assert.strictEqual(outcome?.files.length, 1);
    assert.strictEqual(outcome?.files[0].uri.toString(), file.toString());
    assert.strictEqual(outcome?.files[0].summary?.format, 'evtx (Windows event log)');
    assert.strictEqual(outcome?.matches, 1);
    // Nothing on the binary file itself.
    assert.strictEqual(matchDiagnostics(file).length, 0);
    const placed = recordDiagnostics(file);
    assert.strictEqual(placed.length, 1);
    const [[uri, [d]]] = placed;
    assert.ok(uri.path.endsWith('services.evtx.record-2.xml'), uri.toString());
    assert.match(d.message, /^Services launching Cmd \(high\) on Image: C:\\Windows\\System32\\cmd\.exe · cmd\.exe \/c start\.bat/);
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    const document = await vscode.workspace.openTextDocument(uri);
    assert.strictEqual(document.languageId, 'xml');
    assert.strictEqual(document.getText(d.range), CMD);
    // Pretty: the value's element on a line of its own.
    assert.match(document.lineAt(d.range.start.line).text, /^\s+<Data Name=.Image.>C:\\Windows\\System32\\cmd\.exe<\/Data>$/);
    // Hovering the value names the rule, as in a text log.
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, d.range.start.translate(0, 3));
    const hoverText = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(hoverText, /Services launching Cmd/);
    const api = await logHunt();
    const shown = await waitFor('the viewer to show the hunt', () => api.evtxViewer.shown(file), (v) => v?.hunted === true);
    assert.strictEqual(shown?.matches, 1);
  });

  it('the tree\'s match row opens the record\'s XML with the value selected; Open Chunk selects it in the chunk', async () => {
    const api = await logHunt();
    await huntFile(file);
    const rows = matchRows(api);
    assert.strictEqual(rows.length, 1);
    const [{ node, item }] = rows;
    assert.match(item.contextValue ?? '', /^match\b.*\bevtx\b/);
    const tooltip = (item.tooltip as vscode.MarkdownString).value;
    assert.match(tooltip, /services\\\.evtx record 2 \\\(chunk 0\\, offset 0x/);
    await vscode.commands.executeCommand(item.command!.command, ...((item.command!.arguments ?? []) as unknown[]));
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    assert.strictEqual(editor.document.uri.scheme, EVTX_SCHEME);
    assert.strictEqual(editor.document.uri.toString(), recordDiagnostics(file)[0][0].toString());
    assert.strictEqual(editor.document.getText(editor.selection), CMD);

    await vscode.commands.executeCommand('logHunt.openMatchChunk', node);
    const chunk = vscode.window.activeTextEditor;
    assert.ok(chunk);
    assert.ok(chunk.document.uri.path.endsWith('services.evtx.chunk-0.xml'), chunk.document.uri.toString());
    assert.strictEqual(chunk.document.languageId, 'xml');
    assert.strictEqual(chunk.document.getText(chunk.selection), CMD);
    assert.match(chunk.document.lineAt(chunk.selection.start.line).text, /^<Event .*<EventRecordID>2<\/EventRecordID>/);
    assert.strictEqual(chunk.document.getText().split('\n').filter((l) => l.startsWith('<Event ')).length, 2);
  });

  it('the record document is read-only: typing and edits leave it as it is, and it never becomes dirty', async () => {
    await huntFile(file);
    const [[uri]] = recordDiagnostics(file);
    const editor = await vscode.window.showTextDocument(uri);
    const before = editor.document.getText();
    await vscode.commands.executeCommand('type', { text: 'x' });
    // The API's edit resolves, but the read-only model takes nothing.
    await Promise.resolve(editor.edit((e) => e.insert(new vscode.Position(0, 0), 'x'))).catch(() => false);
    assert.strictEqual(editor.document.getText(), before);
    assert.strictEqual(editor.document.isDirty, false);
  });

  it('Open EVTX File as XML opens a small file whole, as one XML document', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('logHunt.openEvtxAsXml', file);
    assert.ok(editor);
    assert.strictEqual(editor.document.languageId, 'xml');
    const text = editor.document.getText();
    assert.match(text, /^<\?xml [^>]*\?>\n<Events>\n/);
    assert.strictEqual(text.split('\n').filter((l) => l.startsWith('<Event ')).length, 2);
  });

  it('Open EVTX File as XML refuses a file whose XML would pass the editor\'s 50 MB limit, and says what to do instead', async () => {
    const big = vscode.Uri.file(path.join(dir, 'big.evtx'));
    fs.writeFileSync(big.fsPath, sysmonFile(210, 20));
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('logHunt.openEvtxAsXml', big);
    assert.strictEqual(editor, undefined);
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.scheme === EVTX_SCHEME && d.uri.path.includes('big.evtx')));
  });

  it('a damaged chunk: the viewer lists it, and the hunt reports it on the .evtx, naming chunk and offset', async () => {
    const damaged = vscode.Uri.file(path.join(dir, 'damaged.evtx'));
    const bytes = servicesCmdEvtx();
    // A byte of the first record: the chunk's records fail their CRC32, and are still read.
    bytes[4096 + 512 + 40] ^= 0xff;
    fs.writeFileSync(damaged.fsPath, bytes);
    await openViewer(damaged);
    const api = await logHunt();
    const shown = await waitFor('the viewer', () => api.evtxViewer.shown(damaged), (v) => v !== undefined);
    assert.deepStrictEqual(shown?.summary?.problems.map((p) => [p.chunkNumber, p.message]), [[0, 'chunk 0 at 0x1000: the event records fail their CRC32']]);
    const outcome = await huntFile();
    assert.strictEqual(outcome?.files[0].summary?.malformed, 1);
    const onFile = vscode.languages.getDiagnostics(damaged).filter((d) => d.source === 'Log Hunt');
    assert.deepStrictEqual(onFile.map((d) => [d.severity, d.message]), [[vscode.DiagnosticSeverity.Information, 'Damaged EVTX data: chunk 0 at 0x1000: the event records fail their CRC32']]);
    assert.strictEqual(recordDiagnostics(damaged).length, 1);
  });

  it('Clear Results removes the diagnostics on the record documents', async () => {
    await huntFile(file);
    assert.strictEqual(recordDiagnostics(file).length, 1);
    await vscode.commands.executeCommand('logHunt.clearResults');
    assert.strictEqual(recordDiagnostics(file).length, 0);
  });

  it('Hunt Current File from the record\'s document hunts the .evtx it belongs to', async () => {
    await huntFile(file);
    const [[uri]] = recordDiagnostics(file);
    await vscode.window.showTextDocument(uri);
    const outcome = await huntFile();
    assert.strictEqual(outcome?.files[0].uri.toString(), file.toString());
    assert.strictEqual(outcome?.matches, 1);
    // The second hunt replaced the first one's diagnostics.
    assert.strictEqual(recordDiagnostics(file).length, 1);
  });

  it('Hunt this rule runs a Sigma rule over the .evtx open in the viewer; its match sits on the record\'s value', async () => {
    const rule = vscode.Uri.file(path.join(dir, 'start-bat.yml'));
    fs.writeFileSync(rule.fsPath, [
      'title: Start bat from cmd',
      'id: 0a5e2a36-7c3b-4d1e-9a51-5ad0c0ffee01',
      'status: test',
      'logsource:',
      '  category: process_creation',
      '  product: windows',
      'detection:',
      '  selection:',
      "    CommandLine|contains: 'start.bat'",
      '  condition: selection',
      'level: medium',
      '',
    ].join('\n'));
    await openViewer(file);
    await vscode.window.showTextDocument(rule, { viewColumn: vscode.ViewColumn.Beside });
    const outcome = await vscode.commands.executeCommand<{ matches: number; files: number; message: string }>('logHunt.huntRule', rule);
    assert.strictEqual(outcome.matches, 1, outcome.message);
    assert.strictEqual(outcome.files, 1);
    const placed = recordDiagnostics(file);
    assert.strictEqual(placed.length, 1);
    const [[uri, [d]]] = placed;
    const document = await vscode.workspace.openTextDocument(uri);
    assert.strictEqual(document.getText(d.range), 'cmd.exe /c start.bat');
  });

  it('Hunt Files… hunts the .evtx of a folder, also one named otherwise, beside text logs', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-evtx-folder-'));
    try {
      fs.mkdirSync(path.join(folder, 'only'));
      fs.copyFileSync(fixture('services-cmd.xml').fsPath, path.join(folder, 'a.xml'));
      fs.copyFileSync(file.fsPath, path.join(folder, 'b.evtx'));
      fs.copyFileSync(file.fsPath, path.join(folder, 'c.evtx.bak'));
      fs.writeFileSync(path.join(folder, 'notes.txt'), 'not a log');
      fs.copyFileSync(file.fsPath, path.join(folder, 'only', 'Sysmon.EVTX'));
      const outcome = await vscode.commands.executeCommand<HuntOutcome>('logHunt.huntFiles', [vscode.Uri.file(folder)]);
      assert.deepStrictEqual(outcome.files.map((f) => path.relative(folder, f.uri.fsPath)), ['a.xml', 'b.evtx', 'c.evtx.bak', path.join('only', 'Sysmon.EVTX')]);
      assert.strictEqual(outcome.matches, 3 + 1 + 1 + 1);
      // A folder of .evtx alone is no longer "no log files there".
      const only = await vscode.commands.executeCommand<HuntOutcome | undefined>('logHunt.huntFiles', [vscode.Uri.file(path.join(folder, 'only'))]);
      assert.strictEqual(only?.files.length, 1);
      assert.strictEqual(only?.matches, 1);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('opening an .evtx or a record document activates the extension (a cold start has no other trigger)', () => {
    const manifest = vscode.extensions.getExtension('log-hunt.log-hunt')!.packageJSON as { activationEvents: string[]; contributes: { customEditors: { viewType: string }[] } };
    assert.deepStrictEqual(manifest.contributes.customEditors.map((c) => c.viewType), [VIEW_TYPE]);
    assert.ok(manifest.activationEvents.includes(`onCustomEditor:${VIEW_TYPE}`));
    assert.ok(manifest.activationEvents.includes(`onFileSystem:${EVTX_SCHEME}`));
  });

  it('the Explorer offers Hunt Current File on .evtx files', () => {
    const manifest = vscode.extensions.getExtension('log-hunt.log-hunt')!.packageJSON as { contributes: { menus: Record<string, { command: string; when?: string }[]> } };
    const entry = manifest.contributes.menus['explorer/context'].find((m) => m.command === 'logHunt.huntFile');
    const regex = /resourceExtname =~ \/(.*)\/i/.exec(entry?.when ?? '');
    assert.ok(regex, entry?.when);
    assert.ok(new RegExp(regex[1], 'i').test('.evtx'));
    assert.ok(new RegExp(regex[1], 'i').test('.EVTX'));
  });
});

describe('evtx: a corpus .evtx', () => {
  huntWithServicesCmdOnly();
  beforeEach(reset);
  const file = vscode.Uri.file(path.join(corpusDir, 'LM_sysmon_psexec_smb_meterpreter.evtx'));

  it('LM_sysmon_psexec_smb_meterpreter.evtx: its one CAR-2014-05-002 match sits on record 9807\'s Image value', async function () {
    if (!fs.existsSync(file.fsPath)) {
      skipOrFailWithoutShared(this, `the corpus (${corpusDir})`, 'evtx: a corpus .evtx');
      return;
    }
    const input = await openViewer(file);
    assert.strictEqual(input.viewType, VIEW_TYPE);
    const outcome = await huntFile();
    assert.strictEqual(outcome?.matches, 1);
    const placed = recordDiagnostics(file);
    assert.strictEqual(placed.length, 1);
    const [[uri, [d]]] = placed;
    assert.ok(uri.path.endsWith('.record-9807.xml'), uri.toString());
    const document = await vscode.workspace.openTextDocument(uri);
    assert.match(document.getText(d.range), /\\cmd\.exe$/i);
    assert.match(document.getText(), /<EventRecordID>9807<\/EventRecordID>/);
  });
});
