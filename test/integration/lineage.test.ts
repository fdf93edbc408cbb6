// The process tree under a match: computed when its row is first expanded, ancestors down to the
// matched process (highlighted) and its descendants, each row revealing its process create.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { LogHuntApi } from '../../src/extension/activate';
import type { ExportOutcome } from '../../src/extension/exportCommand';
import type { ResultNode } from '../../src/extension/resultsTree';
import { servicesCmdEvtx } from '../unit/evtx/writer';
import { huntWithServicesCmdOnly, label, logHunt, reset, Row, treeRows } from './helpers';

const SYS = 'C:\\Windows\\System32\\';

/** A Sysmon process create on one line; `n` is its line's number in the file (for the reveal check). */
function create(n: number, guid: string, parentGuid: string, image: string, commandLine: string, parentImage: string): string {
  const id = (g: string) => `{11111111-2222-3333-4444-00000000000${g}}`;
  return `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon'/>` +
    `<EventID>1</EventID><TimeCreated SystemTime='2024-06-01T10:00:0${n}.000Z'/><EventRecordID>${n}</EventRecordID>` +
    `<Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>LIN-HOST</Computer></System><EventData>` +
    `<Data Name='UtcTime'>2024-06-01 10:00:0${n}.000</Data><Data Name='ProcessGuid'>${id(guid)}</Data><Data Name='ProcessId'>10${n}</Data>` +
    `<Data Name='Image'>${image}</Data><Data Name='CommandLine'>${commandLine}</Data><Data Name='User'>NT AUTHORITY\\SYSTEM</Data>` +
    `<Data Name='ParentProcessGuid'>${id(parentGuid)}</Data><Data Name='ParentImage'>${parentImage}</Data></EventData></Event>`;
}

/** wininit -> services -> cmd /c whoami (the match) -> whoami -> conhost, and an unrelated svchost. */
const LOG = ['<Events>',
  create(2, '1', '0', `${SYS}wininit.exe`, 'wininit.exe', ''),
  create(3, '2', '1', `${SYS}services.exe`, `${SYS}services.exe`, `${SYS}wininit.exe`),
  create(4, '3', '2', `${SYS}cmd.exe`, 'cmd.exe /c whoami', `${SYS}services.exe`),
  create(5, '4', '3', `${SYS}whoami.exe`, 'whoami', `${SYS}cmd.exe`),
  create(6, '5', '4', `${SYS}conhost.exe`, 'conhost.exe 0xffffffff', `${SYS}whoami.exe`),
  create(7, '6', '2', `${SYS}svchost.exe`, 'svchost.exe -k netsvcs', `${SYS}services.exe`),
  '</Events>', ''].join('\n');

