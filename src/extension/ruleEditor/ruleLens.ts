/**
 * CodeLens on each rule's `title:` (or `id:`) line: its matches in the results, and actions to
 * hunt the rule and to generate its query. Lenses follow the results and the loaded rules.
 */
import * as vscode from 'vscode';
import { LoadedRules } from '../../engine';
import { FileResult, ResultStore } from '../resultStore';
import { RuleStore } from '../ruleStore';
import { RESULTS_VIEW_ID } from '../statusBar';
import { countRules, countText } from './ruleCounts';
import { RuleRunner } from './ruleRunner';
import { isSigmaDocument, ruleHeaders } from './sigmaDocument';

export const HUNT_RULE_COMMAND = 'logHunt.huntRule';
export const RULE_QUERY_COMMAND = 'logHunt.generateRuleQuery';
export const NOT_HUNTED = 'not hunted yet';

export class RuleLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  /** Lower-case ids of the rules the hunts load (the rule store's latest load). */
  private loadedIds = new Set<string>();

  constructor(
    private readonly store: ResultStore,
    private readonly rules: RuleStore,
    private readonly runner: RuleRunner,
  ) {
    this.subscriptions = [
      store.onDidChange(() => this.changed.fire()),
      rules.onDidChange((loaded) => this.rulesLoaded(loaded)),
    ];
  }

  private rulesLoaded(loaded: LoadedRules): void {
    this.loadedIds = new Set(loaded.rules.map((r) => r.info.id.toLowerCase()));
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!isSigmaDocument(document, this.rules.folders())) return [];
    return ruleHeaders(document).flatMap(({ id, line }) => {
      const range = document.lineAt(line).range;
      const count = id === undefined ? 'no id: add one to count its matches' : this.countTitle(id);
      return [
        new vscode.CodeLens(range, { title: count, command: `${RESULTS_VIEW_ID}.focus`, tooltip: 'Show the Log Hunt results' }),
        new vscode.CodeLens(range, {
          title: 'Hunt this rule', command: HUNT_RULE_COMMAND, arguments: [document.uri],
          tooltip: "Hunt this rule over the last hunt's files, or over the open log",
        }),
        new vscode.CodeLens(range, { title: 'Generate query', command: RULE_QUERY_COMMAND, arguments: [document.uri, id] }),
      ];
    });
  }

  /**
   * The rule's count over the files it was hunted in: where a re-run hunted it, where it matched,
   * and every hunted file while the hunts load it (from the rule folders).
   */
  private countTitle(id: string): string {
    const lower = id.toLowerCase();
    const loaded = this.loadedIds.has(lower);
    const hunted = (f: FileResult): boolean =>
      loaded || this.runner.rerunHas(f, id) || [...f.matchCounts.keys()].some((k) => k.toLowerCase() === lower);
    const files = this.store.all().filter(hunted);
    return files.length === 0 ? NOT_HUNTED : countText(countRules([id], files));
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
