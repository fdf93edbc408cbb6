/**
 * `logHunt.huntFolder`: every log under a folder, recursively, recognised by its content (the
 * engine's findLogs: `.evtx` by its header, text logs by the readers' detection in the first
 * 64 KiB), whatever the files are named. Files that are not logs are skipped and named in the
 * hunt's notification; `logHunt.huntFolder.exclude` leaves out files and folders by glob.
 */
import * as vscode from 'vscode';
import { findLogs, FolderLogs } from '../engine';
import { FileOutcome, Hunter, HuntOutcome } from './huntCommand';
import { plainNotification } from './markdown';
import { ResultStore } from './resultStore';
import { displayName, plural } from './resultsTree';
import { readFolderExclude } from './settings';

export const HUNT_FOLDER_COMMAND = 'logHunt.huntFolder';

/** What a folder hunt did; the command returns it, which the tests read. */
export interface FolderHuntOutcome extends HuntOutcome {
  folder: vscode.Uri;
  /** Files and folders an exclude pattern left out. */
  excluded: vscode.Uri[];
}

async function pickFolder(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Log Hunt: folder to hunt',
    openLabel: 'Hunt Folder',
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked?.[0];
}

/** The Explorer passes the clicked folder; the palette asks for one; tests pass a Uri. */
export async function huntFolderCommand(hunter: Hunter, store: ResultStore, arg?: unknown): Promise<FolderHuntOutcome | undefined> {
  const folder = arg instanceof vscode.Uri ? arg : await pickFolder();
  if (!folder) return undefined;
  if (folder.scheme !== 'file') {
    void vscode.window.showWarningMessage(plainNotification(`Log Hunt: ${folder.toString()} is not on a file system Log Hunt can read.`));
    return undefined;
  }
  const exclude = readFolderExclude();
  let found: FolderLogs;
  try {
    found = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Log Hunt: looking for logs in ${displayName(folder)}` },
      () => findLogs(folder.fsPath, exclude),
    );
  } catch (err) {
    void vscode.window.showErrorMessage(plainNotification(`Log Hunt: cannot read ${displayName(folder)}: ${(err as Error).message}`));
    return undefined;
  }
  const excluded = found.excluded.map((f) => vscode.Uri.file(f));
  hunter.log.info(`${folder.fsPath}: ${plural(found.logs.length, 'log')} found; ${found.skipped.length} other files skipped; ${excluded.length} left out by logHunt.huntFolder.exclude (${exclude.join(', ')})`);
  for (const s of found.skipped) hunter.log.info(`Not hunted: ${s.file}: ${s.reason}`);
  const notLogs: FileOutcome[] = found.skipped.map((s) => ({ uri: vscode.Uri.file(s.file), notALog: s.reason }));
  if (found.logs.length === 0) {
    const others = notLogs.length > 0 ? ` (${plural(notLogs.length, 'other file')}: ${notLogs.slice(0, 3).map((f) => displayName(f.uri)).join(', ')}${notLogs.length > 3 ? ', …' : ''})` : '';
    void vscode.window.showWarningMessage(plainNotification(`Log Hunt: no Sysmon logs in ${displayName(folder)}${others}.`));
    return { folder, excluded, files: notLogs, matches: 0, cancelled: false };
  }
  const outcome = await hunter.hunt(found.logs.map((f) => vscode.Uri.file(f)), undefined, notLogs);
  logByFileAndHost(hunter.log, store, outcome);
  return { ...outcome, folder, excluded };
}

/** The folder's matches in the output channel, by file and then host (the tree groups by rule, then host). */
function logByFileAndHost(log: vscode.LogOutputChannel, store: ResultStore, outcome: HuntOutcome): void {
  for (const file of outcome.files) {
    const result = file.summary && store.get(file.uri)?.result;
    if (!result || result.matches.length === 0) continue;
    const hosts = new Map<string, number>();
    for (const m of result.matches) {
      const host = m.event.computer ?? m.event.fields.hostname ?? '(no host)';
      hosts.set(host, (hosts.get(host) ?? 0) + 1);
    }
    const byHost = [...hosts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([h, n]) => `${h} ${n}`).join(', ');
    log.info(`${file.uri.fsPath}: ${plural(file.summary!.matches, 'match')} (${byHost})`);
  }
}
