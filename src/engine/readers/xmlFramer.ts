/**
 * Frames XML logs of every shape (Event Viewer, wevtutil fragments, evtx_dump, python-evtx) into
 * `<Event>...</Event>` records by byte search, so the whole file never has to be one document.
 */
import { ByteWindow } from '../window';
import { Framer, FrameSink, isSpace, skipRecordLine } from './framer';

const OPEN = Buffer.from('<Event');
const CLOSE = Buffer.from('</Event>');

/** Is the byte after `<Event` the end of the tag name (so not `<Events>` or `<EventData>`)? */
function endsTagName(b: number): boolean {
  return isSpace(b) || b === 0x3e /* > */ || b === 0x2f /* / */;
}

/** First `<Event` tag start in bytes[from, to), -1 if none, or -2 if the answer needs more bytes. */
export function findEventStart(bytes: Buffer, from: number, to: number): number {
  const view = bytes.subarray(0, to);
  for (let i = view.indexOf(OPEN, from); i >= 0; i = view.indexOf(OPEN, i + 1)) {
    if (i + OPEN.length >= bytes.length) return -2;
    if (endsTagName(bytes[i + OPEN.length])) return i;
  }
  return -1;
}

/** Where a second event starts inside a framed record, relative to `bytes`, or -1. */
export function nestedEventStart(bytes: Buffer, start: number, end: number): number {
  const at = findEventStart(bytes, start + OPEN.length, end);
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
    for (;;) {
      if (this.recordStart < 0) {
        const start = findEventStart(bytes, this.pos - base, bytes.length);
        const complete = start >= 0 || (start === -1 && eof);
        const gapEnd = start >= 0 ? start : bytes.length;
        const judged = this.judgeGap(bytes, this.pos - base, gapEnd, complete, sink, base);
        if (start < 0) {
          // Keep what could not be judged yet; a partial `<Event` at the end is an unclosed tag, so it is kept.
          this.pos = base + judged;
          return this.pos;
        }
        this.recordStart = base + start;
        this.pos = this.recordStart + OPEN.length;
      }
      // A record cut short swallows the next one up to its close; the reader splits it again
      // (see splitNestedEvent), so that only records that fail to parse pay for the check.
      const close = bytes.indexOf(CLOSE, this.pos - base);
      if (close < 0) {
        if (eof) {
          sink.malformed(this.recordStart, 'file ends inside an event (truncated?); skipped');
          this.recordStart = -1;
          this.pos = base + bytes.length;
          return this.pos;
        }
        this.pos = Math.max(this.pos, base + bytes.length - CLOSE.length);
        return this.recordStart;
      }
      const end = close + CLOSE.length;
      sink.record(this.recordStart, base + end);
      this.recordStart = -1;
      this.pos = base + end;
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
