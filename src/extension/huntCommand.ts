/**
 * Runs the engine's hunt on files and editors, behind a cancellable progress notification, and
 * hands each file's result to the store, the Problems panel, the output channel and the status
 * bar. The hunting itself is the engine's: this file only feeds it and reports what it says.
 */
import * as vscode from 'vscode';
import { huntFileParallel, HuntOptions, HuntResult, HuntSummary, huntText, isEvtxFile, LoadedRules, nearMissesOfFile, nearMissesOfText, NearMissReport, nearMissWords, RuleInfo, UnreadableInputError } from '../engine';
import { HuntDiagnostics } from './diagnostics';
import { huntWorkers } from './huntWorkers';
import { evtxFileOf } from './evtx/evtxDocuments';
import { plainNotification } from './markdown';
import { PartialHunt, partialWords, ResultStore } from './resultStore';
import { RuleStore } from './ruleStore';
import { SelectedRules } from './selectedRules';
import { displayName, plural } from './resultsTree';
import { readSettings } from './settings';
import { RESULTS_VIEW_ID } from './statusBar';

/** The file types offered in the Explorer and searched in folders (where an EVTX file is also found by its content). */
export const LOG_EXTENSIONS = ['xml', 'json', 'jsonl', 'ndjson', 'log', 'evtx'];
/** The results list keeps at least this many matches per file, whatever `maxDiagnostics` is. */
export const TREE_MATCH_LIMIT = 10_000;
/**
 * Two progress updates a second. Each one makes the workbench repaint the notification's
 * progress bar: at ten a second that cost the renderer about 0.25 s of CPU per 250 MB hunt,
 * taken from the hunt's worker threads, and the hunt about 10% more wall time on a busy
 * two-core machine (npm run bench:vscode; docs/bench-vscode.md).
 */
const PROGRESS_INTERVAL_MS = 500;

export interface FileOutcome {
  uri: vscode.Uri;
  summary?: HuntSummary;
  /** Why the file could not be hunted, in one line. */
  error?: string;
  /** Set when no event could be recognised in the file: it was refused, with this reason. */
  notALog?: string;
  /** Set when the hunt was cancelled in this file: `summary` then counts what was found before. */
  partial?: PartialHunt;
}

/** What a hunt did; the hunt commands return it, which the tests read. */
export interface HuntOutcome {
  files: FileOutcome[];
  matches: number;
  cancelled: boolean;
  /** The buttons of the hunt's closing notification, for tests. */
  actions?: string[];
  /** Where its progress showed: the results view for a hunt started from the view's title, else a notification. */
  progressIn?: 'view' | 'notification';
}

/** One thing to hunt: a file on disk, or the text of an editor (unsaved, untitled, not on disk). */
interface HuntInput {
  uri: vscode.Uri;
  bytes: number;
  run(options: HuntOptions): Promise<HuntResult>;
  /** After a hunt that found nothing: the rules that came closest (a second pass, nearMiss.ts). */
  nearMisses(rules: LoadedRules, options: { signal: AbortSignal; format?: HuntOptions['format'] }): Promise<NearMissReport>;
}

export class Hunter {
  /** Whether the results view is on screen: then the notification does not offer to show it. */
  resultsVisible: () => boolean = () => false;

  constructor(
    private readonly store: ResultStore,
    private readonly diagnostics: HuntDiagnostics,
    readonly log: vscode.LogOutputChannel,
    private readonly rules: RuleStore,
    private readonly selected: SelectedRules,
  ) {}

