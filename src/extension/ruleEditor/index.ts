/**
 * The detection engineer's loop in the rule editor: problems as you type, a re-hunt on save,
 * and lenses with each rule's matches. activate.ts registers it with one call.
 */
import * as vscode from 'vscode';
import { findCarAnalytic } from '../../engine';
import { HuntDiagnostics } from '../diagnostics';
import { EVTX_SCHEME } from '../evtx/evtxDocuments';
import { EVTX_VIEW_TYPE } from '../evtx/evtxEditor';
import { LOG_EXTENSIONS } from '../huntCommand';
import { plainNotification } from '../markdown';
import { noQueryMessage, QueryOutcome } from '../queryCommand';
import { ResultStore } from '../resultStore';
import { RuleStore } from '../ruleStore';
import { compileRuleText } from './compile';
import { RuleDiagnostics } from './ruleDiagnostics';
import { HUNT_RULE_COMMAND, RULE_QUERY_COMMAND, RuleLensProvider } from './ruleLens';
import { RuleRunner, RuleRunOutcome } from './ruleRunner';
import { isSigmaDocument, ruleFileName } from './sigmaDocument';

export type { RuleRunOutcome } from './ruleRunner';

/** What the rule editor needs of the rest of the extension. */
export interface RuleEditorDeps {
  store: ResultStore;
  /** The loaded rules and the rule folders. */
  rules: RuleStore;
  /** The collection the hunts put their matches in. */
  matchDiagnostics: HuntDiagnostics;
  log: vscode.LogOutputChannel;
}

/** What Generate query did for a rule: `analytic` when it handed over to Generate SIEM Query. */
export interface RuleQueryOutcome {
  ruleId?: string;
  analytic?: string;
  /** The target of the query written for a Sigma rule. */
  target?: string;
  /** The notification shown instead of a query. */
  message?: string;
}

export function registerRuleEditor(context: vscode.ExtensionContext, { store, rules, matchDiagnostics, log }: RuleEditorDeps): void {
  const runner = new RuleRunner(store, matchDiagnostics, log);
  const diagnostics = new RuleDiagnostics(() => rules.folders());
  const lenses = new RuleLensProvider(store, rules, runner);
  const isRule = (document: vscode.TextDocument): boolean => isSigmaDocument(document, rules.folders());
  const logs = new LastLogEditor();
  const storedFiles = (): vscode.Uri[] => store.all().map((f) => f.uri);
  const failed = (err: unknown): void => log.error(`rule run: ${(err as Error)?.stack ?? String(err)}`);

  context.subscriptions.push(
    runner, diagnostics, lenses, logs,
    // The rule folders may have changed: files in or out of them are rules or not.
    rules.onDidChange(() => diagnostics.updateAll()),
    vscode.languages.registerCodeLensProvider([{ language: 'yaml' }, { pattern: '**/*.{yml,yaml}' }], lenses),
    // Saving is the moment a rule is done enough to try: re-hunt it over what was last hunted.
    vscode.workspace.onDidSaveTextDocument((document) => {
      if (store.isEmpty || !isRule(document)) return;
      diagnostics.update(document);
      runner.run(document, storedFiles()).catch(failed);
    }),
    vscode.commands.registerCommand(HUNT_RULE_COMMAND, async (arg?: unknown): Promise<RuleRunOutcome | undefined> => {
      const document = await ruleDocument(arg, isRule);
      if (!document) return undefined;
      const targets = store.isEmpty ? logs.current() : storedFiles();
      if (targets.length === 0) {
        void vscode.window.showWarningMessage('Log Hunt: open a Sysmon log, or hunt some files first; then hunt this rule over them.');
        return undefined;
      }
      return runner.run(document, targets);
    }),
    vscode.commands.registerCommand(RULE_QUERY_COMMAND, (arg?: unknown, id?: unknown) => ruleQuery(arg, id, isRule)),
  );
}

