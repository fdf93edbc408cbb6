// The Event view and pivots in a real VS Code: the view shows the event under the cursor (in a
// hunted log and in an event document) and the selected match, Copy Value copies a row, and
// Find Events with This Value lists, in its own group of the results tree, the events that hold
// a value (counted here from the file by a reading of our own); cancelling one leaves nothing running.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { assertEvery } from '../support/assertions';
import type { HuntOutcome } from '../../src/extension/huntCommand';
import type { MatchNode, ResultNode } from '../../src/extension/resultsTree';
import type { FieldRow } from '../../src/extension/event/inspector';
import type { PivotOutcome } from '../../src/extension/event/pivot';
import type { PivotHitNode, PivotNode } from '../../src/extension/event/pivotNodes';
import { skipOrFailWithoutShared } from '../support/shared';
import { servicesCmdEvtx } from '../unit/evtx/writer';
import { corpusDir, huntWithServicesCmdOnly, label, logHunt, reset, sleep, treeRows, waitFor, writeGeneratedLog } from './helpers';

const ECS = path.join(corpusDir, 'shapes', 'psexec_smb_meterpreter.ecs.ndjson');

const huntFile = (uri: vscode.Uri) => vscode.commands.executeCommand<HuntOutcome | undefined>('logHunt.huntFile', uri);
type Api = Awaited<ReturnType<typeof logHunt>>;

function matchRows(api: Api): MatchNode[] {
  return treeRows(api).filter((r) => r.node.kind === 'rule').flatMap((rule) => treeRows(api, rule.node)).flatMap((host) => treeRows(api, host.node))
    .map((r) => r.node).filter((n): n is MatchNode => n.kind === 'match');
}

function row(api: Api, name: string): FieldRow {
  const found = api.events.inspector.fields().find((r) => r.name === name);
  assert.ok(found, `no ${name} row in ${api.events.inspector.fields().map((r) => r.name).join(', ')}`);
  return found;
}

/** Every string, number and boolean in a JSON value. */
function leaves(value: unknown, out: string[] = []): string[] {
  if (value !== null && typeof value === 'object') for (const v of Object.values(value)) leaves(v, out);
  else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out.push(String(value));
  return out;
}

/** Our own count: the records (lines) of an NDJSON file where some value equals `value`, case ignored. */
function recordsHolding(text: string, value: string): number {
  const wanted = value.toLowerCase();
  return text.split('\n').filter((l) => l.trim() !== '').filter((l) => leaves(JSON.parse(l)).some((v) => v.toLowerCase() === wanted)).length;
}

function pivotGroups(api: Api): PivotNode[] {
  return api.results.getChildren().filter((n: ResultNode): n is PivotNode => n.kind === 'pivot');
}

