/**
 * The pivots' groups in the results tree: one row per pivot (its value, how many events, whether
 * it is still running or was cancelled), and under it one row per event found. An event row is a
 * match row to the menus (`match pivotHit`: Copy as JSON, Reveal in File) and opens its event.
 */
import * as vscode from 'vscode';
import { SearchHit } from '../../engine';
import { isoTime } from '../eventTime';
import { escapeMarkdown, revealBidi, shorten, untrustedMarkdown } from '../markdown';
import { matchKey, matchWhere } from '../matchPlace';
import { commandLineOf, displayName, matchLabel, matchShortWhere, OPEN_MATCH_COMMAND, plural } from '../resultsTree';
import { PivotRun, shortValue } from './pivot';

export interface PivotNode {
  kind: 'pivot';
  run: PivotRun;
}

export interface PivotHitNode {
  kind: 'pivotHit';
  runId: number;
  uri: vscode.Uri;
  match: SearchHit['match'];
  fields: string[];
}

export function pivotRoots(runs: readonly PivotRun[]): PivotNode[] {
  return runs.map((run) => ({ kind: 'pivot', run }));
}

export function pivotChildren(node: PivotNode): PivotHitNode[] {
  return node.run.hits.map((hit) => ({ kind: 'pivotHit', runId: node.run.id, uri: vscode.Uri.file(hit.file), match: hit.match, fields: hit.fields }));
}

function stateWords(run: PivotRun): string {
  const found = plural(run.count, 'event');
  const files = plural(run.files.length, 'file');
  switch (run.state) {
    case 'running': return `searching ${files}… ${found} so far`;
    case 'done': return `${found} in ${files}${run.count > run.hits.length ? `, ${run.hits.length.toLocaleString('en-US')} listed` : ''}`;
    case 'cancelled': return `cancelled: ${found} found before the cancel`;
    case 'failed': return `failed: ${run.problems[0] ?? 'unknown error'}`;
  }
}

export function pivotItem(node: PivotNode | PivotHitNode): vscode.TreeItem {
  return node.kind === 'pivot' ? groupItem(node) : hitItem(node);
}

function groupItem({ run }: PivotNode): vscode.TreeItem {
  const item = new vscode.TreeItem(revealBidi(`Events with "${shortValue(run.value)}"`), vscode.TreeItemCollapsibleState.Expanded);
  item.id = `pivot|${run.id}`;
  item.description = stateWords(run);
  const md = untrustedMarkdown();
  md.appendMarkdown(`Every event where a field holds ${escapeMarkdown(JSON.stringify(run.value))} (case ignored), in:\n\n`);
  for (const file of run.files) md.appendMarkdown(`- ${escapeMarkdown(file.fsPath)}\n`);
  for (const problem of run.problems) md.appendMarkdown(`\n${escapeMarkdown(problem)}\n`);
  item.tooltip = md;
  item.iconPath = new vscode.ThemeIcon(run.state === 'running' ? 'loading~spin' : run.state === 'done' ? 'search' : 'warning');
  item.contextValue = 'pivot';
  return item;
}

function hitItem(node: PivotHitNode): vscode.TreeItem {
  const { match, uri } = node;
  const item = new vscode.TreeItem(matchLabel(match), vscode.TreeItemCollapsibleState.None);
  item.id = `pivotHit|${node.runId}|${uri.toString()}|${matchKey(match)}`;
  const time = isoTime(match.event.time) ?? '(no time)';
  item.description = revealBidi(`${node.fields.join(', ')} · ${time} · ${matchShortWhere(displayName(uri), match)}`);
  const md = untrustedMarkdown();
  md.appendMarkdown(`- **in**: ${escapeMarkdown(node.fields.join(', '))}\n- **file**: ${escapeMarkdown(matchWhere(displayName(uri), match))}\n`);
  md.appendMarkdown(`- **event id**: ${escapeMarkdown(String(match.event.eventId ?? '?'))}\n- **time**: ${escapeMarkdown(time)}\n`);
  const cmd = commandLineOf(match);
  if (cmd) md.appendMarkdown(`- **CommandLine**: ${escapeMarkdown(shorten(cmd, 1000))}\n`);
  item.tooltip = md;
  item.iconPath = new vscode.ThemeIcon('symbol-event');
  item.contextValue = ['match', 'pivotHit', ...(cmd ? ['commandLine'] : []), ...(match.event.place ? ['evtx'] : [])].join(' ');
  item.command = { title: 'Open Event', command: OPEN_MATCH_COMMAND, arguments: [node] };
  return item;
}
