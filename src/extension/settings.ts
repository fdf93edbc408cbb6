/** The `logHunt.*` settings, read fresh for each command so changes apply without a reload. */
import * as vscode from 'vscode';
import { FormatName, Level, LEVELS, QueryStyle } from '../engine';

export interface Settings {
  /** Undefined (`byLevel`): each match's severity comes from its rule's level. */
  severity?: vscode.DiagnosticSeverity;
  maxDiagnostics: number;
  /** Undefined: the query style's own default index. */
  splunkIndex?: string;
  /** Undefined: the query style's own default limit. */
  dnifLimit?: number;
  queryStyle: QueryStyle;
  /** The target Generate SIEM Query offers first. */
  queryTarget: string;
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
    severity: SEVERITIES[config.get<string>('severity', 'byLevel')],
    maxDiagnostics: Number.isSafeInteger(maxDiagnostics) && maxDiagnostics >= 0 ? maxDiagnostics : 1000,
    splunkIndex: splunkIndex === '' ? undefined : splunkIndex,
    dnifLimit: Number.isSafeInteger(dnifLimit) && dnifLimit > 0 ? dnifLimit : undefined,
    queryStyle: queryStyle === 'car' ? 'car' : 'precise',
    queryTarget: config.get<string>('queryTarget', 'spl'),
    format: format === 'xml' || format === 'json' ? format : 'auto',
    parseEveryRecord: config.get<boolean>('parseEveryRecord', false) === true,
  };
}

/** `logHunt.rules.*`: which rules the hunts run. */
export interface RuleSettings {
  /** As written: absolute, `~/...`, or relative to the workspace folder(s). */
  folders: string[];
  builtin: boolean;
  minLevel: Level;
}

export function readRuleSettings(): RuleSettings {
  const config = vscode.workspace.getConfiguration('logHunt.rules');
  const folders = config.get<unknown>('folders', []);
  const minLevel = config.get<string>('minLevel', 'informational');
  return {
    folders: Array.isArray(folders) ? folders.filter((f): f is string => typeof f === 'string' && f.trim() !== '').map((f) => f.trim()) : [],
    builtin: config.get<boolean>('builtin', true) !== false,
    minLevel: (LEVELS as readonly string[]).includes(minLevel) ? (minLevel as Level) : 'informational',
  };
}

/** Default of `logHunt.huntFolder.exclude`: hidden files and folders (`.git`, `.vscode`) and `node_modules`. */
export const DEFAULT_FOLDER_EXCLUDE = ['.*', 'node_modules'];

/** `logHunt.huntFolder.exclude`: glob patterns, relative to the hunted folder, that Hunt Folder… leaves out. */
export function readFolderExclude(): string[] {
  const value = vscode.workspace.getConfiguration('logHunt.huntFolder').get<unknown>('exclude', DEFAULT_FOLDER_EXCLUDE);
  return Array.isArray(value) ? value.filter((g): g is string => typeof g === 'string' && g.trim() !== '').map((g) => g.trim()) : DEFAULT_FOLDER_EXCLUDE;
}
