/**
 * Results follow edits of a hunted log. VS Code moves neither diagnostics nor anything else with
 * the text, so on each change of a hunted document the Problems entries (HuntDiagnostics.follow)
 * and the stored matches' positions (which the tree, the hover and Open Match read) are moved by
 * the edit; a match whose event the edit touched is dropped, and the file's results say once
 * that an edit changed them. Nothing ever points at text that is no longer its event.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { Match, Position, SourceRange, SysmonEvent } from '../engine';
import type { HuntDiagnostics } from './diagnostics';
import { ResultStore } from './resultStore';

/** Where `p` ends up after `change`; `end` keeps a position at the change's start in place (a range's end before an insertion). */
function shift(p: vscode.Position, change: vscode.TextDocumentContentChangeEvent, end: boolean): vscode.Position {
  const { start, end: changeEnd } = change.range;
  // Before the change; or at its start, unless text is inserted right there in front of a range's start.
  if (p.isBefore(start) || (p.isEqual(start) && (end || !start.isEqual(changeEnd)))) return p;
  if (p.isBefore(changeEnd)) return start;
  const lines = change.text.split(/\r\n|\r|\n/);
  const lastLine = start.line + lines.length - 1;
  const lastChar = (lines.length === 1 ? start.character : 0) + lines[lines.length - 1].length;
  if (p.line === changeEnd.line) return new vscode.Position(lastLine, lastChar + (p.character - changeEnd.character));
  return new vscode.Position(p.line + (lastLine - changeEnd.line), p.character);
}

/** Does the change replace or insert text strictly inside `guard`? Touching its edges from outside does not count. */
function touches(guard: vscode.Range, change: vscode.TextDocumentContentChangeEvent): boolean {
  const { start, end } = change.range;
  return start.isBefore(guard.end) && end.isAfter(guard.start);
}

/**
 * `ranges` moved by `changes` (applied in order, as VS Code reports them), or undefined when a
 * change touched the first range, the guard (the event), which the others lie in.
 */
export function followChanges(ranges: readonly vscode.Range[], changes: readonly vscode.TextDocumentContentChangeEvent[]): vscode.Range[] | undefined {
  let current = [...ranges];
  for (const change of changes) {
    if (touches(current[0], change)) return undefined;
    current = current.map((r) => new vscode.Range(shift(r.start, change, false), shift(r.end, change, true)));
  }
  return current;
}

function toVs(p: Position): vscode.Position {
  return new vscode.Position(p.line - 1, p.column - 1);
}

function fromVs(p: vscode.Position): Position {
  return { line: p.line + 1, column: p.character + 1 };
}

function engineRange(r: vscode.Range): SourceRange {
  return { start: fromVs(r.start), end: fromVs(r.end) };
}

/** What the results of a file say once an edit has dropped some of them. */
export function editedMessage(name: string): string {
  return `Results in ${name} changed by an edit; hunt again`;
}

/**
 * Rows that only moved are re-rendered after typing pauses this long: rebuilding the tree of
 * 10,000 matches on each keystroke cost about half a second per edit of a 21 MB log (load 12).
 * The positions themselves move at once, so a click in the meantime still opens the right text.
 */
const MOVED_REFRESH_MS = 300;

export class EditFollower implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;
  private readonly pendingRefresh = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly store: ResultStore, private readonly diagnostics: HuntDiagnostics) {
    this.subscription = vscode.workspace.onDidChangeTextDocument((e) => this.follow(e.document.uri, e.contentChanges));
  }

  follow(uri: vscode.Uri, changes: readonly vscode.TextDocumentContentChangeEvent[]): void {
    if (changes.length === 0) return;
    const file = this.store.get(uri);
    const droppedDiagnostics = this.diagnostics.follow(uri, changes);
    if (!file) return;
    // An event is shared by the matches of several rules: move it once.
    const events = new Map<SysmonEvent, SourceRange | undefined>();
    const kept: Match[] = [];
    const dropped: Match[] = [];
    let moved = false;
    for (const match of file.result.matches) {
      const { event } = match;
      // An .evtx record's positions are in its own read-only XML document, not this text.
      if (event.place) {
        kept.push(match);
        continue;
      }
      const eventRange = vsRange(event.range);
      const followed = followChanges(match.valueRange ? [eventRange, vsRange(match.valueRange)] : [eventRange], changes);
      if (!followed) {
        dropped.push(match);
        continue;
      }
      moved ||= !followed[0].isEqual(eventRange);
      if (!events.has(event)) events.set(event, engineRange(followed[0]));
      if (match.valueRange) match.valueRange = engineRange(followed[1]);
      kept.push(match);
    }
    for (const [event, range] of events) if (range) event.range = range;
    // An edit below every match (typing at the end of the log) changes nothing the results show.
    if (!moved && dropped.length === 0 && droppedDiagnostics === 0) return;
    const counts = new Map(file.matchCounts);
    for (const m of dropped) {
      counts.set(m.rule.id, Math.max(0, (counts.get(m.rule.id) ?? 1) - 1));
      file.result.summary.matches = Math.max(0, file.result.summary.matches - 1);
      const byRule = file.result.summary.matchesByRule;
      if (byRule[m.rule.id] !== undefined) byRule[m.rule.id] = Math.max(0, byRule[m.rule.id] - 1);
    }
    file.result.matches = kept;
    const key = uri.toString();
    clearTimeout(this.pendingRefresh.get(key));
    this.pendingRefresh.delete(key);
    if (dropped.length === 0 && droppedDiagnostics === 0) {
      // Only moved: the rows say their new lines once typing pauses.
      this.pendingRefresh.set(key, setTimeout(() => {
        this.pendingRefresh.delete(key);
        const now = this.store.get(uri);
        if (now === file) this.store.set(file);
      }, MOVED_REFRESH_MS));
      return;
    }
    const name = path.posix.basename(uri.path);
    const firstDrop = !file.edited;
    // Dropped rows go at once, so none is clicked on text that is no longer its event; the notice says why.
    this.store.set({ ...file, matchCounts: counts, edited: file.edited ?? editedMessage(name) });
    if (firstDrop) vscode.window.setStatusBarMessage(`$(warning) Log Hunt: ${editedMessage(name)}`, 15_000);
  }

  dispose(): void {
    for (const timer of this.pendingRefresh.values()) clearTimeout(timer);
    this.subscription.dispose();
  }
}

function vsRange(r: SourceRange): vscode.Range {
  return new vscode.Range(toVs(r.start), toVs(r.end));
}
