/**
 * The Event view (`logHunt.event`, beside Results): every field of one event as name/value rows,
 * System then EventData, with Copy Value and Pivot on each row. It follows the cursor in a hunted
 * log, an event document or an `.evtx` record's XML, and the match selected in the results tree.
 * The record under the cursor is found by the engine's `recordAt` in a window of the document's
 * text around the cursor, never the whole text, so a one-line log of tens of MB stays cheap.
 */
import * as vscode from 'vscode';
import { EventField, eventFields, EventLike, Match, RECORD_WINDOW, recordAt } from '../../engine';
import { EVTX_SCHEME } from '../evtx/evtxDocuments';
import { escapeMarkdown, revealBidi, shorten, untrustedMarkdown } from '../markdown';
import { ResultStore } from '../resultStore';
import { displayName } from '../resultsTree';
import { EventDocuments } from './eventDocuments';

export const EVENT_VIEW_ID = 'logHunt.event';
export const COPY_VALUE_COMMAND = 'logHunt.copyFieldValue';
export const INSPECT_MATCH_COMMAND = 'logHunt.inspectMatch';

/** One row: a field of the inspected event. */
export interface FieldRow extends EventField {
  kind: 'field';
  /** The field that decided the match being inspected. */
  matched: boolean;
}

/** What the view shows: an event, where it is from, and which field decided its match. */
export interface Inspected {
  title: string;
  event: EventLike;
  field?: string;
}

export class EventInspector implements vscode.TreeDataProvider<FieldRow>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<FieldRow | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private shown?: Inspected;
  private rows: FieldRow[] = [];
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer?: ReturnType<typeof setTimeout>;
  private readonly shownEmitter = new vscode.EventEmitter<Inspected | undefined>();
  /** Fires when the view shows another event (the tests wait on it). */
  readonly onDidShow = this.shownEmitter.event;

  constructor(
    private readonly store: ResultStore,
    private readonly events: EventDocuments,
  ) {
    this.subscriptions.push(
      this.changed,
      this.shownEmitter,
      vscode.window.onDidChangeTextEditorSelection((e) => this.followSoon(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((e) => e && this.followSoon(e)),
    );
  }

  get current(): Inspected | undefined {
    return this.shown;
  }

  /** The rows shown, in order. */
  fields(): readonly FieldRow[] {
    return this.rows;
  }

  show(inspected: Inspected | undefined): void {
    this.shown = inspected;
    this.rows = inspected ? eventFields(inspected.event).map((f) => ({ ...f, kind: 'field', matched: f.section === 'EventData' && f.name === inspected.field })) : [];
    this.changed.fire(undefined);
    this.shownEmitter.fire(inspected);
  }

  /** Shows a match's event: a results row, a pivot's event, or an event document's. */
  showMatch(node: { uri: vscode.Uri; match: Pick<Match, 'event' | 'field'> } | undefined): Inspected | undefined {
    if (!node?.match) return undefined;
    const { match, uri } = node;
    const where = match.event.recordId !== undefined ? `record ${match.event.recordId}` : `line ${match.event.range.start.line}`;
    this.show({ title: `${displayName(uri)} ${where}`, event: match.event, field: match.field });
    return this.shown;
  }

  private followSoon(editor: vscode.TextEditor): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.follow(editor);
    }, 100);
  }

  /** Shows the event at the editor's cursor, when its document is one the view follows. */
  follow(editor: vscode.TextEditor): Inspected | undefined {
    const { document } = editor;
    const entry = this.events.entry(document.uri);
    if (entry) {
      return this.showMatch({ uri: entry.file, match: entry.match ?? { event: entry.event } });
    }
    if (!this.follows(document)) return undefined;
    const found = eventAt(document, editor.selection.active);
    if (!found) return undefined;
    this.show({ title: `${displayName(document.uri)} line ${editor.selection.active.line + 1}`, event: found.record });
    return this.shown;
  }

  /** A hunted file, or an `.evtx` record or chunk document. */
  private follows(document: vscode.TextDocument): boolean {
    return document.uri.scheme === EVTX_SCHEME || this.store.get(document.uri) !== undefined;
  }

  getTreeItem(row: FieldRow): vscode.TreeItem {
    const item = new vscode.TreeItem(row.name, vscode.TreeItemCollapsibleState.None);
    item.id = `${row.section}|${row.name}`;
    item.description = revealBidi(shorten(row.value, 300)) || '(empty)';
    const md = untrustedMarkdown();
    md.appendMarkdown(`**${escapeMarkdown(row.name)}** (${row.section}${row.matched ? ', matched' : ''})\n\n${escapeMarkdown(row.value)}`);
    item.tooltip = md;
    item.iconPath = new vscode.ThemeIcon(row.matched ? 'target' : row.section === 'System' ? 'symbol-property' : 'symbol-field');
    item.contextValue = 'eventField';
    return item;
  }

  getChildren(row?: FieldRow): FieldRow[] {
    return row ? [] : this.rows;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
  }
}

/**
 * The record at `position`: `recordAt` over a window of the document around it (the window's
 * offsets are shifted back to the document's), the family detected from the document's head.
 */
export function eventAt(document: vscode.TextDocument, position: vscode.Position): { record: EventLike; start: number; end: number; locate(field: string): [number, number] | undefined } | undefined {
  const offset = document.offsetAt(position);
  const from = Math.max(0, offset - RECORD_WINDOW);
  const to = offset + RECORD_WINDOW;
  const text = document.getText(new vscode.Range(document.positionAt(from), document.positionAt(to)));
  const head = from === 0 ? text : document.getText(new vscode.Range(new vscode.Position(0, 0), document.positionAt(65_536)));
  const found = recordAt(text, offset - from, { family: familyOf(head) });
  if (!found) return undefined;
  const { record } = found;
  return {
    record,
    start: from + found.start,
    end: from + found.end,
    locate: (field) => {
      const span = record.locate(field);
      return span && [from + found.start + span[0], from + found.start + span[1]];
    },
  };
}

/** XML or JSON, from the first character that is not a space or an evtx_dump `Record N` line. */
function familyOf(head: string): 'xml' | 'json' | undefined {
  const m = /^(?:\s|Record \d+)*([<{[])/.exec(head);
  return m ? (m[1] === '<' ? 'xml' : 'json') : undefined;
}
