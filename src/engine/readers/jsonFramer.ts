/**
 * Frames JSON logs into one record per top-level object: NDJSON, concatenated pretty objects
 * (with or without evtx_dump's `Record N` lines) and arrays, which are streamed, never parsed whole.
 */
import { ByteWindow } from '../window';
import { Framer, FrameSink, isSpace, skipRecordLine } from './framer';

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const NEWLINE = 0x0a;

export class JsonFramer implements Framer {
  private recordStart = -1;
  private pos = 0;
  // Depth-scan state, kept so that a record arriving in many chunks is scanned once.
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** While the record's first line is still arriving: where to resume looking for its end. */
  private lineScan = -1;

  frame(window: ByteWindow, eof: boolean, sink: FrameSink): number {
    const bytes = window.bytes;
    const base = window.base;
    // A latin1 view from where scanning resumes: cheap newline searches, and records handed on
    // as slices of it instead of one new string each.
    const from = this.recordStart < 0 ? this.pos : Math.max(this.pos, this.lineScan);
    const text = bytes.toString('latin1', from - base);
    const emit = (end: number) => {
      const start = this.recordStart;
      const latin1 = start >= from ? text.substring(start - from, end - from) : bytes.toString('latin1', start - base, end - base);
      this.recordStart = -1;
      this.pos = end;
      sink.record(start, end, latin1);
    };
    for (;;) {
      if (this.recordStart < 0) {
        const start = this.skipFiller(bytes, this.pos - base, eof, sink, base);
        if (start < 0) return this.pos;
        this.recordStart = base + start;
        this.pos = this.recordStart;
        this.depth = 0;
        this.inString = false;
        this.escaped = false;
        this.lineScan = this.recordStart;
      }
      if (this.lineScan >= 0) {
        // Decide on whole lines only, so the framing never depends on chunk sizes.
        const nlInText = text.indexOf('\n', this.lineScan - from);
        const nl = nlInText < 0 ? -1 : nlInText + from - base;
        if (nl < 0 && !eof) {
          this.lineScan = base + bytes.length;
          return this.recordStart;
        }
        this.lineScan = -1;
        const end = lineRecordEnd(bytes, this.recordStart - base, nl < 0 ? bytes.length : nl);
        if (end > 0) {
          emit(base + end);
          continue;
        }
      }
      const end = this.scan(bytes, this.pos - base);
      if (end < 0) {
        this.pos = base + bytes.length;
        if (!eof) return this.recordStart;
        sink.malformed(this.recordStart, 'file ends inside a JSON object (truncated?); skipped');
        this.recordStart = -1;
        return this.pos;
      }
      emit(base + end);
    }
  }

  /**
   * Skips whitespace, commas, array brackets and `Record N` lines; reports anything else as
   * malformed. Returns the relative index of the next `{`, or -1 when more bytes are needed.
   */
  private skipFiller(bytes: Buffer, i: number, eof: boolean, sink: FrameSink, base: number): number {
    while (i < bytes.length) {
      const b = bytes[i];
      if (b === OPEN_BRACE) return i;
      if (isSpace(b) || b === COMMA || b === OPEN_BRACKET || b === CLOSE_BRACKET) {
        i++;
        continue;
      }
      const lineEnd = bytes.indexOf(NEWLINE, i);
      if (lineEnd < 0 && !eof) break; // judge the line once it is whole
      const afterRecord = skipRecordLine(bytes, i);
      if (afterRecord > 0) {
        i = afterRecord;
        continue;
      }
      sink.malformed(base + i, 'unexpected text between JSON objects; skipped to the next line');
      i = lineEnd < 0 ? bytes.length : lineEnd + 1;
    }
    this.pos = base + i;
    return -1;
  }

  /** Continues the depth scan from relative index i; returns the record's relative end or -1. */
  private scan(bytes: Buffer, i: number): number {
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    const n = bytes.length;
    for (; i < n; i++) {
      const b = bytes[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (b === BACKSLASH) escaped = true;
        else if (b === QUOTE) inString = false;
        continue;
      }
      if (b === QUOTE) inString = true;
      else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
      else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        if (--depth === 0) return i + 1;
      }
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    return -1;
  }
}

/**
 * NDJSON fast path: when the object's line ends in `}`, the line is the record, found by one
 * native newline search instead of a byte-by-byte scan. Returns the relative end, or -1.
 */
function lineRecordEnd(bytes: Buffer, start: number, lineEnd: number): number {
  let last = lineEnd - 1;
  while (last > start && isSpace(bytes[last])) last--;
  return bytes[last] === CLOSE_BRACE && last > start ? last + 1 : -1;
}
