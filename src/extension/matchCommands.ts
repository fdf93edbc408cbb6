/** What a match row offers: open it at its range, copy its command line, copy it as JSON. */
import * as vscode from 'vscode';
import { matchRange } from './ranges';
import { commandLineOf, displayName, MatchNode } from './resultsTree';

/** Opens the match's file with the deciding value (or the event's first line) selected and in view. */
export async function openMatch(node: MatchNode): Promise<vscode.TextEditor | undefined> {
  let document: vscode.TextDocument;
  try {
    document = await vscode.workspace.openTextDocument(node.uri);
  } catch (err) {
    // VS Code gives extensions no text model for files over 50 MB; the position still helps.
    const at = matchRange(node.match).start;
    void vscode.window.showWarningMessage(
      `Log Hunt: cannot open ${displayName(node.uri)} in an editor (${(err as Error).message}). ` +
        `The match is on line ${at.line + 1}, column ${at.character + 1}.`,
    );
    return undefined;
  }
  const range = document.validateRange(matchRange(node.match));
  const editor = await vscode.window.showTextDocument(document, { selection: range, preview: true });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}

export async function copyCommandLine(node: MatchNode): Promise<void> {
  await vscode.env.clipboard.writeText(commandLineOf(node.match) ?? '');
  vscode.window.setStatusBarMessage('Log Hunt: command line copied', 3000);
}

/** The match as the engine reports it, with the file it came from; positions are 1-based. */
export function matchJson(node: MatchNode): string {
  const file = node.uri.scheme === 'file' ? node.uri.fsPath : node.uri.toString();
  const { rule, field, valueRange, event } = node.match;
  return JSON.stringify({ file, rule, field, valueRange, event }, null, 2);
}

export async function copyMatchJson(node: MatchNode): Promise<void> {
  await vscode.env.clipboard.writeText(matchJson(node));
  vscode.window.setStatusBarMessage('Log Hunt: match copied as JSON', 3000);
}