  /**
   * Hunts `uris` one after the other. Cancelling `token` stops the hunt exactly as the
   * notification's Cancel button does: both abort the engine through the same signal.
   */
  hunt(uris: readonly vscode.Uri[], token?: vscode.CancellationToken, notLogs: readonly FileOutcome[] = []): Promise<HuntOutcome> {
    if (this.startedInView) return this.huntInView(uris, token, notLogs);
    return Promise.resolve(
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Log Hunt', cancellable: true },
        (progress, progressToken) => this.run(uris, progress, [progressToken, token], notLogs),
      ),
    ).then((outcome) => ({ ...outcome, progressIn: 'notification' as const }));
  }

  /** Set while a command of the results view's title runs (fromResultsView). */
  private startedInView = false;
  /** The running view hunt's Cancel Hunt button. */
  private viewCancel?: vscode.CancellationTokenSource;

  /**
   * Runs a hunt command as started from the results view's title: its progress shows in that
   * view (VS Code's guidelines: progress where the action was taken), with a Cancel Hunt button
   * in the view's title while it runs, instead of a notification.
   */
  async fromResultsView<T>(command: () => Promise<T>): Promise<T> {
    this.startedInView = true;
    try {
      return await command();
    } finally {
      this.startedInView = false;
    }
  }

  /** The view's Cancel Hunt button: stops the hunt the view shows, as a notification's Cancel does. */
  cancelViewHunt(): void {
    this.viewCancel?.cancel();
  }

  private async huntInView(uris: readonly vscode.Uri[], token: vscode.CancellationToken | undefined, notLogs: readonly FileOutcome[]): Promise<HuntOutcome> {
    const cancel = new vscode.CancellationTokenSource();
    this.viewCancel = cancel;
    await vscode.commands.executeCommand('setContext', 'logHunt.hunting', true);
    try {
      const outcome = await vscode.window.withProgress({ location: { viewId: RESULTS_VIEW_ID }, title: 'Log Hunt' }, (progress) => this.run(uris, progress, [cancel.token, token], notLogs));
      return { ...outcome, progressIn: 'view' };
    } finally {
      if (this.viewCancel === cancel) {
        this.viewCancel = undefined;
        await vscode.commands.executeCommand('setContext', 'logHunt.hunting', false);
      }
      cancel.dispose();
    }
  }

  private async run(
    uris: readonly vscode.Uri[],
    progress: vscode.Progress<{ message?: string; increment?: number }>,
    tokens: (vscode.CancellationToken | undefined)[],
    notLogs: readonly FileOutcome[],
  ): Promise<HuntOutcome> {
    const abort = new AbortController();
    const listeners = tokens.map((t) => t?.onCancellationRequested(() => abort.abort()));
    if (tokens.some((t) => t?.isCancellationRequested)) abort.abort();
    // Files a folder hunt found not to be logs: named in the hunt's notification with the refused ones.
    const outcome: HuntOutcome = { files: [...notLogs], matches: 0, cancelled: false };
    try {
      const rules = await this.huntRules();
      if (!rules) {
        // Said once by huntRules, not once per file by report().
        outcome.files = uris.map((uri) => ({ uri, error: 'no rules to hunt with' }));
        return outcome;
      }
      const inputs: HuntInput[] = [];
      for (const uri of uris) {
        try {
          inputs.push(await prepareInput(uri));
        } catch (err) {
          outcome.files.push({ uri, error: this.logError(uri, err) });
        }
      }
      const meter = new ProgressMeter(progress, inputs.reduce((sum, i) => sum + i.bytes, 0));
      let offset = 0;
      for (const [index, input] of inputs.entries()) {
        if (abort.signal.aborted) break;
        const label = inputs.length > 1 ? `${index + 1}/${inputs.length} ${displayName(input.uri)}` : displayName(input.uri);
        meter.update(offset, 0, label, true);
        try {
          const hunted = await this.huntOne(input, rules, abort.signal, (bytes, events) => meter.update(offset + bytes, events, label), (what) => meter.say(`${label}: ${what}`));
          if ('notALog' in hunted) outcome.files.push({ uri: input.uri, notALog: hunted.notALog });
          else {
            outcome.files.push({ uri: input.uri, summary: hunted.summary, partial: hunted.partial });
            outcome.matches += hunted.summary.matches;
            if (hunted.partial) break;
          }
        } catch (err) {
          if (abort.signal.aborted) break;
          outcome.files.push({ uri: input.uri, error: this.logError(input.uri, err) });
        }
        offset += input.bytes;
      }
      outcome.cancelled = abort.signal.aborted;
    } finally {
      for (const l of listeners) l?.dispose();
    }
    this.report(outcome);
    return outcome;
  }

  /**
   * The loaded rules limited to the Select Rules choice; undefined, after saying why, when that
   * leaves none (a hunt without rules can only ever say "no matches").
   */
  private async huntRules(): Promise<LoadedRules | undefined> {
    const loaded = await this.rules.current();
    const rules = this.selected.apply(loaded);
    const selected = rules !== loaded;
    this.store.rulesUsed = { ran: rules.rules.length, selected, skipped: loaded.skipped.length };
    if (rules.unknownIds.length > 0) this.log.warn(`Selected rules that no longer load: ${rules.unknownIds.join(', ')}`);
    if (rules.rules.length > 0) {
      this.log.info(`Hunting with ${rules.rules.length}${selected ? ` selected (of ${loaded.rules.length})` : ''} rules.`);
      return rules;
    }
    const why = selected
      ? `Log Hunt: none of the selected rules loads any more (${rules.unknownIds.join(', ')}). Select other rules, or all of them.`
      : loaded.rules.length === 0 && loaded.skipped.length > 0
        ? `Log Hunt: no rules to hunt with: every rule was skipped (the output "Log Hunt" says why), and the built-in CAR analytics are off or below logHunt.rules.minLevel.`
        : 'Log Hunt: no rules to hunt with: the built-in CAR analytics are off (logHunt.rules.builtin) or below logHunt.rules.minLevel, and logHunt.rules.folders holds no Sigma rules.';
    this.log.warn(why);
    void vscode.window.showWarningMessage(plainNotification(why), selected ? 'Select Rules…' : 'Open Settings').then((choice) => {
      if (choice === 'Select Rules…') void vscode.commands.executeCommand('logHunt.selectRules');
      else if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'logHunt.rules');
    });
    return undefined;
  }

  private async huntOne(
    input: HuntInput, rules: LoadedRules, signal: AbortSignal, onBytes: (bytes: number, events: number) => void, say: (what: string) => void,
  ): Promise<{ summary: HuntSummary; partial?: PartialHunt } | { notALog: string }> {
    const settings = readSettings();
    const matchCounts = new Map<string, number>();
    const ruleInfos = new Map<string, RuleInfo>();
    const maxStoredMatches = Math.max(settings.maxDiagnostics, TREE_MATCH_LIMIT);
    // What was found so far, kept if the hunt is cancelled.
    const found: HuntResult = { summary: emptySummary(input, rules), matches: [], malformed: [] };
    const started = Date.now();
    let result: HuntResult;
    let partial: PartialHunt | undefined;
    try {
      result = await input.run({
        rules,
        format: settings.format,
        mode: settings.parseEveryRecord ? 'plain' : 'fast',
        signal,
        maxStoredMatches,
        onMatch: (m) => {
          matchCounts.set(m.rule.id, (matchCounts.get(m.rule.id) ?? 0) + 1);
          if (!ruleInfos.has(m.rule.id)) ruleInfos.set(m.rule.id, m.rule);
          found.summary.matches++;
          found.summary.matchesByRule[m.rule.id] = (found.summary.matchesByRule[m.rule.id] ?? 0) + 1;
          if (found.matches.length < maxStoredMatches) found.matches.push(m);
        },
        onMalformed: (m) => {
          found.summary.malformed++;
          if (found.malformed.length < 1000) found.malformed.push(m);
        },
        onProgress: (p) => {
          found.summary.bytes = p.bytesDone;
          found.summary.events = p.events;
          onBytes(p.bytesDone, p.events);
        },
      });
    } catch (err) {
      if (!signal.aborted) throw err;
      found.summary.seconds = (Date.now() - started) / 1000;
      partial = { bytesDone: found.summary.bytes, bytesTotal: input.bytes };
      result = found;
      this.log.info(`${displayName(input.uri)}: hunt cancelled at ${partialWords(partial)}; ${plural(found.summary.matches, 'match')} found so far kept`);
    }
    const notALog = partial ? undefined : notALogReason(result.summary);
    if (notALog) {
      // No diagnostics, no results: whatever an earlier hunt of it left goes too.
      this.store.delete(input.uri);
      this.diagnostics.delete(input.uri);
      this.log.warn(`${displayName(input.uri)} is not a Sysmon log: ${notALog} (${result.summary.format}); not hunted`);
      return { notALog };
    }
    if (!partial && result.summary.why && result.summary.events > 0) {
      // Nothing found: a second, bounded pass names the rules that came closest, for the results view.
      say('no matches; looking for near misses');
      result.summary.nearMisses = await input.nearMisses(rules, { signal, format: settings.format }).catch((err: unknown) => {
        if (!signal.aborted) this.log.warn(`${displayName(input.uri)}: near misses not found: ${(err as Error)?.message ?? err}`);
        return undefined;
      });
    }
    this.store.set({ uri: input.uri, result, matchCounts, rules: ruleInfos, maxDiagnostics: settings.maxDiagnostics, partial });
    // set() replaces whatever an earlier hunt of this file left.
    await this.diagnostics.set(input.uri, result, settings);
    if (!partial) this.logSummary(input.uri, result);
    return { summary: result.summary, partial };
  }

  private logSummary(uri: vscode.Uri, { summary, malformed }: HuntResult): void {
    const where = uri.scheme === 'file' ? uri.fsPath : uri.toString();
    this.log.info(
      `${where}: ${plural(summary.matches, 'match')}; ${summary.events} events, ${summary.processCreates} process creates, ` +
        `${summary.malformed} malformed; ${summary.format}; ${(summary.bytes / 1e6).toFixed(1)} MB in ${summary.seconds.toFixed(2)} s`,
    );
    if (summary.why) this.log.info(`${displayName(uri)}: ${summary.why}`);
    if (summary.nearMisses) this.log.info(`${displayName(uri)}: ${nearMissWords(summary.nearMisses)}`);
    for (const warning of summary.warnings ?? []) this.log.warn(`${where}: ${warning}`);
    // In an .evtx the message itself says chunk and offset; its position is only 1:1.
    for (const m of malformed) this.log.warn(m.place ? `${where}: ${m.message}` : `${where}:${m.position.line}:${m.position.column}: ${m.message}`);
    if (summary.malformed > malformed.length) {
      this.log.warn(`${where}: ${summary.malformed - malformed.length} more malformed records, not listed`);
    }
  }

  private logError(uri: vscode.Uri, err: unknown): string {
    // UnreadableInputError's message is written for the analyst; anything else is a bug to report.
    const message = err instanceof UnreadableInputError ? err.message : `${displayName(uri)}: ${(err as Error)?.message ?? err}`;
    this.log.error(message);
    if (!(err instanceof UnreadableInputError) && err instanceof Error && err.stack) this.log.debug(err.stack);
    return message;
  }

  /** Status bar and one notification; the notification is not awaited, so the command returns at once. */
  private report(outcome: HuntOutcome): void {
    const hunted = outcome.files.filter((f) => f.summary);
    const what = hunted.length === 1 ? displayName(hunted[0].uri) : `${hunted.length} files`;
    // A file that changed while it was hunted gives inexact results: say so where it is seen.
    const warnings = hunted.flatMap((f) => f.summary!.warnings ?? []);
    const warned = warnings.length > 0 ? ` Warning: ${warnings[0]}${warnings.length > 1 ? ` (and ${warnings.length - 1} more)` : ''}.` : '';
    for (const failed of outcome.files.filter((f) => f.error).slice(0, 3)) {
      void vscode.window.showErrorMessage(plainNotification(`Log Hunt: ${failed.error}`));
    }
    const refused = outcome.files.filter((f) => f.notALog);
    if (refused.length > 0 && outcome.files.length === 1) {
      void vscode.window.showWarningMessage(plainNotification(`Log Hunt: ${displayName(refused[0].uri)} is not a Sysmon log: ${refused[0].notALog}.`));
    }
    // In a hunt of several files, the ones refused are named in its one notification.
    const skipped = refused.length > 0 && outcome.files.length > 1 ? ` ${skippedWords(refused.map((f) => f.uri), refused.every((f) => f.notALog === 'no events found'))}` : '';
    if (outcome.cancelled) {
      const cut = outcome.files.find((f) => f.partial);
      const kept = cut && outcome.matches > 0 ? ` ${plural(outcome.matches, 'match')} found before ${displayName(cut.uri)} was cut at ${partialWords(cut.partial!)} are kept, marked partial.` : '';
      void vscode.window.showInformationMessage(plainNotification(`Log Hunt: hunt cancelled.${kept}`));
    } else if (outcome.matches > 0) {
      outcome.actions = this.resultsVisible() ? [] : ['Show Results'];
      void vscode.window.showInformationMessage(plainNotification(`Log Hunt: ${plural(outcome.matches, 'match')} in ${what}.${skipped}${warned}`), ...outcome.actions)
        .then((choice) => choice && vscode.commands.executeCommand(`${RESULTS_VIEW_ID}.focus`));
    } else if (hunted.length === 1) {
      void vscode.window.showInformationMessage(plainNotification(`Log Hunt: no matches in ${what}. ${hunted[0].summary!.why ?? ''}${skipped}${warned}`));
    } else if (hunted.length > 1) {
      void vscode.window.showInformationMessage(plainNotification(`Log Hunt: no matches in ${what}. The output "Log Hunt" says why for each file.${skipped}${warned}`), 'Show Output')
        .then((choice) => choice && this.log.show());
    } else if (refused.length > 1) {
      void vscode.window.showWarningMessage(plainNotification(`Log Hunt: nothing hunted.${skipped}`));
    }
  }
}

