/**
 * A rule described for a tooltip or a hover. Rule files are as untrusted as logs (anyone can
 * hand a hunter a rule folder): every field is escaped into an untrusted MarkdownString. The
 * author is always shown, because SigmaHQ's Detection Rule License (DRL 1.1) asks for credit.
 */
import * as vscode from 'vscode';
import { RuleInfo } from '../engine';
import { escapeMarkdown, untrustedMarkdown } from './markdown';

/** The rule's source for people: `built-in MITRE CAR`, or its file. */
export function ruleSourceLabel(rule: RuleInfo): string {
  return rule.kind === 'car' ? 'built-in MITRE CAR' : vscode.workspace.asRelativePath(rule.source, true);
}

/** A web link for an http(s) reference; anything else stays literal text. */
function reference(text: string): string {
  if (!/^https?:\/\/[^\s]+$/i.test(text)) return escapeMarkdown(text);
  // encodeURI leaves ( ) alone, and either would end the link destination early.
  const target = encodeURI(text).replace(/\(/g, '%28').replace(/\)/g, '%29');
  return `[${escapeMarkdown(text)}](${target})`;
}

/** Appends the rule's description to `md` (a new untrusted one by default) and returns it. */
export function ruleMarkdown(rule: RuleInfo, md: vscode.MarkdownString = untrustedMarkdown()): vscode.MarkdownString {
  md.appendMarkdown(`**${escapeMarkdown(rule.title)}**\n\n`);
  const facts: [string, string | undefined][] = [
    ['id', rule.id],
    ['level', rule.level],
    ['status', rule.status],
    ['author', rule.author],
    ['ATT&CK', rule.attack.length > 0 ? rule.attack.join(', ') : undefined],
    ['tactics', rule.tactics.length > 0 ? rule.tactics.join(', ') : undefined],
    ['source', ruleSourceLabel(rule)],
  ];
  for (const [name, value] of facts) {
    if (value !== undefined && value !== '') md.appendMarkdown(`- ${escapeMarkdown(name)}: ${escapeMarkdown(value)}\n`);
  }
  if (rule.description) md.appendMarkdown(`\n${escapeMarkdown(rule.description)}\n`);
  if (rule.falsepositives.length > 0) {
    md.appendMarkdown('\n**False positives**\n\n');
    for (const fp of rule.falsepositives) md.appendMarkdown(`- ${escapeMarkdown(fp)}\n`);
  }
  if (rule.references.length > 0) {
    md.appendMarkdown('\n**References**\n\n');
    for (const r of rule.references) md.appendMarkdown(`- ${reference(r)}\n`);
  }
  return md;
}
