/**
 * Reads a log from disk as UTF-8 chunks: sniffs the BOM, transcodes UTF-16 to UTF-8, and refuses
 * binary files with a clear message before any parsing starts. Never writes anything.
 */
import { Stats } from 'node:fs';
import { FileHandle, open, stat } from 'node:fs/promises';
import { CHUNK_SLACK, slackedBuffer } from './window';

/** An input that cannot be hunted at all; the message is one line, fit for an analyst. */
export class UnreadableInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableInputError';
  }
}

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

const MAGIC: { bytes: number[]; what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0x1f, 0x8b], what: 'a gzip archive' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'an ELF binary' },
  { bytes: [0x4d, 0x5a], what: 'a Windows executable' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
];

function startsWith(head: Uint8Array, bytes: number[]): boolean {
  return bytes.every((b, i) => head[i] === b);
}

/** The encoding a file's first bytes announce, and how many BOM bytes to skip. */
export function sniffEncoding(head: Uint8Array): { encoding: TextEncoding; bomLength: number } {
  if (startsWith(head, [0xef, 0xbb, 0xbf])) return { encoding: 'utf-8', bomLength: 3 };
  if (startsWith(head, [0xff, 0xfe])) return { encoding: 'utf-16le', bomLength: 2 };
  if (startsWith(head, [0xfe, 0xff])) return { encoding: 'utf-16be', bomLength: 2 };
  // UTF-16 without a BOM still starts with '<' or '{' beside a NUL byte.
  if (head.length >= 2 && head[1] === 0 && head[0] !== 0) return { encoding: 'utf-16le', bomLength: 0 };
  if (head.length >= 2 && head[0] === 0 && head[1] !== 0) return { encoding: 'utf-16be', bomLength: 0 };
  return { encoding: 'utf-8', bomLength: 0 };
}

/** Throws UnreadableInputError when the first bytes show a binary file rather than a text log. */
export function refuseBinary(head: Uint8Array, encoding: TextEncoding): void {
  for (const magic of MAGIC) {
    if (startsWith(head, magic.bytes)) throw new UnreadableInputError(`not a Sysmon text log: it is ${magic.what}`);
  }
  // A log that starts like one keeps its stray NUL bytes as data (the framers report them):
  // refusing it would lose every match in a file with one corrupt byte.
  if (encoding === 'utf-8' && head.subarray(0, 4096).includes(0) && !startsLikeLog(head)) {
    throw new UnreadableInputError('not a Sysmon text log: it holds binary data (NUL bytes) near its start');
  }
}

/** Does the text open, after white space, as some log shape does: `<`, `{`, `[` or evtx_dump's `Record `? */
function startsLikeLog(head: Uint8Array): boolean {
  let i = 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  const first = head[i];
  return first === 0x3c || first === 0x7b || first === 0x5b || Buffer.from(head.subarray(i, i + 7)).toString('latin1') === 'Record ';
}

export interface TextSource {
  encoding: TextEncoding;
  /** Bytes of byte-order mark skipped at the start of the file. */
  bomLength: number;
  /** Size of the file on disk, for progress. */
  bytesTotal: number;
  /**
   * UTF-8 chunks of the text, BOM removed; `bytesRead` counts file bytes consumed so far. A chunk
   * is valid only until the next one is asked for: its buffer is reused.
   */
  chunks: AsyncIterable<Buffer>;
  bytesRead(): number;
  /** Releases the file; needed only when the chunks are not read to the end. */
  close(): Promise<void>;
  /** After the hunt: a warning when the file was changed, replaced or deleted meanwhile. */
  changed?(): Promise<string | undefined>;
}

/** Opens `path` for hunting; throws UnreadableInputError for missing, directory or binary inputs. */
export async function openTextSource(path: string, chunkSize = 1 << 20): Promise<TextSource> {
  let size: number;
  let info: Stats;
  try {
    info = await stat(path);
    if (info.isDirectory()) throw new UnreadableInputError(`${path}: is a directory`);
    // A FIFO would block the open, and a device reports no size: neither is a log file.
    if (!info.isFile()) throw new UnreadableInputError(`${path}: not a regular file`);
    size = info.size;
  } catch (err) {
    if (err instanceof UnreadableInputError) throw err;
    throw new UnreadableInputError(`${path}: ${describeFsError(err)}`);
  }
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw new UnreadableInputError(`${path}: ${describeFsError(err)}`);
  }
  const head = Buffer.alloc(Math.min(4096, size));
  try {
    await handle.read(head, 0, head.length, 0);
  } catch (err) {
    await handle.close();
    throw new UnreadableInputError(`${path}: ${describeFsError(err)}`);
  }
  const { encoding, bomLength } = sniffEncoding(head);
  try {
    refuseBinary(head.subarray(bomLength), encoding);
  } catch (err) {
    await handle.close();
    throw err;
  }
  let read = bomLength;
  const close = closeOnce(handle);
  const chunks = readAhead(handle, bomLength, size, chunkSize, (n) => (read += n), close);
  return {
    encoding,
    bomLength,
    bytesTotal: size,
    chunks: toUtf8(failReadable(chunks, path, () => read), encoding),
    bytesRead: () => read,
    close,
    changed: () => changedSince(path, info),
  };
}

