/**
 * The results view `logHunt.results`: analytic → host → match, merged over every hunted file,
 * then notices (nothing found and why, caps, malformed records). `contextValue` drives the menus.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { findAnalytic } from '../engine/analytics';
import { FIELD_NAMES, Match } from '../engine/model';
import { escapeMarkdown, revealBidi, shorten, untrustedMarkdown } from './markdown';
import { FileResult, ResultStore } from './resultStore';

export interface MatchNode {
  kind: 'match';
  uri: vscode.Uri;
  match: Match;
}

export interface HostNode {
  kind: 'host';
  analyticId: string;
  host: string;
  matches: MatchNode[];
}

export interface AnalyticNode {
  kind: 'analytic';
  analyticId: string;
  /** Every match counted, also those beyond what the hunt stored. */
  count: number;
  listed: number;
  hosts: HostNode[];
}

export interface NoticeNode {
  kind: 'notice';
  id: string;
  label: string;
  detail: string;
  icon: string;
  command?: vscode.Command;
}

export type ResultNode = AnalyticNode | HostNode | MatchNode | NoticeNode;

export const OPEN_MATCH_COMMAND = 'logHunt.openMatch';
export const SHOW_OUTPUT_COMMAND = 'logHunt.showOutput';
const NO_HOST = '(no host)';

/** A file's name for people: the base name, also for untitled editors. */
export function displayName(uri: vscode.Uri): string {
  return path.posix.basename(uri.path) || uri.toString();
}

/** "1 match", "2 matches", "3 malformed records". */
export function plural(n: number, word: string): string {
  const many = /(ch|sh|s|x)$/.test(word) ? `${word}es` : `${word}s`;
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;
}

