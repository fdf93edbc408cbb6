// VS Code's UX guidelines (issue 14, point 9): settings in task categories, a hunt's progress in
// the view it was started from, and notices that are not tree rows running a command. (No Show
// Results pop-up while the view is on screen, and the status bar's warning background only for
// warnings: tree.test.)
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { LogHuntApi } from '../../src/extension/activate';
import type { HuntOutcome } from '../../src/extension/huntCommand';
import type { ResultNode } from '../../src/extension/resultsTree';
import { fixture, huntWithServicesCmdOnly, label, logHunt, reset, sleep, writeGeneratedLog } from './helpers';

interface Category {
  id?: string;
  title: string;
  order?: number;
  properties: Record<string, { order?: number; description?: string; markdownDescription?: string }>;
}
interface Menus {
  menus: Record<string, { command: string; when?: string; group?: string }[]>;
  configuration: Category[] | Category;
}

const contributes = (): Menus => (vscode.extensions.getExtension('log-hunt.log-hunt')!.packageJSON as { contributes: Menus }).contributes;

/** Every row of the tree, depth first, with its item (children asked as VS Code asks them). */
function allRows(api: LogHuntApi, node?: ResultNode): { node: ResultNode; item: vscode.TreeItem }[] {
  const out: { node: ResultNode; item: vscode.TreeItem }[] = [];
  for (const child of api.results.getChildren(node)) {
    const item = api.results.getTreeItem(child);
    out.push({ node: child, item });
    if (item.collapsibleState !== vscode.TreeItemCollapsibleState.None) out.push(...allRows(api, child));
  }
  return out;
}

describe('VS Code UX guidelines', () => {
  huntWithServicesCmdOnly();
  beforeEach(reset);

  it('settings come in three task categories (Hunt, Rules, SIEM Queries), each ordered', () => {
    const { configuration } = contributes();
    assert.ok(Array.isArray(configuration), 'contributes.configuration is not an array of categories');
    const categories = [...configuration].sort((a, b) => (a.order ?? 1e9) - (b.order ?? 1e9));
    assert.deepStrictEqual(categories.map((c) => c.title), ['Hunt', 'Rules', 'SIEM Queries']);
    const ordered = categories.map((c) => Object.entries(c.properties).sort(([, a], [, b]) => (a.order ?? 1e9) - (b.order ?? 1e9)).map(([key]) => key));
    assert.deepStrictEqual(ordered, [
      ['logHunt.format', 'logHunt.parseEveryRecord', 'logHunt.severity', 'logHunt.maxDiagnostics', 'logHunt.huntFolder.exclude'],
      ['logHunt.rules.folders', 'logHunt.rules.builtin', 'logHunt.rules.minLevel'],
      ['logHunt.queryTarget', 'logHunt.queryStyle', 'logHunt.splunkIndex', 'logHunt.dnifLimit'],
    ]);
    for (const c of categories) for (const [key, p] of Object.entries(c.properties)) assert.ok(p.order !== undefined && (p.description || p.markdownDescription), key);
    // The workbench read them: every setting has its default.
    const config = vscode.workspace.getConfiguration('logHunt');
    assert.deepStrictEqual([config.get('format'), config.get('rules.builtin'), config.get('queryTarget')], ['auto', true, 'spl']);
  });

  it("the view's Hunt buttons show progress in the view; the palette's hunt, in a notification", async () => {
    const title = contributes().menus['view/title'].filter((m) => /view == logHunt\.results\b/.test(m.when ?? ''));
    const button = (command: string) => title.find((m) => m.command === command);
    assert.ok(button('logHunt.huntFileInView') && button('logHunt.huntFilesInView'), 'the view title hunts through its own commands');
    assert.ok(!button('logHunt.huntFile') && !button('logHunt.huntFiles'));
    assert.match(button('logHunt.cancelHunt')?.when ?? '', /logHunt\.hunting/);
    // The welcome's links are in the view too.
    const welcome = (vscode.extensions.getExtension('log-hunt.log-hunt')!.packageJSON as { contributes: { viewsWelcome: { contents: string }[] } }).contributes.viewsWelcome[0].contents;
    assert.ok(welcome.includes('(command:logHunt.huntFileInView)') && welcome.includes('(command:logHunt.huntFilesInView)'), welcome);

    await vscode.window.showTextDocument(fixture('services-cmd.xml'));
    const inView = await vscode.commands.executeCommand<HuntOutcome>('logHunt.huntFileInView');
    assert.strictEqual(inView?.progressIn, 'view');
    assert.strictEqual(inView.matches, 3);
    const fromPalette = await vscode.commands.executeCommand<HuntOutcome>('logHunt.huntFile');
    assert.strictEqual(fromPalette?.progressIn, 'notification');
    assert.strictEqual(fromPalette.matches, 3);
  });

  it("the view's Cancel Hunt stops a hunt started there, keeping what it found", async function () {
    this.timeout(180_000);
    const file = path.join(os.tmpdir(), 'lh-view-cancel.xml');
    const log = writeGeneratedLog(file, 20, { bytes: 100e6 });
    const huntInView = () => vscode.commands.executeCommand<HuntOutcome>('logHunt.huntFilesInView', [vscode.Uri.file(file)]);
    try {
      const started = Date.now();
      const full = await huntInView();
      const fullMs = Date.now() - started;
      assert.strictEqual(full.matches, log.matches);
      if (fullMs < 200) this.skip(); // too fast to cancel mid-way on this machine
      const pending = huntInView();
      await sleep(fullMs / 4);
      await vscode.commands.executeCommand('logHunt.cancelHunt');
      const outcome = await pending;
      assert.strictEqual(outcome.progressIn, 'view');
      assert.strictEqual(outcome.cancelled, true, 'the hunt was not cancelled');
      // Cancelled before the file began (rules still loading), nothing was hunted; else the file is marked partial.
      if (outcome.files.length > 0) assert.ok(outcome.files[0].partial, `not marked partial: ${JSON.stringify({ fullMs, files: outcome.files })}`);
      assert.ok(outcome.matches < log.matches, `${outcome.matches} of ${log.matches} matches`);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('notices are not tree rows that run a command: the hunt-wide ones are the view\'s message', async () => {
    const api = await logHunt();
    await vscode.commands.executeCommand('logHunt.huntFiles', [fixture('malformed.xml'), fixture('network-only.xml'), fixture('services-cmd.xml')]);
    const rows = allRows(api);
    assert.ok(rows.some((r) => r.node.kind === 'match'), 'no match rows');
    assert.ok(rows.some((r) => r.node.kind === 'notice'), 'no notice rows (the nothing-found one was expected)');
    for (const { node, item } of rows) if (node.kind === 'notice') assert.strictEqual(item.command, undefined, `${label(item)} runs ${item.command?.command}`);
    assert.match(api.resultsView.message ?? '', /^Skipped 1 malformed record in malformed\.xml: /m);
    assert.match(api.resultsView.message ?? '', /^Hunted with 1 selected rule: /m);
    // Show Output, which the malformed row's click ran, is in the view's … menu.
    assert.ok(contributes().menus['view/title'].some((m) => m.command === 'logHunt.showOutput' && !m.group?.startsWith('navigation')));
    await vscode.commands.executeCommand('logHunt.clearResults');
    assert.strictEqual(api.resultsView.message, undefined, 'the welcome content shows alone once cleared');
  });
});
