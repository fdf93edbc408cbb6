/**
 * Frames XML logs of every shape (Event Viewer, wevtutil fragments, evtx_dump, python-evtx) into
 * `<Event>...</Event>` records by text search, so the whole file never has to be one document.
 *
 * It searches a latin1 view of the bytes: one byte per character, so string offsets are byte
 * offsets, and V8's string search is much cheaper per call than Buffer.indexOf.
 */
import { Framer, FrameSink, WindowView, isSpace, LOOKAHEAD, MAX_RECORD_BYTES, skipRecordLine, tooLarge } from './framer';

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
  private pos: number;
  /** The open record is over the size cap: it was reported, and its bytes are dropped as they come. */
  private oversized = false;
  /** A garbage line too long to hold is being skipped to its end. */
  private skippingLine = false;
  /** A run of NUL bytes is being skipped; it was reported where it starts. */
  private inNulRun = false;

  /** `start`: the absolute offset of the first byte the framer will see. */
  constructor(
    private readonly maxRecord = MAX_RECORD_BYTES,
    start = 0,
  ) {
    this.pos = start;
  }

  frame(window: WindowView, eof: boolean, sink: FrameSink): number {
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
        this.inNulRun = false;
      }
      // A record cut short swallows the next one up to its close; the reader splits it again
      // (see nestedEventStart), so that only records that fail to parse pay for the check.
      const close = findEventClose(text, this.pos - from);
      // Over the cap, judged on how far the record reaches, never on how the bytes arrived.
      const reached = close < 0 ? base + bytes.length : from + close + CLOSE_LENGTH;
      if (!this.oversized && reached - this.recordStart > this.maxRecord) {
        this.oversized = true;
        sink.malformed(this.recordStart, tooLarge(this.maxRecord));
      }
      if (close < 0) {
        if (eof) {
          if (!this.oversized) sink.malformed(this.recordStart, 'file ends inside an event (truncated?); skipped');
          this.recordStart = -1;
          this.oversized = false;
          this.pos = base + bytes.length;
          return this.pos;
        }
        this.pos = Math.max(this.pos, base + bytes.length - CLOSE_LENGTH);
        return this.oversized ? this.pos : this.recordStart;
      }
      const end = from + close + CLOSE_LENGTH;
      if (this.oversized) {
        this.oversized = false;
        this.recordStart = -1;
        this.pos = end;
        continue;
      }
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
    // Without a whole gap, never consume a `<Event` that may be arriving at the end.
    const keep = complete ? to : Math.max(from, to - OPEN.length);
    let i = from;
    while (i < to) {
      if (this.skippingLine) {
        const nl = bytes.indexOf(0x0a, i);
        if (nl >= 0 && nl < to) {
          this.skippingLine = false;
          i = nl + 1;
          continue;
        }
        if (!complete) return keep;
        this.skippingLine = false; // an event starts: the skip ends there
        return to;
      }
      const b = bytes[i];
      if (b === 0) {
        // A zero-filled stretch (a preallocated file copied in part): one warning for the run.
        if (!this.inNulRun) sink.malformed(base + i, 'NUL bytes between events (a zero-filled gap: a half-copied file?); skipped');
        this.inNulRun = true;
        while (i < to && bytes[i] === 0) i++;
        continue;
      }
      this.inNulRun = false;
      if (isSpace(b)) {
        i++;
        continue;
      }
      const lineEnd = bytes.indexOf(0x0a, i);
      if (b === 0x3c /* < */) {
        // Declarations, comments, DOCTYPE, and the <Events> root of exports are expected here;
        // a "tag" longer than the lookahead is not one of them.
        const close = bytes.indexOf(0x3e, i);
        if (close >= 0 && close < to && close - i <= LOOKAHEAD) {
          i = close + 1;
          continue;
        }
        if (!complete && to - i <= LOOKAHEAD) return i;
      } else {
        if (!complete && (lineEnd < 0 || lineEnd >= to) && to - i <= LOOKAHEAD) return i;
        const afterRecord = skipRecordLine(bytes, i);
        if (afterRecord > 0) {
          i = afterRecord;
          continue;
        }
      }
      sink.malformed(base + i, 'unexpected text between events; skipped');
      if (lineEnd >= 0 && lineEnd < to) i = lineEnd + 1;
      else if (complete) i = to;
      else {
        // The rest of a long line goes as it arrives, up to its newline or the next event.
        this.skippingLine = true;
        return keep;
      }
    }
    return to;
  }
}
