/** The last hunt's match count in the status bar; a click focuses the results view. */
import * as vscode from 'vscode';
import { plural } from './resultsTree';

export const RESULTS_VIEW_ID = 'logHunt.results';

export class HuntStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('logHunt.lastHunt', vscode.StatusBarAlignment.Left, 10);
  private shown = false;

  constructor() {
    this.item.name = 'Log Hunt';
    // Every view gets a `<view id>.focus` command from VS Code.
    this.item.command = { title: 'Show Log Hunt Results', command: `${RESULTS_VIEW_ID}.focus` };
  }

  /** Shows the count of a finished hunt over `files` files. */
  show(matches: number, files: number, what: string): void {
    this.item.text = `$(shield) ${plural(matches, 'match')}`;
    this.item.tooltip = `Log Hunt: ${plural(matches, 'match')} in ${what}${files > 1 ? ` (${files} files)` : ''}. Click to show the results.`;
    this.item.backgroundColor = matches > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
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

  dispose(): void {
    this.item.dispose();
  }
}
