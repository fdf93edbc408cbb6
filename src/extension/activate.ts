/**
 * The extension's entry point (bundled to dist/extension.js). It wires the engine's adapters to
 * VS Code: the rules, commands, the results view, diagnostics and hovers, the status bar and the
 * output channel.
 */
import * as vscode from 'vscode';
import { currentFilePick, FileItem, Hunter, HuntOutcome, huntFileCommand, huntFilesCommand, openSampleCommand } from './huntCommand';
import { HuntDiagnostics } from './diagnostics';
import { EditFollower } from './editFollow';
import { HUNT_FOLDER_COMMAND, huntFolderCommand } from './huntFolderCommand';
import { disposeHuntWorkers, huntWorkers } from './huntWorkers';
import type { WorkerPoolStats } from '../engine';
import { EXPORT_COMMAND, exportResultsCommand } from './exportCommand';
import { BUILD_LINEAGE_COMMAND, REVEAL_PROCESS_COMMAND, revealProcess } from './lineageNodes';
import { EvtxDocumentProvider, EVTX_SCHEME } from './evtx/evtxDocuments';
import { EvtxEditorProvider, EVTX_VIEW_TYPE, openEvtxAsXml, OPEN_EVTX_XML_COMMAND } from './evtx/evtxEditor';
import { copyCommandLine, copyMatchJson, openMatch, openMatchChunk, OPEN_MATCH_CHUNK_COMMAND } from './matchCommands';
import { MatchHoverProvider } from './matchHover';
import { EVENT_SCHEME } from './event/eventDocuments';
import { EventFeatures, registerEventFeatures } from './event/register';
import { openRuleFileCommand } from './openRuleCommand';
import { generateQueryCommand } from './queryCommand';
import { copyQueryCommand, COPY_QUERY_COMMAND, QueryFileSystem, QUERY_SCHEME } from './queryDocuments';
import { ResultStore } from './resultStore';
import { bindResultsMessage } from './resultsMessage';
import { registerRuleEditor } from './ruleEditor';
import { RuleStore } from './ruleStore';
import { OPEN_MATCH_COMMAND, ResultNode, ResultsTreeProvider, SELECT_RULES_COMMAND, SHOW_OUTPUT_COMMAND } from './resultsTree';
import { selectRulesCommand } from './selectRulesCommand';
import { SelectedRules } from './selectedRules';
import { HuntStatusBar, RESULTS_VIEW_ID } from './statusBar';
import { GROUP_BY_FILE_COMMAND, GROUP_BY_HOST_COMMAND } from './fileGroups';
import { bindFilterDescription, CLEAR_FILTER_COMMAND, currentFilterPick, FILTER_COMMAND, FilterItem, filterFiles, filterResultsCommand, ResultsFilter } from './resultsFilter';

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
  /** Event documents, the Event view and the pivots. */
  readonly events: EventFeatures;
  /** Hunt Files…'s quick pick of the workspace's log files, while it is open. */
  readonly filePick: vscode.QuickPick<FileItem> | undefined;
  /** The results view itself (its description says the filter; its message the hunt-wide notices), and Filter Results…'s filter and quick pick. */
  readonly resultsView: vscode.TreeView<ResultNode>;
  readonly resultsFilter: ResultsFilter;
  readonly filterPick: vscode.QuickPick<FilterItem> | undefined;
  /** The hunt workers kept warm between hunts (huntWorkers.ts): threads started, rules compiled, alive now. */
  huntWorkerStats(): WorkerPoolStats;
}

