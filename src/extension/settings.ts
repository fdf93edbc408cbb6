/** The `logHunt.*` settings, read fresh for each command so changes apply without a reload. */
import * as vscode from 'vscode';
import { FormatName } from '../engine/huntTypes';
import { QueryStyle } from '../engine/queries';

export interface Settings {
  severity: vscode.DiagnosticSeverity;
  maxDiagnostics: number;
  /** Undefined: the query style's own default index. */
  splunkIndex?: string;
  /** Undefined: the query style's own default limit. */
  dnifLimit?: number;
  queryStyle: QueryStyle;
  format: FormatName | 'auto';
  /** Parse every record (the engine's plain mode), so every malformed one is reported. */
  parseEveryRecord: boolean;
}

const SEVERITIES: Record<string, vscode.DiagnosticSeverity> = {
  Error: vscode.DiagnosticSeverity.Error,
  Warning: vscode.DiagnosticSeverity.Warning,
  Information: vscode.DiagnosticSeverity.Information,
  Hint: vscode.DiagnosticSeverity.Hint,
};

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration('logHunt');
  // settings.json is hand-edited too: anything outside the schema falls back to the default.
  const maxDiagnostics = config.get<number>('maxDiagnostics', 1000);
  const splunkIndex = config.get<string>('splunkIndex', '').trim();
  const dnifLimit = config.get<number>('dnifLimit', 0);
  const queryStyle = config.get<string>('queryStyle', 'precise');
  const format = config.get<string>('format', 'auto');
  return {
    severity: SEVERITIES[config.get<string>('severity', 'Warning')] ?? vscode.DiagnosticSeverity.Warning,
    maxDiagnostics: Number.isSafeInteger(maxDiagnostics) && maxDiagnostics >= 0 ? maxDiagnostics : 1000,
    splunkIndex: splunkIndex === '' ? undefined : splunkIndex,
    dnifLimit: Number.isSafeInteger(dnifLimit) && dnifLimit > 0 ? dnifLimit : undefined,
    queryStyle: queryStyle === 'car' ? 'car' : 'precise',
    format: format === 'xml' || format === 'json' ? format : 'auto',
    parseEveryRecord: config.get<boolean>('parseEveryRecord', false) === true,
  };
}
