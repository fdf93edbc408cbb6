/**
 * The results view `logHunt.results`: rule → host → event, merged over every hunted file (or rule → file → host → event,
 * fileGroups.ts), then
 * notices (nothing found and why, caps; the hunt-wide ones are the view's message, resultsMessage.ts). `contextValue` drives
 * the menus: a rule row says whether it is Sigma or CAR and whether a SIEM query can be generated.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { baseName, findAnalytic, isProcessCreate, Match, nearMissWords, RuleInfo } from '../engine';
import { PivotHitNode, PivotNode, pivotChildren, pivotItem } from './event/pivotNodes';
import { announceGroupBy, fileChildren, FileNode, fileItem, filesOf, GroupBy, hostFilesTooltip } from './fileGroups';
import { levelIcon } from './levels';
import { hasProcess, LineageNode, LineageTree } from './lineageNodes';
import { isoTime, utcTimeKey } from './eventTime';
import { escapeMarkdown, revealBidi, shorten, untrustedMarkdown } from './markdown';
import { matchKey, matchWhere } from './matchPlace';
import { FileResult, partialWords, ResultStore } from './resultStore';
import { ruleMarkdown } from './ruleMarkdown';

export interface MatchNode {
  kind: 'match';
  uri: vscode.Uri;
  match: Match;
}

export interface HostNode {
  kind: 'host';
  ruleId: string;
  host: string;
  matches: MatchNode[];
  /** Set when the row sits under a file's row (Group Results by File, fileGroups.ts). */
  uri?: vscode.Uri;
}

export interface RuleNode {
  kind: 'rule';
  rule: RuleInfo;
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
  // No command: a notice row only says (VS Code's guidelines: rows are not buttons; actions are the view's title and menus).
}

export type ResultNode = RuleNode | FileNode | HostNode | MatchNode | NoticeNode | LineageNode | PivotNode | PivotHitNode;

export const OPEN_MATCH_COMMAND = 'logHunt.openMatch';
export const SHOW_OUTPUT_COMMAND = 'logHunt.showOutput';
export const SELECT_RULES_COMMAND = 'logHunt.selectRules';
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
  /** The process tree under each match (lineageNodes.ts), computed when first expanded. */
  readonly lineage: LineageTree;

  constructor(private readonly store: ResultStore) {
    this.lineage = new LineageTree(store, () => this.changed.fire(undefined));
    this.subscription = store.onDidChange(() => this.refresh());
  }

  /** Groups other modules put first (the pivots' results, event/pivotNodes.ts). */
  private readonly groups: (() => ResultNode[])[] = [];

  addGroup(roots: () => ResultNode[], onDidChange: vscode.Event<void>): vscode.Disposable {
    this.groups.push(roots);
    return onDidChange(() => this.refresh());
  }

  /** What of the store the tree shows: all of it, or what Filter Results… keeps (resultsFilter.ts). */
  private select: (files: FileResult[]) => FileResult[] = (files) => files;

  filterWith(select: (files: FileResult[]) => FileResult[], onDidChange: vscode.Event<void>): vscode.Disposable {
    this.select = select;
    return onDidChange(() => this.refresh());
  }

  /** Under a rule: one row per host (a timeline over every file), or per file then host (fileGroups.ts). */
  private grouping: GroupBy = 'host';

  get groupBy(): GroupBy {
    return this.grouping;
  }

  setGroupBy(mode: GroupBy): void {
    this.grouping = mode;
    announceGroupBy(mode);
    this.refresh();
  }

  /** Rebuilds the tree from the store. */
  refresh(): void {
    this.roots = [...this.groups.flatMap((g) => g()), ...buildRoots(this.select(this.store.all()))];
    this.changed.fire(undefined);
  }

  getChildren(node?: ResultNode): ResultNode[] {
    if (!node) return this.roots;
    if (node.kind === 'rule') return this.grouping === 'file' ? filesOf(node) : node.hosts;
    if (node.kind === 'file') return fileChildren(node);
    if (node.kind === 'host') return node.matches;
    if (node.kind === 'match') return this.lineage.forMatch(node);
    if (node.kind === 'lineage') return this.lineage.children(node);
    if (node.kind === 'pivot') return pivotChildren(node);
    return [];
  }

  getTreeItem(node: ResultNode): vscode.TreeItem {
    switch (node.kind) {
      case 'rule': return ruleItem(node);
      case 'file': return fileItem(node);
      case 'host': return hostItem(node);
      case 'match': return matchItem(node);
      case 'notice': return noticeItem(node);
      case 'lineage': return this.lineage.item(node);
      case 'pivot': case 'pivotHit': return pivotItem(node);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.lineage.dispose();
    this.changed.dispose();
  }
}

/** A rule known only by id: its matches were all beyond what the hunt stored, and nobody said more. */
function unknownRule(id: string): RuleInfo {
  return { id, title: id, level: 'informational', kind: 'car', source: '', references: [], falsepositives: [], tags: [], attack: [], tactics: [] };
}

