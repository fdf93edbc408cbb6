/**
 * Hovering a match in a hunted file (or in its event document) shows the rule behind it (title,
 * level, author credited as DRL 1.1 asks, description, false positives, references), then every
 * field of the event under Sysmon's names. All of it escaped: rules and logs are untrusted text.
 */
import * as vscode from 'vscode';
import { eventFields, Match } from '../engine';
import { EventDocuments } from './event/eventDocuments';
import { escapeMarkdown, untrustedMarkdown } from './markdown';
import { evtxFileOf } from './evtx/evtxDocuments';
import { matchTarget } from './matchPlace';
import { ResultStore } from './resultStore';
import { ruleMarkdown } from './ruleMarkdown';

/** A value in a hover is cut here: a hover is for reading, the event document has it whole. */
const HOVER_VALUE_CHARS = 1_000;

export class MatchHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly store: ResultStore,
    private readonly events: EventDocuments,
  ) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const { matches, range } = this.matchesAt(document, position);
    if (matches.length === 0) return undefined;
    const md = untrustedMarkdown();
    const rules = new Set<string>();
    for (const match of matches) {
      if (rules.has(match.rule.id)) continue;
      if (rules.size > 0) md.appendMarkdown('\n\n---\n\n');
      rules.add(match.rule.id);
      ruleMarkdown(match.rule, md);
    }
    md.appendMarkdown('\n\n---\n\n');
    eventMarkdown(matches[0], md);
    return new vscode.Hover(md, range);
  }

  /** The matches whose value (or event) is at `position`, and the range of the first. */
  private matchesAt(document: vscode.TextDocument, position: vscode.Position): { matches: Match[]; range?: vscode.Range } {
    // An event document shows one match.
    const entry = this.events.entry(document.uri);
    if (entry) {
      if (!entry.match) return { matches: [] };
      const range = this.events.rangeOf(document, entry.match.field);
      return range.contains(position) ? { matches: [entry.match], range } : { matches: [] };
    }
    // A record's XML document shows the matches of its .evtx file.
    const file = this.store.get(evtxFileOf(document.uri) ?? document.uri);
    if (!file) return { matches: [] };
    const here = document.uri.toString();
    const matches: Match[] = [];
    let range: vscode.Range | undefined;
    for (const match of file.result.matches) {
      const target = matchTarget(file.uri, match);
      if (target.uri.toString() !== here) continue;
      const at = target.range(document);
      if (!at.contains(position)) continue;
      range ??= at;
      matches.push(match);
    }
    return { matches, range };
  }
}

/** Every field of the match's event, System then EventData, under Windows' and Sysmon's names; the deciding one marked. */
export function eventMarkdown(match: Match, md = untrustedMarkdown()): vscode.MarkdownString {
  md.appendMarkdown(`**Event** ${escapeMarkdown(`${match.event.eventId ?? '?'}`)}\n\n`);
  for (const { name, value, section } of eventFields(match.event)) {
    const decided = section === 'EventData' && name === match.field ? ' (matched)' : '';
    md.appendMarkdown(`- **${escapeMarkdown(name)}**${decided}: ${escapeMarkdown(value.length > HOVER_VALUE_CHARS ? `${value.slice(0, HOVER_VALUE_CHARS - 1)}…` : value)}\n`);
  }
  return md;
}
