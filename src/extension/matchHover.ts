/**
 * Hovering a match in a hunted file shows the rule behind it: title, level, author (credited,
 * as DRL 1.1 asks), description, false positives and references. The diagnostic's own hover
 * gives one line; this gives the rule, escaped, since rule files are untrusted text.
 */
import * as vscode from 'vscode';
import { RuleInfo } from '../engine';
import { untrustedMarkdown } from './markdown';
import { evtxFileOf } from './evtx/evtxDocuments';
import { matchTarget } from './matchPlace';
import { ResultStore } from './resultStore';
import { ruleMarkdown } from './ruleMarkdown';

export class MatchHoverProvider implements vscode.HoverProvider {
  constructor(private readonly store: ResultStore) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    // A record's XML document shows the matches of its .evtx file.
    const file = this.store.get(evtxFileOf(document.uri) ?? document.uri);
    if (!file) return undefined;
    const here = document.uri.toString();
    const rules = new Map<string, RuleInfo>();
    let range: vscode.Range | undefined;
    for (const match of file.result.matches) {
      const target = matchTarget(file.uri, match);
      if (target.uri.toString() !== here) continue;
      const at = target.range(document);
      if (!at.contains(position)) continue;
      range ??= at;
      rules.set(match.rule.id, match.rule);
    }
    if (rules.size === 0) return undefined;
    const md = untrustedMarkdown();
    for (const [i, rule] of [...rules.values()].entries()) {
      if (i > 0) md.appendMarkdown('\n\n---\n\n');
      ruleMarkdown(rule, md);
    }
    return new vscode.Hover(md, range);
  }
}