/**
 * Why a hunted file is no Sysmon log, or undefined when it is one: no event was recognised in it,
 * because its text has no known framing, or because every record in it was malformed.
 */
export function notALogReason(summary: HuntSummary): string | undefined {
  if (summary.events > 0) return undefined;
  if (summary.format.includes('unrecognised text') || summary.malformed > 0) return 'no events found';
  return undefined;
}

/** The summary of a hunt that has found nothing yet, filled in as it goes. */
function emptySummary(input: HuntInput, rules: LoadedRules): HuntSummary {
  const file = input.uri.scheme === 'file' ? input.uri.fsPath : input.uri.toString();
  return { file, format: 'partial', events: 0, processCreates: 0, matches: 0, malformed: 0, rules: rules.rules.length, matchesByRule: {}, bytes: 0, seconds: 0 };
}

/** `Skipped, not Sysmon logs (no events found): README.md, notes.json.` */
function skippedWords(uris: readonly vscode.Uri[], noEvents: boolean): string {
  const names = uris.slice(0, 5).map((u) => displayName(u)).join(', ');
  const more = uris.length > 5 ? ` and ${uris.length - 5} more` : '';
  // A folder hunt's files were judged by their first 64 KiB; the output channel gives each reason.
  return `Skipped, ${uris.length === 1 ? 'not a Sysmon log' : 'not Sysmon logs'}${noEvents ? ' (no events found)' : ''}: ${names}${more}.`;
}

