/**
 * Turns one file's hunt result into Problems entries: one per match, then the malformed records.
 * A match in a binary `.evtx` file sits on its record's XML document (evtx/evtxDocuments.ts).
 */
import * as vscode from 'vscode';
import { HuntResult, isProcessCreate, Malformed, Match } from '../engine';
import { forgetRecords, rangeInRecord, recordText, recordUri } from './evtx/evtxDocuments';
import { LEVEL_SEVERITY } from './levels';
import { revealBidi, shorten } from './markdown';
import { followChanges } from './editFollow';
import { matchRange, toVsPosition, toVsRange } from './ranges';
import { ruleTarget } from './ruleLinks';
import { Settings } from './settings';

export const DIAGNOSTIC_SOURCE = 'Log Hunt';
const VALUE_CHARS = 120;

/**
 * `Services launching Cmd (high) on Image: C:\Windows\System32\cmd.exe · cmd.exe /c …`: the rule,
 * its level, the field that decided and its value; a process create adds its command line.
 */
export function matchMessage(match: Match): string {
  const { rule, field, event } = match;
  const value = field !== undefined ? event.data[field] : undefined;
  const decided = field === undefined ? ` on a keyword in EventID ${event.eventId ?? '?'}` : ` on ${field}${value !== undefined ? `: ${shorten(value, VALUE_CHARS)}` : ''}`;
  const commandLine = event.data.CommandLine ?? event.fields.command_line;
  const extra = isProcessCreate(event) && field !== 'CommandLine' && commandLine ? ` · ${shorten(commandLine, VALUE_CHARS)}` : '';
  // The Problems panel shows plain text, but bidi controls would still reorder what the hunter reads.
  return revealBidi(`${rule.title} (${rule.level})${decided}${extra}`);
}

/**
 * The text an entry stands for on the hunted file's document: its whole event (or the malformed
 * record's position). An edit that touches it drops the entry (editFollow.ts); others move it.
 */
const GUARDS = new WeakMap<vscode.Diagnostic, vscode.Range>();

function matchDiagnostic(match: Match, severity: vscode.DiagnosticSeverity | undefined, range = matchRange(match)): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(range, matchMessage(match), severity ?? LEVEL_SEVERITY[match.rule.level]);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = { value: match.rule.id, target: ruleTarget(match.rule) };
  if (!match.event.place) GUARDS.set(diagnostic, toVsRange(match.event.range));
  return diagnostic;
}

function malformedDiagnostic(malformed: Malformed): vscode.Diagnostic {
  // An empty range: the editor widens it to the word at the position.
  const at = toVsPosition(malformed.position);
  const diagnostic = new vscode.Diagnostic(
    new vscode.Range(at, at),
    // In an .evtx the engine's message says what is damaged (a chunk's CRC, a record) and where.
    malformed.place ? `Damaged EVTX data: ${malformed.message}` : `Malformed record skipped: ${malformed.message}`,
    vscode.DiagnosticSeverity.Information,
  );
  diagnostic.source = DIAGNOSTIC_SOURCE;
  if (!malformed.place) GUARDS.set(diagnostic, new vscode.Range(at, at));
  return diagnostic;
}

/** Diagnostics per document: the hunted file's, and for an `.evtx` file its records' XML documents. */
export type PlacedDiagnostics = [vscode.Uri, vscode.Diagnostic[]][];

/** Records rendered at once while placing an `.evtx` file's diagnostics. */
const RECORD_READS = 8;

/**
 * At most `settings.maxDiagnostics` entries: matches first, since they are what the hunter is
 * after; malformed records fill what is left. The tree lists the matches beyond the cap. A match
 * with a `place` (an `.evtx` record) goes on its record's document, at the value in that XML.
 */