/** The rule file a command is for: the lens's URI, else the active editor; a warning when it is no rule. */
async function ruleDocument(arg: unknown, isRule: (d: vscode.TextDocument) => boolean): Promise<vscode.TextDocument | undefined> {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  const document = uri && (await vscode.workspace.openTextDocument(uri).then((d) => d, () => undefined));
  if (!document || !isRule(document)) {
    void vscode.window.showWarningMessage('Log Hunt: open a Sigma rule (YAML with logsource: and detection:) first.');
    return undefined;
  }
  return document;
}

/** Hands the rule over to Generate SIEM Query: a built-in analytic by id, a Sigma rule with its file's text. */
async function ruleQuery(arg: unknown, id: unknown, isRule: (d: vscode.TextDocument) => boolean): Promise<RuleQueryOutcome | undefined> {
  const document = await ruleDocument(arg, isRule);
  if (!document) return undefined;
  const compiled = compileRuleText(document.getText(), ruleFileName(document.uri)).rules.map((r) => r.info);
  const ruleId = typeof id === 'string' ? id : compiled[0]?.id;
  if (ruleId === undefined) {
    const message = 'Log Hunt: this rule has no id, or does not load (see the Problems panel), so it has no query.';
    void vscode.window.showWarningMessage(message);
    return { message };
  }
  const analytic = findCarAnalytic(ruleId);
  if (analytic) {
    await vscode.commands.executeCommand('logHunt.generateQuery', { analytic: analytic.id });
    return { ruleId, analytic: analytic.id };
  }
  if (!compiled.some((r) => r.id.toLowerCase() === ruleId.toLowerCase())) {
    const message = noQueryMessage({ id: ruleId, title: ruleId, kind: 'sigma' });
    void vscode.window.showInformationMessage(plainNotification(message));
    return { ruleId, message };
  }
  const query = await vscode.commands.executeCommand<QueryOutcome | undefined>('logHunt.generateQuery', {
    analytic: ruleId,
    ruleFile: document.uri.scheme === 'file' ? document.uri.fsPath : ruleFileName(document.uri),
    ruleText: document.getText(),
  });
  return { ruleId, target: query?.target };
}

/** The log the user last had in front of them: what "hunt this rule" runs over before any hunt. */
class LastLogEditor implements vscode.Disposable {
  private last?: vscode.Uri;
  private readonly subscriptions = [
    vscode.window.onDidChangeActiveTextEditor((editor) => this.see(editor)),
    // The EVTX viewer is a custom editor, which the text-editor event does not report.
    vscode.window.tabGroups.onDidChangeTabs(() => this.seeViewer()),
  ];

  constructor() {
    this.see(vscode.window.activeTextEditor);
    this.seeViewer();
  }

  private see(editor: vscode.TextEditor | undefined): void {
    if (editor && isLog(editor.document)) this.last = editor.document.uri;
  }

  private seeViewer(): void {
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    if (isEvtxViewer(input)) this.last = input.uri;
  }

  /**
   * The last log seen, if a tab still shows it (a closed editor's document stays loaded for
   * minutes, and is not what the user has in front of them); else a log in a visible editor; else
   * an `.evtx` in a visible viewer.
   */
  current(): vscode.Uri[] {
    const inputs = vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.input));
    const shown = new Set(inputs.map((input) => (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom ? input.uri.toString() : undefined)));
    if (this.last && shown.has(this.last.toString())) return [this.last];
    const visible = vscode.window.visibleTextEditors.map((e) => e.document).find(isLog);
    if (visible) return [visible.uri];
    const evtx = vscode.window.tabGroups.all.map((g) => g.activeTab?.input).find(isEvtxViewer);
    return evtx ? [evtx.uri] : [];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

function isEvtxViewer(input: unknown): input is vscode.TabInputCustom {
  return input instanceof vscode.TabInputCustom && input.viewType === EVTX_VIEW_TYPE;
}

function isLog(document: vscode.TextDocument): boolean {
  // A record or chunk of an .evtx is shown as XML, but the log is the .evtx file.
  if (document.uri.scheme === EVTX_SCHEME) return false;
  const dot = document.uri.path.lastIndexOf('.');
  const extension = dot < 0 ? '' : document.uri.path.slice(dot + 1).toLowerCase();
  return LOG_EXTENSIONS.includes(extension) && document.languageId !== 'yaml';
}
