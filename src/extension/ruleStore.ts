/**
 * The rules the extension hunts with: loaded once from the `logHunt.rules.*` settings, and again
 * when those settings, the workspace folders or a rule file under the configured folders change.
 * The hunt, the Select Rules command and the rule editor all read the same loaded set from here.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { LoadedRules, loadRules, SkippedRule } from '../engine';
import { resolveRuleFolders } from './ruleFolders';
import { RuleLoader, SupersededError } from './ruleLoader';
import { readRuleSettings } from './settings';

/** Saving a rule, or a `git pull` of a rule repository, touches many files at once: reload once. */
const RELOAD_DELAY_MS = 300;
/** The output lists skipped rules one by one up to this many; a whole SigmaHQ checkout skips thousands. */
const SKIPPED_LISTED = 200;

export class RuleStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<LoadedRules>();
  /** Fires after every load that is still the latest, the first one included. */
  readonly onDidChange = this.changed.event;
  private readonly loader = new RuleLoader();
  private loading?: Promise<LoadedRules>;
  private generation = 0;
  private resolved: string[] = [];
  private watchers: vscode.Disposable[] = [];
  private watched = '';
  private timer?: ReturnType<typeof setTimeout>;
  /** Something changed since the last load; a hunt must not wait for the debounce to see it. */
  private stale = false;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.subscriptions = [
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('logHunt.rules')) this.scheduleReload();
      }),
      // Relative folders resolve against the workspace folders.
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.scheduleReload()),
    ];
  }

  /** The latest loaded rules; the first call loads them, and so does the first call after a change. */
  current(): Promise<LoadedRules> {
    return this.loading && !this.stale ? this.loading : this.reload();
  }

  /** Loads the rules again now; callers of current() get this load from here on. */
  reload(): Promise<LoadedRules> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.stale = false;
    const generation = ++this.generation;
    const loading = this.load(() => generation !== this.generation).then(
      (loaded) => {
        if (generation === this.generation) this.changed.fire(loaded);
        return loaded;
      },
      // A newer load took over mid-way: whoever waited for this one gets that one.
      (err: unknown) => {
        if (err instanceof SupersededError && this.loading) return this.loading;
        throw err;
      },
    );
    this.loading = loading;
    return loading;
  }

  /** The configured rule folders (or files), as absolute paths. */
  folders(): string[] {
    return this.loading ? [...this.resolved] : resolveRuleFolders(readRuleSettings().folders).folders;
  }

  private scheduleReload(): void {
    this.stale = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), RELOAD_DELAY_MS);
  }

  private async load(superseded: () => boolean): Promise<LoadedRules> {
    const settings = readRuleSettings();
    const { folders, unresolved } = resolveRuleFolders(settings.folders);
    this.resolved = folders;
    this.watch(folders);
    const selection = { builtin: settings.builtin, minLevel: settings.minLevel };
    let loaded: LoadedRules;
    try {
      loaded = await this.loader.load({ ...selection, paths: folders }, superseded);
    } catch (err) {
      if (err instanceof SupersededError) throw err;
      // A folder that vanished mid-read: hunt with what does not depend on it, and say why.
      loaded = await loadRules(selection);
      loaded.skipped.unshift({ source: folders.join(', '), category: 'unreadable', reason: (err as Error).message });
    }
    for (const entry of unresolved) {
      loaded.skipped.unshift({ source: entry, category: 'unreadable', reason: 'a relative rule folder needs an open workspace folder to resolve against' });
    }
    this.report(loaded, folders);
    return loaded;
  }

  private report(loaded: LoadedRules, folders: string[]): void {
    const sigma = loaded.rules.filter((r) => r.info.kind === 'sigma').length;
    const car = loaded.rules.length - sigma;
    const where = folders.length > 0 ? ` from ${folders.join(', ')}` : '';
    this.log.info(`Rules: ${loaded.rules.length} loaded (${sigma} Sigma${where}, ${car} built-in CAR); ${loaded.skipped.length} skipped${skippedTotals(loaded.skipped)}`);
    for (const s of loaded.skipped.slice(0, SKIPPED_LISTED)) this.log.warn(`Rule skipped: ${skippedLine(s)}`);
    for (const s of loaded.skipped.slice(SKIPPED_LISTED)) this.log.debug(`Rule skipped: ${skippedLine(s)}`);
    if (loaded.skipped.length > SKIPPED_LISTED) {
      this.log.info(`${loaded.skipped.length - SKIPPED_LISTED} more skipped rules are listed at the Debug log level.`);
    }
  }

  /**
   * One recursive watcher per configured folder (or one per file); rebuilt only when the folders
   * change. It watches every path, not just rule files: a folder created with rules in it (a `git
   * pull`, a copy) can reach us as the folder alone, before the watcher sees inside it.
   */
  private watch(folders: string[]): void {
    const key = folders.join('\n');
    if (key === this.watched) return;
    this.watched = key;
    for (const w of this.watchers) w.dispose();
    this.watchers = folders.map((folder) => {
      const isFile = fs.existsSync(folder) && fs.statSync(folder).isFile();
      const pattern = isFile
        ? new vscode.RelativePattern(vscode.Uri.file(path.dirname(folder)), path.basename(folder))
        : new vscode.RelativePattern(vscode.Uri.file(folder), '**');
      const watcher = vscode.workspace.createFileSystemWatcher(pattern);
      const reload = (relevant: boolean): void => {
        if (relevant) this.scheduleReload();
      };
      watcher.onDidCreate((uri) => reload(isRuleFile(uri) || isFolder(uri)));
      watcher.onDidChange((uri) => reload(isRuleFile(uri)));
      // A deleted folder can no longer be told from a file: any path without an extension counts.
      watcher.onDidDelete((uri) => reload(isRuleFile(uri) || (!inGitFolder(uri) && path.posix.extname(uri.path) === '')));
      return outsideWorkspace(folder) ? vscode.Disposable.from(watcher, nodeWatcher(folder, isFile, () => this.scheduleReload())) : watcher;
    });
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.watchers) w.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

