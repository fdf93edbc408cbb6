/**
 * The results' match count in the status bar, read from the same store as the results view, so
 * both always agree; a click focuses the results view.
 */
import * as vscode from 'vscode';
import { partialWords, ResultStore } from './resultStore';
import { filterWords, ResultsFilter, shownCounts } from './resultsFilter';
import { displayName, plural } from './resultsTree';

export const RESULTS_VIEW_ID = 'logHunt.results';

export class HuntStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('logHunt.lastHunt', vscode.StatusBarAlignment.Left, 10);
  private shown = false;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly store: ResultStore,
    /** Filter Results…: the item then counts what the view shows, of all ("3 of 12 matches"). */
    private readonly filter?: ResultsFilter,
  ) {
    this.item.name = 'Log Hunt';
    // Every view gets a `<view id>.focus` command from VS Code.
    this.item.command = { title: 'Show Log Hunt Results', command: `${RESULTS_VIEW_ID}.focus` };
    this.subscription = vscode.Disposable.from(store.onDidChange(() => this.refresh()), ...(filter ? [filter.onDidChange(() => this.refresh())] : []));
  }

  /** Shows what the results view holds: every match of every hunted file; hidden when it holds nothing. */
  refresh(): void {
    const files = this.store.all();
    if (files.length === 0) {
      this.hide();
      return;
    }
    const matches = files.reduce((sum, f) => sum + f.result.summary.matches, 0);
    const what = files.length === 1 ? displayName(files[0].uri) : `${files.length} files`;
    const cut = files.filter((f) => f.partial);
    const partial = cut.length === 0 ? ''
      : ` Partial: the hunt of ${cut.map((f) => `${displayName(f.uri)} was cancelled at ${partialWords(f.partial!)}`).join(', of ')}.`;
    const current = this.filter?.current;
    const { shown } = shownCounts(files, current);
    const count = current ? `${shown.toLocaleString('en-US')} of ${plural(matches, 'match')}` : plural(matches, 'match');
    const filtered = current ? ` Filter: ${filterWords(current)}, ${shown.toLocaleString('en-US')} shown.` : '';
    this.item.text = `$(shield) ${count}${current ? ' (filtered)' : ''}${cut.length > 0 ? ' (partial)' : ''}`;
    this.item.tooltip = `Log Hunt: ${plural(matches, 'match')} in ${what}.${filtered}${partial} Click to show the results.`;
    // The warning background is for warnings (a file that changed while it was hunted), not for matches.
    const warnings = files.flatMap((f) => f.result.summary.warnings ?? []);
    this.item.backgroundColor = warnings.length > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    if (warnings.length > 0) this.item.tooltip += ` Warning: ${warnings[0]}${warnings.length > 1 ? ` (and ${warnings.length - 1} more)` : ''}.`;
    this.item.show();
    this.shown = true;
  }

  hide(): void {
    this.item.hide();
    this.shown = false;
  }

  /** What the item shows, for tests; undefined while hidden. */
  get text(): string | undefined {
    return this.shown ? this.item.text : undefined;
  }

  /** The theme color of the item's background, for tests; undefined for the default one. */
  get background(): string | undefined {
    return this.shown ? this.item.backgroundColor?.id : undefined;
  }

  /** The item's tooltip, for tests; undefined while hidden. */
  get tooltip(): string | undefined {
    const { tooltip } = this.item;
    return this.shown && typeof tooltip === 'string' ? tooltip : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
