// A match's event as a read-only document in a real VS Code: a click on a match row opens it
// (pretty JSON for a JSON log, XML for an XML one) under Sysmon's names, the deciding value
// selected and marked with a diagnostic; hovers and Copy Match as JSON hold every field under
// Sysmon's names; Reveal in File refuses a file too large for the editor at once.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { HuntOutcome } from '../../src/extension/huntCommand';
import type { MatchNode } from '../../src/extension/resultsTree';
import { skipOrFailWithoutShared } from '../support/shared';
import { corpusDir, huntWithServicesCmdOnly, logHunt, reset, treeRows, waitFor } from './helpers';

const CMD = 'C:\\Windows\\System32\\cmd.exe';
const EVENT_SOURCE = 'Log Hunt (event)';
const ECS = path.join(corpusDir, 'shapes', 'psexec_smb_meterpreter.ecs.ndjson');
const EVENT_VIEWER = path.join(corpusDir, 'shapes', 'psexec_smb_meterpreter.eventviewer.xml');

const huntFile = (uri: vscode.Uri) => vscode.commands.executeCommand<HuntOutcome | undefined>('logHunt.huntFile', uri);

function matchRows(api: Awaited<ReturnType<typeof logHunt>>): { node: MatchNode; item: vscode.TreeItem }[] {
  return treeRows(api).flatMap((rule) => treeRows(api, rule.node)).flatMap((host) => treeRows(api, host.node))
    .filter((row): row is { node: MatchNode; item: vscode.TreeItem } => row.node.kind === 'match');
}

/** The fields of the ECS record that matched, read straight from its line: winlog.event_data's names. */
function ecsEventData(line: string): Record<string, string> {
  return (JSON.parse(line) as { winlog: { event_data: Record<string, string> } }).winlog.event_data;
}

/** Hunts `file`, clicks its one match row, and gives the editor that opened. */
async function clickOnlyMatch(file: vscode.Uri): Promise<{ node: MatchNode; editor: vscode.TextEditor }> {
  const api = await logHunt();
  const outcome = await huntFile(file);
  assert.strictEqual(outcome?.matches, 1, JSON.stringify(outcome));
  const [{ node, item }] = matchRows(api);
  await vscode.commands.executeCommand(item.command!.command, ...((item.command!.arguments ?? []) as unknown[]));
  const editor = await waitFor('the event document', () => vscode.window.activeTextEditor, (e) => e?.document.uri.scheme === 'loghunt-event');
  return { node, editor: editor! };
}

async function eventDiagnostic(uri: vscode.Uri): Promise<vscode.Diagnostic> {
  const [d] = await waitFor('the event diagnostic', () => vscode.languages.getDiagnostics(uri).filter((x) => x.source === EVENT_SOURCE), (ds) => ds.length === 1);
  return d;
}