function buildRoots(files: FileResult[]): ResultNode[] {
  const rules = new Map<string, RuleNode>();
  const nodeOf = (id: string, rule: RuleInfo | undefined): RuleNode => {
    let node = rules.get(id);
    if (!node) rules.set(id, (node = { kind: 'rule', rule: rule ?? unknownRule(id), count: 0, listed: 0, hosts: [] }));
    return node;
  };
  for (const file of files) {
    for (const match of file.result.matches) {
      const node = nodeOf(match.rule.id, match.rule);
      const hostName = match.event.computer ?? match.event.fields.hostname ?? NO_HOST;
      let host = node.hosts.find((h) => h.host === hostName);
      if (!host) node.hosts.push((host = { kind: 'host', ruleId: node.rule.id, host: hostName, matches: [] }));
      host.matches.push({ kind: 'match', uri: file.uri, match });
      node.listed++;
    }
    for (const [id, count] of file.matchCounts) nodeOf(id, file.rules?.get(id)).count += count;
  }
  for (const node of rules.values()) {
    node.count = Math.max(node.count, node.listed);
    node.hosts.sort((a, b) => b.matches.length - a.matches.length || a.host.localeCompare(b.host));
    for (const host of node.hosts) sortByTime(host.matches);
  }
  // Most severe first, as the Problems panel sorts.
  const rank = (r: RuleNode): number => LEVEL_ORDER.indexOf(r.rule.level);
  const roots: ResultNode[] = [...rules.values()].sort((a, b) => rank(a) - rank(b) || a.rule.title.localeCompare(b.rule.title) || a.rule.id.localeCompare(b.rule.id));
  return roots.concat(files.flatMap(notices));
}

/** Oldest first, whatever format each source wrote its time in; events without a time last, in file order. */
export function sortByTime(matches: MatchNode[]): void {
  const keyed = matches.map((node, index) => ({ node, index, key: utcTimeKey(node.match.event.time) }));
  keyed.sort((a, b) => (a.key === b.key ? a.index - b.index : a.key === undefined ? 1 : b.key === undefined ? -1 : a.key < b.key ? -1 : 1));
  keyed.forEach((k, i) => { matches[i] = k.node; });
}

const LEVEL_ORDER = ['critical', 'high', 'medium', 'low', 'informational'];

/** What the hunter should know about a file beyond its matches. */
function notices(file: FileResult): NoticeNode[] {
  const { summary, matches } = file.result;
  const name = displayName(file.uri);
  const id = (what: string) => `notice|${what}|${file.uri.toString()}`;
  const out: NoticeNode[] = [];
  if (file.partial) {
    out.push({
      kind: 'notice', id: id('partial'), icon: 'warning',
      label: `Partial: the hunt of ${name} was cancelled at ${partialWords(file.partial)}`,
      detail: `The ${plural(summary.matches, 'match')} listed for ${name} were found before the cancel; hunt it again for all of them.`,
    });
  }
  if (file.edited) {
    out.push({
      kind: 'notice', id: id('edited'), icon: 'warning', label: file.edited,
      detail: `An edit changed events of ${name} that matched: their results were removed, the others moved with the text. Hunt ${name} again for exact results.`,
    });
  }
  if (summary.why) {
    out.push({ kind: 'notice', id: id('none'), label: `No matches in ${name}`, detail: summary.why, icon: 'pass' });
  }
  out.push(...nearMissNotices(file, id));
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
  // Malformed records and the rules used are in the view's message (resultsMessage.ts), not rows that run a command.
  return out;
}

/** After a hunt that found nothing: a row per rule that came closest, in words (no command: they only say). */
function nearMissNotices(file: FileResult, id: (what: string) => string): NoticeNode[] {
  const report = file.result.summary.nearMisses;
  if (!report) return [];
  if (report.rules.length === 0) {
    return [{ kind: 'notice', id: id('near-none'), icon: 'info', label: `No near misses in ${displayName(file.uri)}`, detail: nearMissWords(report) }];
  }
  return report.rules.map((rule) => ({
    kind: 'notice' as const,
    id: id(`near|${rule.id}`),
    icon: 'target',
    label: `Closest: ${rule.title} · ${plural(rule.nearMisses, 'near miss')}`,
    detail: rule.words,
  }));
}

/** `rule`, then `sigma` or `car`, then `query` when Generate SIEM Query knows the rule: the menus' `when` clauses test these words. */
export function ruleContextValue(rule: RuleInfo): string {
  return ['rule', rule.kind, ...(findAnalytic(rule.id) ? ['query'] : [])].join(' ');
}

