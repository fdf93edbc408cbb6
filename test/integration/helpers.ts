// Shared by the integration tests: where the fixtures and the corpus are, the extension's API,
// and generators for logs too big to keep in the repository.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { LogHuntApi } from '../../src/extension/activate';
import type { ResultNode } from '../../src/extension/resultsTree';
import type { SelectRulesOutcome } from '../../src/extension/selectRulesCommand';

/** The repository root: the nearest folder above this file with a package.json (out/ has none). */
export const repoRoot = ((): string => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${__dirname}`);
  }
})();

/** The shared corpus of real logs sits beside the repository, not in it. */
export const corpusDir = path.resolve(repoRoot, '..', 'shared', 'corpus');

export function fixture(name: string): vscode.Uri {
  return vscode.Uri.file(path.join(repoRoot, 'test', 'fixtures', name));
}

export async function logHunt(): Promise<LogHuntApi> {
  const ext = vscode.extensions.getExtension<LogHuntApi>('log-hunt.log-hunt');
  assert.ok(ext, 'extension log-hunt.log-hunt is not loaded');
  return ext.activate();
}

/** A clean slate: no results, no editors. */
export async function reset(): Promise<void> {
  await logHunt();
  await vscode.commands.executeCommand('logHunt.clearResults');
  // Generated queries open as untitled, so dirty, editors. Closed as they are, their text is kept
  // as a backup, and the next untitled editor of the same name can come back holding it.
  for (const document of vscode.workspace.textDocuments.filter((d) => d.isUntitled && d.isDirty)) {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  // Until the extension host hears that they are gone, a new untitled editor can be handed the
  // closed one's document, text and all.
  for (let i = 0; i < 50 && vscode.workspace.textDocuments.some((d) => d.isUntitled); i++) await sleep(50);
}

/** The analytic the project started from; tests of the hunt mechanics hunt with it alone. */
export const CAR_SERVICES_CMD = 'CAR-2014-05-002';

/** Select Rules through its command's argument seam: ids select, an empty list clears. */
export function selectRules(ids: readonly string[]): Thenable<SelectRulesOutcome | undefined> {
  return vscode.commands.executeCommand<SelectRulesOutcome | undefined>('logHunt.selectRules', [...ids]);
}

/**
 * Mocha hooks for a suite that hunts with CAR-2014-05-002 alone, as the extension did before it
 * ran every rule: its counts and rows stay the same however the built-in library grows.
 */
export function huntWithServicesCmdOnly(): void {
  before(async () => {
    await logHunt();
    await selectRules([CAR_SERVICES_CMD]);
  });
  after(() => selectRules([]));
}

/** The diagnostics Log Hunt put on `uri` for matches of CAR-2014-05-002. */
export function matchDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter(
    (d) => d.source === 'Log Hunt' && typeof d.code === 'object' && d.code.value === 'CAR-2014-05-002',
  );
}

/** Every diagnostic Log Hunt published, over all files. */
export function allLogHuntDiagnostics(): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics().flatMap(([, ds]) => ds.filter((d) => d.source === 'Log Hunt'));
}

/** Sets a `logHunt.*` user setting for the duration of `body`. */
export async function withSetting<T>(key: string, value: unknown, body: () => PromiseLike<T>): Promise<T> {
  const config = vscode.workspace.getConfiguration('logHunt');
  await config.update(key, value, vscode.ConfigurationTarget.Global);
  try {
    return await body();
  } finally {
    await config.update(key, undefined, vscode.ConfigurationTarget.Global);
  }
}

/** Sets several `logHunt.*` user settings for the duration of `body`. */
export async function withSettings<T>(settings: Record<string, unknown>, body: () => PromiseLike<T>): Promise<T> {
  const config = vscode.workspace.getConfiguration('logHunt');
  for (const [key, value] of Object.entries(settings)) await config.update(key, value, vscode.ConfigurationTarget.Global);
  try {
    return await body();
  } finally {
    for (const key of Object.keys(settings)) await config.update(key, undefined, vscode.ConfigurationTarget.Global);
  }
}

/** Polls `probe` until `ok` holds (reloads are debounced and asynchronous); fails with the last value. */
export async function waitFor<T>(what: string, probe: () => T | Thenable<T>, ok: (value: T) => boolean, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > until) assert.fail(`${what}: still ${JSON.stringify(value)} after ${ms} ms`);
    await sleep(100);
  }
}

/** A tree row as VS Code would show it. */
export interface Row {
  node: ResultNode;
  item: vscode.TreeItem;
}

export function treeRows(api: LogHuntApi, node?: ResultNode): Row[] {
  return api.results.getChildren(node).map((child) => ({ node: child, item: api.results.getTreeItem(child) }));
}

export const label = (item: vscode.TreeItem): string => (typeof item.label === 'string' ? item.label : item.label?.label ?? '');

export interface ManifestRow {
  file: string;
  format: string;
  events: number;
  matches: number;
}

/** The corpus manifest's rows, or undefined when the corpus is not there. */
export function readManifest(): ManifestRow[] | undefined {
  const manifest = path.join(corpusDir, 'MANIFEST.tsv');
  if (!fs.existsSync(manifest)) return undefined;
  const [header, ...lines] = fs.readFileSync(manifest, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const columns = header.split('\t');
  const col = (name: string): number => {
    const i = columns.indexOf(name);
    assert.ok(i >= 0, `MANIFEST.tsv has no column ${name}`);
    return i;
  };
  const [file, format, events, matches] = ['file', 'format', 'events', 'car_2014_05_002_matches'].map(col);
  return lines.map((line) => {
    const cells = line.split('\t');
    return { file: cells[file], format: cells[format], events: Number(cells[events]), matches: Number(cells[matches]) };
  });
}

const S = 'C:\\Windows\\System32\\services.exe';

/** One Sysmon process create, one line, in the shape `wevtutil qe /f:xml` writes. */
export function processCreate(recordId: number, image: string, parentImage: string, commandLine: string, host = 'BIG-HOST'): string {
  return (
    `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon'/>` +
    `<EventID>1</EventID><TimeCreated SystemTime='2024-06-01T00:00:00.000Z'/><EventRecordID>${recordId}</EventRecordID>` +
    `<Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>${host}</Computer></System><EventData>` +
    `<Data Name='Image'>${image}</Data><Data Name='CommandLine'>${commandLine}</Data>` +
    `<Data Name='ParentImage'>${parentImage}</Data></EventData></Event>`
  );
}