/** Editors with unsaved or unstored text are hunted from that text; everything else from disk. */
async function prepareInput(uri: vscode.Uri): Promise<HuntInput> {
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (document && (document.isDirty || document.isUntitled || uri.scheme !== 'file')) {
    const text = document.getText();
    const name = uri.scheme === 'file' ? uri.fsPath : uri.toString();
    return {
      uri, bytes: Buffer.byteLength(text, 'utf8'), run: (options) => huntText(text, name, options),
      nearMisses: (rules, options) => nearMissesOfText(text, name, rules, options),
    };
  }
  if (uri.scheme !== 'file') {
    throw new UnreadableInputError(`${uri.toString()}: Log Hunt reads logs from disk; open the log in an editor to hunt its text`);
  }
  // Size only weighs the progress bar; the engine reports a missing file itself.
  const bytes = await vscode.workspace.fs.stat(uri).then((s) => s.size, () => 0);
  return { uri, bytes, run: (options) => huntFileParallel(uri.fsPath, { ...options, pool: huntWorkers() }), nearMisses: (rules, options) => nearMissesOfFile(uri.fsPath, rules, options) };
}

/** Turns bytes done into the notification's percent, at most every PROGRESS_INTERVAL_MS. */
class ProgressMeter {
  private percent = 0;
  private last = 0;

