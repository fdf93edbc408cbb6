/**
 * The EVTX file and its chunks: the 4 KiB file header, then 64 KiB chunks, each checked (magic,
 * header CRC, records CRC) and walked record by record. The header's chunk count is not trusted:
 * every chunk the bytes hold is read, all-zero (never used) chunks are skipped, and a damaged chunk
 * is reported and its records recovered where their own framing holds.
 */
import { ChunkContext, TemplateCache } from './binxml';
import { crc32 } from './crc32';
import { EvtxProblem, hex } from './problems';
import { filetime } from './values';

export const FILE_HEADER_SIZE = 4096;
export const CHUNK_SIZE = 65536;
export const CHUNK_HEADER_SIZE = 512;
const RECORD_MAGIC = 0x00002a2a;
/** How many chunks readEvtxFileChunks reads at once (1 MiB): memory stays at one read, whatever the file's size. */
const READ_CHUNKS = 16;
/** Record header (magic, size, id, FILETIME) plus the size copy at the end. */
const RECORD_MIN = 28;

export interface EvtxFileHeader {
  firstChunk: number;
  lastChunk: number;
  nextRecordId: number;
  majorVersion: number;
  minorVersion: number;
  /** The header's chunk count: often stale, so only reported. */
  chunkCount: number;
  /** 1 dirty, 2 full, 4 no CRC. */
  flags: number;
  crcOk: boolean;
}

/** One record's framing inside its chunk. */
export interface EvtxRecordRef {
  recordId: number;
  /** Offset of the record in its chunk. */
  offset: number;
  /** Offset of the record in the file. */
  fileOffset: number;
  size: number;
  /** The record header's FILETIME (when it was written), as ISO text. */
  readonly written: string;
  /** Read from a chunk that failed a check: its framing held, but treat it with care. */
  recovered: boolean;
}

/** A record's framing; `written` is rendered only when read (a hunt never reads it). */
class RecordRef implements EvtxRecordRef {
  constructor(
    private readonly buf: Buffer,
    readonly recordId: number,
    readonly offset: number,
    readonly fileOffset: number,
    readonly size: number,
    public recovered: boolean,
  ) {}

  get written(): string {
    return filetime(this.buf, this.offset + 16);
  }
}

export interface EvtxChunk {
  /** 0 for the first chunk after the file header. */
  chunkNumber: number;
  /** The chunk's offset in the file. */
  offset: number;
  firstRecordId: number;
  lastRecordId: number;
  records: EvtxRecordRef[];
  /** What failed in this chunk (checks, framing, records that could not be decoded). */
  problems: EvtxProblem[];
  /** The chunk's bytes, its names and its templates: what decodeRecord needs. */
  context: ChunkContext;
}

function u64(buf: Buffer, p: number): number {
  return buf.readUInt32LE(p + 4) * 0x100000000 + buf.readUInt32LE(p);
}

function isZero(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] !== 0) return false;
  return true;
}

/** Reads the file header; problems say what is wrong with it (the chunks are walked anyway). */
export function readFileHeader(buf: Buffer): { header?: EvtxFileHeader; problems: EvtxProblem[] } {
  const problems: EvtxProblem[] = [];
  if (buf.length === 0) return { problems: [{ offset: 0, message: 'the file is empty (0 bytes)' }] };
  if (buf.length < 128 || buf.toString('latin1', 0, 8) !== 'ElfFile\0') {
    problems.push({ offset: 0, message: 'no EVTX file header (ElfFile) at the start of the file' });
    return { problems };
  }
  const crcOk = crc32(buf.subarray(0, 120)) === buf.readUInt32LE(124);
  if (!crcOk) problems.push({ offset: 0, message: 'the file header fails its CRC32' });
  const header: EvtxFileHeader = {
    firstChunk: u64(buf, 8),
    lastChunk: u64(buf, 16),
    nextRecordId: u64(buf, 24),
    minorVersion: buf.readUInt16LE(36),
    majorVersion: buf.readUInt16LE(38),
    chunkCount: buf.readUInt16LE(42),
    flags: buf.readUInt32LE(120),
    crcOk,
  };
  return { header, problems };
}

/**
 * Reads one chunk: `buf` holds its bytes (shorter than 64 KiB when the file was cut), `offset` is
 * its place in the file. Returns undefined for an unused (all-zero) chunk.
 */
