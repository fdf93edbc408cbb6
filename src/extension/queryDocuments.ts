/**
 * Generated queries as read-only documents of their own scheme (`loghunt-query`), not untitled
 * editors: the tab says which target and rule (`Splunk SPL — CAR-2014-05-002 Services launching
 * Cmd.spl`), the path's extension and an explicit language id give the query's language mode, and
 * the scheme's file system is read-only (the editor shows a lock and refuses typing; nothing can be
 * written or saved there), and closing the tab never asks to save. A file system rather than a
 * TextDocumentContentProvider, so that the scheme itself says it is read-only (isWritableFileSystem).
 *
 * The same target, rule and style always get the same URI: generating again (other settings)
 * updates the open tab instead of opening another. The texts live in memory for the session.
 */
import * as vscode from 'vscode';
import type { QueryStyle, QueryTarget, RuleInfo } from '../engine';

export const QUERY_SCHEME = 'loghunt-query';
export const COPY_QUERY_COMMAND = 'logHunt.copyQuery';

/** The file extension of each language id, so the tab's icon and the language mode agree. */
const EXTENSIONS: Record<string, string> = { spl: 'spl', eql: 'eql', dnif: 'dnif', kql: 'kql', esql: 'esql', yaml: 'yml' };

/** Path segments cannot hold `/`, and `\` reads as one on Windows; control characters never belong in a title. */
function titlePart(text: string): string {
  return text.replace(/[\\/]/g, '∕').replace(/[\x00-\x1f\x7f]/g, ' ').replace(/\s+/g, ' ').trim();
}

/** `Splunk SPL — CAR-2014-05-002 Services launching Cmd (CAR style)`: the tab's title, without the extension. */
export function queryTitle(target: Pick<QueryTarget, 'label'>, rule: Pick<RuleInfo, 'id' | 'title'>, style: QueryStyle): string {
  const name = rule.title && rule.title !== rule.id ? `${rule.id} ${rule.title}` : rule.id;
  const title = `${target.label} — ${titlePart(name)}${style === 'car' ? ' (CAR style)' : ''}`;
  // Long Sigma titles would crowd out every other tab.
  return title.length > 120 ? `${title.slice(0, 119)}…` : title;
}

export function queryUri(target: Pick<QueryTarget, 'label' | 'languageId'>, rule: Pick<RuleInfo, 'id' | 'title'>, style: QueryStyle): vscode.Uri {
  const extension = EXTENSIONS[target.languageId] ?? 'txt';
  return vscode.Uri.from({ scheme: QUERY_SCHEME, path: `/${queryTitle(target, rule, style)}.${extension}` });
}

/** A tab restored after a reload: its query lived in the last session's memory. */
const FORGOTTEN = 'This query was generated in an earlier session. Run "Log Hunt: Generate SIEM Query…" again.';

/** The `loghunt-query` file system: a flat folder of query texts, read-only to everyone but `set`. */
export class QueryFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly files = new Map<string, { data: Uint8Array; mtime: number }>();
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly created = Date.now();

  /** Sets the text `uri` shows; an open editor of it reloads. */
  set(uri: vscode.Uri, text: string): void {
    const before = this.files.get(uri.path);
    const data = new TextEncoder().encode(text);
    // Told even when the text is the same, so an open editor shows it again as generated;
    // mtime must move for the editor to reload, even within one millisecond.
    this.files.set(uri.path, { data, mtime: Math.max(Date.now(), (before?.mtime ?? 0) + 1) });
    this.changed.fire([{ type: before ? vscode.FileChangeType.Changed : vscode.FileChangeType.Created, uri }]);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    if (uri.path === '/') return { type: vscode.FileType.Directory, ctime: this.created, mtime: this.created, size: 0 };
    const file = this.files.get(uri.path);
    return { type: vscode.FileType.File, ctime: this.created, mtime: file?.mtime ?? this.created, size: file?.data.length ?? FORGOTTEN.length, permissions: vscode.FilePermission.Readonly };
  }

  readFile(uri: vscode.Uri): Uint8Array {
    return this.files.get(uri.path)?.data ?? new TextEncoder().encode(FORGOTTEN);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [...this.files.keys()].map((p) => [p.slice(1), vscode.FileType.File]);
  }

  watch(): vscode.Disposable {
    // Changes come only from `set`, which fires them.
    return new vscode.Disposable(() => undefined);
  }

  createDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  writeFile(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The editor's Copy button: the query document's text, as shown. */
export async function copyQueryCommand(uri?: unknown): Promise<void> {
  const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
  const document = target && vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
  if (!document || document.uri.scheme !== QUERY_SCHEME) return;
  await vscode.env.clipboard.writeText(document.getText());
  vscode.window.setStatusBarMessage('Log Hunt: query copied to the clipboard', 3000);
}
