// The results view: its rows, what a match row's click and menus do, and its caps.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { LogHuntApi } from '../../src/extension/activate';
import type { HostNode, ResultNode, RuleNode } from '../../src/extension/resultsTree';
import { plainNotification } from '../../src/extension/markdown';
import type { HuntOutcome } from '../../src/extension/huntCommand';
import { acceptQuickPicksUntil, fixture, huntWithServicesCmdOnly, logHunt, matchDiagnostics, reset, sleep, withSetting, writeGeneratedLog } from './helpers';

async function rows(api: LogHuntApi, node?: ResultNode): Promise<{ node: ResultNode; item: vscode.TreeItem }[]> {
  return api.results.getChildren(node).map((child) => ({ node: child, item: api.results.getTreeItem(child) }));
}

/** The parts of Copy Match as JSON's text that the test reads. */
interface CopiedMatch {
  rule: { id: string; level: string };
  field: string;
  valueRange: { start: unknown };
  file: string;
  event: { System: Record<string, string>; EventData: Record<string, string> };
}

const label = (item: vscode.TreeItem): string => (typeof item.label === 'string' ? item.label : item.label?.label ?? '');

/** The view's message says the hunt ran with the selected rule (huntWithServicesCmdOnly) only: no tree row. */
const SELECTED_NOTICE = 'Hunted with 1 selected rule: Select Rules… changes them.';