export function readChunk(buf: Buffer, chunkNumber: number, offset: number, cache: TemplateCache = new TemplateCache()): EvtxChunk | undefined {
  const problems: EvtxProblem[] = [];
  const report = (message: string) => problems.push({ chunkNumber, offset, message: `chunk ${chunkNumber} at ${hex(offset)}: ${message}` });
  if (isZero(buf, 0, buf.length)) return undefined;
  const context = new ChunkContext(buf, cache);
  const chunk: EvtxChunk = { chunkNumber, offset, firstRecordId: 0, lastRecordId: 0, records: [], problems, context };
  if (buf.length < CHUNK_SIZE) report(`cut short: ${buf.length} of ${CHUNK_SIZE} bytes`);
  let damaged = buf.length < CHUNK_SIZE;
  let end = Math.min(buf.length, CHUNK_SIZE);
  if (buf.length < CHUNK_HEADER_SIZE || buf.toString('latin1', 0, 8) !== 'ElfChnk\0') {
    report('no chunk header (ElfChnk); recovering records by their framing');
    damaged = true;
  } else {
    chunk.firstRecordId = u64(buf, 24);
    chunk.lastRecordId = u64(buf, 32);
    const headerCrc = crc32(buf.subarray(128, 512), crc32(buf.subarray(0, 120)));
    if (headerCrc !== buf.readUInt32LE(124)) {
      report('the chunk header fails its CRC32');
      damaged = true;
    }
    const free = buf.readUInt32LE(48);
    if (free < CHUNK_HEADER_SIZE || free > CHUNK_SIZE) {
      report(`free space offset ${hex(free)} is outside the chunk`);
      damaged = true;
    } else if (free > buf.length) {
      damaged = true;
    } else {
      end = free;
      if (crc32(buf.subarray(CHUNK_HEADER_SIZE, free)) !== buf.readUInt32LE(52)) {
        report('the event records fail their CRC32');
        damaged = true;
      }
    }
  }
  // Walk the records while their framing holds: magic, a size within the chunk, the same size at the end.
  let p = CHUNK_HEADER_SIZE;
  while (p + RECORD_MIN <= end) {
    if (buf.readUInt32LE(p) !== RECORD_MAGIC) {
      if (!isZero(buf, p, Math.min(end, p + 8))) report(`no record at ${hex(offset + p)} (bad magic); the rest of the chunk is skipped`);
      break;
    }
    const size = buf.readUInt32LE(p + 4);
    if (size < RECORD_MIN || p + size > end) {
      report(`the record at ${hex(offset + p)} claims ${size} bytes, past the chunk's records; the rest of the chunk is skipped`);
      break;
    }
    if (buf.readUInt32LE(p + size - 4) !== size) {
      report(`the record at ${hex(offset + p)}: its size fields disagree; the rest of the chunk is skipped`);
      break;
    }
    chunk.records.push(new RecordRef(buf, u64(buf, p + 8), p, offset + p, size, damaged));
    p += size;
  }
  if (damaged) for (const r of chunk.records) r.recovered = true;
  context.share = !damaged;
  return chunk;
}

/** The chunks of a whole file in memory, in file order. File-level problems go to `problems`. */
export function* readEvtxChunks(buf: Buffer, problems: EvtxProblem[] = []): Generator<EvtxChunk> {
  const { problems: headerProblems } = readFileHeader(buf);
  problems.push(...headerProblems);
  const cache = new TemplateCache();
  let chunkNumber = 0;
  for (let offset = FILE_HEADER_SIZE; offset < buf.length; offset += CHUNK_SIZE, chunkNumber++) {
    const bytes = buf.subarray(offset, Math.min(buf.length, offset + CHUNK_SIZE));
    if (bytes.length < CHUNK_SIZE && bytes.toString('latin1', 0, 8) !== 'ElfChnk\0') {
      if (!isZero(bytes, 0, bytes.length)) problems.push({ offset, message: `${bytes.length} bytes after the last chunk are not a chunk (ignored)` });
      break;
    }
    const chunk = readChunk(bytes, chunkNumber, offset, cache);
    if (chunk) yield chunk;
  }
}

/** Which chunks of a file to read: those whose offsets are in [start, end). */
export interface ChunkRange {
  start: number;
  end: number;
}

