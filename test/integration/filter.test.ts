// Filter Results…: the results view shows the matches of one host, user or file; the status bar and
// the view's description say how many of all, and Clear Filter shows everything again.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { LogHuntApi } from '../../src/extension/activate';
import type { HostNode, RuleNode } from '../../src/extension/resultsTree';
import { huntWithServicesCmdOnly, label, logHunt, reset, sleep, treeRows, waitFor } from './helpers';

/** A Sysmon process create of cmd.exe under services.exe (a CAR-2014-05-002 match) on `host` by `user`. */
function match(record: number, host: string, user: string): string {
  return (
    `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon'/>` +
    `<EventID>1</EventID><TimeCreated SystemTime='2024-06-01T00:00:${String(record % 60).padStart(2, '0')}.000Z'/><EventRecordID>${record}</EventRecordID>` +
    `<Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>${host}</Computer></System><EventData>` +
    `<Data Name='Image'>C:\\Windows\\System32\\cmd.exe</Data><Data Name='CommandLine'>cmd.exe /c echo ${record}</Data>` +
    `<Data Name='User'>${user}</Data><Data Name='ParentImage'>C:\\Windows\\System32\\services.exe</Data></EventData></Event>`
  );
}

/** The hosts and match counts the tree shows under its one rule row. */
function shownHosts(api: LogHuntApi): { rule: string; hosts: [string, string][] } {
  const rules = treeRows(api).filter((r) => r.node.kind === 'rule');
  assert.strictEqual(rules.length, 1, 'one rule row');
  const hosts = treeRows(api, rules[0].node as RuleNode).map((h) => [(h.node as HostNode).host, String(h.item.description)] as [string, string]);
  return { rule: String(rules[0].item.description), hosts };
}

describe('filter results', () => {
  huntWithServicesCmdOnly();
  let api: LogHuntApi;
  let dir: string;
  let a: vscode.Uri;
  let b: vscode.Uri;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-filter-'));
    a = vscode.Uri.file(path.join(dir, 'a.xml'));
    b = vscode.Uri.file(path.join(dir, 'b.xml'));
    // a.xml: HOST-A/alice 3, HOST-B/bob 1; b.xml: HOST-B/bob 2. Six matches in all.
    fs.writeFileSync(a.fsPath, [1, 2, 3].map((r) => match(r, 'HOST-A', 'CORP\\alice')).concat(match(4, 'HOST-B', 'CORP\\bob')).join('\n') + '\n');
    fs.writeFileSync(b.fsPath, [5, 6].map((r) => match(r, 'HOST-B', 'CORP\\bob')).join('\n') + '\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  beforeEach(async () => {
    await reset();
    api = await logHunt();
    const outcome = await api.hunt([a, b]);
    assert.strictEqual(outcome.matches, 6);
  });
  afterEach(() => vscode.commands.executeCommand('logHunt.clearFilter'));

  it('without a filter: every match, no description', () => {
    assert.deepStrictEqual(shownHosts(api), { rule: '6 matches · T1543.003', hosts: [['HOST-A', '3 matches'], ['HOST-B', '3 matches']] });
    assert.strictEqual(api.statusBar.text, '$(shield) 6 matches');
    assert.strictEqual(api.resultsView.description, undefined);
  });

  it('by host, user and file: the rows, the status bar and the view description agree; Clear Filter restores all', async () => {
    await vscode.commands.executeCommand('logHunt.filterResults', { kind: 'host', value: 'HOST-B' });
    assert.deepStrictEqual(shownHosts(api), { rule: '3 matches · T1543.003', hosts: [['HOST-B', '3 matches']] });
    assert.strictEqual(api.statusBar.text, '$(shield) 3 of 6 matches (filtered)');
    assert.strictEqual(api.resultsView.description, 'Filter: host HOST-B · 3 of 6 matches');
    assert.match(api.statusBar.tooltip ?? '', /Filter: host HOST-B, 3 shown\./);

    await vscode.commands.executeCommand('logHunt.filterResults', { kind: 'user', value: 'CORP\\alice' });
    assert.deepStrictEqual(shownHosts(api), { rule: '3 matches · T1543.003', hosts: [['HOST-A', '3 matches']] });
    assert.strictEqual(api.statusBar.text, '$(shield) 3 of 6 matches (filtered)');
    assert.strictEqual(api.resultsView.description, 'Filter: user CORP\\alice · 3 of 6 matches');

    await vscode.commands.executeCommand('logHunt.filterResults', { kind: 'file', value: b.toString() });
    assert.deepStrictEqual(shownHosts(api), { rule: '2 matches · T1543.003', hosts: [['HOST-B', '2 matches']] });
    assert.strictEqual(api.statusBar.text, '$(shield) 2 of 6 matches (filtered)');
    assert.strictEqual(api.resultsView.description, 'Filter: file b.xml · 2 of 6 matches');
    const rows = treeRows(api).map((r) => label(r.item));
    assert.ok(!rows.some((l) => l.includes('a.xml')), `no row of a.xml under the file filter: ${rows.join(' | ')}`);

    // Nothing is lost: the store still holds both files, and Clear Filter shows them again.
    await vscode.commands.executeCommand('logHunt.clearFilter');
    assert.deepStrictEqual(shownHosts(api), { rule: '6 matches · T1543.003', hosts: [['HOST-A', '3 matches'], ['HOST-B', '3 matches']] });
    assert.strictEqual(api.statusBar.text, '$(shield) 6 matches');
    assert.strictEqual(api.resultsView.description, undefined);
  });

  it('the quick pick offers the hosts, users and files with their counts; picking one filters', async () => {
    const pending = vscode.commands.executeCommand('logHunt.filterResults');
    const pick = await waitFor('the filter quick pick', () => api.filterPick, (p) => p !== undefined && p.items.length > 0);
    const offered = pick!.items.filter((i) => i.kind !== vscode.QuickPickItemKind.Separator).map((i) => `${i.label}: ${i.description}`);
    assert.deepStrictEqual(offered, [
      'HOST-A: 3 matches', 'HOST-B: 3 matches',
      'CORP\\alice: 3 matches', 'CORP\\bob: 3 matches',
      'a.xml: 4 matches', 'b.xml: 2 matches',
    ]);
    pick!.activeItems = [pick!.items.find((i) => i.label === 'CORP\\bob')!];
    await sleep(100);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await pending;
    assert.deepStrictEqual(api.resultsFilter.current?.kind, 'user');
    assert.deepStrictEqual(shownHosts(api), { rule: '3 matches · T1543.003', hosts: [['HOST-B', '3 matches']] });
    assert.strictEqual(api.statusBar.text, '$(shield) 3 of 6 matches (filtered)');
  });

  it('a new hunt keeps the filter and the counts follow it; Clear Results clears the filter', async () => {
    await vscode.commands.executeCommand('logHunt.filterResults', { kind: 'host', value: 'HOST-A' });
    assert.strictEqual(api.statusBar.text, '$(shield) 3 of 6 matches (filtered)');
    await api.hunt([b]);
    assert.strictEqual(api.statusBar.text, '$(shield) 3 of 6 matches (filtered)');
    await vscode.commands.executeCommand('logHunt.clearResults');
    assert.strictEqual(api.resultsFilter.current, undefined);
    assert.strictEqual(api.resultsView.description, undefined);
  });
});