describe('results tree', () => {
  huntWithServicesCmdOnly();
  let api: LogHuntApi;
  beforeEach(async () => {
    await reset();
    api = await logHunt();
  });

  it('is empty before a hunt, so the welcome view shows', async () => {
    assert.deepStrictEqual(await rows(api), []);
  });

  it('lists rule -> host -> match with counts, ATT&CK id and labels', async () => {
    await vscode.commands.executeCommand('logHunt.huntFile', fixture('services-cmd.xml'));
    const roots = await rows(api);
    assert.deepStrictEqual(roots.map((r) => label(r.item)), ['Services launching Cmd']);
    assert.strictEqual(api.resultsView.message, SELECTED_NOTICE);
    const analytic = roots[0];
    assert.strictEqual(analytic.item.description, '3 matches · T1543.003');
    assert.strictEqual(analytic.item.contextValue, 'rule car query');
    assert.strictEqual((analytic.item.iconPath as vscode.ThemeIcon).id, 'error');

    const hosts = await rows(api, analytic.node);
    assert.deepStrictEqual(hosts.map((h) => [label(h.item), h.item.description]), [
      ['HOST-A.lab.test', '2 matches'],
      ['HOST-B.lab.test', '1 match'],
    ]);
    const hostA = await rows(api, hosts[0].node);
    assert.strictEqual(label(hostA[0].item), 'services.exe → cmd.exe /c sc start updater');
    assert.ok(label(hostA[1].item).startsWith('services.exe → C:\\Windows\\System32\\cmd.exe /c start /b /min powershell.exe'), label(hostA[1].item));
    assert.strictEqual(hostA[0].item.description, '2024-05-01T09:00:01.000Z · services-cmd.xml:3');
    assert.strictEqual(hostA[0].item.contextValue, 'match commandLine');
    assert.strictEqual(hostA[0].item.command?.command, 'logHunt.openMatch');
    // Its one child is the Process tree (lineage.test.ts), computed only when expanded.
    assert.deepStrictEqual((await rows(api, hostA[0].node)).map((r) => label(r.item)), ['Process tree']);
    assert.strictEqual(hostA[0].item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
  });

  it('merges hunted files and adds notices: nothing found (why) in the tree, malformed records in the view\'s message', async () => {
    await vscode.commands.executeCommand('logHunt.huntFiles', [fixture('malformed.xml'), fixture('network-only.xml')]);
    const roots = await rows(api);
    assert.deepStrictEqual(roots.map((r) => label(r.item)), [
      'Services launching Cmd',
      'No matches in network-only.xml',
      'No near misses in network-only.xml',
    ]);
    assert.match(String(roots[1].item.description), /no Sysmon process creates/);
    assert.strictEqual(api.resultsView.message, `Skipped 1 malformed record in malformed.xml: the output "Log Hunt" says where and why.\n${SELECTED_NOTICE}`);
  });

  it('a match tooltip is untrusted Markdown that shows log text literally', async () => {
    await vscode.commands.executeCommand('logHunt.huntFile', fixture('services-cmd.xml'));
    const [analytic] = await rows(api);
    const hostB = (await rows(api, analytic.node)).find((h) => label(h.item) === 'HOST-B.lab.test')!;
    const [match] = await rows(api, hostB.node);
    const tooltip = match.item.tooltip as vscode.MarkdownString;
    assert.ok(tooltip instanceof vscode.MarkdownString);
    assert.strictEqual(tooltip.isTrusted, false);
    assert.strictEqual(tooltip.supportHtml, false);
    assert.strictEqual(tooltip.supportThemeIcons, false);
    // The command line: cmd.exe /c echo **pwned** <b>x</b> [click](command:workbench.action.quit) $(alert) & exit
    const md = tooltip.value;
    const escaped = String.raw`cmd\.exe \/c echo \*\*pwned\*\* \<b\>x\<\/b\> \[click\]\(command\:workbench\.action\.quit\) \$\(alert\) \& exit`;
    assert.ok(md.includes(`- **CommandLine**: ${escaped}\n`), md);
    assert.ok(!md.includes('[click](command:'), md);
    // Every field of the event is listed, and the one that decided the match is marked.
    for (const field of ['Image', 'ParentImage', 'CommandLine', 'User', 'Hashes', 'record id', 'computer']) {
      assert.ok(md.includes(`**${field}**`), `${field} missing from ${md}`);
    }
    assert.ok(md.includes('- **Image** (matched): C\\:\\\\Windows'), md);
  });

  it("Reveal in File opens the match's file with the Image range selected and revealed (a row's click opens its event: eventDocument.test)", async () => {
    const uri = fixture('services-cmd.xml');
    await vscode.commands.executeCommand('logHunt.huntFile', uri);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const [analytic] = await rows(api);
    const [hostA] = await rows(api, analytic.node);
    const matches = await rows(api, hostA.node);
    const second = matches[1];
    await vscode.commands.executeCommand('logHunt.revealMatch', second.node);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'no active editor');
    assert.strictEqual(editor.document.uri.toString(), uri.toString());
    const expected = matchDiagnostics(uri)[2].range;
    assert.ok(editor.selection.isEqual(expected), `selection ${JSON.stringify(editor.selection)} != ${JSON.stringify(expected)}`);
    assert.strictEqual(editor.document.getText(editor.selection), 'C:\\Windows\\System32\\cmd.exe');
    assert.ok(editor.visibleRanges.some((r) => r.contains(expected.start)), 'range not revealed');
  });

  it('Copy Command Line and Copy Match as JSON fill the clipboard', async () => {
    await vscode.commands.executeCommand('logHunt.huntFile', fixture('services-cmd.xml'));
    const [analytic] = await rows(api);
    const [hostA] = await rows(api, analytic.node);
    const [first] = await rows(api, hostA.node);
    await vscode.commands.executeCommand('logHunt.copyCommandLine', first.node);
    assert.strictEqual(await vscode.env.clipboard.readText(), 'cmd.exe /c sc start updater');
    await vscode.commands.executeCommand('logHunt.copyMatchJson', first.node);
    const json = JSON.parse(await vscode.env.clipboard.readText()) as CopiedMatch;
    assert.deepStrictEqual([json.rule.id, json.rule.level, json.field], ['CAR-2014-05-002', 'high', 'Image']);
    assert.strictEqual(json.file, fixture('services-cmd.xml').fsPath);
    assert.strictEqual(json.event.EventData.ParentImage, 'C:\\Windows\\System32\\services.exe');
    assert.deepStrictEqual(json.valueRange.start, { line: 3, column: 589 });
  });

  it('logHunt.maxDiagnostics caps Problems; the tree lists more and says when it is capped too', async function () {
    this.timeout(120_000);
    const file = path.join(os.tmpdir(), 'lh-many-matches.xml');
    // One more block than the tree keeps (10,000), each block a single match.
    const log = writeGeneratedLog(file, 1, { blocks: 10_050 });
    try {
      const uri = vscode.Uri.file(file);
      await withSetting('maxDiagnostics', 5, () => vscode.commands.executeCommand('logHunt.huntFile', uri));
      assert.strictEqual(matchDiagnostics(uri).length, 5);
      const roots = await rows(api);
      assert.deepStrictEqual(roots.map((r) => label(r.item)), [
        'Services launching Cmd',
        'Listing 10,000 of 10,050 matches in lh-many-matches.xml',
        'Problems shows 5 of 10,050 matches in lh-many-matches.xml',
      ]);
      assert.strictEqual(roots[0].item.description, '10,050 matches, 10,000 listed · T1543.003');
      const [host] = await rows(api, roots[0].node);
      assert.strictEqual((host.node as HostNode).matches.length, 10_000);
      assert.strictEqual((roots[0].node as RuleNode).count, log.matches);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('Generate SIEM Query on a CAR rule row uses that analytic', async () => {
    await vscode.commands.executeCommand('logHunt.huntFile', fixture('services-cmd.xml'));
    const [analytic] = await rows(api);
    // The row's menu passes the node; target and style come from the quick picks, which we accept.
    const pending = vscode.commands.executeCommand<{ target: string } | undefined>('logHunt.generateQuery', analytic.node);
    const outcome = await acceptQuickPicksUntil(pending);
    assert.strictEqual(outcome?.target, 'spl');
    assert.strictEqual(vscode.window.activeTextEditor?.document.languageId, 'spl');
  });
});

describe('results tree: several files', () => {
  huntWithServicesCmdOnly();
  let api: LogHuntApi;
  let dir: string;
  const S = 'C:\\Windows\\System32\\services.exe';
  const C = 'C:\\Windows\\System32\\cmd.exe';
  before(async () => {
    await reset();
    api = await logHunt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-several-'));
    // Sysmon's UtcTime in JSON lines, SystemTime with 7 digits in XML: two formats of one clock.
    const json = (time: string, commandLine: string) => JSON.stringify({
      EventID: 1, SourceName: 'Microsoft-Windows-Sysmon', Hostname: 'HOST-M', UtcTime: time, Image: C, ParentImage: S, CommandLine: commandLine,
    });
    fs.writeFileSync(path.join(dir, 'a.jsonl'), [json('2019-04-30 20:26:53.000', 'cmd.exe /c late.bat'), json('2019-04-30 20:26:51.793', 'cmd.exe /c malwr.vbs')].join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'b.xml'), '<Events>\n' +
      "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon'/>" +
      "<EventID>1</EventID><TimeCreated SystemTime='2019-04-30T20:26:52.7935890Z'/><EventRecordID>7</EventRecordID>" +
      `<Computer>HOST-M</Computer></System><EventData><Data Name='Image'>${C}</Data>` +
      `<Data Name='CommandLine'>cmd.exe /c middle.cmd</Data><Data Name='ParentImage'>${S}</Data></EventData></Event>\n</Events>\n`);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('rows say their file and line, are sorted by time in ISO 8601 UTC, and lead with parent → command line', async () => {
    await vscode.commands.executeCommand('logHunt.huntFiles', [vscode.Uri.file(dir)]);
    const [analytic] = await rows(api);
    assert.strictEqual(analytic.item.description, '3 matches · T1543.003');
    const [host] = await rows(api, analytic.node);
    const matches = await rows(api, host.node);
    assert.deepStrictEqual(matches.map((m) => [label(m.item), m.item.description]), [
      ['services.exe → cmd.exe /c malwr.vbs', '2019-04-30T20:26:51.793Z · a.jsonl:2'],
      ['services.exe → cmd.exe /c middle.cmd', '2019-04-30T20:26:52.793Z · b.xml:2'],
      ['services.exe → cmd.exe /c late.bat', '2019-04-30T20:26:53.000Z · a.jsonl:1'],
    ]);
  });

  it('the status bar counts what the tree lists, and names the files once', async () => {
    await vscode.commands.executeCommand('logHunt.huntFiles', [vscode.Uri.file(dir)]);
    assert.strictEqual(api.statusBar.text, '$(shield) 3 matches');
    assert.strictEqual(api.statusBar.tooltip, 'Log Hunt: 3 matches in 2 files. Click to show the results.');
    // A later hunt of one more file adds to the tree; the status bar follows it.
    await vscode.commands.executeCommand('logHunt.huntFile', fixture('services-cmd.xml'));
    assert.strictEqual(api.statusBar.text, '$(shield) 6 matches');
    assert.strictEqual(api.statusBar.tooltip, 'Log Hunt: 6 matches in 3 files. Click to show the results.');
  });

  it('matches alone do not give the status bar the warning background', async () => {
    await vscode.commands.executeCommand('logHunt.clearResults');
    await vscode.commands.executeCommand('logHunt.huntFiles', [vscode.Uri.file(dir)]);
    assert.strictEqual(api.statusBar.text, '$(shield) 3 matches');
    assert.strictEqual(api.statusBar.background, undefined);
  });

  it('the closing notification offers Show Results only when the results view is not on screen', async () => {
    const hunt = () => vscode.commands.executeCommand<HuntOutcome>('logHunt.huntFiles', [vscode.Uri.file(dir)]);
    await vscode.commands.executeCommand('workbench.view.explorer');
    assert.deepStrictEqual((await hunt()).actions, ['Show Results']);
    await vscode.commands.executeCommand('logHunt.results.focus');
    await sleep(300);
    assert.deepStrictEqual((await hunt()).actions, []);
  });
});

describe('notification text', () => {
  it('file names and messages cannot become command links in a notification', () => {
    const hostile = 'Log Hunt: 1 match in [click](command:workbench.action.terminal.new).xml';
    const shown = plainNotification(hostile);
    assert.ok(!/\]\(command:/.test(shown), shown);
    assert.equal(shown, 'Log Hunt: 1 match in [click] (command:workbench.action.terminal.new).xml');
    assert.equal(plainNotification('evil\u202Egpj.exe'), 'evil<U+202E>gpj.exe');
  });
});
