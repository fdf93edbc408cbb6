/**
 * The process tree under a match in the results view. Lineage is off in the engine's hunts (it
 * costs a hunt 50-75% more CPU), so it is computed here on demand: the first time a "Process
 * tree" row is expanded, one pass over the hunted files with no rules fills a LineageIndex
 * (cancellable, with progress), kept until the results change. The tree then shows the ancestors
 * down to the matched process (highlighted), and its descendants under it, each row revealing its
 * process create. The pass also gives every stored match its lineage, so an export carries it.
 */
import * as vscode from 'vscode';
import { baseName, huntFileParallel, HuntOptions, huntText, LineageEntry, LineageIndex, LoadedRules, Match, UnreadableInputError } from '../engine';
import { isoTime } from './eventTime';
import { huntWorkers } from './huntWorkers';
import { revealBidi, shorten } from './markdown';
import { matchTarget } from './matchPlace';
import type { MatchNode } from './resultsTree';
import { ResultStore } from './resultStore';

export const REVEAL_PROCESS_COMMAND = 'logHunt.revealProcess';
export const BUILD_LINEAGE_COMMAND = 'logHunt.buildLineage';

/** The "Process tree" row under a match. */
export interface ProcessTreeNode {
  kind: 'lineage';
  part: 'tree';
  parent: MatchNode;
}

/** A process in a match's tree: an ancestor, the matched process, or a descendant. */
export interface ProcessNode {
  kind: 'lineage';
  part: 'process';
  entry: LineageEntry;
  role: 'ancestor' | 'matched' | 'descendant';
  /** The file the entry's `file` names, to open it. */
  uri: vscode.Uri;
  /** Unique among the rows: the match row's id and the path of processes down to this one. */
  id: string;
  /** Known for the ancestors' chain and the matched process; found on expanding for descendants. */
  children?: ProcessNode[];
}

/** Computing, cancelled, or nothing to show. */
export interface LineageNoteNode {
  kind: 'lineage';
  part: 'note';
  id: string;
  label: string;
  icon: string;
  command?: vscode.Command;
}

export type LineageNode = ProcessTreeNode | ProcessNode | LineageNoteNode;

type State =
  | { kind: 'idle'; cancelled?: boolean; failed?: string }
  | { kind: 'running'; done: Promise<void> }
  | { kind: 'ready'; index: LineageIndex };

const NO_RULES: LoadedRules = { rules: [], skipped: [], sources: [], selection: {}, unknownIds: [] };

/** The event that carries a process: it names a process GUID or id (a create, a network connection, a file write…). */
export function hasProcess(match: Match): boolean {
  const d = match.event.data;
  return (d.ProcessGuid ?? d.SourceProcessGuid ?? d.ProcessId ?? d.SourceProcessId) !== undefined;
}

/** A match's own process create, as a lineage entry: where the matched event is a create itself. */
function ownEntry(file: string, match: Match): LineageEntry {
  const e = match.event;
  const d = e.data;
  const entry: LineageEntry = {
    processGuid: d.ProcessGuid ?? null, processId: d.ProcessId ?? null, image: d.Image ?? null, commandLine: d.CommandLine ?? null,
    time: e.time ?? d.UtcTime ?? null, user: d.User ?? null, host: e.computer ?? null, file, recordId: e.recordId ?? null,
  };
  if (e.place) entry.place = e.place;
  else entry.position = e.range.start;
  return entry;
}

/** A process create as the engine's Match shape: what lineageOf probes and matchTarget places. */
function entryAsMatch(entry: LineageEntry, rule: Match['rule']): Match {
  const at = entry.position ?? { line: 1, column: 1 };
  const data: Record<string, string> = {};
  if (entry.processGuid !== null) data.ProcessGuid = entry.processGuid;
  if (entry.processId !== null) data.ProcessId = entry.processId;
  if (entry.time !== null) data.UtcTime = entry.time;
  return {
    analyticId: rule.id, rule,
    event: {
      eventId: 1, data, fields: {}, time: entry.time ?? undefined, computer: entry.host ?? undefined,
      recordId: entry.recordId ?? undefined, range: { start: at, end: at }, place: entry.place,
    },
  };
}