  constructor(
    private readonly progress: vscode.Progress<{ message?: string; increment?: number }>,
    private readonly total: number,
  ) {}

  update(bytes: number, events: number, label: string, force = false): void {
    const now = Date.now();
    if (!force && now - this.last < PROGRESS_INTERVAL_MS) return;
    this.last = now;
    const percent = this.total > 0 ? Math.min(100, (bytes / this.total) * 100) : 0;
    this.progress.report({
      increment: Math.max(0, percent - this.percent),
      message: `${label}: ${Math.floor(percent)}% · ${events.toLocaleString('en-US')} events`,
    });
    this.percent = Math.max(this.percent, percent);
  }

  /** A message without a change of percent (the near-miss pass after an empty hunt). */
  say(message: string): void {
    this.progress.report({ message });
  }
}

/**
 * The active editor's file; also a file too large to open, whose tab still names it, and an
 * `.evtx` in its viewer (a custom editor). A record or chunk of an `.evtx` stands for the file.
 */
function activeUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const editor = vscode.window.activeTextEditor;
  const uri = input instanceof vscode.TabInputCustom ? input.uri
    : editor ? editor.document.uri
      : input instanceof vscode.TabInputText ? input.uri : undefined;
  return uri && (evtxFileOf(uri) ?? uri);
}

