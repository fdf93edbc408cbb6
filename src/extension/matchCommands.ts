/** What a match row offers: open it at its range, copy its command line, copy it as JSON. */
import * as vscode from 'vscode';
import { chunkUri, rangeInChunk } from './evtx/evtxDocuments';
import { plainNotification } from './markdown';
import { matchTarget, matchWhere } from './matchPlace';
import { commandLineOf, displayName, MatchNode } from './resultsTree';

/**
 * Opens the match's file with the deciding value (or the event's first line) selected and in
 * view; a match in an `.evtx` opens its record's XML instead.
 */
export async function openMatch(node: MatchNode): Promise<vscode.TextEditor | undefined> {
  const target = matchTarget(node.uri, node.match);
  let document: vscode.TextDocument;
  try {
    document = await vscode.workspace.openTextDocument(target.uri);
  } catch (err) {
    // VS Code gives extensions no text model for files over 50 MB; the position still helps.
    void vscode.window.showWarningMessage(
      plainNotification(`Log Hunt: cannot open ${displayName(node.uri)} in an editor (${(err as Error).message}). The match is at ${matchWhere(displayName(node.uri), node.match)}.`),
    );
    return undefined;
  }
  return showRange(document, target.range(document));
}

async function showRange(document: vscode.TextDocument, range: vscode.Range): Promise<vscode.TextEditor> {
  const editor = await vscode.window.showTextDocument(document, { selection: range, preview: true });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}

export const OPEN_MATCH_CHUNK_COMMAND = 'logHunt.openMatchChunk';

/** Opens the chunk of an `.evtx` match, a record per line, with the match's value selected. */
export async function openMatchChunk(node: MatchNode): Promise<vscode.TextEditor | undefined> {
  const { place } = node.match.event;
  if (!place) return openMatch(node);
  const document = await vscode.workspace.openTextDocument(chunkUri(node.uri, place.chunk));
  const range = rangeInChunk(document.getText(), node.match) ?? new vscode.Range(0, 0, 0, 0);
  return showRange(document, range);
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