export class LineageTree implements vscode.Disposable {
  private state: State = { kind: 'idle' };
  /** Bumped whenever the results change: a pass begun before then is thrown away. */
  private generation = 0;
  private abort?: AbortController;
  private readonly trees = new WeakMap<MatchNode, ProcessTreeNode[]>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: ResultStore, private readonly changed: () => void) {
    this.subscription = store.onDidChange(() => {
      this.generation++;
      this.abort?.abort();
      this.state = { kind: 'idle' };
    });
  }

  /** The children of a match row: its "Process tree" row, when its event names a process. */
  forMatch(node: MatchNode): ProcessTreeNode[] {
    if (!hasProcess(node.match)) return [];
    let tree = this.trees.get(node);
    if (!tree) this.trees.set(node, (tree = [{ kind: 'lineage', part: 'tree', parent: node }]));
    return tree;
  }

  /** Settles when the lineage pass under way (if any) ends; tests wait on it. */
  get pending(): Promise<void> {
    return this.state.kind === 'running' ? this.state.done : Promise.resolve();
  }

  children(node: LineageNode): LineageNode[] {
    if (node.part === 'note') return [];
    if (node.part === 'process') {
      if (!node.children && this.state.kind === 'ready') node.children = this.descendantsOf(this.state.index, node);
      return node.children ?? [];
    }
    const key = matchRowId(node.parent);
    switch (this.state.kind) {
      case 'ready': return this.treeOf(this.state.index, node.parent);
      case 'running': return [{ kind: 'lineage', part: 'note', id: `${key}|computing`, label: 'Reading the process creates of the hunted files…', icon: 'loading~spin' }];
      case 'idle': {
        const { cancelled, failed } = this.state;
        if (cancelled || failed) {
          return [{
            kind: 'lineage', part: 'note', id: `${key}|again`, icon: failed ? 'error' : 'debug-restart',
            label: failed ? `Lineage failed: ${failed}. Click to try again` : 'Lineage cancelled. Click to read the process creates again',
            command: { title: 'Build Lineage', command: BUILD_LINEAGE_COMMAND },
          }];
        }
        void this.build();
        return this.children(node);
      }
    }
  }

  item(node: LineageNode): vscode.TreeItem {
    switch (node.part) {
      case 'tree': {
        const item = new vscode.TreeItem('Process tree', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `${matchRowId(node.parent)}|tree`;
        item.iconPath = new vscode.ThemeIcon('type-hierarchy');
        item.tooltip = 'The ancestors of the matched process and its descendants, from the process creates of every hunted file.';
        item.contextValue = 'processTree';
        return item;
      }
      case 'note': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.command = node.command;
        item.contextValue = 'lineageNote';
        return item;
      }
      case 'process': return processItem(node, this.state.kind === 'ready' ? this.state.index : undefined);
    }
  }

  /**
   * Starts the lineage pass over the store's files, unless one is under way or done. Cancelling
   * `token` stops it as the notification's Cancel button does.
   */
  build(token?: vscode.CancellationToken): Promise<void> {
    if (this.state.kind === 'running') return this.state.done;
    if (this.state.kind === 'ready') return Promise.resolve();
    const generation = this.generation;
    const abort = (this.abort = new AbortController());
    const done = Promise.resolve(vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Log Hunt: process lineage', cancellable: true },
      async (progress, progressToken) => {
        const listeners = [progressToken, token].map((t) => t?.onCancellationRequested(() => abort.abort()));
        if (progressToken.isCancellationRequested || token?.isCancellationRequested) abort.abort();
        try {
          const index = new LineageIndex();
          const files = this.store.all();
          for (const [i, file] of files.entries()) {
            abort.signal.throwIfAborted();
            progress.report({ message: `${i + 1}/${files.length} ${baseName(file.uri.path)}`, increment: i === 0 ? 0 : 100 / files.length });
            // A file gone since its hunt adds no processes; the others still give their lineage.
            await lineagePass(file.uri, { rules: NO_RULES, lineageIndex: index, signal: abort.signal }).catch((err: unknown) => {
              if (!(err instanceof UnreadableInputError)) throw err;
            });
          }
          return index;
        } finally {
          for (const l of listeners) l?.dispose();
        }
      },
    )).then(
      (index) => {
        if (generation !== this.generation) return;
        // Every stored match gets its lineage, for the exports and Copy Match as JSON.
        for (const file of this.store.all()) index.attach(file.result.matches);
        this.state = { kind: 'ready', index };
      },
      (err: unknown) => {
        if (generation !== this.generation) return;
        this.state = abort.signal.aborted ? { kind: 'idle', cancelled: true } : { kind: 'idle', failed: err instanceof Error ? err.message : String(err) };
      },
    ).finally(() => {
      if (generation === this.generation) this.changed();
    });
    this.state = { kind: 'running', done };
    return done;
  }

  /** The ancestors' chain, oldest first, down to the matched process with its descendants under it. */
  private treeOf(index: LineageIndex, node: MatchNode): LineageNode[] {
    const { match, uri } = node;
    const file = fileName(uri);
    const lineage = index.lineageOf(match);
    const own = match.event.eventId === 1 ? ownEntry(file, match) : lineage.process;
    const rowId = matchRowId(node);
    if (!own && lineage.ancestors.length === 0) {
      return [{ kind: 'lineage', part: 'note', id: `${rowId}|none`, icon: 'info', label: 'No process create of this process in the hunted files' }];
    }
    const chain = [...lineage.ancestors].reverse();
    let path = `${rowId}|p`;
    const nodes = chain.map((entry): ProcessNode => {
      path += `/${entryKey(entry)}`;
      return { kind: 'lineage', part: 'process', entry, role: 'ancestor', uri: this.uriOf(entry.file, uri), id: path };
    });
    if (own) {
      path += `/${entryKey(own)}`;
      const matched: ProcessNode = { kind: 'lineage', part: 'process', entry: own, role: 'matched', uri: this.uriOf(own.file, uri), id: path };
      matched.children = lineage.children.map((c) => this.childNode(c, matched, uri));
      nodes.push(matched);
    }
    for (let i = 0; i + 1 < nodes.length; i++) nodes[i].children = [nodes[i + 1]];
    return nodes.slice(0, 1);
  }

  private childNode(entry: LineageEntry, parent: ProcessNode, fallback: vscode.Uri): ProcessNode {
    return { kind: 'lineage', part: 'process', entry, role: 'descendant', uri: this.uriOf(entry.file, fallback), id: `${parent.id}/${entryKey(entry)}` };
  }

  private descendantsOf(index: LineageIndex, node: ProcessNode): ProcessNode[] {
    const probe = entryAsMatch(node.entry, PROBE_RULE);
    return index.lineageOf(probe).children.map((c) => this.childNode(c, node, node.uri));
  }

  /** The hunted file a lineage entry names (entries name files as the hunt was given them). */
  private uriOf(file: string, fallback: vscode.Uri): vscode.Uri {
    return this.store.all().find((f) => fileName(f.uri) === file)?.uri ?? (file.startsWith('/') || /^[A-Za-z]:\\/.test(file) ? vscode.Uri.file(file) : fallback);
  }

  dispose(): void {
    this.abort?.abort();
    this.subscription.dispose();
  }
}

