/**
 * Reads back what a lean lineage index left out (image, command line, user, time, record id) for the
 * few processes that end up in some match's lineage: the one record at its place, through the
 * normal readers. A text log's record is its bytes [byteOffset, byteOffset + byteLength); an
 * `.evtx` record is read from its chunk (64 KiB, which holds its templates). Synchronous, so the
 * index's lineageOf stays synchronous; files stay open until `close`.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { quickXmlProcessRecord } from './lineage';
import { CHUNK_SIZE, chunkNumberAt, decodeRecord, EvtxChunk, FILE_HEADER_SIZE, readChunk, TemplateCache } from './readers/evtx';
import { parseJsonRecord } from './readers/jsonShapes';
import { ParsedRecord, RecordError } from './readers/record';
import { parseXmlRecord } from './readers/xmlRecord';

/** The one EventID an XML process create holds, plainly written. */
const CREATE = /<EventID>1<\/EventID>/;

const BEYOND_ASCII = /[^\x00-\x7f]/;

/** Are all of a quick-read record's values ASCII (so the same in a latin1 view as decoded)? */
function asciiOnly(record: ParsedRecord): boolean {
  for (const value of [record.provider, record.channel, record.recordId, record.time, record.computer]) if (value !== undefined && BEYOND_ASCII.test(value)) return false;
  for (const name in record.data) if (BEYOND_ASCII.test(record.data[name])) return false;
  return true;
}

/** Where a record is: a text log's byte range, or an `.evtx` record's file offset. */
export type RecordAt = { byteOffset: number; byteLength: number } | { evtxOffset: number };

export class RecordReader {
  private readonly handles = new Map<string, number>();
  /** The last `.evtx` chunk read: lineage's processes often share one. */
  private chunk?: { file: string; offset: number; chunk: EvtxChunk | undefined };
  private chunkBuffer?: Buffer;
  /** Templates decoded so far, shared by the chunks of one file as the hunt's pass shares them. */
  private templates?: { file: string; cache: TemplateCache };
  /** Text read ahead by readSpan: the records within it are sliced from it, not read one by one. */
  private span?: { file: string; offset: number; bytes: Buffer };
  private spanBuffer?: Buffer;

  /**
   * Reads [offset, end) of a text log at once, for the records in it that follow: the lineages of
   * an incident's log name thousands of processes, and a read of each is a system call (about
   * 9 µs here, 47 ms for the 5,389 records read back from a 20 MB incident log, against 6 ms to
   * read all 20 MB in 1 MB reads); read back in file order, they come in runs of near neighbours.
   */
  readSpan(file: string, offset: number, end: number): void {
    try {
      // One buffer for every span (a fresh one each time counts against V8's external memory, and GCs follow).
      if (!this.spanBuffer || this.spanBuffer.length < end - offset) this.spanBuffer = Buffer.allocUnsafe(end - offset);
      this.span = { file, offset, bytes: this.bytes(file, offset, end - offset, this.spanBuffer) };
    } catch (err) {
      if (!(err instanceof Error && 'code' in err)) throw err;
      this.span = undefined; // each record's own read then says what is wrong
    }
  }

  /** The record at `at` in `file`, parsed; undefined when it cannot be read (the file changed or is gone). */
  read(file: string, at: RecordAt): ParsedRecord | undefined {
    try {
      return 'evtxOffset' in at ? this.evtxRecord(file, at.evtxOffset) : this.textRecord(file, at.byteOffset, at.byteLength);
    } catch (err) {
      if (err instanceof RecordError || (err instanceof Error && 'code' in err)) return undefined;
      throw err;
    }
  }

  close(): void {
    for (const fd of this.handles.values()) closeSync(fd);
    this.handles.clear();
    this.chunk = undefined;
    this.templates = undefined;
    this.span = undefined;
    this.spanBuffer = undefined;
  }

  /** Bytes [offset, offset + length) of `file`, in `into` when given (reused: valid until the next read into it). */
  private bytes(file: string, offset: number, length: number, into?: Buffer): Buffer {
    let fd = this.handles.get(file);
    if (fd === undefined) this.handles.set(file, (fd = openSync(file, 'r')));
    const buffer = into ?? Buffer.allocUnsafe(length);
    const n = readSync(fd, buffer, 0, length, offset);
    return buffer.subarray(0, n);
  }

  private textRecord(file: string, offset: number, length: number): ParsedRecord | undefined {
    const span = this.span;
    const inSpan = span !== undefined && span.file === file && offset >= span.offset && offset + length <= span.offset + span.bytes.length;
    const bytes = inSpan ? span.bytes.subarray(offset - span.offset, offset - span.offset + length) : this.bytes(file, offset, length);
    // The framer's record: an XML event starts with `<`, a JSON line with `{` (after any white space).
    const latin1 = bytes.toString('latin1');
    if (!/^\s*</.test(latin1)) return parseJsonRecord(bytes.toString('utf8')).record;
    // Plain XML by string search (the values are the parser's), else the parser. Only process
    // creates are indexed. Read from the latin1 view first: decoded, a record with any character
    // beyond ASCII (Sysmon's `Microsoft®` in Product) is a two-byte string, slower to make and
    // search; the view's values are the decoded ones when they are ASCII. A record the view's
    // reading leaves to the parser goes straight to it (its values are the reading's anyway).
    const quick = CREATE.test(latin1) ? quickXmlProcessRecord(latin1, 1) : undefined;
    if (quick && asciiOnly(quick)) return quick;
    const text = bytes.toString('utf8');
    return (quick && quickXmlProcessRecord(text, 1)) || parseXmlRecord(text);
  }

  private evtxRecord(file: string, offset: number): ParsedRecord | undefined {
    const start = FILE_HEADER_SIZE + chunkNumberAt(Math.max(FILE_HEADER_SIZE, offset)) * CHUNK_SIZE;
    if (this.chunk?.file !== file || this.chunk.offset !== start) {
      // One chunk at a time (attach reads in file order), so its buffer is reused.
      const bytes = this.bytes(file, start, CHUNK_SIZE, (this.chunkBuffer ??= Buffer.allocUnsafe(CHUNK_SIZE)));
      if (this.templates?.file !== file) this.templates = { file, cache: new TemplateCache() };
      this.chunk = { file, offset: start, chunk: bytes.length === 0 ? undefined : readChunk(bytes, chunkNumberAt(start), start, this.templates.cache) };
    }
    const chunk = this.chunk.chunk;
    const ref = chunk?.records.find((r) => r.fileOffset === offset);
    return chunk && ref && decodeRecord(chunk, ref);
  }
}