describe('event documents: a match opens its event, readable', function () {
  this.timeout(60_000);
  huntWithServicesCmdOnly();
  let dir: string;
  let ecsLine: string;
  let ecsOne: vscode.Uri;
  let xmlOne: vscode.Uri;

  before(function () {
    if (!fs.existsSync(ECS) || !fs.existsSync(EVENT_VIEWER)) skipOrFailWithoutShared(this, 'the corpus shapes', 'eventDocument');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-event-'));
    // The ECS record of the services -> cmd.exe create, alone: a one-line ECS NDJSON file.
    ecsLine = fs.readFileSync(ECS, 'utf8').split('\n').find((l) => l.includes('"event_id":"1"') && l.includes('services.exe'))!;
    assert.ok(ecsLine, 'the ECS fixture has the services -> cmd.exe create');
    ecsOne = vscode.Uri.file(path.join(dir, 'one.ecs.ndjson'));
    fs.writeFileSync(ecsOne.fsPath, ecsLine + '\n');
    // The Event Viewer export's only line breaks are in RenderingInfo's messages: as character
    // references, they leave the whole file on one line.
    const xml = fs.readFileSync(EVENT_VIEWER, 'utf8').replace(/\r/g, '&#13;').replace(/\n/g, '&#10;');
    assert.ok(!xml.trimEnd().includes('\n'), 'one line');
    xmlOne = vscode.Uri.file(path.join(dir, 'one-line.eventviewer.xml'));
    fs.writeFileSync(xmlOne.fsPath, xml);
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(reset);

  it('one-line ECS NDJSON: the click opens read-only pretty JSON with Sysmon names, the value selected and marked', async () => {
    const { node, editor } = await clickOnlyMatch(ecsOne);
    const { document } = editor;
    assert.strictEqual(document.languageId, 'json');
    assert.ok(document.lineCount > 20, `pretty: ${document.lineCount} lines`);
    const doc = JSON.parse(document.getText()) as { Event: { System: Record<string, string>; EventData: Record<string, string> } };
    const data = doc.Event.EventData;
    for (const name of ['ParentImage', 'Image', 'CommandLine', 'LogonId', 'TerminalSessionId', 'Description', 'Company']) assert.ok(name in data, `${name} missing`);
    for (const [name, value] of Object.entries(ecsEventData(ecsLine))) assert.strictEqual(data[name], value, name);
    assert.ok(!('image_path' in data) && !('parent_exe' in data), 'no engine names');
    assert.strictEqual(doc.Event.System.EventID, '1');
    assert.strictEqual(doc.Event.System.Computer, node.match.event.computer);
    // The selection is the Image value (JSON-escaped in the text), and so is the diagnostic.
    assert.strictEqual(JSON.parse(`"${document.getText(editor.selection)}"`), CMD);
    const diagnostic = await eventDiagnostic(document.uri);
    assert.ok(diagnostic.range.isEqual(editor.selection), JSON.stringify(diagnostic.range));
    assert.strictEqual(typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code, 'CAR-2014-05-002');
    // Read-only: an edit changes nothing.
    const before = document.getText();
    await Promise.resolve(editor.edit((e) => e.insert(new vscode.Position(0, 0), 'x'))).catch(() => false);
    assert.strictEqual(document.getText(), before);
    assert.strictEqual(document.isDirty, false);
    // Closing the document removes its mark.
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitFor('the mark to go', () => vscode.languages.getDiagnostics(document.uri).length, (n) => n === 0);
  });

  it('a whole Event Viewer export on one line: the click opens XML with Sysmon names, short lines, the value marked', async () => {
    const { node, editor } = await clickOnlyMatch(xmlOne);
    assert.ok(node.match.valueRange!.start.column > 10_000, `the match is far along its line: column ${node.match.valueRange!.start.column}`);
    const { document } = editor;
    assert.strictEqual(document.languageId, 'xml');
    const text = document.getText();
    for (const name of ['ParentImage', 'LogonId', 'TerminalSessionId', 'Description', 'Company', 'Hashes']) assert.ok(text.includes(`<Data Name="${name}">`), `${name} missing`);
    assert.match(text, /<Provider Name="Microsoft-Windows-Sysmon"( Guid="[^"]*")? \/>/);
    // Every System field of the record, not only the header: Level, Keywords, Execution, Security.
    assert.match(text, /<Keywords>0x8000000000000000<\/Keywords>\n[^]*<Execution ProcessID="\d+" ThreadID="\d+" \/>\n {4}<Security UserID="S-1-5-18" \/>/);
    assert.match(text, /<EventID>1<\/EventID>/);
    assert.strictEqual(document.getText(editor.selection), CMD);
    assert.ok(editor.selection.start.character < 100, `short line: column ${editor.selection.start.character}`);
    const diagnostic = await eventDiagnostic(document.uri);
    assert.ok(diagnostic.range.isEqual(editor.selection));
    assert.strictEqual(Object.keys(node.match.event.data).length, (text.match(/<Data Name=/g) ?? []).length, 'every EventData field');
  });

  it('the hover on the match and Copy Match as JSON hold every field under Sysmon names', async () => {
    const api = await logHunt();
    await huntFile(ecsOne);
    const [{ node }] = matchRows(api);
    const at = node.match.valueRange!.start;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', ecsOne, new vscode.Position(at.line - 1, at.column));
    const md = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')).join('\n');
    const raw = ecsEventData(ecsLine);
    for (const name of [...Object.keys(raw), 'ParentImage', 'Image', 'CommandLine', 'EventID', 'Computer']) assert.ok(md.includes(`**${name}**`), `${name} missing from the hover`);
    assert.ok(md.includes('**Image** (matched)'), md);
    assert.ok(!md.includes('parent\\_exe') && !md.includes('image\\_path'), 'no engine names');

    await vscode.commands.executeCommand('logHunt.copyMatchJson', node);
    const json = JSON.parse(await vscode.env.clipboard.readText()) as { field: string; value: string; event: { System: Record<string, string>; EventData: Record<string, string> } };
    assert.strictEqual(json.field, 'Image');
    assert.strictEqual(json.value, CMD);
    for (const [name, value] of Object.entries(raw)) assert.strictEqual(json.event.EventData[name], value, name);
    assert.strictEqual(json.event.EventData.ParentImage, 'C:\\Windows\\System32\\services.exe');
    assert.strictEqual(json.event.System.EventRecordID, node.match.event.recordId);
    assert.ok(!('fields' in json.event), 'no engine names');
  });

  it('the hover in the event document is the rule and the event', async () => {
    const { editor } = await clickOnlyMatch(ecsOne);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, editor.selection.start.translate(0, 1));
    const md = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')).join('\n');
    assert.match(md, /Services launching Cmd/);
    assert.ok(md.includes('**LogonId**'), md);
  });

  it('Reveal in File opens the original at the value; a file over 50 MB is refused at once', async function () {
    this.timeout(120_000);
    const api = await logHunt();
    await huntFile(ecsOne);
    const [{ node }] = matchRows(api);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('logHunt.revealMatch', node);
    assert.strictEqual(editor?.document.uri.toString(), ecsOne.toString());
    assert.strictEqual(JSON.parse(`"${editor.document.getText(editor.selection)}"`), CMD);

    const big = path.join(dir, 'big.ndjson');
    fs.writeFileSync(big, Buffer.alloc(60 * 1024 * 1024, 0x20));
    const started = Date.now();
    const refused = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('logHunt.revealMatch', { ...node, uri: vscode.Uri.file(big) });
    const ms = Date.now() - started;
    assert.strictEqual(refused, undefined);
    // The event itself still opens, without reading the file.
    const openStarted = Date.now();
    const opened = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('logHunt.openMatch', { ...node, uri: vscode.Uri.file(big) });
    assert.strictEqual(opened?.document.uri.scheme, 'loghunt-event');
    console.log(`      60 MB file: Reveal in File refused in ${ms} ms; its event opened in ${Date.now() - openStarted} ms`);
  });
});
