/** Turns one file's hunt result into Problems entries: one per match, then the malformed records. */
import * as vscode from 'vscode';
import { findAnalytic } from '../engine/analytics';
import { HuntResult } from '../engine/huntTypes';
import { Malformed, Match } from '../engine/model';
import { shorten } from './markdown';
import { matchRange, toVsPosition } from './ranges';
import { Settings } from './settings';

export const DIAGNOSTIC_SOURCE = 'Log Hunt';
const COMMAND_LINE_CHARS = 120;

/** "Services launching Cmd (CAR-2014-05-002): services.exe started cmd.exe: cmd.exe /c …" */
export function matchMessage(match: Match): string {
  const analytic = findAnalytic(match.analyticId);
  const title = analytic ? `${analytic.title} (${analytic.id})` : match.analyticId;
  const f = match.event.fields;
  const started = `${f.parent_exe ?? '?'} started ${f.exe ?? '?'}`;
  const commandLine = f.command_line ? `: ${shorten(f.command_line, COMMAND_LINE_CHARS)}` : '';
  return `${title}: ${started}${commandLine}`;
}

function matchDiagnostic(match: Match, severity: vscode.DiagnosticSeverity): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(matchRange(match), matchMessage(match), severity);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  const page = findAnalytic(match.analyticId)?.references[0];
  diagnostic.code = page ? { value: match.analyticId, target: vscode.Uri.parse(page) } : match.analyticId;
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
