// Rules in a real VS Code: the logHunt.rules.* settings, Select Rules, the results tree by rule,
// diagnostics and hovers by rule level, and the reload when a rule file changes. The Sigma rules
// are test/fixtures/rules (the workspace is test/fixtures, so the relative folder is `rules`).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { LoadedRules } from '../../src/engine';
import type { HuntOutcome } from '../../src/extension/huntCommand';
import type { HostNode, RuleNode } from '../../src/extension/resultsTree';
import type { QueryOutcome } from '../../src/extension/queryCommand';
import { assertEvery } from '../support/assertions';
import {
  acceptQuickPicksUntil, CAR_SERVICES_CMD, fixture, label, logHunt, repoRoot, reset, selectRules, treeRows, waitFor, withSetting, withSettings,
} from './helpers';

const WHOAMI = '0d3c1a47-6a6e-4c57-9d0b-6a0b9f3e7a01';
const NET_USER = '6f2b9f0e-1c0a-4d5e-9a3b-2b7c8d9e0f12';
const SERVICES_CHILD = '9a1e3c5d-7b2f-4e6a-8c0d-1f2e3a4b5c6d';
const SMB = '3c4d5e6f-7a8b-4c9d-0e1f-2a3b4c5d6e7f';
const RULES_DIR = path.join(repoRoot, 'test', 'fixtures', 'rules');

/** The fixture rules alone: the built-in library off, so counts do not move when it grows. */
const FIXTURE_RULES = { 'rules.folders': ['rules'], 'rules.builtin': false };

const huntFile = (uri: vscode.Uri) => vscode.commands.executeCommand<HuntOutcome | undefined>('logHunt.huntFile', uri);
const ids = (loaded: LoadedRules): string[] => loaded.rules.map((r) => r.info.id).sort();
const codeOf = (d: vscode.Diagnostic) => d.code as { value: string; target: vscode.Uri };