function ruleItem(node: RuleNode): vscode.TreeItem {
  const { rule } = node;
  const item = new vscode.TreeItem(revealBidi(rule.title), vscode.TreeItemCollapsibleState.Expanded);
  item.id = `rule|${rule.id}`;
  const count = node.listed < node.count ? `${node.count.toLocaleString('en-US')} matches, ${node.listed.toLocaleString('en-US')} listed` : plural(node.count, 'match');
  item.description = revealBidi([count, ...rule.attack].join(' · '));
  item.iconPath = levelIcon(rule.level);
  item.tooltip = ruleMarkdown(rule);
  item.contextValue = ruleContextValue(rule);
  return item;
}

function hostItem(node: HostNode): vscode.TreeItem {
  const item = new vscode.TreeItem(revealBidi(node.host), vscode.TreeItemCollapsibleState.Expanded);
  item.id = node.uri ? `host|${node.ruleId}|${node.uri.toString()}|${node.host}` : `host|${node.ruleId}|${node.host}`;
  item.description = plural(node.matches.length, 'match');
  item.tooltip = hostFilesTooltip(node);
  item.iconPath = new vscode.ThemeIcon('vm');
  item.contextValue = 'host';
  return item;
}

/** The event's command line: Sysmon's name first, then the CAR model's (which other shapes fill). */
export function commandLineOf(match: Match): string | undefined {
  return match.event.data.CommandLine ?? match.event.fields.command_line;
}

/**
 * What matters first: `services.exe → cmd.exe /c malwr.vbs` (the parent and the command line) for
 * a process create; for any other event its image and the value that decided the match.
 */
export function matchLabel(match: Match): string {
  const e = match.event;
  if (isProcessCreate(e)) {
    const child = commandLineOf(match) || (e.fields.exe ? baseName(e.fields.exe) : '?');
    return revealBidi(shorten(`${e.fields.parent_exe ?? '?'} → ${child}`, 400));
  }
  const image = e.data.Image ?? e.data.NewProcessName;
  const value = match.field !== undefined && match.field !== 'Image' ? e.data[match.field] : undefined;
  const parts = [image ? baseName(image) : `EventID ${e.eventId ?? '?'}`];
  if (value !== undefined) parts.push(`${match.field}: ${value}`);
  else if (image) parts.push(`EventID ${e.eventId ?? '?'}`);
  return revealBidi(shorten(parts.join(' · '), 400));
}

/** Where the match is, short: `name.xml:12`, or `name.evtx record 9807`. */
export function matchShortWhere(name: string, match: Match): string {
  const { place, recordId } = match.event;
  if (place) return `${name} record ${recordId ?? '?'}`;
  return `${name}:${(match.valueRange ?? match.event.range).start.line}`;
}

/** When and where: `2019-04-30T20:26:51.793Z · name.xml:12`, the time in ISO 8601 UTC whatever the source wrote. */
function matchDescription(node: MatchNode): string {
  const time = isoTime(node.match.event.time) ?? '(no time)';
  return `${time} · ${matchShortWhere(displayName(node.uri), node.match)}`;
}

function matchItem(node: MatchNode): vscode.TreeItem {
  const { match, uri } = node;
  // Collapsed: its Process tree row, whose lineage is computed only when expanded.
  const item = new vscode.TreeItem(matchLabel(match), hasProcess(match) ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `match|${uri.toString()}|${matchKey(match)}|${match.rule.id}`;
  item.description = revealBidi(matchDescription(node));
  item.tooltip = matchTooltip(node);
  item.iconPath = new vscode.ThemeIcon('symbol-event');
  item.contextValue = ['match', ...(commandLineOf(match) ? ['commandLine'] : []), ...(match.event.place ? ['evtx'] : [])].join(' ');
  item.command = { title: 'Open Match', command: OPEN_MATCH_COMMAND, arguments: [node] };
  return item;
}

/** Every field of the event, as literal text: log values never become links, HTML or icons. */
export function matchTooltip(node: MatchNode): vscode.MarkdownString {
  const { match, uri } = node;
  const e = match.event;
  const head: [string, string | undefined][] = [
    ['rule', `${match.rule.title} (${match.rule.id}, ${match.rule.level})`],
    ['file', matchWhere(displayName(uri), match)],
    ['time', isoTime(e.time)],
    ['event id', e.eventId?.toString()],
    ['record id', e.recordId],
    ['computer', e.computer],
    ['provider', e.provider],
    ['channel', e.channel],
  ];
  const md = untrustedMarkdown();
  for (const [name, value] of head) {
    if (value !== undefined) md.appendMarkdown(`- **${escapeMarkdown(name)}**: ${escapeMarkdown(value)}\n`);
  }
  md.appendMarkdown('\n');
  for (const [name, value] of Object.entries(e.data)) {
    const decided = name === match.field ? ' (matched)' : '';
    md.appendMarkdown(`- **${escapeMarkdown(name)}**${decided}: ${escapeMarkdown(value)}\n`);
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
  return item;
}
