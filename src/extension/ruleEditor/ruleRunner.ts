/**
 * Hunts the rules of one rule file over log files and puts their matches in place of that rule's
 * earlier ones in the shared results, so the tree, the Problems panel and the lenses follow.
 */
import * as vscode from 'vscode';
import { HuntOptions, HuntResult, huntFileParallel, huntText, LoadedRules } from '../../engine';
import { HuntDiagnostics } from '../diagnostics';
import { TREE_MATCH_LIMIT } from '../huntCommand';
import { huntWorkers } from '../huntWorkers';
import { revealBidi, shorten } from '../markdown';
import { FileResult, ResultStore } from '../resultStore';
import { displayName, plural } from '../resultsTree';
import { readSettings } from '../settings';
import { compileRuleText } from './compile';
import { replaceRuleMatches, RuleOwnership } from './mergeResults';
import { countRules, countText } from './ruleCounts';
import { ruleFileName } from './sigmaDocument';

/** What a rule run did; the command returns it, which the tests read. */
export interface RuleRunOutcome {
  /** The rule ids run (none when the file did not compile). */
  ruleIds: string[];
  /** Problems that kept rules of the file from loading. */
  problems: number;
  matches: number;
  filesWithMatches: number;
  files: number;
  /** One line per log file that could not be hunted. */
  errors: string[];
  cancelled: boolean;
  /** The line shown in the status bar and the output. */
  message: string;
}

const STATUS_MS = 10_000;

export class RuleRunner implements vscode.Disposable {
  /** The run in flight per rule file: a newer save of the same file supersedes it. */
  private readonly running = new Map<string, AbortController>();
  /** Rule ids (lower case) hunted into each stored result by a re-run. */
  private readonly rerun = new WeakMap<FileResult, Set<string>>();
  private status?: vscode.Disposable;

  constructor(
    private readonly store: ResultStore,
    private readonly matchDiagnostics: HuntDiagnostics,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Did a re-run hunt rule `id` into this result? (The main hunt's rules are the rule store's to know.) */
  rerunHas(file: FileResult, id: string): boolean {
    return this.rerun.get(file)?.has(id.toLowerCase()) ?? false;
  }

  /** Hunts the rules of `document`'s text over `targets` and replaces their matches in the results. */
  async run(document: vscode.TextDocument, targets: readonly vscode.Uri[]): Promise<RuleRunOutcome> {
    const file = ruleFileName(document.uri);
    const rules = compileRuleText(document.getText(), file);
    const ruleIds = rules.rules.map((r) => r.info.id);
    // A title is the rule author's text: one line, bidi controls shown, as everywhere else.
    const name = revealBidi(shorten(rules.rules.length === 1 ? rules.rules[0].info.title : displayName(document.uri), 80));
    const outcome: RuleRunOutcome = { ruleIds, problems: rules.skipped.length, matches: 0, filesWithMatches: 0, files: 0, errors: [], cancelled: false, message: '' };
    if (rules.rules.length === 0) {
      // Its earlier matches stay: a half-typed rule should not wipe what the last good one found.
      return this.say(outcome, `rule ${name} not run: ${plural(rules.skipped.length, 'problem')}, see the Problems panel`);
    }

    this.running.get(file)?.abort();
    const abort = new AbortController();
    this.running.set(file, abort);
    const owner: RuleOwnership = { ids: new Set(ruleIds.map((id) => id.toLowerCase())), file, rules: rules.rules.map((r) => r.info) };
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: escapeIcons(`Log Hunt: rule ${name}`) },
        () => this.huntAll(rules, owner, targets, abort.signal, outcome),
      );
    } finally {
      if (this.running.get(file) === abort) this.running.delete(file);
    }
    outcome.cancelled = abort.signal.aborted;
    if (outcome.cancelled) return this.say(outcome, `rule ${name}: superseded by a newer run`);
    const hunted = this.store.all().filter((f) => targets.some((t) => t.toString() === f.uri.toString()));
    const count = countRules(ruleIds, hunted);
    Object.assign(outcome, count);
    const failed = outcome.errors.length > 0 ? `; ${plural(outcome.errors.length, 'file')} not hunted, see the output` : '';
    return this.say(outcome, `rule ${name}: ${countText(count)}${failed}`);
  }

  private async huntAll(rules: LoadedRules, owner: RuleOwnership, targets: readonly vscode.Uri[], signal: AbortSignal, outcome: RuleRunOutcome): Promise<void> {
    const settings = readSettings();
    const limit = Math.max(settings.maxDiagnostics, TREE_MATCH_LIMIT);
    const options: HuntOptions = { rules, format: settings.format, mode: settings.parseEveryRecord ? 'plain' : 'fast', signal, maxStoredMatches: limit };
    for (const uri of targets) {
      if (signal.aborted) return;
      let fresh: HuntResult;
      try {
        fresh = await huntLog(uri, options);
      } catch (err) {
        if (signal.aborted) return;
        const message = `${displayName(uri)}: ${(err as Error)?.message ?? String(err)}`;
        this.log.error(message);
        outcome.errors.push(message);
        continue;
      }
      // The store's current result, not the one at the start: a hunt may have landed meanwhile.
      const previous = this.store.get(uri) ?? { uri, result: { ...fresh, matches: [], summary: { ...fresh.summary, matches: 0, matchesByRule: {} } }, matchCounts: new Map(), maxDiagnostics: settings.maxDiagnostics };
      const merged = replaceRuleMatches(previous, owner, fresh, limit);
      this.rerun.set(merged, new Set([...(this.rerun.get(previous) ?? []), ...owner.ids]));
      this.store.set(merged);
      await this.matchDiagnostics.set(uri, merged.result, { ...settings, maxDiagnostics: merged.maxDiagnostics });
    }
  }

  private say(outcome: RuleRunOutcome, message: string): RuleRunOutcome {
    outcome.message = message;
    this.log.info(message);
    this.status?.dispose();
    this.status = vscode.window.setStatusBarMessage(`$(shield) ${escapeIcons(`Log Hunt: ${shorten(message, 120)}`)}`, STATUS_MS);
    return outcome;
  }

  dispose(): void {
    for (const run of this.running.values()) run.abort();
    this.running.clear();
    this.status?.dispose();
  }
}

/** The status bar renders `$(name)` as an icon; a rule's title must show as the text it is. */
function escapeIcons(text: string): string {
  return text.replace(/\$\(/g, '\\$(');
}

/** An editor with unsaved text is hunted from that text, as the hunt commands do; anything else from disk. */
function huntLog(uri: vscode.Uri, options: HuntOptions): Promise<HuntResult> {
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (document && (document.isDirty || document.isUntitled || uri.scheme !== 'file')) {
    return huntText(document.getText(), ruleFileName(uri), options);
  }
  if (uri.scheme !== 'file') return Promise.reject(new Error('Log Hunt reads logs from disk; open the log in an editor to hunt its text'));
  return huntFileParallel(uri.fsPath, { ...options, pool: huntWorkers() });
}