describe('Event view and pivots', function () {
  this.timeout(120_000);
  huntWithServicesCmdOnly();
  let dir: string;
  let ecs: vscode.Uri;
  let text: string;
  let lines: string[];

  before(function () {
    if (!fs.existsSync(ECS)) skipOrFailWithoutShared(this, 'the corpus shapes', 'inspector');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-inspector-'));
    ecs = vscode.Uri.file(path.join(dir, 'psexec.ecs.ndjson'));
    text = fs.readFileSync(ECS, 'utf8');
    lines = text.split('\n');
    fs.writeFileSync(ecs.fsPath, text);
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    await reset();
    (await logHunt()).events.inspector.show(undefined);
  });

  it('shows the event under the cursor in a hunted log, with every field of the record', async () => {
    const api = await logHunt();
    await huntFile(ecs);
    const editor = await vscode.window.showTextDocument(ecs);
    const create = lines.findIndex((l) => l.includes('"event_id":"1"') && l.includes('services.exe'));
    editor.selection = new vscode.Selection(create, 200, create, 200);
    const shown = await waitFor('the Event view', () => api.events.inspector.current, (c) => c?.title.endsWith(`line ${create + 1}`) === true);
    assert.strictEqual(shown?.event.eventId, 1);
    const raw = JSON.parse(lines[create]) as { winlog: { event_data: Record<string, string> }; process: { parent: { executable: string } } };
    for (const [name, value] of Object.entries(raw.winlog.event_data)) assert.strictEqual(row(api, name).value, value, name);
    assert.strictEqual(row(api, 'ParentImage').value, raw.process.parent.executable);
    assert.strictEqual(row(api, 'EventID').value, '1');

    // Another record: the first line, a named pipe event.
    editor.selection = new vscode.Selection(0, 10, 0, 10);
    await waitFor('the Event view to follow', () => api.events.inspector.current, (c) => c?.event.eventId === 18);
    assert.strictEqual(row(api, 'PipeName').value, '\\ntsvcs');
  });

  it('shows the selected match and the event document under the cursor; Copy Value copies a row', async () => {
    const api = await logHunt();
    await huntFile(ecs);
    const [node] = matchRows(api);
    await vscode.commands.executeCommand('logHunt.inspectMatch', node);
    assert.strictEqual(api.events.inspector.current?.field, 'Image');
    assert.strictEqual(row(api, 'Image').matched, true);
    assert.strictEqual(row(api, 'LogonId').value, node.match.event.data.LogonId);

    api.events.inspector.show(undefined);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('logHunt.openMatch', node);
    editor.selection = new vscode.Selection(3, 0, 3, 0);
    const shown = await waitFor('the event document\'s event', () => api.events.inspector.current, (c) => c !== undefined);
    assert.strictEqual(shown?.event.recordId, node.match.event.recordId);

    await vscode.commands.executeCommand('logHunt.copyFieldValue', row(api, 'TerminalSessionId'));
    assert.strictEqual(await vscode.env.clipboard.readText(), node.match.event.data.TerminalSessionId);
    await vscode.commands.executeCommand('logHunt.copyFieldValue', row(api, 'CommandLine'));
    assert.strictEqual(await vscode.env.clipboard.readText(), node.match.event.data.CommandLine);
  });

  it("follows the cursor in an .evtx record's XML; a pivot on the record's ProcessGuid searches the .evtx", async () => {
    const api = await logHunt();
    const evtx = vscode.Uri.file(path.join(dir, 'services.evtx'));
    fs.writeFileSync(evtx.fsPath, servicesCmdEvtx());
    await huntFile(evtx);
    const [node] = matchRows(api);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('logHunt.openMatch', node);
    assert.strictEqual(editor.document.uri.scheme, 'loghunt-evtx');
    const at = editor.document.positionAt(editor.document.getText().indexOf('ParentImage'));
    editor.selection = new vscode.Selection(at, at);
    await waitFor('the record in the Event view', () => api.events.inspector.current, (c) => c?.event.recordId === '2');
    assert.strictEqual(row(api, 'ParentImage').value, node.match.event.data.ParentImage);
    assert.strictEqual(row(api, 'Provider_Name').value, 'Microsoft-Windows-Sysmon');
    const guid = row(api, 'ProcessGuid').value;
    const outcome = await vscode.commands.executeCommand<PivotOutcome>('logHunt.pivot', row(api, 'ProcessGuid'));
    assert.deepStrictEqual(outcome.run?.files.map((f) => f.fsPath), [evtx.fsPath]);
    // The writer gives record 2 the ProcessGuid ...0002; record 1 has ...0001 and both parents ...0000.
    assert.strictEqual(guid, '{11111111-2222-3333-4444-000000000002}');
    assert.strictEqual(outcome.run.count, 1);
    for (const hit of outcome.run.hits) assert.ok(Object.values(hit.match.event.data).some((v) => v.toLowerCase() === guid.toLowerCase()));
  });

  it('Find Events with This Value on a ProcessGuid row lists the events that hold it, in its own group', async () => {
    const api = await logHunt();
    await huntFile(ecs);
    const [node] = matchRows(api);
    await vscode.commands.executeCommand('logHunt.inspectMatch', node);
    const guid = row(api, 'ProcessGuid');
    const expected = recordsHolding(text, guid.value);
    assert.ok(expected >= 2, `the fixture has ${expected} events with ${guid.value}`);
    const outcome = await vscode.commands.executeCommand<PivotOutcome>('logHunt.pivot', guid);
    assert.strictEqual(outcome.run?.state, 'done');
    assert.strictEqual(outcome.run.count, expected);
    assert.deepStrictEqual(outcome.run.files.map((f) => f.fsPath), [ecs.fsPath], 'the hunted file');

    const [group, ...others] = pivotGroups(api);
    assert.strictEqual(others.length, 0);
    assert.strictEqual(api.results.getChildren()[0], group, 'the pivot group comes first');
    assert.ok(api.results.getChildren().some((n) => n.kind === 'rule'), 'the hunt\'s results stay');
    const item = api.results.getTreeItem(group);
    assert.strictEqual(label(item), `Events with "${guid.value}"`);
    assert.match(String(item.description), new RegExp(`^${expected} events in 1 file`));
    const hits = api.results.getChildren(group) as PivotHitNode[];
    assert.strictEqual(hits.length, expected);
    for (const hit of hits) {
      assert.ok(hit.fields.length > 0);
      for (const field of hit.fields) assert.strictEqual(hit.match.event.data[field]?.toLowerCase(), guid.value.toLowerCase(), field);
    }
    // A result opens its event with the value selected.
    const hitItem = api.results.getTreeItem(hits[1]);
    assert.match(hitItem.contextValue ?? '', /^match pivotHit\b/);
    await vscode.commands.executeCommand(hitItem.command!.command, ...((hitItem.command!.arguments ?? []) as unknown[]));
    const editor = vscode.window.activeTextEditor;
    assert.strictEqual(editor?.document.uri.scheme, 'loghunt-event');
    assert.strictEqual(editor.document.getText(editor.selection).toLowerCase(), guid.value.toLowerCase());
  });

  it('Find Events with This Value from the editor: the hash under the cursor in an event document', async () => {
    const api = await logHunt();
    await huntFile(ecs);
    const [node] = matchRows(api);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('logHunt.openMatch', node);
    const hashes = node.match.event.data.Hashes;
    const at = editor.document.getText().indexOf(hashes);
    assert.ok(at > 0);
    const cursor = editor.document.positionAt(at + 10);
    editor.selection = new vscode.Selection(cursor, cursor);
    const outcome = await vscode.commands.executeCommand<PivotOutcome>('logHunt.pivotSelection');
    assert.strictEqual(outcome.run?.value, hashes, 'the whole value under the cursor');
    assert.strictEqual(outcome.run.count, recordsHolding(text, hashes));
    assert.ok(outcome.run.count >= 1);

    // A selection is taken as it is: the LogonId value, selected in the document.
    const logonId = node.match.event.data.LogonId;
    const start = editor.document.getText().indexOf(`"${logonId}"`) + 1;
    assert.ok(start > 0);
    editor.selection = new vscode.Selection(editor.document.positionAt(start), editor.document.positionAt(start + logonId.length));
    const selected = await vscode.commands.executeCommand<PivotOutcome>('logHunt.pivotSelection');
    assert.strictEqual(selected.run?.value, logonId);
    assert.strictEqual(selected.run.count, recordsHolding(text, logonId));
    assert.deepStrictEqual(pivotGroups(api).map((g) => g.run.value), [logonId, hashes], 'newest first, the older kept');

    // In the log itself: the whole value of the field under the cursor, found in its record.
    const log = await vscode.window.showTextDocument(ecs);
    const create = lines.findIndex((l) => l.includes('"event_id":"1"') && l.includes('services.exe'));
    const guid = node.match.event.data.LogonGuid;
    const column = lines[create].indexOf(guid) + 5;
    log.selection = new vscode.Selection(create, column, create, column);
    const inLog = await vscode.commands.executeCommand<PivotOutcome>('logHunt.pivotSelection');
    assert.strictEqual(inLog.run?.value, guid);
    assert.strictEqual(inLog.run.count, recordsHolding(text, guid));
  });

  it('cancelling a pivot stops it and leaves nothing running; the next pivot works; Clear Results removes the groups', async () => {
    const api = await logHunt();
    const big = vscode.Uri.file(path.join(dir, 'big.xml'));
    writeGeneratedLog(big.fsPath, 1000, { bytes: 40e6 });
    const cancel = new vscode.CancellationTokenSource();
    const pending = vscode.commands.executeCommand<PivotOutcome>('logHunt.pivot', { value: 'big-host', files: [big], token: cancel.token });
    await waitFor('the first events', () => api.events.pivots.all()[0]?.count ?? 0, (n) => n > 0, 60_000);
    cancel.cancel();
    const outcome = await pending;
    assert.strictEqual(outcome.run?.state, 'cancelled');
    const found = outcome.run.count;
    assert.ok(found > 0 && found < 80_000, `${found} found before the cancel`);
    await sleep(500);
    assert.strictEqual(outcome.run.count, found, 'nothing is found after the cancel');
    assertEvery(api.events.pivots.all(), (r) => r.state !== 'running', 'no pivot is still running');
    const [group] = pivotGroups(api);
    assert.match(String(api.results.getTreeItem(group).description), /^cancelled: /);

    await huntFile(ecs);
    const next = await vscode.commands.executeCommand<PivotOutcome>('logHunt.pivot', { value: 'IEWIN7' });
    assert.strictEqual(next.run?.state, 'done');
    assert.strictEqual(next.run.count, recordsHolding(text, 'IEWIN7'));
    assert.strictEqual(pivotGroups(api).length, 2);

    await vscode.commands.executeCommand('logHunt.clearResults');
    assert.strictEqual(pivotGroups(api).length, 0);
    assert.strictEqual(api.results.getChildren().length, 0);
    fs.rmSync(big.fsPath, { force: true });
  });
});