/** A read error mid-file becomes an UnreadableInputError: the hunt then rejects, with no partial result. */
async function* failReadable(chunks: AsyncGenerator<Buffer>, path: string, read: () => number): AsyncGenerator<Buffer> {
  try {
    yield* chunks;
  } catch (err) {
    throw new UnreadableInputError(`${path}: read failed after ${read()} bytes: ${describeFsError(err)}`);
  }
}

/** Compares the file now with the file when the hunt opened it. */
export async function changedSince(path: string, before: Stats): Promise<string | undefined> {
  let now: Stats;
  try {
    now = await stat(path);
  } catch (err) {
    return (err as NodeJS.ErrnoException)?.code === 'ENOENT' ? 'the file was deleted while it was hunted' : undefined;
  }
  if (now.ino !== before.ino || now.dev !== before.dev) {
    return 'the file was replaced while it was hunted; the results are for the file it replaced';
  }
  if (now.size !== before.size || now.mtimeMs !== before.mtimeMs) {
    return `the file changed while it was hunted (size ${before.size} -> ${now.size} bytes); hunt it again for exact results`;
  }
  return undefined;
}

/** Bytes [start, end) of a UTF-8 file, for one worker's part of a parallel hunt. */
export async function openRangeSource(path: string, start: number, end: number, chunkSize = 1 << 20): Promise<TextSource> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw new UnreadableInputError(`${path}: ${describeFsError(err)}`);
  }
  let read = start;
  const close = closeOnce(handle);
  const chunks = readAhead(handle, start, end, chunkSize, (n) => (read += n), close);
  return { encoding: 'utf-8', bomLength: 0, bytesTotal: end - start, chunks, bytesRead: () => read - start, close };
}

/** Closes the file once, whether the chunks were read to the end, abandoned, or never started. */
function closeOnce(handle: FileHandle): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= handle.close());
}

/** Reads [from, to) in chunks, one read always in flight so the disk works while the hunt digests; closes the file at the end. */
async function* readAhead(
  handle: FileHandle,
  from: number,
  to: number,
  chunkSize: number,
  onRead: (bytes: number) => void,
  close: () => Promise<void>,
): AsyncGenerator<Buffer> {
  let position = from;
  // Buffers are recycled (a fresh 1 MB buffer per read costs page faults on every chunk), which
  // is why a chunk is only valid until the next one is asked for: one read is in flight, one
  // chunk is with the consumer, and the third is spare. Each chunk is read after room for the
  // window to put a cut record's start in front of it (slackedBuffer), so it is never copied.
  const buffers = [0, 1, 2].map(() => slackedBuffer(Math.min(chunkSize, Math.max(0, to - from))));
  let turn = 0;
  const readNext = () => {
    const size = Math.max(0, Math.min(chunkSize, to - position));
    const buffer = buffers[turn++ % buffers.length];
    const at = position;
    position += size;
    return size === 0
      ? Promise.resolve(buffer.subarray(CHUNK_SLACK, CHUNK_SLACK))
      : handle.read(buffer, CHUNK_SLACK, size, at).then(({ bytesRead }) => buffer.subarray(CHUNK_SLACK, CHUNK_SLACK + bytesRead));
  };
  let pending = readNext();
  try {
    for (;;) {
      const chunk = await pending;
      if (chunk.length === 0) return;
      pending = readNext();
      onRead(chunk.length);
      yield chunk;
    }
  } finally {
    await pending.catch(() => undefined);
    await close();
  }
}

/** Transcodes chunks to UTF-8; UTF-8 passes through untouched (no copy). */
export async function* toUtf8(chunks: AsyncIterable<Buffer>, encoding: TextEncoding): AsyncGenerator<Buffer> {
  if (encoding === 'utf-8') {
    yield* chunks;
    return;
  }
  const decoder = new TextDecoder(encoding);
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    if (text.length > 0) yield Buffer.from(text, 'utf8');
  }
  const rest = decoder.decode();
  if (rest.length > 0) yield Buffer.from(rest, 'utf8');
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return (err as Error)?.message ?? String(err);
}