describe('process lineage in the results tree', () => {
  huntWithServicesCmdOnly();
  let api: LogHuntApi;
  let dir: string;
  let log: vscode.Uri;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-lineage-'));
    fs.writeFileSync(path.join(dir, 'chain.xml'), LOG);
    log = vscode.Uri.file(path.join(dir, 'chain.xml'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    await reset();
    api = await logHunt();
    await vscode.commands.executeCommand('logHunt.huntFile', log);
  });

  function matchRow(): Row {
    const [rule] = treeRows(api);
    const [host] = treeRows(api, rule.node);
    const [match] = treeRows(api, host.node);
    assert.strictEqual(match.node.kind, 'match');
    return match;
  }

  /** The only child of each row from `node` down, with its label, while there is exactly one. */
  function chain(node: ResultNode): Row[] {
    const out: Row[] = [];
    for (let rows = treeRows(api, node); rows.length === 1; rows = treeRows(api, rows[0].node)) out.push(rows[0]);
    return out;
  }

  it('does not compute lineage during the hunt', () => {
    const match = matchRow();
    assert.strictEqual(match.item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.strictEqual(match.node.kind === 'match' && match.node.match.lineage, undefined);
  });

  it('shows ancestors down to the highlighted matched process, and its descendants under it', async () => {
    const [tree] = treeRows(api, matchRow().node);
    assert.strictEqual(label(tree.item), 'Process tree');
    // The first expansion starts the pass and says so.
    const first = treeRows(api, tree.node);
    assert.deepStrictEqual(first.map((r) => label(r.item)), ['Reading the process creates of the hunted files…']);
    await api.results.lineage.pending;
    const rows = chain(tree.node);
    assert.deepStrictEqual(rows.map((r) => label(r.item)), [
      'wininit.exe · wininit.exe',
      'services.exe · C:\\Windows\\System32\\services.exe',
      'cmd.exe · cmd.exe /c whoami',
      'whoami.exe · whoami',
      'conhost.exe · conhost.exe 0xffffffff',
    ]);
    const matched = rows[2].item;
    assert.strictEqual(matched.description, 'matched process · 2024-06-01T10:00:04.000Z · pid 104');
    assert.strictEqual((matched.iconPath as vscode.ThemeIcon).id, 'target');
    assert.strictEqual((rows[1].item.iconPath as vscode.ThemeIcon).id, 'server-process');
    assert.strictEqual(rows[0].item.description, '2024-06-01T10:00:02.000Z · pid 102');
    // The sibling svchost is not under the matched cmd.exe.
    assert.ok(!rows.some((r) => label(r.item).startsWith('svchost')));
    // Every stored match now carries its lineage, for the exports.
    const match = matchRow().node;
    assert.strictEqual(match.kind === 'match' && match.match.lineage?.parent?.image, `${SYS}services.exe`);
  });

  it('reveals a process create at its event', async () => {
    const [tree] = treeRows(api, matchRow().node);
    treeRows(api, tree.node);
    await api.results.lineage.pending;
    const rows = chain(tree.node);
    for (const [i, line] of [[0, 1], [3, 4]]) {
      const command = rows[i].item.command!;
      await vscode.commands.executeCommand(command.command, ...((command.arguments ?? []) as unknown[]));
      const editor = vscode.window.activeTextEditor;
      assert.strictEqual(editor?.document.uri.toString(), log.toString());
      assert.strictEqual(editor.selection.start.line, line, label(rows[i].item));
    }
  });

  it('puts the lineage in an export once computed', async () => {
    const [tree] = treeRows(api, matchRow().node);
    treeRows(api, tree.node);
    await api.results.lineage.pending;
    const out = path.join(dir, 'with-lineage.jsonl');
    await vscode.commands.executeCommand<ExportOutcome>('logHunt.exportResults', 'jsonl', vscode.Uri.file(out));
    const [line] = fs.readFileSync(out, 'utf8').split('\n');
    const parsed = JSON.parse(line) as { lineage: { ancestors: { image: string }[]; descendants: { image: string }[] } };
    assert.deepStrictEqual(parsed.lineage.ancestors.map((a) => a.image), [`${SYS}services.exe`, `${SYS}wininit.exe`]);
    assert.deepStrictEqual(parsed.lineage.descendants.map((a) => a.image), [`${SYS}whoami.exe`, `${SYS}conhost.exe`]);
  });

  it('a cancelled pass says so, and its row starts it again', async () => {
    const cancel = new vscode.CancellationTokenSource();
    cancel.cancel();
    await api.results.lineage.build(cancel.token);
    const [tree] = treeRows(api, matchRow().node);
    const [note] = treeRows(api, tree.node);
    assert.strictEqual(label(note.item), 'Lineage cancelled. Click to read the process creates again');
    await vscode.commands.executeCommand(note.item.command!.command);
    assert.deepStrictEqual(chain(tree.node).map((r) => label(r.item)).slice(0, 3), [
      'wininit.exe · wininit.exe', 'services.exe · C:\\Windows\\System32\\services.exe', 'cmd.exe · cmd.exe /c whoami',
    ]);
  });

  it('reveals the matched process of an .evtx in its record', async () => {
    const evtx = vscode.Uri.file(path.join(dir, 'services.evtx'));
    fs.writeFileSync(evtx.fsPath, servicesCmdEvtx());
    await reset();
    await vscode.commands.executeCommand('logHunt.huntFile', evtx);
    const [tree] = treeRows(api, matchRow().node);
    treeRows(api, tree.node);
    await api.results.lineage.pending;
    const matched = chain(tree.node).find((r) => String(r.item.description).startsWith('matched process'));
    assert.ok(matched, 'no matched process row');
    await vscode.commands.executeCommand(matched.item.command!.command, ...((matched.item.command!.arguments ?? []) as unknown[]));
    const editor = vscode.window.activeTextEditor;
    assert.strictEqual(editor?.document.uri.scheme, 'loghunt-evtx');
    assert.ok(editor.document.uri.path.endsWith('services.evtx.record-2.xml'), editor.document.uri.toString());
    assert.match(editor.document.getText(), /services\.exe/);
  });

  it('a hunted file deleted since its hunt is passed over; the others give their lineage', async () => {
    const gone = path.join(dir, 'gone.xml');
    fs.writeFileSync(gone, LOG);
    await vscode.commands.executeCommand('logHunt.huntFiles', [log, vscode.Uri.file(gone)]);
    fs.rmSync(gone);
    const [rule] = treeRows(api);
    const [host] = treeRows(api, rule.node);
    const inChain = treeRows(api, host.node).find((r) => r.node.kind === 'match' && r.node.uri.toString() === log.toString())!;
    const [tree] = treeRows(api, inChain.node);
    treeRows(api, tree.node);
    await api.results.lineage.pending;
    assert.deepStrictEqual(chain(tree.node).map((r) => label(r.item)).slice(0, 3), [
      'wininit.exe · wininit.exe', 'services.exe · C:\\Windows\\System32\\services.exe', 'cmd.exe · cmd.exe /c whoami',
    ]);
  });

  it('forgets the lineage when the results change', async () => {
    const [tree] = treeRows(api, matchRow().node);
    treeRows(api, tree.node);
    await api.results.lineage.pending;
    await vscode.commands.executeCommand('logHunt.huntFile', log);
    const [again] = treeRows(api, matchRow().node);
    assert.deepStrictEqual(treeRows(api, again.node).map((r) => label(r.item)), ['Reading the process creates of the hunted files…']);
    await api.results.lineage.pending;
  });
});