/**
 * `logHunt.huntFile`: the Explorer passes the clicked file and the selection; the palette passes
 * nothing, so the active editor is hunted. Tests pass a Uri.
 */
export async function huntFileCommand(hunter: Hunter, uri?: unknown, selected?: unknown): Promise<HuntOutcome | undefined> {
  const uris = isUriArray(selected) && selected.length > 0 ? selected : uri instanceof vscode.Uri ? [uri] : undefined;
  const targets = uris ?? [activeUri()].filter((u): u is vscode.Uri => u !== undefined);
  if (targets.length === 0) {
    void vscode.window
      .showWarningMessage('Log Hunt: open a Sysmon log (.evtx, XML or JSON) in an editor first, or pick files to hunt.', 'Hunt Files…')
      .then((choice) => choice && vscode.commands.executeCommand('logHunt.huntFiles'));
    return undefined;
  }
  return hunter.hunt(targets);
}

/** `logHunt.huntFiles`: files and folders from the Explorer, from a test, or from an open dialog. */
export async function huntFilesCommand(hunter: Hunter, arg?: unknown, selected?: unknown): Promise<HuntOutcome | undefined> {
  let picked: vscode.Uri[] | undefined;
  if (isUriArray(selected) && selected.length > 0) picked = selected;
  else if (arg instanceof vscode.Uri) picked = [arg];
  else if (isUriArray(arg)) picked = arg;
  else picked = await pickLogFiles();
  if (!picked || picked.length === 0) return undefined;
  const { files, skipped } = await expandFolders(picked);
  if (skipped.length > 0) {
    hunter.log.info(`Not hunted, not log files: ${skipped.slice(0, 20).map(shownPath).join(', ')}${skipped.length > 20 ? ` and ${skipped.length - 20} more` : ''}`);
  }
  if (files.length === 0) {
    const where = picked.map((u) => displayName(u)).join(', ');
    const others = skipped.length > 0 ? ` (only ${plural(skipped.length, 'other file')}: ${skipped.slice(0, 3).map((u) => displayName(u)).join(', ')}${skipped.length > 3 ? ', …' : ''})` : '';
    void vscode.window.showWarningMessage(plainNotification(`Log Hunt: no log files in ${where}${others}. Log files are ${LOG_EXTENSIONS.map((e) => `.${e}`).join(', ')}, or EVTX by their content.`));
    return undefined;
  }
  return hunter.hunt(files);
}

/** The open dialog, for files and folders anywhere. */
function openDialog(): Thenable<vscode.Uri[] | undefined> {
  return vscode.window.showOpenDialog({
    title: 'Log Hunt: files or folders to hunt',
    openLabel: 'Hunt',
    canSelectFiles: true,
    canSelectFolders: true,
    canSelectMany: true,
    filters: { 'Sysmon logs': LOG_EXTENSIONS, 'All files': ['*'] },
  });
}

export interface FileItem extends vscode.QuickPickItem {
  uri: vscode.Uri;
}

let shownFilePick: vscode.QuickPick<FileItem> | undefined;

/** Hunt Files…'s quick pick while it is open, for tests. */
export function currentFilePick(): vscode.QuickPick<FileItem> | undefined {
  return shownFilePick;
}