export class ResultsTreeProvider implements vscode.TreeDataProvider<ResultNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ResultNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: ResultNode[] = [];
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: ResultStore) {
    this.subscription = store.onDidChange(() => this.refresh());
  }

  /** Rebuilds the tree from the store. */
  refresh(): void {
    this.roots = buildRoots(this.store.all());
    this.changed.fire(undefined);
  }

  getChildren(node?: ResultNode): ResultNode[] {
    if (!node) return this.roots;
    if (node.kind === 'analytic') return node.hosts;
    if (node.kind === 'host') return node.matches;
    return [];
  }

  getTreeItem(node: ResultNode): vscode.TreeItem {
    switch (node.kind) {
      case 'analytic': return analyticItem(node);
      case 'host': return hostItem(node);
      case 'match': return matchItem(node);
      case 'notice': return noticeItem(node);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function buildRoots(files: FileResult[]): ResultNode[] {
  const analytics = new Map<string, AnalyticNode>();
  for (const file of files) {
    for (const [id, count] of file.matchCounts) {
      const node = analytics.get(id) ?? { kind: 'analytic', analyticId: id, count: 0, listed: 0, hosts: [] };
      node.count += count;
      analytics.set(id, node);
    }
    for (const match of file.result.matches) {
      const analytic = analytics.get(match.analyticId)!;
      const hostName = match.event.fields.hostname ?? NO_HOST;
      let host = analytic.hosts.find((h) => h.host === hostName);
      if (!host) analytic.hosts.push(host = { kind: 'host', analyticId: match.analyticId, host: hostName, matches: [] });
      host.matches.push({ kind: 'match', uri: file.uri, match });
      analytic.listed++;
    }
  }
  for (const analytic of analytics.values()) {
    analytic.hosts.sort((a, b) => b.matches.length - a.matches.length || a.host.localeCompare(b.host));
  }
  const roots: ResultNode[] = [...analytics.values()].sort((a, b) => a.analyticId.localeCompare(b.analyticId));
  return roots.concat(files.flatMap(notices));
}

/** What the hunter should know about a file beyond its matches. */
function notices(file: FileResult): NoticeNode[] {
  const { summary, matches } = file.result;
  const name = displayName(file.uri);
  const id = (what: string) => `notice|${what}|${file.uri.toString()}`;
  const out: NoticeNode[] = [];
  if (summary.why) {
    out.push({ kind: 'notice', id: id('none'), label: `No matches in ${name}`, detail: summary.why, icon: 'pass' });
  }
  if (summary.matches > matches.length) {
    out.push({
      kind: 'notice', id: id('tree-cap'), icon: 'info',
      label: `Listing ${matches.length.toLocaleString('en-US')} of ${summary.matches.toLocaleString('en-US')} matches in ${name}`,
      detail: `The results list keeps the first ${matches.length.toLocaleString('en-US')} matches of a file; the rest are counted only.`,
    });
  }
  if (summary.matches > file.maxDiagnostics) {
    out.push({
      kind: 'notice', id: id('diagnostics-cap'), icon: 'info',
      label: `Problems shows ${file.maxDiagnostics.toLocaleString('en-US')} of ${summary.matches.toLocaleString('en-US')} matches in ${name}`,
      detail: 'Raise the setting logHunt.maxDiagnostics to see more in the Problems panel.',
    });
  }
  if (summary.malformed > 0) {
    out.push({
      kind: 'notice', id: id('malformed'), icon: 'warning',
      label: `${plural(summary.malformed, 'malformed record')} skipped in ${name}`,
      detail: 'The output channel "Log Hunt" lists where they are and why they could not be read.',
      command: { title: 'Show Output', command: SHOW_OUTPUT_COMMAND },
    });
  }
  return out;
}

function analyticItem(node: AnalyticNode): vscode.TreeItem {
  const analytic = findAnalytic(node.analyticId);
  const item = new vscode.TreeItem(
    analytic ? `${analytic.title} (${analytic.id})` : node.analyticId,
    vscode.TreeItemCollapsibleState.Expanded,
  );
  item.id = `analytic|${node.analyticId}`;
  const count = node.listed < node.count ? `${node.count.toLocaleString('en-US')} matches, ${node.listed.toLocaleString('en-US')} listed` : plural(node.count, 'match');
  item.description = [count, ...(analytic?.attack.map((t) => t.id) ?? [])].join(' · ');
  item.iconPath = new vscode.ThemeIcon('shield');
  item.contextValue = 'analytic';
  if (analytic) {
    const md = untrustedMarkdown();
    md.appendMarkdown(`**${escapeMarkdown(analytic.title)}** (${escapeMarkdown(analytic.id)})\n\n`);
    md.appendMarkdown(`${escapeMarkdown(analytic.description)}\n\n`);
    for (const t of analytic.attack) {
      md.appendMarkdown(`- ATT&CK ${escapeMarkdown(`${t.id} ${t.name} (${t.tactics.join(', ')})`)}\n`);
    }
    // Our own registry's URLs, not log text: safe as links (an untrusted string still blocks command: links).
    md.appendMarkdown(`\n${analytic.references.map((r) => `[${escapeMarkdown(r)}](${encodeURI(r)})`).join('  \n')}`);
    item.tooltip = md;
  }
  return item;
}

function hostItem(node: HostNode): vscode.TreeItem {
  const item = new vscode.TreeItem(revealBidi(node.host), vscode.TreeItemCollapsibleState.Expanded);
  item.id = `host|${node.analyticId}|${node.host}`;
  item.description = plural(node.matches.length, 'match');
  item.iconPath = new vscode.ThemeIcon('vm');
  item.contextValue = 'host';
  return item;
}

/** `time  parent -> image`: the row a hunter scans down. */
export function matchLabel(match: Match): string {
  const f = match.event.fields;
  return revealBidi(`${match.event.time ?? '(no time)'}  ${f.parent_exe ?? '?'} -> ${f.exe ?? '?'}`);
}

function matchItem(node: MatchNode): vscode.TreeItem {
  const { match, uri } = node;
  const item = new vscode.TreeItem(matchLabel(match), vscode.TreeItemCollapsibleState.None);
  const at = (match.valueRange ?? match.event.range).start;
  item.id = `match|${uri.toString()}|${at.line}:${at.column}|${match.analyticId}`;
  item.description = revealBidi(shorten(match.event.fields.command_line ?? '', 400));
  item.tooltip = matchTooltip(node);
  item.iconPath = new vscode.ThemeIcon('warning');
  item.contextValue = 'match';
  item.command = { title: 'Open Match', command: OPEN_MATCH_COMMAND, arguments: [node] };
  return item;
}

/** Every field of the event, as literal text: log values never become links, HTML or icons. */
export function matchTooltip(node: MatchNode): vscode.MarkdownString {
  const { match, uri } = node;
  const e = match.event;
  const at = (match.valueRange ?? e.range).start;
  const rows: [string, string | undefined][] = [
    ['analytic', match.analyticId],
    ['file', `${displayName(uri)}:${at.line}:${at.column}`],
    ['time', e.time],
    ['event id', e.eventId?.toString()],
    ['record id', e.recordId],
    ['provider', e.provider],
    ['channel', e.channel],
    ...FIELD_NAMES.map((name): [string, string | undefined] => [name, e.fields[name]]),
  ];
  const md = untrustedMarkdown();
  for (const [name, value] of rows) {
    if (value !== undefined) md.appendMarkdown(`- **${escapeMarkdown(name)}**: ${escapeMarkdown(value)}\n`);
  }
  return md;
}

function noticeItem(node: NoticeNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = shorten(node.detail, 200);
  const md = untrustedMarkdown();
  md.appendMarkdown(escapeMarkdown(node.detail));
  item.tooltip = md;
  item.iconPath = new vscode.ThemeIcon(node.icon);
  item.contextValue = 'notice';
  item.command = node.command;
  return item;
}
