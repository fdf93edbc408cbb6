/**
 * Where a match is. In a text log: a line and column of the file. In a binary `.evtx` file
 * (`event.place` set): a record, whose XML document (evtx/evtxDocuments.ts) shows it. Every
 * face of a match that needs a position branches here, once.
 *
 * Two places: `matchTarget` is the match in its original file (the Problems entries, Reveal in
 * File); `eventTarget` is its event on its own, read-only and pretty (what a click opens).
 */
import * as vscode from 'vscode';
import { EventFormat, Match } from '../engine';
import { EventDocuments } from './event/eventDocuments';
import { rangeInRecord, recordUri } from './evtx/evtxDocuments';
import { matchRange } from './ranges';

/** The document that shows a match, and where in it. */
export interface MatchTarget {
  uri: vscode.Uri;
  /** The range in that document's text. */
  range(document: vscode.TextDocument): vscode.Range;
}

export function matchTarget(file: vscode.Uri, match: Match): MatchTarget {
  const { place } = match.event;
  if (place) return { uri: recordUri(file, place, match.event.recordId), range: (document) => rangeInRecord(document.getText(), match) };
  return { uri: file, range: (document) => document.validateRange(matchRange(match)) };
}

/**
 * The match's event as a document of its own: an `.evtx` record's own pretty XML (which has every
 * System field the record holds), else the event rendered from the match (`loghunt-event`).
 */
export function eventTarget(events: EventDocuments, file: vscode.Uri, match: Match, format: EventFormat): MatchTarget {
  if (match.event.place) return matchTarget(file, match);
  return { uri: events.uriFor(file, match.event, format, match), range: (document) => events.rangeOf(document, match.field) };
}

/** `hex` as the CLI and the engine's messages write offsets. */
function hex(offset: number): string {
  return `0x${offset.toString(16)}`;
}

/** Tells matches of one file apart: `line:column`, or for an `.evtx` the record's offset. */
export function matchKey(match: Match): string {
  const { place } = match.event;
  if (place) return `@${place.offset}`;
  const at = (match.valueRange ?? match.event.range).start;
  return `${at.line}:${at.column}`;
}

/** `name:line:column`, or `name record 9807 (chunk 3, offset 0x31a08)` for an `.evtx`. */
export function matchWhere(name: string, match: Match): string {
  const { place, recordId } = match.event;
  if (place) return `${name} record ${recordId ?? '?'} (chunk ${place.chunk}, offset ${hex(place.offset)}${place.recovered ? ', recovered from a damaged chunk' : ''})`;
  const at = (match.valueRange ?? match.event.range).start;
  return `${name}:${at.line}:${at.column}`;
}
