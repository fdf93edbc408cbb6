/**
 * Frames JSON logs into one record per top-level object: NDJSON, concatenated pretty objects
 * (with or without evtx_dump's `Record N` lines) and arrays, which are streamed, never parsed whole.
 */
import { Framer, FrameSink, WindowView, isSpace, LOOKAHEAD, MAX_RECORD_BYTES, skipRecordLine, tooLarge } from './framer';

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const COLON = 0x3a;

export class JsonFramer implements Framer {
  private recordStart = -1;
  private pos: number;
  // Depth-scan state, kept so that a record arriving in many chunks is scanned once.
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The last byte outside strings that was not white space; and whether only spaces followed a newline. */
  private last = 0;
  private atLineStart = false;
  /** Where the current line starts (absolute), and whether anything but white space precedes on it. */
  private lineBegin = 0;
  private lineDirty = false;
  /** The column of the record's `{` when it opens its line, else -1: a `{` opening a line at that column is the next record. */
  private recordIndent = -1;
  /** Per depth, 1 when that container is an array: after `,` only an array takes a value. */
  private kinds = new Uint8Array(64);
  /** Where the scan cut a record short: the absolute offset of the `{` that starts the next one. */
  private cutAt = -1;
  /** While the record's first line is still arriving: where to resume looking for its end. */
  private lineScan = -1;
  /** The last newline found (absolute), and the offset up to which no later one exists. */
  private newline = -1;
  private searchedTo = 0;
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
    this.lineBegin = start;
  }

  private startRecord(at: number): void {
    this.recordStart = at;
    this.pos = at;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.last = 0;
    this.atLineStart = false;
    this.inNulRun = false;
    this.recordIndent = this.lineDirty ? -1 : at - this.lineBegin;
    // The one-line shortcut only for a record that opens its line (NDJSON): on `[{...},{...}}`,
    // a line ending in `}` is not one record.
    this.lineScan = this.recordIndent >= 0 ? at : -1;
  }

  /** The first newline at or after `at` (absolute) in the view, or -1; searches each byte once across records. */
  private nextNewline(text: string, from: number, at: number): number {
    if (this.newline >= at) return this.newline;
    const found = text.indexOf('\n', Math.max(at, this.searchedTo) - from);
    if (found < 0) {
      this.searchedTo = from + text.length;
      return -1;
    }
    this.newline = from + found;
    this.searchedTo = this.newline + 1;
    return this.newline;
  }

  frame(window: WindowView, eof: boolean, sink: FrameSink): number {
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
      this.lineDirty = true;
      this.pos = end;
      sink.record(start, end, latin1);
    };
    for (;;) {
      if (this.recordStart < 0) {
        const start = this.skipFiller(bytes, this.pos - base, eof, sink, base);
        if (start < 0) return this.pos;
        this.startRecord(base + start);
      }
      if (this.lineScan >= 0) {
        // Decide on whole lines only, so the framing never depends on chunk sizes; a line longer
        // than the lookahead is depth-scanned instead of held.
        const nl = this.nextNewline(text, from, this.recordStart);
        const lineEnd = nl >= 0 ? nl : eof ? base + bytes.length : -1;
        if (lineEnd < 0 && base + bytes.length - this.recordStart <= LOOKAHEAD) {
          this.lineScan = base + bytes.length;
          return this.recordStart;
        }
        this.lineScan = -1;
        if (lineEnd >= 0 && lineEnd - this.recordStart <= LOOKAHEAD) {
          const end = lineRecordEnd(bytes, this.recordStart - base, lineEnd - base);
          if (end > 0) {
            emit(base + end);
            continue;
          }
        }
      }
      const end = this.scan(bytes, this.pos - base, base);
      // Over the cap, judged on how far the record reaches, never on how the bytes arrived.
      const reached = end >= 0 ? base + end : end === -2 ? this.cutAt : base + bytes.length;
      if (!this.oversized && reached - this.recordStart > this.maxRecord) {
        this.oversized = true;
        sink.malformed(this.recordStart, tooLarge(this.maxRecord));
      }
      if (end === -1) {
        this.pos = base + bytes.length;
        if (!eof) return this.oversized ? this.pos : this.recordStart;
        if (!this.oversized) sink.malformed(this.recordStart, 'file ends inside a JSON object (truncated?); skipped');
        this.recordStart = -1;
        this.oversized = false;
        return this.pos;
      }
      if (end === -2) {
        if (!this.oversized) sink.malformed(this.recordStart, 'JSON object not closed before the next object starts; skipped');
        this.oversized = false;
        this.startRecord(this.cutAt);
        continue;
      }
      if (this.oversized) {
        this.oversized = false;
        this.recordStart = -1;
        this.pos = base + end;
        continue;
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
      if (this.skippingLine) {
        const nl = bytes.indexOf(NEWLINE, i);
        if (nl < 0) {
          i = bytes.length;
          break;
        }
        this.skippingLine = false;
        i = nl + 1;
        this.lineBegin = base + i;
        this.lineDirty = false;
        continue;
      }
      const b = bytes[i];
      if (b === 0) {
        this.lineDirty = true;
        // A zero-filled stretch (a preallocated file copied in part): one warning for the run.
        if (!this.inNulRun) sink.malformed(base + i, 'NUL bytes between JSON objects (a zero-filled gap: a half-copied file?); skipped');
        this.inNulRun = true;
        while (i < bytes.length && bytes[i] === 0) i++;
        continue;
      }
      this.inNulRun = false;
      if (b === OPEN_BRACE) return i;
      if (isSpace(b) || b === COMMA || b === OPEN_BRACKET || b === CLOSE_BRACKET) {
        if (b === NEWLINE) {
          this.lineBegin = base + i + 1;
          this.lineDirty = false;
        } else if (!isSpace(b)) this.lineDirty = true;
        i++;
        continue;
      }
      this.lineDirty = true;
      const lineEnd = bytes.indexOf(NEWLINE, i);
      // Judge the line once it is whole, or once the lookahead is full (a long line is garbage anyway).
      if (lineEnd < 0 && !eof && bytes.length - i <= LOOKAHEAD) break;
      const afterRecord = skipRecordLine(bytes, i);
      if (afterRecord > 0) {
        i = afterRecord;
        continue;
      }
      sink.malformed(base + i, 'unexpected text between JSON objects; skipped to the next line');
      if (lineEnd >= 0) {
        i = lineEnd + 1;
        this.lineBegin = base + i;
        this.lineDirty = false;
      } else {
        // The rest of the line goes as it arrives.
        this.skippingLine = !eof;
        i = bytes.length;
      }
    }
    this.pos = base + i;
    return -1;
  }

  /**
   * Continues the depth scan from relative index i; returns the record's relative end, -1 when
   * more bytes are needed, or -2 when the record was cut short (the next one starts at `cutAt`).
   *
   * Two resyncs keep one broken record from swallowing the rest of the file: a raw newline ends a
   * string (JSON strings cannot hold one), and a line that starts with `{` where no value may
   * start (only after `[`, `:`, or `,` in an array may one) starts the next record. Neither happens
   * in valid JSON. In an indented array, a line-opening `{` at the record's own column is the next record too:
   * printers indent nested values deeper.
   */
  private scan(bytes: Buffer, i: number, base: number): number {
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    let last = this.last;
    let atLineStart = this.atLineStart;
    let lineBegin = this.lineBegin;
    const n = bytes.length;
    for (; i < n; i++) {
      const b = bytes[i];
      if (inString) {
        if (b === NEWLINE) {
          inString = false;
          escaped = false;
          atLineStart = true;
          lineBegin = base + i + 1;
          last = QUOTE;
        } else if (escaped) escaped = false;
        else if (b === BACKSLASH) escaped = true;
        else if (b === QUOTE) inString = false;
        continue;
      }
      if (b === NEWLINE) {
        atLineStart = true;
        lineBegin = base + i + 1;
        continue;
      }
      if (isSpace(b)) continue;
      if (
        atLineStart &&
        b === OPEN_BRACE &&
        ((last !== OPEN_BRACKET && last !== COLON && !(last === COMMA && this.kinds[depth] === 1)) ||
          (this.recordIndent > 0 && base + i - lineBegin === this.recordIndent))
      ) {
        this.cutAt = base + i;
        this.lineBegin = lineBegin;
        this.lineDirty = false;
        return -2;
      }
      atLineStart = false;
      last = b;
      if (b === QUOTE) inString = true;
      else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
        if (++depth >= this.kinds.length) {
          const grown = new Uint8Array(this.kinds.length * 2);
          grown.set(this.kinds);
          this.kinds = grown;
        }
        this.kinds[depth] = b === OPEN_BRACKET ? 1 : 0;
      } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        if (--depth === 0) {
          this.lineBegin = lineBegin;
          this.lineDirty = true;
          return i + 1;
        }
      }
    }
    this.lineBegin = lineBegin;
    this.lineDirty = !atLineStart;
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    this.last = last;
    this.atLineStart = atLineStart;
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