/** Is the path under none of the workspace folders? */
function outsideWorkspace(folder: string): boolean {
  return !(vscode.workspace.workspaceFolders ?? []).some((w) => {
    const rel = path.relative(w.uri.fsPath, folder);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  });
}

/**
 * Node's own recursive watcher, for a rule folder outside the workspace (a SigmaHQ checkout beside
 * it): VS Code's watcher does not report changes there in every host (code-server did not).
 * A folder that cannot be watched is simply not watched: its rules still reload on a settings change.
 */
function nodeWatcher(folder: string, isFile: boolean, changed: () => void): vscode.Disposable {
  try {
    const watcher = fs.watch(isFile ? path.dirname(folder) : folder, { recursive: !isFile, persistent: false }, (_event, name) => {
      const file = name ? name.toString() : '';
      if (/(^|[\\/])\.git([\\/]|$)/.test(file)) return;
      if (isFile ? path.join(path.dirname(folder), file) === folder : file === '' || /\.ya?ml$/i.test(file) || path.extname(file) === '') changed();
    });
    watcher.on('error', () => watcher.close());
    return new vscode.Disposable(() => watcher.close());
  } catch {
    return new vscode.Disposable(() => undefined);
  }
}

/** A `.yml`/`.yaml` file outside `.git`: what the loader reads. */
function isRuleFile(uri: vscode.Uri): boolean {
  return /\.ya?ml$/i.test(uri.path) && !inGitFolder(uri);
}

function isFolder(uri: vscode.Uri): boolean {
  if (inGitFolder(uri)) return false;
  try {
    return fs.statSync(uri.fsPath).isDirectory();
  } catch {
    return false;
  }
}

/** A rule folder is often a git checkout; git's own churn is no rule change. */
function inGitFolder(uri: vscode.Uri): boolean {
  return /\/\.git(\/|$)/.test(uri.path);
}

/** `: 3 correlation, 1 yaml`, most first. */
function skippedTotals(skipped: readonly SkippedRule[]): string {
  const counts = new Map<string, number>();
  for (const s of skipped) counts.set(s.category, (counts.get(s.category) ?? 0) + 1);
  const parts = [...counts].sort((a, b) => b[1] - a[1]).map(([category, n]) => `${n} ${category}`);
  return parts.length > 0 ? `: ${parts.join(', ')}` : '';
}

/** `file:line:col: title (id): reason`, so the output's link opens the rule at the trouble. */
export function skippedLine(s: SkippedRule): string {
  const at = s.line !== undefined ? `:${s.line}${s.column !== undefined ? `:${s.column}` : ''}` : '';
  const name = s.title ? ` ${s.title}${s.id ? ` (${s.id})` : ''}:` : s.id ? ` ${s.id}:` : '';
  return `${s.source}${at}:${name} ${s.reason} [${s.category}]`;
}
