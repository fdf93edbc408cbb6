/**
 * The record at a place in a log's text: what the event inspector shows for the cursor. It looks
 * only within a bounded window around the offset (a record is at most tens of KiB in practice),
 * so a file that is one line of hundreds of MB is never searched whole, and reads the record with
 * the hunt's own readers, so its fields have the names a hunt gives them.
 */
import { ParsedRecord, RecordError } from './readers/record';
import { parseXmlRecord } from './readers/xmlRecord';
import { parseJsonRecord } from './readers/jsonShapes';
import { detectShape } from './readers/detect';

/** How far from the offset a record may start or end: 1 MiB each way. */
export const RECORD_WINDOW = 1 << 20;

export interface RecordAt {
  family: 'xml' | 'json';
  /** UTF-16 offsets [start, end) of the record in the text. */
  start: number;
  end: number;
  record: ParsedRecord;
}

export interface RecordAtOptions {
  /** How far from the offset to look (RECORD_WINDOW). */
  window?: number;
  /** The text's family, when the caller knows it (the text may be a window cut from a log); else detected from its head. */
  family?: 'xml' | 'json';
}

/**
 * The record whose text holds `offset` (UTF-16, as a document counts), or undefined when the
 * offset is between records, in a record the readers cannot read, or farther than `window` from
 * its record's ends.
 */
export function recordAt(text: string, offset: number, options: RecordAtOptions = {}): RecordAt | undefined {
  if (offset < 0 || offset > text.length) return undefined;
  const family = options.family ?? detectShape(Buffer.from(text.slice(0, 65536), 'utf8'), true)?.family;
  const window = options.window ?? RECORD_WINDOW;
  const from = Math.max(0, offset - window);
  const to = Math.min(text.length, offset + window);
  if (family === 'xml') return xmlRecordAt(text, offset, from, to);
  if (family === 'json') return jsonRecordAt(text, offset, from, to);
  return undefined;
}

function isTagEnd(c: string | undefined): boolean {
  return c === undefined || c === '>' || c === '/' || c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

function xmlRecordAt(text: string, offset: number, from: number, to: number): RecordAt | undefined {
  // The nearest `<Event` tag at or before the offset (the cursor may sit on its `<`).
  let start = -1;
  for (let i = text.lastIndexOf('<Event', offset); i >= from; i = text.lastIndexOf('<Event', i - 1)) {
    if (isTagEnd(text[i + 6])) {
      start = i;
      break;
    }
    if (i === 0) break;
  }
  if (start < 0) return undefined;
  const close = text.indexOf('</Event>', start);
  if (close < 0 || close + 8 > to || close + 8 <= offset) return undefined;
  const end = close + 8;
  try {
    return { family: 'xml', start, end, record: parseXmlRecord(text.slice(start, end)) };
  } catch (err) {
    if (err instanceof RecordError) return undefined;
    throw err;
  }
}

/** Where the object that opens at `open` closes (just after its `}`), reading strings; -1 if not before `to`. */
function objectEnd(text: string, open: number, to: number): number {
  let depth = 0;
  for (let i = open; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < to && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c /* \ */) i++;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) depth++;
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      if (--depth === 0) return c === 0x7d ? i + 1 : -1;
    }
  }
  return -1;
}

/**
 * The outermost JSON object around the offset that a JSON shape reads as an event. Candidates
 * are the `{` before the offset, nearest first; one inside a string gives an object that fails to
 * parse or closes early, and is passed over.
 */
function jsonRecordAt(text: string, offset: number, from: number, to: number): RecordAt | undefined {
  let found: RecordAt | undefined;
  let start = text[offset] === '{' ? offset : text.lastIndexOf('{', offset - 1);
  for (; start >= from; start = start === 0 ? -1 : text.lastIndexOf('{', start - 1)) {
    const end = objectEnd(text, start, to);
    // A whole object before the record found: the record before it, so no object further back holds the offset as a record.
    if (found && end >= 0 && end <= found.start) break;
    if (end <= offset) continue;
    try {
      found = { family: 'json', start, end, record: parseJsonRecord(text.slice(start, end)).record };
    } catch (err) {
      if (!(err instanceof RecordError)) throw err;
    }
  }
  return found;
}
