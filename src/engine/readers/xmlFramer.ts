/**
 * Frames XML logs of every shape (Event Viewer, wevtutil fragments, evtx_dump, python-evtx) into
 * `<Event>...</Event>` records by text search, so the whole file never has to be one document.
 *
 * It searches a latin1 view of the bytes: one byte per character, so string offsets are byte
 * offsets, and V8's string search is much cheaper per call than Buffer.indexOf.
 */
import { ByteWindow } from '../window';
import { Framer, FrameSink, isSpace, skipRecordLine } from './framer';

const OPEN = '<Event';
/** `Event>` begins with a rarer character than `</Event>`, so it is found several times faster. */
const CLOSE_TAIL = 'Event>';
const CLOSE_LENGTH = '</Event>'.length;

/** Is the character after `<Event` the end of the tag name (so not `<Events>` or `<EventData>`)? */
function endsTagName(c: number): boolean {
  return isSpace(c) || c === 0x3e /* > */ || c === 0x2f /* / */;
}

/** First `<Event` tag start in text[from, to), -1 if none, or -2 if the answer needs more text. */
export function findEventStart(text: string, from: number, to = text.length): number {
  for (let i = text.indexOf(OPEN, from); i >= 0 && i < to; i = text.indexOf(OPEN, i + 1)) {
    if (i + OPEN.length >= text.length) return -2;
    if (endsTagName(text.charCodeAt(i + OPEN.length))) return i;
  }
  return -1;
}

/** Index of the first `</Event>` at or after `from`, or -1. */
function findEventClose(text: string, from: number): number {
  for (let i = text.indexOf(CLOSE_TAIL, from + 2); i >= 0; i = text.indexOf(CLOSE_TAIL, i + 1)) {
    if (text.charCodeAt(i - 1) === 0x2f /* / */ && text.charCodeAt(i - 2) === 0x3c /* < */) return i - 2;
  }
  return -1;
}

/** Where a second event starts inside the latin1 text of a framed record, or -1. */
export function nestedEventStart(record: string): number {
  const at = findEventStart(record, OPEN.length);
  return at >= 0 ? at : -1;
}

export class XmlFramer implements Framer {
  /** Absolute start of the open record, or -1. */
  private recordStart = -1;
  /** Absolute offset where scanning resumes. */
  private pos = 0;

  frame(window: ByteWindow, eof: boolean, sink: FrameSink): number {
    const bytes = window.bytes;
    const base = window.base;
    // Text from where scanning resumes; an open record's start may lie before it.
    const from = this.pos;
    const text = bytes.toString('latin1', from - base);
    for (;;) {
      if (this.recordStart < 0) {
        const start = findEventStart(text, this.pos - from);
        const complete = start >= 0 || (start === -1 && eof);
        const gapEnd = start >= 0 ? start + from - base : bytes.length;
        const judged = this.judgeGap(bytes, this.pos - base, gapEnd, complete, sink, base);
        if (start < 0) {
          // Keep what could not be judged yet; a partial `<Event` at the end is an unclosed tag, so it is kept.
          this.pos = base + judged;
          return this.pos;
        }
        this.recordStart = from + start;
        this.pos = this.recordStart + OPEN.length;
      }
      // A record cut short swallows the next one up to its close; the reader splits it again
      // (see nestedEventStart), so that only records that fail to parse pay for the check.
      const close = findEventClose(text, this.pos - from);
      if (close < 0) {
        if (eof) {
          sink.malformed(this.recordStart, 'file ends inside an event (truncated?); skipped');
          this.recordStart = -1;
          this.pos = base + bytes.length;
          return this.pos;
        }
        this.pos = Math.max(this.pos, base + bytes.length - CLOSE_LENGTH);
        return this.recordStart;
      }
      const end = from + close + CLOSE_LENGTH;
      const recordText =
        this.recordStart >= from
          ? text.substring(this.recordStart - from, end - from)
          : bytes.toString('latin1', this.recordStart - base, end - base);
      sink.record(this.recordStart, end, recordText);
      this.recordStart = -1;
      this.pos = end;
    }
  }

  /**
   * Reports text between events that no XML log shape puts there. Returns where judging stopped:
   * `to`, or the start of an item (tag or line) that has not fully arrived unless `complete`.
   */
  private judgeGap(bytes: Buffer, from: number, to: number, complete: boolean, sink: FrameSink, base: number): number {
    let i = from;
    while (i < to) {
      const b = bytes[i];
      if (isSpace(b)) {
        i++;
        continue;
      }
      const lineEnd = bytes.indexOf(0x0a, i);
      if (b === 0x3c /* < */) {
        // Declarations, comments, DOCTYPE, and the <Events> root of exports are expected here.
        const close = bytes.indexOf(0x3e, i);
        if (close >= 0 && close < to) {
          i = close + 1;
          continue;
        }
        if (!complete) return i;
      } else {
        if (!complete && (lineEnd < 0 || lineEnd >= to)) return i;
        const afterRecord = skipRecordLine(bytes, i);
        if (afterRecord > 0) {
          i = afterRecord;
          continue;
        }
      }
      sink.malformed(base + i, 'unexpected text between events; skipped');
      i = lineEnd < 0 || lineEnd >= to ? to : lineEnd + 1;
    }
    return to;
  }
}