export async function placeDiagnostics(uri: vscode.Uri, result: HuntResult, settings: Settings): Promise<PlacedDiagnostics> {
  const max = settings.maxDiagnostics;
  const matches = result.matches.slice(0, max);
  const onFile: vscode.Diagnostic[] = [];
  const byRecord = new Map<string, [vscode.Uri, vscode.Diagnostic[]]>();
  const placed = await mapLimited(matches, RECORD_READS, async (m) => {
    const place = m.event.place;
    if (!place) return undefined;
    const text = await recordText(uri, place.offset).catch(() => undefined);
    return { target: recordUri(uri, place, m.event.recordId), range: text !== undefined ? rangeInRecord(text, m) : new vscode.Range(0, 0, 0, 0) };
  });
  for (const [i, m] of matches.entries()) {
    const at = placed[i];
    if (!at) {
      onFile.push(matchDiagnostic(m, settings.severity));
      continue;
    }
    const key = at.target.toString();
    let entry = byRecord.get(key);
    if (!entry) byRecord.set(key, (entry = [at.target, []]));
    entry[1].push(matchDiagnostic(m, settings.severity, at.range));
  }
  // Malformed entries of an .evtx are at 1:1 of the file itself; their message says chunk and offset.
  for (const malformed of result.malformed.slice(0, Math.max(0, max - matches.length))) {
    onFile.push(malformedDiagnostic(malformed));
  }
  return [[uri, onFile], ...byRecord.values()];
}

async function mapLimited<T, R>(items: readonly T[], limit: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * The Problems entries of every hunted file. A file's entries can sit on other documents (an
 * `.evtx` file's records), so each file remembers where its went, for the next hunt to replace.
 */
export class HuntDiagnostics implements vscode.Disposable {
  private readonly placed = new Map<string, vscode.Uri[]>();
  /** Bumped per file by each set() and clear(): a slower earlier placement must not win. */
  private readonly versions = new Map<string, number>();
  private cleared = 0;

  constructor(readonly collection: vscode.DiagnosticCollection) {}

  /** Replaces whatever an earlier hunt of `uri` published. */
  async set(uri: vscode.Uri, result: HuntResult, settings: Settings): Promise<void> {
    const key = uri.toString();
    const version = (this.versions.get(key) ?? 0) + 1;
    this.versions.set(key, version);
    const cleared = this.cleared;
    // A new hunt: the file may have changed since its records were rendered.
    forgetRecords(uri);
    const placed = await placeDiagnostics(uri, result, settings);
    if (this.versions.get(key) !== version || this.cleared !== cleared) return;
    for (const old of this.placed.get(key) ?? []) this.collection.delete(old);
    for (const [target, diagnostics] of placed) this.collection.set(target, diagnostics);
    this.placed.set(key, placed.map(([target]) => target));
  }

  /** Removes what an earlier hunt of `uri` published. */
  delete(uri: vscode.Uri): void {
    const key = uri.toString();
    this.versions.set(key, (this.versions.get(key) ?? 0) + 1);
    for (const old of this.placed.get(key) ?? []) this.collection.delete(old);
    this.placed.delete(key);
  }

  /**
   * Moves the entries on `uri`'s own document with an edit of its text (VS Code does not), and
   * drops those whose event the edit touched. Returns how many were dropped.
   */
  follow(uri: vscode.Uri, changes: readonly vscode.TextDocumentContentChangeEvent[]): number {
    if (!this.placed.has(uri.toString())) return 0;
    const kept: vscode.Diagnostic[] = [];
    let dropped = 0;
    for (const old of this.collection.get(uri) ?? []) {
      const guard = GUARDS.get(old);
      const moved = guard ? followChanges([guard, old.range], changes) : undefined;
      if (!moved) {
        // An entry without a guard was not placed by a hunt of this text: it cannot be followed.
        dropped++;
        continue;
      }
      const diagnostic = new vscode.Diagnostic(moved[1], old.message, old.severity);
      diagnostic.source = old.source;
      diagnostic.code = old.code;
      diagnostic.tags = old.tags;
      diagnostic.relatedInformation = old.relatedInformation;
      GUARDS.set(diagnostic, moved[0]);
      kept.push(diagnostic);
    }
    this.collection.set(uri, kept);
    return dropped;
  }

  clear(): void {
    this.cleared++;
    this.placed.clear();
    this.collection.clear();
  }

  dispose(): void {
    this.collection.dispose();
  }
}