export interface GeneratedLog {
  events: number;
  matches: number;
  /** 0-based line of the first match. */
  firstMatchLine: number;
  bytes: number;
}

/**
 * Writes an XML log of blocks of `blockEvents` events, each block holding one services.exe ->
 * cmd.exe match in its middle and harmless process creates around it; as many blocks as make
 * about `size.bytes`, or `size.blocks`.
 */
export function writeGeneratedLog(file: string, blockEvents: number, size: { bytes: number } | { blocks: number }): GeneratedLog {
  const matchAt = Math.floor(blockEvents / 2);
  const lines: string[] = [];
  for (let i = 0; i < blockEvents; i++) {
    lines.push(i === matchAt
      ? processCreate(i, 'C:\\Windows\\System32\\cmd.exe', S, 'cmd.exe /c echo generated')
      : processCreate(i, 'C:\\Windows\\System32\\svchost.exe', S, 'svchost.exe -k netsvcs -p -s Schedule'));
  }
  const block = Buffer.from(lines.join('\n') + '\n');
  const blocks = 'blocks' in size ? size.blocks : Math.max(1, Math.round(size.bytes / block.length));
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, '<Events>\n');
    for (let b = 0; b < blocks; b++) fs.writeSync(fd, block);
    fs.writeSync(fd, '</Events>\n');
  } finally {
    fs.closeSync(fd);
  }
  return { events: blocks * blockEvents, matches: blocks, firstMatchLine: 1 + matchAt, bytes: fs.statSync(file).size };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Presses Enter in whatever quick pick is open until `pending` settles: the first item each time. */
export async function acceptQuickPicksUntil<T>(pending: Thenable<T>): Promise<T> {
  let done = false;
  const result = Promise.resolve(pending).finally(() => { done = true; });
  for (let i = 0; i < 100 && !done; i++) {
    await sleep(150);
    if (!done) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
  return result;
}
