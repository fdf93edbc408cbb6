/**
 * The results view's message (`TreeView.message`, the text above the tree): what the hunter
 * should know about the last hunt as a whole (malformed records skipped, the rules it ran with).
 * These were tree rows that ran a command when clicked; VS Code's guidelines keep rows for data,
 * and the actions are the view's title buttons (Select Rules…, and Show Output in its "…" menu).
 */
import * as vscode from 'vscode';
import { displayName, plural } from './resultsTree';
import { FileResult, ResultStore, RulesUsed } from './resultStore';

/** The message for these results; undefined when there are none (the welcome content shows). */
export function resultsMessage(files: readonly FileResult[], used: RulesUsed | undefined): string | undefined {
  if (files.length === 0) return undefined;
  const lines: string[] = [];
  const malformed = files.filter((f) => f.result.summary.malformed > 0);
  if (malformed.length > 0) {
    const where = malformed.map((f) => `${plural(f.result.summary.malformed, 'malformed record')} in ${displayName(f.uri)}`).join(', ');
    lines.push(`Skipped ${where}: the output "Log Hunt" says where and why.`);
  }
  if (used?.selected) lines.push(`Hunted with ${plural(used.ran, 'selected rule')}: Select Rules… changes them.`);
  if (used && used.skipped > 0) lines.push(`${plural(used.skipped, 'rule')} skipped: Log Hunt cannot run them (the output "Log Hunt" lists why).`);
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/** Keeps `view.message` in step with the store. */
export function bindResultsMessage(view: vscode.TreeView<unknown>, store: ResultStore): vscode.Disposable {
  const update = () => {
    view.message = resultsMessage(store.all(), store.rulesUsed);
  };
  update();
  return store.onDidChange(update);
}
