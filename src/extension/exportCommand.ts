/**
 * `logHunt.exportResults`: the results store's matches written as SARIF 2.1.0, CSV or JSON Lines,
 * with the engine's export functions (and the CLI's JSON Lines objects), so a file exported here
 * reads like one `log-hunt hunt --output` wrote. Lineage goes in when the matches have it (after
 * a Process tree was expanded, see lineageNodes.ts). A hunted log is never a target.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { ExportItem, Match, RuleInfo, toCsv, toSarif } from '../engine';
import { jsonLine, matchJson } from '../cli/report';
import { plainNotification } from './markdown';
import { FileResult, ResultStore } from './resultStore';
import { displayName, plural } from './resultsTree';

export const EXPORT_COMMAND = 'logHunt.exportResults';

export type ExportFormat = 'sarif' | 'csv' | 'jsonl';

const FORMATS: { format: ExportFormat; label: string; detail: string; extension: string }[] = [
  { format: 'sarif', label: 'SARIF 2.1.0', detail: 'For code-scanning tools and SARIF viewers: one result per match, the rules, lineage as related locations', extension: 'sarif' },
  { format: 'csv', label: 'CSV', detail: 'For a spreadsheet: one row per match (UTF-8 with a BOM, formulas neutralised)', extension: 'csv' },
  { format: 'jsonl', label: 'JSON Lines', detail: 'One JSON object per match, as log-hunt hunt --output jsonl writes it', extension: 'jsonl' },
];

/** What an export wrote; the command returns it, which the tests read. */
export interface ExportOutcome {
  target: vscode.Uri;
  format: ExportFormat;
  matches: number;
  /** Matches counted by the hunts but not stored, so not exported. */
  notStored: number;
}

/** The path a match's file is written as: the file system path, or the URI of an editor not on disk. */
function fileName(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

function itemsOf(files: readonly FileResult[]): ExportItem[] {
  return files.flatMap((f) => f.result.matches.map((match: Match) => ({ file: fileName(f.uri), match })));
}

/** Every rule that matched, also those whose matches were all beyond the stored ones. */
function rulesOf(files: readonly FileResult[]): RuleInfo[] {
  const rules = new Map<string, RuleInfo>();
  for (const f of files) {
    for (const m of f.result.matches) if (!rules.has(m.rule.id)) rules.set(m.rule.id, m.rule);
    for (const [id, rule] of f.rules ?? []) if (!rules.has(id)) rules.set(id, rule);
  }
  return [...rules.values()];
}

/** The document's text in the chosen format. */
export function exportText(format: ExportFormat, files: readonly FileResult[], baseDir: string, toolVersion?: string): string {
  const items = itemsOf(files);
  switch (format) {
    case 'sarif': return `${JSON.stringify(toSarif(items, rulesOf(files), { baseDir, toolVersion }), null, 2)}\n`;
    case 'csv': return toCsv(items);
    case 'jsonl': return items.map(({ file, match }) => `${jsonLine({ ...matchJson(file, match), lineage: match.lineage ?? null })}\n`).join('');
  }
}

/** `services-cmd.hunt.sarif` beside the one hunted file; `log-hunt-results.sarif` in the workspace for several. */
function defaultTarget(files: readonly FileResult[], extension: string): vscode.Uri | undefined {
  const first = files[0]?.uri;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (files.length === 1 && first.scheme === 'file') {
    const base = path.posix.basename(first.path).replace(/\.[^.]*$/, '');
    return vscode.Uri.joinPath(first, '..', `${base}.hunt.${extension}`);
  }
  const dir = folder ?? (first?.scheme === 'file' ? vscode.Uri.joinPath(first, '..') : undefined);
  return dir && vscode.Uri.joinPath(dir, `log-hunt-results.${extension}`);
}

function isFormat(value: unknown): value is ExportFormat {
  return FORMATS.some((f) => f.format === value);
}

function toolVersion(): string | undefined {
  const json = vscode.extensions.getExtension('log-hunt.log-hunt')?.packageJSON as { version?: unknown } | undefined;
  return typeof json?.version === 'string' ? json.version : undefined;
}

/**
 * Asks for a format and a file (a test passes both), refuses a hunted log as the target, and
 * writes the export. Returns undefined when nothing was written.
 */
export async function exportResultsCommand(store: ResultStore, formatArg?: unknown, targetArg?: unknown): Promise<ExportOutcome | undefined> {
  const files = store.all().filter((f) => f.result.matches.length > 0);
  if (files.length === 0) {
    void vscode.window.showInformationMessage('Log Hunt: no matches to export. Hunt a log first.');
    return undefined;
  }
  let format = isFormat(formatArg) ? formatArg : undefined;
  if (!format) {
    const picked = await vscode.window.showQuickPick(
      FORMATS.map((f) => ({ label: f.label, detail: f.detail, format: f.format })),
      { title: 'Log Hunt: export the results as', placeHolder: 'Format of the export' },
    );
    if (!picked) return undefined;
    format = picked.format;
  }
  const extension = FORMATS.find((f) => f.format === format)!.extension;
  const target = targetArg instanceof vscode.Uri ? targetArg : await vscode.window.showSaveDialog({
    title: 'Log Hunt: export the results',
    saveLabel: 'Export',
    defaultUri: defaultTarget(files, extension),
    filters: { [FORMATS.find((f) => f.format === format)!.label]: [extension] },
  });
  if (!target) return undefined;
  // Overwriting a log would destroy the evidence the results point at.
  const hunted = store.all().find((f) => f.uri.toString() === target.toString() || (f.uri.scheme === 'file' && target.scheme === 'file' && path.resolve(f.uri.fsPath) === path.resolve(target.fsPath)));
  if (hunted) {
    void vscode.window.showErrorMessage(plainNotification(`Log Hunt: ${displayName(target)} is a hunted log; the export was not written. Pick another file.`));
    return undefined;
  }
  const baseDir = (vscode.workspace.getWorkspaceFolder(target) ?? vscode.workspace.workspaceFolders?.[0])?.uri.fsPath ?? path.dirname(target.fsPath);
  const text = exportText(format, files, baseDir, toolVersion());
  await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
  const matches = files.reduce((n, f) => n + f.result.matches.length, 0);
  const notStored = store.all().reduce((n, f) => n + Math.max(0, f.result.summary.matches - f.result.matches.length), 0);
  const left = notStored > 0 ? ` ${plural(notStored, 'further match')} were counted but not kept, so not exported.` : '';
  void vscode.window.showInformationMessage(plainNotification(`Log Hunt: ${plural(matches, 'match')} exported to ${displayName(target)}.${left}`), 'Open')
    .then((choice) => choice && vscode.window.showTextDocument(target));
  return { target, format, matches, notStored };
}
