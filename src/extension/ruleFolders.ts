/** Where `logHunt.rules.folders` points: absolute paths, for the engine and the file watchers. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';

export interface ResolvedFolders {
  /** Absolute paths, without duplicates. */
  folders: string[];
  /** Relative entries with no workspace folder to resolve against. */
  unresolved: string[];
}

/**
 * Each configured path made absolute: `~/` is the home folder; a relative path resolves against
 * every workspace folder where it exists (the first folder when it exists in none, so that the
 * engine reports it as unreadable under a name the user recognises).
 */
export function resolveRuleFolders(configured: readonly string[]): ResolvedFolders {
  const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const folders: string[] = [];
  const unresolved: string[] = [];
  for (const entry of configured) {
    const expanded = entry === '~' || entry.startsWith('~/') || entry.startsWith('~\\') ? path.join(os.homedir(), entry.slice(1)) : entry;
    if (path.isAbsolute(expanded)) {
      folders.push(path.normalize(expanded));
    } else if (roots.length === 0) {
      unresolved.push(entry);
    } else {
      const candidates = roots.map((root) => path.resolve(root, expanded));
      const existing = candidates.filter((c) => fs.existsSync(c));
      folders.push(...(existing.length > 0 ? existing : candidates.slice(0, 1)));
    }
  }
  return { folders: [...new Set(folders)], unresolved };
}