/** The rule a probe carries: lineageOf and matchTarget read none of it. */
const PROBE_RULE: Match['rule'] = { id: 'process', title: 'process', level: 'informational', kind: 'car', source: '', references: [], falsepositives: [], tags: [], attack: [], tactics: [] };

function fileName(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

/** The match row's id, as resultsTree gives it, so the lineage rows' ids stay unique. */
function matchRowId(node: MatchNode): string {
  const { match, uri } = node;
  const at = match.event.place ? `@${match.event.place.offset}` : `${match.event.range.start.line}:${match.event.range.start.column}`;
  return `lineage|${uri.toString()}|${at}|${match.rule.id}`;
}

function entryKey(entry: LineageEntry): string {
  return entry.processGuid ?? `${entry.processId ?? '?'}@${entry.time ?? '?'}`;
}

/** One file's process creates into the index: from the editor's text when it has unsaved changes, as the hunt reads it. */
async function lineagePass(uri: vscode.Uri, options: HuntOptions): Promise<void> {
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (document && (document.isDirty || document.isUntitled || uri.scheme !== 'file')) await huntText(document.getText(), fileName(uri), options);
  else if (uri.scheme === 'file') await huntFileParallel(uri.fsPath, { ...options, pool: huntWorkers() });
}

/** `cmd.exe · cmd.exe /c whoami`: the image's file name and the command line. */
export function processLabel(entry: LineageEntry): string {
  const image = entry.image ? baseName(entry.image) : `process ${entry.processId ?? '?'}`;
  const label = entry.commandLine ? `${image} · ${entry.commandLine}` : image;
  return revealBidi(shorten(label, 300));
}

function processItem(node: ProcessNode, index: LineageIndex | undefined): vscode.TreeItem {
  const { entry, role } = node;
  // Descendants' children are looked up on expanding; ask now whether there are any, to show the twisty.
  const known = node.children ?? (index ? undefined : []);
  const hasChildren = known ? known.length > 0 : index!.lineageOf(entryAsMatch(entry, PROBE_RULE)).children.length > 0;
  const state = !hasChildren ? vscode.TreeItemCollapsibleState.None
    : role === 'descendant' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded;
  const item = new vscode.TreeItem(processLabel(entry), state);
  item.id = node.id;
  const time = isoTime(entry.time ?? undefined) ?? '(no time)';
  const pid = entry.processId !== null ? ` · pid ${entry.processId}` : '';
  item.description = revealBidi(role === 'matched' ? `matched process · ${time}${pid}` : `${time}${pid}`);
  item.iconPath = role === 'matched'
    ? new vscode.ThemeIcon('target', new vscode.ThemeColor('list.warningForeground'))
    : new vscode.ThemeIcon('server-process');
  const lines = [
    entry.image ?? '(image unknown)', entry.commandLine ?? '', `time: ${time}`, `user: ${entry.user ?? '?'}`, `host: ${entry.host ?? '?'}`,
    `process id: ${entry.processId ?? '?'}`, `process GUID: ${entry.processGuid ?? '?'}`,
  ].filter((l) => l !== '');
  item.tooltip = lines.join('\n');
  item.contextValue = `process ${role}`;
  item.command = { title: 'Reveal Process Create', command: REVEAL_PROCESS_COMMAND, arguments: [node] };
  return item;
}

/** Opens the process's create event: its line in a text log, its record's XML in an `.evtx`. */
export async function revealProcess(node: ProcessNode): Promise<vscode.TextEditor> {
  const target = matchTarget(node.uri, entryAsMatch(node.entry, PROBE_RULE));
  const document = await vscode.workspace.openTextDocument(target.uri);
  const range = target.range(document);
  const editor = await vscode.window.showTextDocument(document, { selection: range, preview: true });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}
