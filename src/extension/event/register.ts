/**
 * Wires the event features into the extension (activate.ts calls this once): event documents,
 * the Event view, Copy Value, Reveal in File, and the pivot with its group in the results tree.
 */
import * as vscode from 'vscode';
import { eventFormatOf, EventDocuments, EVENT_SCHEME } from './eventDocuments';
import { COPY_VALUE_COMMAND, EventInspector, EVENT_VIEW_ID, FieldRow, INSPECT_MATCH_COMMAND } from './inspector';
import { PivotOutcome, PivotRequest, Pivots, PIVOT_COMMAND, PIVOT_SELECTION_COMMAND } from './pivot';
import { pivotRoots } from './pivotNodes';
import { valueAtCursor } from './valueAtCursor';
import { REVEAL_MATCH_COMMAND, revealMatch, setEventContext } from '../matchCommands';
import { ResultStore } from '../resultStore';
import { ResultNode, ResultsTreeProvider } from '../resultsTree';
import { Match } from '../../engine';

export interface EventFeatures {
  events: EventDocuments;
  inspector: EventInspector;
  pivots: Pivots;
}

export function registerEventFeatures(
  context: vscode.ExtensionContext,
  { store, results, resultsView }: { store: ResultStore; results: ResultsTreeProvider; resultsView: vscode.TreeView<ResultNode> },
): EventFeatures {
  const events = new EventDocuments();
  const pivots = new Pivots(store);
  const inspector = new EventInspector(store, events);
  setEventContext({ events, formatOf: (file) => eventFormatOf(file, store.get(file)?.result.summary.format ?? pivots.formatOf(file)) });
  const view = vscode.window.createTreeView(EVENT_VIEW_ID, { treeDataProvider: inspector });
  const title = () => {
    view.description = inspector.current?.title;
    view.message = inspector.current ? undefined : 'Put the cursor in an event of a hunted log or an event document, or select a match in Results.';
  };
  title();

  context.subscriptions.push(
    events, pivots, inspector, view,
    inspector.onDidShow(title),
    vscode.workspace.registerTextDocumentContentProvider(EVENT_SCHEME, events),
    results.addGroup(() => pivotRoots(pivots.all()), pivots.onDidChange),
    // Clear Results clears the pivots too.
    store.onDidChange(() => store.isEmpty && pivots.all().length > 0 && pivots.clear()),
    resultsView.onDidChangeSelection((e) => {
      const node = e.selection[0];
      if (node && 'match' in node) inspector.showMatch(node);
    }),
    vscode.commands.registerCommand(INSPECT_MATCH_COMMAND, (node?: { uri: vscode.Uri; match: Match }) => inspector.showMatch(node)),
    vscode.commands.registerCommand(REVEAL_MATCH_COMMAND, revealMatch),
    vscode.commands.registerCommand(COPY_VALUE_COMMAND, async (row?: FieldRow) => {
      if (!row) return;
      await vscode.env.clipboard.writeText(row.value);
      vscode.window.setStatusBarMessage(`Log Hunt: ${row.name} copied`, 3000);
    }),
    // From an Event row (its value), or with a request (the tests, other callers).
    vscode.commands.registerCommand(PIVOT_COMMAND, (arg?: FieldRow | PivotRequest): Promise<PivotOutcome> => {
      const request: PivotRequest = arg && 'kind' in arg ? { value: arg.value } : (arg ?? { value: '' });
      return pivots.run(request);
    }),
    // The editor's context menu: the selection, else the field value under the cursor.
    vscode.commands.registerCommand(PIVOT_SELECTION_COMMAND, (): Promise<PivotOutcome> => {
      const editor = vscode.window.activeTextEditor;
      const value = editor ? valueAtCursor(editor, events) : undefined;
      return pivots.run({ value: value ?? '' });
    }),
  );
  return { events, inspector, pivots };
}
