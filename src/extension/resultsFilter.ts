/**
 * Filter Results…: the results view shows only the matches of one host, user or file. The store
 * keeps every result; the tree and the status bar both read `filterFiles`, so they agree on what
 * is shown ("3 of 12 matches"), and Clear Filter shows everything again. The view's description
 * says when a filter is on.
 */
import * as vscode from 'vscode';
import { Match } from '../engine';
import { FileResult, ResultStore } from './resultStore';
import { displayName, plural } from './resultsTree';

export const FILTER_COMMAND = 'logHunt.filterResults';
export const CLEAR_FILTER_COMMAND = 'logHunt.clearFilter';
/** The context key that shows the view's Clear Filter button. */
const FILTERED_CONTEXT = 'logHunt.resultsFiltered';

export type FilterKind = 'host' | 'user' | 'file';

export interface ResultsFilterState {
  kind: FilterKind;
  /** The host or user as the events name it, or the file's URI. */
  value: string;
  /** What the view says: the host, the user, or the file's name. */
  label: string;
}

const NO_HOST = '(no host)';
const NO_USER = '(no user)';

/** The host of a match, as the tree groups it. */
export function hostOf(match: Match): string {
  return match.event.computer ?? match.event.fields.hostname ?? NO_HOST;
}

/** The user of a match: Sysmon's User, or the CAR model's field other shapes fill. */
export function userOf(match: Match): string {
  return match.event.data.User ?? match.event.fields.user ?? NO_USER;
}

export class ResultsFilter implements vscode.Disposable {
  private state?: ResultsFilterState;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  get current(): ResultsFilterState | undefined {
    return this.state;
  }