/** Log Hunt's match diagnostics on `uri`, by rule id. */
function byRule(uri: vscode.Uri): Map<string, vscode.Diagnostic[]> {
  const out = new Map<string, vscode.Diagnostic[]>();
  for (const d of vscode.languages.getDiagnostics(uri)) {
    if (d.source !== 'Log Hunt' || typeof d.code !== 'object') continue;
    out.set(codeOf(d).value, [...(out.get(codeOf(d).value) ?? []), d]);
  }
  return out;
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

describe('rules: settings', () => {
  beforeEach(reset);

  it('a relative folder resolves against the workspace folder; subfolders are read; other products are skipped', async () => {
    const api = await logHunt();
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.strictEqual(workspace && path.resolve(workspace), path.dirname(RULES_DIR), 'the harness opens test/fixtures as the workspace');
    await withSettings(FIXTURE_RULES, async () => {
      const loaded = await api.rules.current();
      assert.deepStrictEqual(api.rules.folders(), [RULES_DIR]);
      assert.deepStrictEqual(ids(loaded), [WHOAMI, NET_USER, SERVICES_CHILD, SMB].sort());
      assertEvery(loaded.rules, (r) => r.info.kind === 'sigma', 'rules from the folder');
      assert.deepStrictEqual(loaded.skipped.map((s) => [path.relative(RULES_DIR, s.source), s.category]), [[path.join('linux', 'linux-only.yml'), 'not windows']]);
    });
  });

  it('logHunt.rules.builtin adds the built-in CAR library to the folder rules (on by default)', async () => {
    const api = await logHunt();
    const loaded = await withSetting('rules.folders', ['rules'], () => api.rules.current());
    const car = loaded.rules.filter((r) => r.info.kind === 'car').map((r) => r.info.id);
    assert.ok(car.includes(CAR_SERVICES_CMD), car.join(', '));
    assert.strictEqual(loaded.rules.length, car.length + 4);
    // Back to the defaults: the built-in library alone.
    assertEvery((await api.rules.current()).rules, (r) => r.info.kind === 'car', 'rules by default');
  });

  it('logHunt.rules.minLevel leaves out the rules below it, built-in ones too', async () => {
    const api = await logHunt();
    const medium = await withSettings({ ...FIXTURE_RULES, 'rules.minLevel': 'medium' }, () => api.rules.current());
    assert.deepStrictEqual(ids(medium), [WHOAMI, NET_USER].sort());
    const high = await withSettings({ 'rules.minLevel': 'high' }, () => api.rules.current());
    assert.ok(high.rules.length > 0);
    assert.ok(high.rules.every((r) => r.info.level === 'high' || r.info.level === 'critical'), high.rules.map((r) => `${r.info.id} ${r.info.level}`).join(', '));
  });

  it('with no rule at all, a hunt says so and offers the settings instead of finding nothing', async () => {
    const outcome = await withSetting('rules.builtin', false, () => huntFile(fixture('services-cmd.xml')));
    assert.strictEqual(outcome?.matches, 0);
    assert.strictEqual(outcome.files[0].error, 'no rules to hunt with');
    assert.deepStrictEqual(byRule(fixture('services-cmd.xml')).size, 0);
  });
});

describe('rules: Select Rules', () => {
  beforeEach(reset);
  afterEach(() => selectRules([]));

  it('the selection limits the next hunts, is remembered, and shows in the results', async () => {
    const api = await logHunt();
    await withSettings(FIXTURE_RULES, async () => {
      const uri = fixture('services-cmd.jsonl');
      const selected = await selectRules([WHOAMI.toUpperCase()]);
      assert.deepStrictEqual(selected, { ids: [WHOAMI], unknown: [] });
      assert.deepStrictEqual(api.selectedRules.ids, [WHOAMI]);
      const outcome = await huntFile(uri);
      assert.strictEqual(outcome?.matches, 1);
      assert.deepStrictEqual([...byRule(uri).keys()], [WHOAMI]);
      // Said above the tree (the view's message), not by a row that runs Select Rules.
      assert.match(api.resultsView.message ?? '', /^Hunted with 1 selected rule: Select Rules… changes them\.$/m);

      // Clearing the selection: every loaded rule again.
      assert.deepStrictEqual(await selectRules([]), { ids: undefined, unknown: [] });
      assert.strictEqual((await huntFile(uri))?.matches, 3);
    });
  });

  it('unknown ids are reported and leave the selection as it was', async () => {
    await selectRules([CAR_SERVICES_CMD]);
    const outcome = await selectRules(['no-such-rule']);
    assert.deepStrictEqual(outcome, { ids: [CAR_SERVICES_CMD], unknown: ['no-such-rule'] });
  });

  it('the quick pick opens with the selection checked; Enter keeps it', async () => {
    await selectRules([CAR_SERVICES_CMD]);
    const kept = await acceptQuickPicksUntil(vscode.commands.executeCommand<{ ids?: string[] }>('logHunt.selectRules'));
    assert.deepStrictEqual(kept?.ids, [CAR_SERVICES_CMD]);
    await selectRules([]);
    // No selection: "All rules" is checked, and Enter keeps every rule.
    const all = await acceptQuickPicksUntil(vscode.commands.executeCommand<{ ids?: string[] }>('logHunt.selectRules'));
    assert.ok(all, 'the pick was dismissed');
    assert.strictEqual(all.ids, undefined);
  });

  it('a selection whose rules no longer load stops the hunt with a word, not an empty result', async () => {
    await withSettings(FIXTURE_RULES, async () => {
      await selectRules([WHOAMI]);
      const outcome = await withSetting('rules.minLevel', 'high', () => huntFile(fixture('services-cmd.jsonl')));
      assert.strictEqual(outcome?.files[0].error, 'no rules to hunt with');
    });
  });
});

describe('rules: results tree', () => {
  beforeEach(reset);

  it('groups rule -> host -> event, most severe rule first, with level icons', async () => {
    const api = await logHunt();
    await withSettings(FIXTURE_RULES, () => huntFile(fixture('services-cmd.jsonl')));
    const roots = treeRows(api);
    const rules = roots.filter((r) => r.node.kind === 'rule');
    assert.deepStrictEqual(rules.map((r) => [label(r.item), r.item.description]), [
      ['Local account added with net user', '1 match · T1136.001'],
      ['Whoami discovery', '1 match · T1033'],
      ['Child of services.exe', '1 match · T1569.002'],
    ]);
    const icons = rules.map((r) => r.item.iconPath as vscode.ThemeIcon);
    assert.deepStrictEqual(icons.map((i) => [i.id, i.color?.id]), [
      ['error', 'problemsErrorIcon.foreground'],
      ['warning', 'problemsWarningIcon.foreground'],
      ['lightbulb', 'descriptionForeground'],
    ]);
    assertEvery(rules.map((r) => r.item.contextValue), (v) => v === 'rule sigma', 'context values of the rule rows');

    const [host] = treeRows(api, rules[0].node);
    assert.deepStrictEqual([label(host.item), host.item.description], ['HOST-E.lab.test', '1 match']);
    assert.strictEqual((host.node as HostNode).ruleId, NET_USER);
    const [event] = treeRows(api, host.node);
    assert.strictEqual(label(event.item), 'services.exe → cmd.exe /c "net user backup P@ss /add"');
    // Sysmon's UtcTime (2024-05-04 12:00:02.000) in ISO 8601 UTC, and where the event is.
    assert.strictEqual(event.item.description, '2024-05-04T12:00:02.000Z · services-cmd.jsonl:2');
    assert.strictEqual(event.item.contextValue, 'match commandLine');

    // The skipped Linux rule is counted above the results (the view's message; Show Output is in the view's … menu).
    assert.match(api.resultsView.message ?? '', /^1 rule skipped: Log Hunt cannot run them \(the output "Log Hunt" lists why\)\.$/m);
    assert.ok(!roots.some((r) => r.node.kind === 'notice' && r.item.command), 'a notice row runs a command');
  });

  it("a rule row's tooltip is the rule, escaped, in untrusted Markdown", async () => {
    const api = await logHunt();
    await withSettings(FIXTURE_RULES, () => huntFile(fixture('services-cmd.jsonl')));
    const whoami = treeRows(api).find((r) => r.node.kind === 'rule' && r.node.rule.id === WHOAMI)!;
    const tooltip = whoami.item.tooltip as vscode.MarkdownString;
    assert.ok(tooltip instanceof vscode.MarkdownString);
    assert.strictEqual(tooltip.isTrusted, false);
    assert.strictEqual(tooltip.supportHtml, false);
    assert.strictEqual(tooltip.supportThemeIcons, false);
    const md = tooltip.value;
    assert.ok(md.startsWith('**Whoami discovery**'), md);
    for (const expected of [
      `- id: ${WHOAMI.replace(/-/g, '\\-')}`,
      '- level: medium',
      '- author: Log Hunt tests \\[me\\]\\(command\\:workbench\\.action\\.quit\\)',
      '- ATT&CK: T1033'.replace('&', '\\&'),
      '- tactics: discovery',
      'Hostile text for the tests\\: \\*\\*bold\\*\\* \\<b\\>x\\<\\/b\\> \\[click\\]\\(command\\:workbench\\.action\\.quit\\) \\$\\(alert\\)',
      '- Admins checking who they are \\<img src\\=x\\>',
      '- [https\\:\\/\\/attack\\.mitre\\.org\\/techniques\\/T1033\\/](https://attack.mitre.org/techniques/T1033/)',
      '- command\\:workbench\\.action\\.quit',
    ]) {
      assert.ok(md.includes(expected), `${expected} missing from ${md}`);
    }
    assert.ok(!md.includes('](command:'), md);
  });

  it('a built-in CAR rule row offers its SIEM query; so does a Sigma rule row, which also opens its file', async () => {
    const api = await logHunt();
    await withSetting('rules.folders', ['rules'], () => huntFile(fixture('services-cmd.xml')));
    const roots = treeRows(api).filter((r) => r.node.kind === 'rule');
    const car = roots.find((r) => (r.node as RuleNode).rule.id === CAR_SERVICES_CMD)!;
    assert.strictEqual(label(car.item), 'Services launching Cmd');
    assert.strictEqual(car.item.contextValue, 'rule car query');
    assert.strictEqual((car.item.iconPath as vscode.ThemeIcon).id, 'error');
    const sigma = roots.find((r) => (r.node as RuleNode).rule.id === SERVICES_CHILD)!;

    const query = await withSetting('queryTarget', 'esql', () =>
      acceptQuickPicksUntil(vscode.commands.executeCommand<QueryOutcome | undefined>('logHunt.generateQuery', sigma.node)),
    );
    assert.strictEqual(query?.target, 'esql');
    assert.strictEqual(query.document.languageId, 'esql');
    assert.match(query.text, /^FROM logs-windows\.sysmon_operational-\*/);

    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('logHunt.openRuleFile', sigma.node);
    assert.strictEqual(editor?.document.uri.fsPath, path.join(RULES_DIR, 'services-child.yml'));
    assert.strictEqual(editor.document.getText(editor.selection), SERVICES_CHILD);
  });

  it('the nothing-found notice gives the engine\'s reason, in terms of rules', async () => {
    const api = await logHunt();
    const outcome = await huntFile(fixture('network-only.xml'));
    const why = outcome?.files[0].summary?.why ?? '';
    // The built-in library has rules for network connections, and none matched.
    assert.match(why, /^\d+ rules ran over the 2 events of the EventIDs they need; none matched\./);
    const notice = treeRows(api).find((r) => r.node.kind === 'notice' && r.node.label === 'No matches in network-only.xml');
    assert.strictEqual(notice?.item.description, why);
  });
});

describe('rules: diagnostics and hovers', () => {
  beforeEach(reset);

  it('severity follows the level: high Error, medium Warning, low Information, informational Hint', async () => {
    await withSettings(FIXTURE_RULES, async () => {
      await vscode.commands.executeCommand('logHunt.huntFiles', [fixture('services-cmd.jsonl'), fixture('network-only.xml')]);
    });
    const jsonl = byRule(fixture('services-cmd.jsonl'));
    const severity = (list: vscode.Diagnostic[] | undefined) => list?.map((d) => vscode.DiagnosticSeverity[d.severity]);
    assert.deepStrictEqual(severity(jsonl.get(NET_USER)), ['Error']);
    assert.deepStrictEqual(severity(jsonl.get(WHOAMI)), ['Warning']);
    assert.deepStrictEqual(severity(jsonl.get(SERVICES_CHILD)), ['Hint']);
    assert.deepStrictEqual(severity(byRule(fixture('network-only.xml')).get(SMB)), ['Information', 'Information']);
  });

  it('logHunt.severity overrides the level for every rule', async () => {
    const uri = fixture('services-cmd.jsonl');
    await withSettings({ ...FIXTURE_RULES, severity: 'Warning' }, () => huntFile(uri));
    const all = [...byRule(uri).values()].flat();
    assert.strictEqual(all.length, 3);
    assert.ok(all.every((d) => d.severity === vscode.DiagnosticSeverity.Warning));
  });

  it('message, range on the deciding value, and code linking to the rule file (Sigma) or CAR page', async () => {
    const uri = fixture('services-cmd.jsonl');
    await withSetting('rules.folders', ['rules'], () => huntFile(uri));
    const rules = byRule(uri);
    const [whoami] = rules.get(WHOAMI)!;
    assert.strictEqual(whoami.message, 'Whoami discovery (medium) on Image: C:\\Windows\\System32\\whoami.exe · whoami');
    assert.strictEqual(codeOf(whoami).target.toString(), vscode.Uri.file(path.join(RULES_DIR, 'whoami.yml')).toString());
    const document = await vscode.workspace.openTextDocument(uri);
    assert.strictEqual(document.getText(whoami.range), 'C:\\\\Windows\\\\System32\\\\whoami.exe');
    const [netUser] = rules.get(NET_USER)!;
    assert.strictEqual(document.getText(netUser.range), 'cmd.exe /c \\"net user backup P@ss /add\\"');
    assert.match(netUser.message, /^Local account added with net user \(high\) on CommandLine: cmd\.exe/);
    const [car] = rules.get(CAR_SERVICES_CMD)!;
    assert.strictEqual(codeOf(car).target.toString(), 'https://car.mitre.org/analytics/CAR-2014-05-002/');
  });

  it('hovering a match shows its rule, escaped, with the author credited', async () => {
    const uri = fixture('services-cmd.jsonl');
    await withSettings(FIXTURE_RULES, () => huntFile(uri));
    const [whoami] = byRule(uri).get(WHOAMI)!;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, whoami.range.start.translate(0, 3));
    const text = hoverText(hovers);
    assert.ok(text.includes('**Whoami discovery**'), text);
    assert.ok(text.includes('- author: Log Hunt tests \\[me\\]\\(command\\:workbench\\.action\\.quit\\)'), text);
    assert.ok(text.includes('**False positives**'), text);
    assert.ok(text.includes('\\$\\(alert\\)'), text);
    assert.ok(!text.includes('](command:'), text);
    // Off the match, no rule hover.
    const elsewhere = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(2, 2));
    assert.ok(!hoverText(elsewhere).includes('Whoami discovery'));
  });
});

