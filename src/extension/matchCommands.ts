/**
 * What a match row offers: open its event (the click), reveal it in its original file, open an
 * `.evtx` match's chunk, copy its command line, copy it as JSON.
 */
import * as vscode from 'vscode';
import { EventFormat, Match, systemFields } from '../engine';
import { EventDocuments } from './event/eventDocuments';
import { chunkUri, rangeInChunk } from './evtx/evtxDocuments';
import { plainNotification } from './markdown';
import { eventTarget, matchTarget, matchWhere, MatchTarget } from './matchPlace';
import { commandLineOf, displayName, MatchNode } from './resultsTree';

/** The event documents and how to know a file's format: what opening an event needs. */
export interface EventContext {
  events: EventDocuments;
  formatOf(file: vscode.Uri): EventFormat;
}

/** A match as the commands receive it: a results row, or a pivot's event (with the fields that hold its value). */
export type MatchRef = Pick<MatchNode, 'uri' | 'match'> & { fields?: string[] };

/** Set once by activate: the commands below are also called by the `.evtx` viewer, which has no context to pass. */
let context: EventContext | undefined;

export function setEventContext(value: EventContext): void {
  context = value;
}

function eventContext(): EventContext {
  if (!context) throw new Error('Log Hunt: event documents are not set up');
  return context;
}

export const REVEAL_MATCH_COMMAND = 'logHunt.revealMatch';
/**
 * VS Code gives extensions no text model for files over 50 MB (its sync limit); opening one fails
 * after reading it whole. Files this large are refused at once instead.
 */
export const MAX_EDITOR_BYTES = 50 * 1024 * 1024;

/** Opens the match's event, read-only and pretty, with the deciding value selected: what a click on a match does. */
export async function openMatch(node: MatchRef): Promise<vscode.TextEditor | undefined> {
  const context = eventContext();
  const format = context.formatOf(node.uri);
  const { fields, match } = node;
  if (fields && !match.event.place) {
    // A pivot's event: the value it was found by is selected; no rule decided it, so no diagnostic.
    const uri = context.events.uriFor(node.uri, match.event, format);
    return showTarget({ uri, range: (document) => context.events.rangeOf(document, fields[0]) });
  }
  const editor = await showTarget(eventTarget(context.events, node.uri, match, format));
  // A document opened before (still alive, so no open event) gets its mark again.
  context.events.mark(editor.document.uri);
  return editor;
}

async function showTarget(target: MatchTarget): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(target.uri);
  return showRange(document, target.range(document));
}

/**
 * Opens the match's original file with the deciding value (or the event's first line) selected
 * and in view; an `.evtx` match opens its record's XML. A file too large for the editor gets a
 * message at once, with where the match is.
 */
export async function revealMatch(node: MatchRef): Promise<vscode.TextEditor | undefined> {
  const target = matchTarget(node.uri, node.match);
  const where = matchWhere(displayName(node.uri), node.match);
  if (!node.match.event.place) {
    const size = await vscode.workspace.fs.stat(node.uri).then((s) => s.size, () => undefined);
    if (size !== undefined && size > MAX_EDITOR_BYTES) {
      void tooLargeMessage(node, `it is ${(size / 1e6).toFixed(0)} MB, more than VS Code opens for extensions (50 MB)`, where);
      return undefined;
    }
  }
  let document: vscode.TextDocument;
  try {
    document = await vscode.workspace.openTextDocument(target.uri);
  } catch (err) {
    void tooLargeMessage(node, (err as Error).message, where);
    return undefined;
  }
  return showRange(document, target.range(document));
}

async function tooLargeMessage(node: MatchRef, why: string, where: string): Promise<void> {
  const open = 'Open Event';
  const choice = await vscode.window.showWarningMessage(
    plainNotification(`Log Hunt: cannot open ${displayName(node.uri)} in an editor: ${why}. The match is at ${where}.`),
    open,
  );
  if (choice === open) await openMatch(node);
}

async function showRange(document: vscode.TextDocument, range: vscode.Range): Promise<vscode.TextEditor> {
  const editor = await vscode.window.showTextDocument(document, { selection: range, preview: true });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}

export const OPEN_MATCH_CHUNK_COMMAND = 'logHunt.openMatchChunk';

/** Opens the chunk of an `.evtx` match, a record per line, with the match's value selected. */
export async function openMatchChunk(node: MatchRef): Promise<vscode.TextEditor | undefined> {
  const { place } = node.match.event;
  if (!place) return revealMatch(node);
  const document = await vscode.workspace.openTextDocument(chunkUri(node.uri, place.chunk));
  const range = rangeInChunk(document.getText(), node.match) ?? new vscode.Range(0, 0, 0, 0);
  return showRange(document, range);
}

export async function copyCommandLine(node: MatchRef): Promise<void> {
  await vscode.env.clipboard.writeText(commandLineOf(node.match) ?? '');
  vscode.window.setStatusBarMessage('Log Hunt: command line copied', 3000);
}

/** The event as the event document's JSON shows it: System and EventData under Windows' and Sysmon's names. */
export function eventJson(event: Match['event']): { System: Record<string, string>; EventData: Record<string, string> } {
  return { System: { ...systemFields(event) }, EventData: { ...event.data } };
}

/**
 * The match with the file it came from: the rule, the deciding field and its value, where it is
 * (1-based positions; an `.evtx` record's place), the event with every field under Sysmon's
 * names, and its lineage when the hunt built it.
 */
export function matchJson(node: MatchRef): string {
  const file = node.uri.scheme === 'file' ? node.uri.fsPath : node.uri.toString();
  const { rule, field, valueRange, event, lineage } = node.match;
  const value = field !== undefined ? event.data[field] : undefined;
  return JSON.stringify({ file, where: matchWhere(displayName(node.uri), node.match), rule, field, value, valueRange, place: event.place, event: eventJson(event), lineage }, null, 2);
}

export async function copyMatchJson(node: MatchRef): Promise<void> {
  await vscode.env.clipboard.writeText(matchJson(node));
  vscode.window.setStatusBarMessage('Log Hunt: match copied as JSON', 3000);
}
