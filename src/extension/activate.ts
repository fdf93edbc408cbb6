/**
 * The extension's entry point (bundled to dist/extension.js). It wires the engine's adapters to
 * VS Code: the rules, commands, the results view, diagnostics and hovers, the status bar and the
 * output channel.
 */
import * as vscode from 'vscode';
import { currentFilePick, FileItem, Hunter, HuntOutcome, huntFileCommand, huntFilesCommand, openSampleCommand } from './huntCommand';
import { HuntDiagnostics } from './diagnostics';
import { EXPORT_COMMAND, exportResultsCommand } from './exportCommand';
import { BUILD_LINEAGE_COMMAND, REVEAL_PROCESS_COMMAND, revealProcess } from './lineageNodes';
import { EvtxDocumentProvider, EVTX_SCHEME } from './evtx/evtxDocuments';
import { EvtxEditorProvider, EVTX_VIEW_TYPE, openEvtxAsXml, OPEN_EVTX_XML_COMMAND } from './evtx/evtxEditor';
import { copyCommandLine, copyMatchJson, openMatch, openMatchChunk, OPEN_MATCH_CHUNK_COMMAND } from './matchCommands';
import { MatchHoverProvider } from './matchHover';
import { openRuleFileCommand } from './openRuleCommand';
import { generateQueryCommand } from './queryCommand';
import { ResultStore } from './resultStore';
import { registerRuleEditor } from './ruleEditor';
import { RuleStore } from './ruleStore';
import { OPEN_MATCH_COMMAND, ResultsTreeProvider, SELECT_RULES_COMMAND, SHOW_OUTPUT_COMMAND } from './resultsTree';
import { selectRulesCommand } from './selectRulesCommand';
import { SelectedRules } from './selectedRules';
import { HuntStatusBar, RESULTS_VIEW_ID } from './statusBar';

/** What `activate` returns: the tests drive the extension through it. */
export interface LogHuntApi {
  /** Hunts like the commands do; cancelling `token` is the notification's Cancel button. */
  hunt(uris: readonly vscode.Uri[], token?: vscode.CancellationToken): Promise<HuntOutcome>;
  readonly results: ResultsTreeProvider;
  readonly statusBar: HuntStatusBar;
  /** The loaded rules, shared with the rule editor. */
  readonly rules: RuleStore;
  /** The Select Rules choice that limits the hunts. */
  readonly selectedRules: SelectedRules;
  /** The `.evtx` viewer (a custom editor): what it shows of an open file. */
  readonly evtxViewer: EvtxEditorProvider;
  /** Hunt Files…'s quick pick of the workspace's log files, while it is open. */
  readonly filePick: vscode.QuickPick<FileItem> | undefined;
}

export function activate(context: vscode.ExtensionContext): LogHuntApi {
  const log = vscode.window.createOutputChannel('Log Hunt', { log: true });
  const diagnostics = new HuntDiagnostics(vscode.languages.createDiagnosticCollection('logHunt'));
  const rules = new RuleStore(log);
  const selectedRules = new SelectedRules(context.workspaceState);
  const store = new ResultStore();
  const results = new ResultsTreeProvider(store);
  const statusBar = new HuntStatusBar(store);
  const hunter = new Hunter(store, diagnostics, log, rules, selectedRules);
  const view = vscode.window.createTreeView(RESULTS_VIEW_ID, { treeDataProvider: results, showCollapseAll: true });
  const evtxViewer = new EvtxEditorProvider(store);
  hunter.resultsVisible = () => view.visible;

  const clear = (): void => {
    store.clear();
    diagnostics.clear();
  };

  context.subscriptions.push(
    log, rules, selectedRules, diagnostics, store, results, statusBar, view,
    // Drives the `when` clause of the view's Clear button.
    store.onDidChange(() => void vscode.commands.executeCommand('setContext', 'logHunt.hasResults', !store.isEmpty)),
    vscode.commands.registerCommand('logHunt.huntFile', (uri?: unknown, selected?: unknown) => huntFileCommand(hunter, uri, selected)),
    vscode.commands.registerCommand('logHunt.huntFiles', (arg?: unknown, selected?: unknown) => huntFilesCommand(hunter, arg, selected)),
    // The Explorer's menu with several files or folders selected: (clicked, selection).
    vscode.commands.registerCommand('logHunt.huntSelectedFiles', (arg?: unknown, selected?: unknown) => huntFilesCommand(hunter, arg, selected)),
    vscode.commands.registerCommand('logHunt.openSample', () => openSampleCommand(context.extensionUri)),
    vscode.commands.registerCommand('logHunt.generateQuery', (arg?: unknown) => generateQueryCommand(log, arg)),
    vscode.commands.registerCommand('logHunt.clearResults', clear),
    vscode.commands.registerCommand(EXPORT_COMMAND, (format?: unknown, target?: unknown) => exportResultsCommand(store, format, target)),
    vscode.commands.registerCommand(SELECT_RULES_COMMAND, (arg?: unknown) => selectRulesCommand(rules, selectedRules, log, arg)),
    vscode.commands.registerCommand('logHunt.openRuleFile', openRuleFileCommand),
    // Only files with results are looked at; every other document returns at once.
    vscode.languages.registerHoverProvider([{ scheme: 'file' }, { scheme: 'untitled' }, { scheme: EVTX_SCHEME }], new MatchHoverProvider(store)),
    vscode.commands.registerCommand(OPEN_MATCH_COMMAND, openMatch),
    vscode.commands.registerCommand(REVEAL_PROCESS_COMMAND, revealProcess),
    // The Process tree's "try again" row after a cancelled lineage pass.
    vscode.commands.registerCommand(BUILD_LINEAGE_COMMAND, () => {
      const done = results.lineage.build();
      results.refresh();
      return done;
    }),
    vscode.commands.registerCommand('logHunt.copyCommandLine', copyCommandLine),
    vscode.commands.registerCommand('logHunt.copyMatchJson', copyMatchJson),
    vscode.commands.registerCommand(SHOW_OUTPUT_COMMAND, () => log.show(true)),
    // .evtx: a viewer in place of the "binary file" notice, and records, chunks and small files as XML documents.
    evtxViewer,
    vscode.window.registerCustomEditorProvider(EVTX_VIEW_TYPE, evtxViewer, { supportsMultipleEditorsPerDocument: true }),
    vscode.workspace.registerTextDocumentContentProvider(EVTX_SCHEME, new EvtxDocumentProvider()),
    vscode.commands.registerCommand(OPEN_EVTX_XML_COMMAND, openEvtxAsXml),
    vscode.commands.registerCommand(OPEN_MATCH_CHUNK_COMMAND, openMatchChunk),
  );
  registerRuleEditor(context, { store, rules, matchDiagnostics: diagnostics, log });

  // Load the rules now, so that the first hunt does not wait and skipped rules show in the output early.
  void rules.current();

  return {
    hunt: (uris, token) => hunter.hunt(uris, token), results, statusBar, rules, selectedRules, evtxViewer,
    get filePick() { return currentFilePick(); },
  };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
