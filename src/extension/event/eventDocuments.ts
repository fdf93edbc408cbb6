/**
 * A matched event as a read-only document (scheme `loghunt-event`): its fields under Sysmon's
 * names as pretty XML (XML logs) or JSON (JSON logs), rendered by the engine from what the match
 * holds (eventDocument.ts). The original file is never opened, so this works for a file of any
 * size or shape, and a whole-file-on-one-line log shows its event on a few dozen short lines.
 * The path ends in `.xml` or `.json`, so VS Code highlights it; while such a document is open, a
 * diagnostic marks the value that decided the match. `.evtx` matches keep their record's own XML
 * (evtx/evtxDocuments.ts), which `eventTarget` (matchPlace.ts) chooses.
 */
import * as vscode from 'vscode';
import { EventDocument, EventFormat, Match, renderEvent } from '../../engine';
import { matchMessage } from '../diagnostics';
import { LEVEL_SEVERITY } from '../levels';
import { ruleTarget } from '../ruleLinks';

export const EVENT_SCHEME = 'loghunt-event';
/** Not `Log Hunt`: these entries come and go with the document and are not a hunt's results. */
export const EVENT_DIAGNOSTIC_SOURCE = 'Log Hunt (event)';
/** Events kept for their documents: enough for every row of a large results tree to be reopened. */
const MAX_EVENTS = 20_000;

/** What an event document shows: the event, where it came from, and the match that led to it (if any). */
export interface EventEntry {
  file: vscode.Uri;
  event: Match['event'];
  format: EventFormat;
  match?: Match;
}

/** The format of a hunted file's events: a summary's `json: …` is JSON, anything else XML; else by file name. */
export function eventFormatOf(file: vscode.Uri, summaryFormat?: string): EventFormat {
  if (summaryFormat !== undefined) return summaryFormat.startsWith('json') ? 'json' : 'xml';
  return /\.(json|jsonl|ndjson)$/i.test(file.path) ? 'json' : 'xml';
}

/** A short, stable name for an event within its file: its record id, else where it starts. */
function eventName(event: Match['event']): string {
  if (event.recordId !== undefined && /^\d+$/.test(event.recordId)) return `record-${event.recordId}`;
  return `line-${event.range.start.line}-${event.range.start.column}`;
}

export class EventDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly entries = new Map<string, EventEntry>();
  private readonly rendered = new Map<string, EventDocument>();
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('logHunt.event');
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      this.diagnostics,
      vscode.workspace.onDidOpenTextDocument((d) => this.mark(d.uri)),
      vscode.workspace.onDidCloseTextDocument((d) => this.diagnostics.delete(d.uri)),
      // A closed editor's document lives on for a while; its tab going is what the hunter sees.
      vscode.window.tabGroups.onDidChangeTabs(() => this.unmarkHidden()),
    ];
  }

  /** The document of `event` of `file`, registered so it can be (re)opened; `match` marks its value. */
  uriFor(file: vscode.Uri, event: Match['event'], format: EventFormat, match?: Match): vscode.Uri {
    const rule = match ? `&rule=${encodeURIComponent(match.rule.id)}` : '';
    const uri = vscode.Uri.from({
      scheme: EVENT_SCHEME,
      path: `${file.path}.${eventName(event)}.${format}`,
      query: `file=${encodeURIComponent(file.toString())}&at=${event.range.start.line}:${event.range.start.column}${rule}`,
    });
    const key = uri.toString();
    this.entries.delete(key);
    this.entries.set(key, { file, event, format, match });
    while (this.entries.size > MAX_EVENTS) {
      const oldest = this.entries.keys().next().value!;
      this.entries.delete(oldest);
      this.rendered.delete(oldest);
    }
    return uri;
  }

  /** The event an event document shows, while it is known. */
  entry(uri: vscode.Uri): EventEntry | undefined {
    return uri.scheme === EVENT_SCHEME ? this.entries.get(uri.toString()) : undefined;
  }

  /** The rendered text and value spans of an event document. */
  rendering(uri: vscode.Uri): EventDocument | undefined {
    const key = uri.toString();
    let doc = this.rendered.get(key);
    if (doc) return doc;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    doc = renderEvent(entry.event, entry.format);
    this.rendered.set(key, doc);
    return doc;
  }

  /** Where a field's value is in the event document (0-based), or its first line when it is not there. */
  rangeOf(document: vscode.TextDocument, field: string | undefined): vscode.Range {
    const span = field !== undefined ? this.rendering(document.uri)?.locate(field) : undefined;
    if (span) return new vscode.Range(document.positionAt(span[0]), document.positionAt(span[1]));
    return document.lineAt(0).range;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const doc = this.rendering(uri);
    if (doc) return doc.text;
    // After a reload the registry is empty: say how to get the event back.
    return uri.path.endsWith('.json')
      ? '{ "Log Hunt": "This event is no longer known: hunt its file again and open it from the results." }\n'
      : '<!-- Log Hunt: this event is no longer known: hunt its file again and open it from the results. -->\n';
  }

  /** Puts the match's diagnostic on its open event document, at the deciding value. */
  mark(uri: vscode.Uri): void {
    const entry = this.entry(uri);
    const match = entry?.match;
    if (!match) return;
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!document) return;
    const diagnostic = new vscode.Diagnostic(this.rangeOf(document, match.field), matchMessage(match), LEVEL_SEVERITY[match.rule.level]);
    diagnostic.source = EVENT_DIAGNOSTIC_SOURCE;
    diagnostic.code = { value: match.rule.id, target: ruleTarget(match.rule) };
    this.diagnostics.set(uri, [diagnostic]);
  }

  /** Removes the marks of event documents no tab shows any more. */
  private unmarkHidden(): void {
    const shown = new Set<string>();
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs) if (tab.input instanceof vscode.TabInputText) shown.add(tab.input.uri.toString());
    }
    this.diagnostics.forEach((uri) => {
      if (!shown.has(uri.toString())) this.diagnostics.delete(uri);
    });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