/**
 * The workspace's log files in a quick pick where many can be ticked, with a Browse… button for
 * other files and folders; the open dialog alone when the workspace has none. (VS Code's own file
 * dialog in a browser or a remote window, code-server's, picks only one file.)
 */
async function pickLogFiles(): Promise<vscode.Uri[] | undefined> {
  const found = (vscode.workspace.workspaceFolders ?? []).length > 0
    ? await vscode.workspace.findFiles(`**/*.{${LOG_EXTENSIONS.join(',')}}`, '**/{node_modules,.git,.vscode-test}/**', 5000)
    : [];
  if (found.length === 0) return openDialog();
  found.sort((a, b) => a.path.localeCompare(b.path));
  const pick = vscode.window.createQuickPick<FileItem>();
  pick.title = 'Log Hunt: files to hunt';
  pick.placeholder = 'Tick one or more log files of the workspace (Space), then Enter; or Browse… for other files and folders';
  pick.canSelectMany = true;
  pick.matchOnDescription = true;
  const browse: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('folder-opened'), tooltip: 'Browse for files or folders…' };
  pick.buttons = [browse];
  pick.items = found.map((uri) => ({ label: displayName(uri), description: vscode.workspace.asRelativePath(uri), uri }));
  return new Promise((resolve) => {
    let done = false;
    pick.onDidAccept(() => {
      done = true;
      // Enter with nothing ticked hunts the highlighted file.
      const chosen = pick.selectedItems.length > 0 ? pick.selectedItems : pick.activeItems;
      resolve(chosen.map((i) => i.uri));
      pick.hide();
    });
    pick.onDidTriggerButton(() => {
      done = true;
      pick.hide();
      resolve(openDialog());
    });
    pick.onDidHide(() => {
      if (!done) resolve(undefined);
      if (shownFilePick === pick) shownFilePick = undefined;
      pick.dispose();
    });
    shownFilePick = pick;
    pick.show();
  });
}

/** The Sysmon sample that ships with the extension (the CLI hunts it by default). */
export const SAMPLE_LOG = ['samples', 'sysmon-sample.xml'];

/** `logHunt.openSample`: opens the bundled sample log in an editor, ready for Hunt Current File. */
export async function openSampleCommand(extensionUri: vscode.Uri): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.joinPath(extensionUri, ...SAMPLE_LOG);
  return vscode.window.showTextDocument(uri, { preview: false });
}

function shownPath(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

function isUriArray(value: unknown): value is vscode.Uri[] {
  return Array.isArray(value) && value.every((v) => v instanceof vscode.Uri);
}

/**
 * Files stay; folders become the log files under them, in path order, skipping hidden folders:
 * files with a log extension, and EVTX files by their content whatever their name (`Security.evtx.bak`).
 * `skipped` names the other files found in the folders.
 */
export async function expandFolders(uris: readonly vscode.Uri[]): Promise<{ files: vscode.Uri[]; skipped: vscode.Uri[] }> {
  const out: vscode.Uri[] = [];
  const skipped: vscode.Uri[] = [];
  const visit = async (uri: vscode.Uri, type: vscode.FileType, explicit: boolean): Promise<void> => {
    if (type & vscode.FileType.Directory) {
      const entries = await vscode.workspace.fs.readDirectory(uri);
      entries.sort(([a], [b]) => a.localeCompare(b));
      for (const [name, childType] of entries) {
        if (childType & vscode.FileType.Directory && (name.startsWith('.') || name === 'node_modules')) continue;
        await visit(vscode.Uri.joinPath(uri, name), childType, false);
      }
    } else if (explicit || LOG_EXTENSIONS.includes(extensionOf(uri)) || (uri.scheme === 'file' && (await isEvtxFile(uri.fsPath)))) {
      out.push(uri);
    } else {
      skipped.push(uri);
    }
  };
  for (const uri of uris) {
    // A file that cannot be stat'ed is passed on, so that the hunt reports why in its words.
    const type = await vscode.workspace.fs.stat(uri).then((s) => s.type, () => vscode.FileType.File);
    await visit(uri, type, true);
  }
  return { files: out, skipped };
}

function extensionOf(uri: vscode.Uri): string {
  const dot = uri.path.lastIndexOf('.');
  return dot < 0 ? '' : uri.path.slice(dot + 1).toLowerCase();
}
