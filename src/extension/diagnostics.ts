/** Turns one file's hunt result into Problems entries: one per match, then the malformed records. */
import * as vscode from 'vscode';
import { HuntResult, isProcessCreate, Malformed, Match } from '../engine';
import { LEVEL_SEVERITY } from './levels';
import { revealBidi, shorten } from './markdown';
import { matchRange, toVsPosition } from './ranges';
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

function matchDiagnostic(match: Match, severity: vscode.DiagnosticSeverity | undefined): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(matchRange(match), matchMessage(match), severity ?? LEVEL_SEVERITY[match.rule.level]);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = { value: match.rule.id, target: ruleTarget(match.rule) };
  return diagnostic;
}

function malformedDiagnostic(malformed: Malformed): vscode.Diagnostic {
  // An empty range: the editor widens it to the word at the position.
  const at = toVsPosition(malformed.position);
  const diagnostic = new vscode.Diagnostic(
    new vscode.Range(at, at),
    `Malformed record skipped: ${malformed.message}`,
    vscode.DiagnosticSeverity.Information,
  );
  diagnostic.source = DIAGNOSTIC_SOURCE;
  return diagnostic;
}

/**
 * At most `settings.maxDiagnostics` entries: matches first, since they are what the hunter is
 * after; malformed records fill what is left. The tree lists the matches beyond the cap.
 */
export function toDiagnostics(result: HuntResult, settings: Settings): vscode.Diagnostic[] {
  const max = settings.maxDiagnostics;
  const diagnostics = result.matches.slice(0, max).map((m) => matchDiagnostic(m, settings.severity));
  for (const malformed of result.malformed.slice(0, Math.max(0, max - diagnostics.length))) {
    diagnostics.push(malformedDiagnostic(malformed));
  }
  return diagnostics;
}
