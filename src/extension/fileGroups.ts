/**
 * Group Results by File / by Host (the results view's … menu). By host, the default, a rule's matches
 * sit under one row per host, each a timeline over every hunted file. By file, as after hunting an
 * incident's folder, they sit under one row per file that names its host(s); a file holding more
 * than one host's events (forwarded events, a collection) has one row per host under it, and a file
 * of one host lists its matches flat. Rows under a group stay sorted by time.
 */
import * as vscode from 'vscode';
import { revealBidi } from './markdown';
import { displayName, HostNode, MatchNode, plural, RuleNode, sortByTime } from './resultsTree';

export type GroupBy = 'host' | 'file';

export const GROUP_BY_FILE_COMMAND = 'logHunt.groupResultsByFile';
export const GROUP_BY_HOST_COMMAND = 'logHunt.groupResultsByHost';
/** The context key that says which of the two commands the menu offers. */
const BY_FILE_CONTEXT = 'logHunt.resultsByFile';

/** Sets the context key the … menu reads (the tree keeps the mode itself). */
export function announceGroupBy(mode: GroupBy): void {
  void vscode.commands.executeCommand('setContext', BY_FILE_CONTEXT, mode === 'file');
}

export interface FileNode {
  kind: 'file';
  ruleId: string;
  uri: vscode.Uri;
  /** One per host, most matches first; under the file only when there are several. */
  hosts: HostNode[];
  matches: MatchNode[];
}

/** A file row's children: its hosts when it holds several, else its matches. */
export function fileChildren(node: FileNode): (HostNode | MatchNode)[] {
  return node.hosts.length > 1 ? node.hosts : node.matches;
}

/** Built once per rule row (the rows are rebuilt whenever the results or the filter change). */
const built = new WeakMap<RuleNode, FileNode[]>();

/** The rule's matches by file, most matches first, then by path. */
export function filesOf(rule: RuleNode): FileNode[] {
  let files = built.get(rule);
  if (files) return files;
  const byUri = new Map<string, FileNode>();
  for (const host of rule.hosts) {
    for (const match of host.matches) {
      const key = match.uri.toString();
      let file = byUri.get(key);
      if (!file) byUri.set(key, (file = { kind: 'file', ruleId: rule.rule.id, uri: match.uri, hosts: [], matches: [] }));
      file.matches.push(match);
      let under = file.hosts.find((h) => h.host === host.host);
      if (!under) file.hosts.push((under = { kind: 'host', ruleId: rule.rule.id, host: host.host, matches: [], uri: match.uri }));
      under.matches.push(match);
    }
  }
  files = [...byUri.values()].sort((a, b) => b.matches.length - a.matches.length || a.uri.toString().localeCompare(b.uri.toString()));
  for (const file of files) {
    sortByTime(file.matches);
    file.hosts.sort((a, b) => b.matches.length - a.matches.length || a.host.localeCompare(b.host));
    // Each host's matches came in its timeline's order, so they are sorted already.
  }
  built.set(rule, files);
  return files;
}

/** How many matches and whose: `3 matches · HOST-A, HOST-B`; past three hosts, their number. */
function fileDescription(node: FileNode): string {
  const hosts = node.hosts.map((h) => h.host);
  const who = hosts.length > 3 ? plural(hosts.length, 'host') : hosts.join(', ');
  return revealBidi(`${plural(node.matches.length, 'match')} · ${who}`);
}

export function fileItem(node: FileNode): vscode.TreeItem {
  const item = new vscode.TreeItem(revealBidi(displayName(node.uri)), vscode.TreeItemCollapsibleState.Expanded);
  item.id = `file|${node.ruleId}|${node.uri.toString()}`;
  // The resource gives the row its file icon; the label stays the file's name.
  item.resourceUri = node.uri;
  item.iconPath = vscode.ThemeIcon.File;
  item.description = fileDescription(node);
  const where = node.uri.scheme === 'file' ? vscode.workspace.asRelativePath(node.uri) : node.uri.toString();
  item.tooltip = `${where}\n${node.hosts.map((h) => `${h.host}: ${plural(h.matches.length, 'match')}`).join('\n')}`;
  item.contextValue = 'file';
  return item;
}

/** A host row's tooltip names the files its matches come from, with their counts. */
export function hostFilesTooltip(node: HostNode): string {
  const counts = new Map<string, { name: string; n: number }>();
  for (const m of node.matches) {
    const file = counts.get(m.uri.toString());
    if (file) file.n++;
    else counts.set(m.uri.toString(), { name: displayName(m.uri), n: 1 });
  }
  const files = [...counts.values()].map(({ name, n }) => `${name}: ${plural(n, 'match')}`);
  return `${node.host}\n${files.join('\n')}`;
}
