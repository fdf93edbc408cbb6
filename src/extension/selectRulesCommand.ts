/**
 * `logHunt.selectRules`: a multi-select quick pick of the loaded rules, grouped by level or by
 * ATT&CK tactic and filterable by title, level, ATT&CK id, tactic, rule id and file. The choice
 * limits the next hunts, remembered per workspace.
 */
import * as vscode from 'vscode';
import { LEVELS, LoadedRules, RuleInfo } from '../engine';
import { plainLabel, plainNotification } from './markdown';
import { plural } from './resultsTree';
import { ruleSourceLabel } from './ruleMarkdown';
import { RuleStore } from './ruleStore';
import { SelectedRules } from './selectedRules';

/** What the command did; undefined when the pick was dismissed. */
export interface SelectRulesOutcome {
  /** The selected ids, or undefined: every rule runs. */
  ids?: readonly string[];
  /** Ids passed as arguments that no loaded rule has. */
  unknown: string[];
}

interface RuleItem extends vscode.QuickPickItem {
  rule?: RuleInfo;
  clear?: true;
}

type Grouping = 'level' | 'tactic';

const CLEAR_LABEL = '$(clear-all) All rules';
const NO_TACTIC = 'no ATT&CK tactic';

/**
 * With arguments (tests, keybindings) the pick is skipped: `["CAR-2014-05-002", …]` or
 * `{ ids: [...] }` selects those rules, `[]` or `{ clear: true }` clears the selection.
 */
export async function selectRulesCommand(
  store: RuleStore,
  selected: SelectedRules,
  log: vscode.LogOutputChannel,
  arg?: unknown,
): Promise<SelectRulesOutcome | undefined> {
  const loaded = await store.current();
  const asked = idsOf(arg);
  if (asked) return selectIds(loaded, selected, asked);
  const picked = await pick(loaded, selected.ids, log);
  if (!picked) return undefined;
  await selected.set(picked);
  const ids = selected.ids;
  log.info(ids ? `Rules selected for the next hunts: ${ids.join(', ')}` : 'Rule selection cleared: the next hunts run every loaded rule.');
  return { ids, unknown: [] };
}

function idsOf(arg: unknown): string[] | undefined {
  if (Array.isArray(arg)) return arg.filter((id): id is string => typeof id === 'string');
  if (typeof arg !== 'object' || arg === null) return undefined;
  const { ids, clear } = arg as { ids?: unknown; clear?: unknown };
  if (clear === true) return [];
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : undefined;
}

async function selectIds(loaded: LoadedRules, selected: SelectedRules, asked: string[]): Promise<SelectRulesOutcome> {
  const byId = new Map(loaded.rules.map((r) => [r.info.id.toLowerCase(), r.info.id]));
  const known = asked.flatMap((id) => byId.get(id.toLowerCase()) ?? []);
  const unknown = asked.filter((id) => !byId.has(id.toLowerCase()));
  if (unknown.length > 0) void vscode.window.showWarningMessage(plainNotification(`Log Hunt: no loaded rule has the id ${unknown.join(', ')}.`));
  // Only unknown ids: keep the selection as it was rather than silently widening it to every rule.
  if (asked.length === 0 || known.length > 0) await selected.set(known);
  return { ids: selected.ids, unknown };
}

function pick(loaded: LoadedRules, current: readonly string[] | undefined, log: vscode.LogOutputChannel): Promise<string[] | undefined> {
  const quickPick = vscode.window.createQuickPick<RuleItem>();
  const checked = new Set((current ?? []).map((id) => id.toLowerCase()));
  const clearItem: RuleItem = { label: CLEAR_LABEL, description: 'clear the selection: every loaded rule runs', alwaysShow: true, clear: true };
  let grouping: Grouping = 'level';
  const groupButton = (): vscode.QuickInputButton => ({
    iconPath: new vscode.ThemeIcon(grouping === 'level' ? 'list-tree' : 'list-flat'),
    tooltip: grouping === 'level' ? 'Group by ATT&CK tactic' : 'Group by level',
  });
  const skippedButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('output'), tooltip: 'Show the skipped rules in the output' };

  const render = (): void => {
    const items = [clearItem, ...ruleItems(loaded, grouping)];
    quickPick.items = items;
    const ruleChecked = items.filter((i) => i.rule && checked.has(i.rule.id.toLowerCase()));
    quickPick.selectedItems = ruleChecked.length > 0 ? ruleChecked : [clearItem];
    quickPick.buttons = loaded.skipped.length > 0 ? [groupButton(), skippedButton] : [groupButton()];
  };

  quickPick.title = `Log Hunt: Select Rules · ${plural(loaded.rules.length, 'rule')} loaded` + (loaded.skipped.length > 0 ? `, ${loaded.skipped.length.toLocaleString('en-US')} skipped` : '');
  quickPick.placeholder = 'Check the rules the next hunts run; filter by title, level, ATT&CK id or tactic, rule id or file';
  quickPick.canSelectMany = true;
  quickPick.matchOnDescription = true;
  quickPick.matchOnDetail = true;
  render();

  return new Promise((resolve) => {
    let result: string[] | undefined;
    quickPick.onDidTriggerButton((button) => {
      if (button === skippedButton) {
        log.show(true);
        return;
      }
      grouping = grouping === 'level' ? 'tactic' : 'level';
      render();
    });
    quickPick.onDidChangeSelection((items) => {
      const rules = items.filter((i) => i.rule);
      const clearNow = items.includes(clearItem);
      // Checking "All rules" unchecks the rules; checking a rule unchecks "All rules".
      if (clearNow && rules.length > 0) {
        const clearWasOn = checked.size === 0;
        if (clearWasOn) {
          quickPick.selectedItems = rules;
        } else {
          checked.clear();
          quickPick.selectedItems = [clearItem];
          return;
        }
      }
      checked.clear();
      for (const i of rules) checked.add(i.rule!.id.toLowerCase());
    });
    quickPick.onDidAccept(() => {
      result = loaded.rules.filter((r) => checked.has(r.info.id.toLowerCase())).map((r) => r.info.id);
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      quickPick.dispose();
      resolve(result);
    });
    quickPick.show();
  });
}

/** The rules under separators: by level (critical first), or by first ATT&CK tactic (A to Z). */
function ruleItems(loaded: LoadedRules, grouping: Grouping): RuleItem[] {
  const groups = new Map<string, RuleInfo[]>();
  for (const { info } of loaded.rules) {
    const key = grouping === 'level' ? info.level : info.tactics[0] ?? NO_TACTIC;
    groups.set(key, [...(groups.get(key) ?? []), info]);
  }
  const order = grouping === 'level'
    ? [...LEVELS].reverse().filter((l) => groups.has(l))
    : [...groups.keys()].sort((a, b) => Number(a === NO_TACTIC) - Number(b === NO_TACTIC) || a.localeCompare(b));
  const out: RuleItem[] = [];
  for (const key of order) {
    const rules = groups.get(key)!.sort((a, b) => a.title.localeCompare(b.title));
    out.push({ kind: vscode.QuickPickItemKind.Separator, label: `${key} (${rules.length})` });
    for (const rule of rules) out.push(ruleItem(rule));
  }
  return out;
}

function ruleItem(rule: RuleInfo): RuleItem {
  return {
    label: plainLabel(rule.title),
    description: plainLabel([rule.level, ...rule.attack, ...rule.tactics].join(' · ')),
    detail: plainLabel(`${rule.id} · ${ruleSourceLabel(rule)}`),
    rule,
  };
}