/** The chunk number of the chunk at `offset`. */
export function chunkNumberAt(offset: number): number {
  return Math.floor((offset - FILE_HEADER_SIZE) / CHUNK_SIZE);
}

/**
 * The chunks of a file on disk, read one at a time (memory stays at one chunk whatever the size).
 * File-level problems go to `problems`. With `range`, only its chunks are read (a worker's part of
 * a parallel hunt), and the file header is judged only by the part that starts at the first chunk.
 * With `reuse`, the bytes of a read's chunks are overwritten once the caller asks for the next
 * read's first chunk: for a caller that keeps nothing of a chunk (no record, no `locate`) past it.
 */
export async function* readEvtxFileChunks(path: string, problems: EvtxProblem[] = [], range?: ChunkRange, options: { reuse?: boolean } = {}): AsyncGenerator<EvtxChunk> {
  const { open } = await import('node:fs/promises');
  const handle = await open(path, 'r');
  /** The read after the current one, started before the current one's chunks are decoded, so the disk and the decoder overlap. */
  let ahead: Promise<Block> | undefined;
  try {
    const first = range ? Math.max(FILE_HEADER_SIZE, range.start) : FILE_HEADER_SIZE;
    const stop = range?.end ?? Infinity;
    if (first === FILE_HEADER_SIZE) {
      const head = Buffer.alloc(FILE_HEADER_SIZE);
      const { bytesRead } = await handle.read(head, 0, FILE_HEADER_SIZE, 0);
      problems.push(...readFileHeader(head.subarray(0, bytesRead)).problems);
      if (bytesRead > 0 && bytesRead < FILE_HEADER_SIZE) problems.push({ offset: 0, message: `the file ends inside its header (${bytesRead} bytes)` });
    }
    const cache = new TemplateCache();
    // Chunks are read READ_CHUNKS at a time, in one readv (one round trip through libuv's thread pool,
    // which a loaded machine makes slow, not sixteen), each into a buffer of its own: a chunk's records
    // keep referring to its bytes, and whatever keeps one chunk (a match's record) must keep 64 KiB, not
    // the whole read. With `reuse`, two sets of buffers take turns.
    const spare: Buffer[][] = [];
    const read = (offset: number): Promise<Block> => {
      const count = Math.min(READ_CHUNKS, Math.max(1, Math.ceil((Math.min(stop, Number.MAX_SAFE_INTEGER) - offset) / CHUNK_SIZE)));
      const reused = spare.pop();
      const buffers = reused && reused.length === count ? reused : Array.from({ length: count }, () => Buffer.allocUnsafe(CHUNK_SIZE));
      return handle.readv(buffers, offset).then(({ bytesRead }) => ({ start: offset, buffers, bytes: bytesRead }));
    };
    let block: Block = { start: first, buffers: [], bytes: 0 };
    for (let offset = first, chunkNumber = chunkNumberAt(first); offset < stop; offset += CHUNK_SIZE, chunkNumber++) {
      if (offset >= block.start + block.bytes) {
        const next = ahead;
        ahead = undefined;
        if (options.reuse && block.buffers.length > 0) spare.push(block.buffers);
        block = next ? await next : await read(offset); // the read ahead starts where the last one ended
        const after = block.start + block.buffers.length * CHUNK_SIZE;
        if (block.bytes === block.buffers.length * CHUNK_SIZE && after < stop) {
          ahead = read(after);
          ahead.catch(() => undefined); // awaited (and thrown) when reached; not if the caller stops first
        }
      }
      const from = offset - block.start;
      const n = Math.max(0, Math.min(CHUNK_SIZE, block.bytes - from));
      if (n === 0) break;
      const view = block.buffers[from / CHUNK_SIZE].subarray(0, n);
      if (n < CHUNK_SIZE && view.toString('latin1', 0, 8) !== 'ElfChnk\0') {
        if (!isZero(view, 0, n)) problems.push({ offset, message: `${n} bytes after the last chunk are not a chunk (ignored)` });
        break;
      }
      const chunk = readChunk(view, chunkNumber, offset, cache);
      if (chunk) yield chunk;
      if (n < CHUNK_SIZE) break;
    }
  } finally {
    await ahead?.catch(() => undefined); // the handle closes once no read is in flight
    await handle.close();
  }
}

/** One readv: `bytes` read into `buffers` from `start`. */
interface Block {
  start: number;
  buffers: Buffer[];
  bytes: number;
}