describe('rules: reload', () => {
  let dir = '';
  before(async () => {
    await reset();
    // Outside the workspace, like a SigmaHQ checkout beside it: VS Code's own watcher is silent
    // there in code-server, so this checks the Node watcher the store adds for such folders.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-rules-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a rule file created, changed or deleted under a rule folder reloads the rules', async function () {
    this.timeout(90_000);
    const api = await logHunt();
    fs.copyFileSync(path.join(RULES_DIR, 'whoami.yml'), path.join(dir, 'whoami.yml'));
    let last: LoadedRules | undefined;
    const listener = api.rules.onDidChange((loaded) => (last = loaded));
    try {
      await withSettings({ 'rules.folders': [dir], 'rules.builtin': false }, async () => {
        assert.deepStrictEqual(ids(await api.rules.current()), [WHOAMI]);
        // From here on, only the watcher brings news: nothing calls current().
        last = undefined;
        const added = path.join(dir, 'sub', 'net-user-add.yml');
        fs.mkdirSync(path.dirname(added));
        fs.copyFileSync(path.join(RULES_DIR, 'net-user-add.yml'), added);
        await waitFor('rules after a file was added', () => last && ids(last), (v) => v?.length === 2);

        fs.writeFileSync(added, fs.readFileSync(added, 'utf8').replace('level: high', 'level: critical'));
        await waitFor('level after an edit', () => last?.rules.find((r) => r.info.id === NET_USER)?.info.level, (v) => v === 'critical');

        fs.rmSync(added);
        await waitFor('rules after a delete', () => last && ids(last), (v) => v?.length === 1);
        assert.deepStrictEqual(ids(await api.rules.current()), [WHOAMI]);
      });
    } finally {
      listener.dispose();
    }
  });
});