export function activate(context: vscode.ExtensionContext): LogHuntApi {
  const log = vscode.window.createOutputChannel('Log Hunt', { log: true });
  const diagnostics = new HuntDiagnostics(vscode.languages.createDiagnosticCollection('logHunt'));
  const rules = new RuleStore(log);
  const selectedRules = new SelectedRules(context.workspaceState);
  const store = new ResultStore();
  const results = new ResultsTreeProvider(store);
  const filter = new ResultsFilter();
  const statusBar = new HuntStatusBar(store, filter);
  const hunter = new Hunter(store, diagnostics, log, rules, selectedRules);
  const view = vscode.window.createTreeView(RESULTS_VIEW_ID, { treeDataProvider: results, showCollapseAll: true });
  const evtxViewer = new EvtxEditorProvider(store);
  const queries = new QueryFileSystem();
  hunter.resultsVisible = () => view.visible;
  // Malformed records and the rules used: above the tree, not rows that run a command (resultsMessage.ts).
  context.subscriptions.push(bindResultsMessage(view, store));
  // The hunt workers stay warm between hunts, and end with the extension.
  context.subscriptions.push({ dispose: disposeHuntWorkers });
  // Event documents, the Event view, Reveal in File and the pivot (event/register.ts).
  const eventFeatures = registerEventFeatures(context, { store, results, resultsView: view });

  const clear = (): void => {
    store.clear();
    diagnostics.clear();
    filter.set(undefined);
  };

  context.subscriptions.push(
    // Problems entries and the tree's positions move with edits of a hunted log.
    new EditFollower(store, diagnostics),
    log, rules, selectedRules, diagnostics, store, results, statusBar, view,
    // Drives the `when` clause of the view's Clear button.
    store.onDidChange(() => void vscode.commands.executeCommand('setContext', 'logHunt.hasResults', !store.isEmpty)),
    vscode.commands.registerCommand('logHunt.huntFile', (uri?: unknown, selected?: unknown) => huntFileCommand(hunter, uri, selected)),
    vscode.commands.registerCommand('logHunt.huntFiles', (arg?: unknown, selected?: unknown) => huntFilesCommand(hunter, arg, selected)),
    // The results view's title buttons: the same hunts, with their progress in the view (and Cancel Hunt there).
    vscode.commands.registerCommand('logHunt.huntFileInView', (uri?: unknown) => hunter.fromResultsView(() => huntFileCommand(hunter, uri))),
    vscode.commands.registerCommand('logHunt.huntFilesInView', (arg?: unknown) => hunter.fromResultsView(() => huntFilesCommand(hunter, arg))),
    vscode.commands.registerCommand('logHunt.cancelHunt', () => hunter.cancelViewHunt()),
    // The Explorer's menu with several files or folders selected: (clicked, selection).
    vscode.commands.registerCommand('logHunt.huntSelectedFiles', (arg?: unknown, selected?: unknown) => huntFilesCommand(hunter, arg, selected)),
    vscode.commands.registerCommand(HUNT_FOLDER_COMMAND, (arg?: unknown) => huntFolderCommand(hunter, store, arg)),
    vscode.commands.registerCommand('logHunt.openSample', () => openSampleCommand(context.extensionUri)),
    vscode.commands.registerCommand('logHunt.generateQuery', (arg?: unknown) => generateQueryCommand(log, queries, arg)),
    // Generated queries: read-only documents, with a Copy button on their editor.
    queries,
    vscode.workspace.registerFileSystemProvider(QUERY_SCHEME, queries, { isCaseSensitive: true, isReadonly: true }),
    vscode.commands.registerCommand(COPY_QUERY_COMMAND, copyQueryCommand),
    vscode.commands.registerCommand('logHunt.clearResults', clear),
    // Filter Results…: the tree, the status bar and the view's text read the same filter (resultsFilter.ts).
    filter, results.filterWith((files) => filterFiles(files, filter.current), filter.onDidChange), bindFilterDescription(view, store, filter),
    vscode.commands.registerCommand(FILTER_COMMAND, (arg?: unknown) => filterResultsCommand(store, filter, arg)),
    vscode.commands.registerCommand(CLEAR_FILTER_COMMAND, () => filter.set(undefined)),
    // Group Results by File / by Host: the … menu offers the one not in use (fileGroups.ts).
    vscode.commands.registerCommand(GROUP_BY_FILE_COMMAND, () => results.setGroupBy('file')),
    vscode.commands.registerCommand(GROUP_BY_HOST_COMMAND, () => results.setGroupBy('host')),
    vscode.commands.registerCommand(EXPORT_COMMAND, (format?: unknown, target?: unknown) => exportResultsCommand(store, format, target)),
    vscode.commands.registerCommand(SELECT_RULES_COMMAND, (arg?: unknown) => selectRulesCommand(rules, selectedRules, log, arg)),
    vscode.commands.registerCommand('logHunt.openRuleFile', openRuleFileCommand),
    // Only files with results are looked at; every other document returns at once.
    vscode.languages.registerHoverProvider([{ scheme: 'file' }, { scheme: 'untitled' }, { scheme: EVTX_SCHEME }, { scheme: EVENT_SCHEME }], new MatchHoverProvider(store, eventFeatures.events)),
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
    hunt: (uris, token) => hunter.hunt(uris, token), results, statusBar, rules, selectedRules, evtxViewer, events: eventFeatures,
    get filePick() { return currentFilePick(); },
    resultsView: view, resultsFilter: filter,
    huntWorkerStats: () => huntWorkers().stats(),
    get filterPick() { return currentFilterPick(); },
  };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