  set(state: ResultsFilterState | undefined): void {
    this.state = state;
    void vscode.commands.executeCommand('setContext', FILTERED_CONTEXT, state !== undefined);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/**
 * The files as the view shows them under the filter: a file filter keeps that file whole; a host
 * or user filter keeps each file's stored matches of that host or user, counted again (matches
 * beyond the stored ones cannot be told apart, so they are not shown under it).
 */
export function filterFiles(files: readonly FileResult[], filter: ResultsFilterState | undefined): FileResult[] {
  if (!filter) return [...files];
  if (filter.kind === 'file') return files.filter((f) => f.uri.toString() === filter.value);
  const keep = filter.kind === 'host' ? (m: Match) => hostOf(m) === filter.value : (m: Match) => userOf(m) === filter.value;
  return files.flatMap((file) => {
    const matches = file.result.matches.filter(keep);
    if (matches.length === 0) return [];
    const matchCounts = new Map<string, number>();
    for (const m of matches) matchCounts.set(m.rule.id, (matchCounts.get(m.rule.id) ?? 0) + 1);
    const matchesByRule = Object.fromEntries(matchCounts);
    const summary = { ...file.result.summary, matches: matches.length, matchesByRule };
    return [{ ...file, result: { ...file.result, summary, matches }, matchCounts }];
  });
}

/** Matches shown of all matches: the tree's rows and the status bar count these. */
export function shownCounts(files: readonly FileResult[], filter: ResultsFilterState | undefined): { shown: number; total: number } {
  const total = files.reduce((n, f) => n + f.result.summary.matches, 0);
  const shown = filter ? filterFiles(files, filter).reduce((n, f) => n + f.result.summary.matches, 0) : total;
  return { shown, total };
}

/** "host HOST-A", "user CORP\alice", "file a.xml". */
export function filterWords(filter: ResultsFilterState): string {
  return `${filter.kind} ${filter.label}`;
}

export interface FilterItem extends vscode.QuickPickItem {
  state?: ResultsFilterState;
}

/** The hosts, users and files of the stored results, each with its match count, most first. */
export function filterItems(files: readonly FileResult[], current?: ResultsFilterState): FilterItem[] {
  const tally = (kind: FilterKind, pairs: [string, string, number][]): FilterItem[] => {
    const counts = new Map<string, { label: string; n: number }>();
    for (const [value, label, n] of pairs) {
      const c = counts.get(value);
      if (c) c.n += n;
      else counts.set(value, { label, n });
    }
    const sorted = [...counts].sort((a, b) => b[1].n - a[1].n || a[1].label.localeCompare(b[1].label));
    return [
      { label: `${kind[0].toUpperCase()}${kind.slice(1)}s`, kind: vscode.QuickPickItemKind.Separator },
      ...sorted.map(([value, { label, n }]) => ({
        label,
        description: plural(n, 'match'),
        detail: current?.kind === kind && current.value === value ? 'the filter now' : undefined,
        state: { kind, value, label },
      })),
    ];
  };
  const stored = files.flatMap((f) => f.result.matches);
  return [
    ...tally('host', stored.map((m) => [hostOf(m), hostOf(m), 1])),
    ...tally('user', stored.map((m) => [userOf(m), userOf(m), 1])),
    ...tally('file', files.map((f) => [f.uri.toString(), displayName(f.uri), f.result.summary.matches])),
  ];
}

let shownPick: vscode.QuickPick<FilterItem> | undefined;

/** Filter Results…'s quick pick while it is open, for tests. */
export function currentFilterPick(): vscode.QuickPick<FilterItem> | undefined {
  return shownPick;
}

/**
 * `logHunt.filterResults`: a quick pick of the hosts, users and files in the results. Tests (and
 * keybindings) may pass `{ kind, value }` to set the filter without the pick.
 */
export async function filterResultsCommand(store: ResultStore, filter: ResultsFilter, arg?: unknown): Promise<ResultsFilterState | undefined> {
  const files = store.all();
  if (isFilterArg(arg)) {
    const item = filterItems(files).find((i) => i.state?.kind === arg.kind && i.state.value === arg.value);
    filter.set(item?.state ?? { kind: arg.kind, value: arg.value, label: arg.value });
    return filter.current;
  }
  if (files.length === 0) {
    void vscode.window.showInformationMessage('Log Hunt: no results to filter yet; hunt a log first.');
    return undefined;
  }
  const pick = vscode.window.createQuickPick<FilterItem>();
  pick.title = 'Log Hunt: show only the matches of';
  pick.placeholder = 'A host, a user or a file (the counts are matches)';
  pick.matchOnDescription = true;
  pick.items = [...(filter.current ? [{ label: '$(clear-all) Clear Filter', description: filterWords(filter.current) } as FilterItem] : []), ...filterItems(files, filter.current)];
  const chosen = await new Promise<FilterItem | undefined>((resolve) => {
    let picked: FilterItem | undefined;
    pick.onDidAccept(() => {
      picked = pick.activeItems[0];
      pick.hide();
    });
    pick.onDidHide(() => {
      if (shownPick === pick) shownPick = undefined;
      pick.dispose();
      resolve(picked);
    });
    shownPick = pick;
    pick.show();
  });
  if (!chosen) return filter.current;
  filter.set(chosen.state);
  return filter.current;
}

function isFilterArg(arg: unknown): arg is { kind: FilterKind; value: string } {
  const a = arg as { kind?: unknown; value?: unknown } | undefined;
  return typeof a === 'object' && a !== null && (a.kind === 'host' || a.kind === 'user' || a.kind === 'file') && typeof a.value === 'string';
}

/**
 * Keeps the view's description in step with the filter: which filter is on and how many matches
 * it shows ("Filter: host HOST-A · 3 of 12 matches"). The view's message belongs to
 * resultsMessage.ts; an empty hunt's near misses are rows under its "No matches" row.
 */
export function bindFilterDescription(view: vscode.TreeView<unknown>, store: ResultStore, filter: ResultsFilter): vscode.Disposable {
  const update = (): void => {
    const current = filter.current;
    if (!current) {
      view.description = undefined;
      return;
    }
    const { shown, total } = shownCounts(store.all(), current);
    view.description = `Filter: ${filterWords(current)} · ${shown.toLocaleString('en-US')} of ${plural(total, 'match')}`;
  };
  update();
  return vscode.Disposable.from(store.onDidChange(update), filter.onDidChange(update));
}
