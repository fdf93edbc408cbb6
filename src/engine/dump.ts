/**
 * `.evtx` to text: the records as XML in the shape of an Event Viewer / wevtutil export (a
 * declaration, `<Events>`, one `<Event>` per line), or as JSON Lines in evtx_dump's shape. Streams
 * chunk by chunk (memory stays at one chunk); a record or chunk that cannot be read is reported
 * through onProblem and skipped, and the dump goes on.
 */
import { open, stat } from 'node:fs/promises';
import { UnreadableInputError } from './decode';
import { FILE_HEADER_SIZE, readEvtxFileChunks } from './readers/evtx/file';
import { renderRecordJson } from './readers/evtx/json';
import { EvtxProblem } from './readers/evtx/problems';
import { renderRecordXml } from './readers/evtx/record';

export type DumpFormat = 'xml' | 'jsonl';

export interface DumpOptions {
  signal?: AbortSignal;
  /** A record that did not decode, a damaged chunk, a damaged file header: the dump goes on. */
  onProblem?: (problem: EvtxProblem) => void;
  /** XML: the records only, without the declaration and `<Events>` (to put several files in one document). */
  fragment?: boolean;
}

export interface DumpCounts {
  /** Records written. */
  records: number;
  /** Chunks read (all-zero chunks are not counted). */
  chunks: number;
  /** Problems reported. */
  problems: number;
}

/** The XML before the first record and after the last: an Event Viewer "Save as XML" export. */
export const DUMP_XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<Events>\n';
export const DUMP_XML_TAIL = '</Events>\n';

/** An fs error in a few words, as the hunt gives them. */
function fsReason(err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT') return 'no such file';
  if (err.code === 'EACCES' || err.code === 'EPERM') return 'permission denied';
  if (err.code === 'EISDIR') return 'is a directory';
  return err.message;
}

/**
 * Throws UnreadableInputError unless the file starts as an EVTX file (or holds a chunk where the
 * first one belongs): not an EVTX file, empty, missing, a directory, unreadable.
 */
export async function assertEvtxFile(file: string): Promise<void> {
  let reason: string | undefined;
  try {
    const handle = await open(file, 'r');
    try {
      const head = Buffer.alloc(8);
      const { bytesRead } = await handle.read(head, 0, 8, 0);
      if (bytesRead === 8 && head.toString('latin1') === 'ElfFile\0') return;
      const chunk = Buffer.alloc(8);
      const { bytesRead: n } = await handle.read(chunk, 0, 8, FILE_HEADER_SIZE);
      if (n === 8 && chunk.toString('latin1') === 'ElfChnk\0') return;
      const size = (await handle.stat()).size;
      reason = size === 0 ? 'not an EVTX file: the file is empty' : 'not an EVTX file: no ElfFile header at its start and no ElfChnk chunk after it';
    } finally {
      await handle.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === undefined) throw err;
    reason = fsReason(err as NodeJS.ErrnoException);
  }
  throw new UnreadableInputError(`${file}: ${reason}`);
}

/** Says so when the file changed, was replaced or was deleted during the dump (a live log being written). */
async function changedWhileDumped(file: string, size: number, mtimeMs: number, ino: number): Promise<string | undefined> {
  const now = await stat(file).catch(() => undefined);
  if (!now) return 'the file was deleted while it was dumped';
  if (now.ino !== ino) return 'the file was replaced while it was dumped; the dump is of the file it replaced';
  if (now.size !== size || now.mtimeMs !== mtimeMs) return `the file changed while it was dumped (size ${size} -> ${now.size} bytes); dump it again for a consistent copy`;
  return undefined;
}

/**
 * Writes every record of `file` through `write`, as `to` says; resolves to the counts. Throws
 * UnreadableInputError when the file is not an EVTX file at all (fs errors as they come).
 * `write` may return a promise (a stream's backpressure): the next chunk waits for it.
 */
export async function dumpEvtx(
  file: string,
  to: DumpFormat,
  write: (text: string) => void | Promise<void>,
  options: DumpOptions = {},
): Promise<DumpCounts> {
  const { signal, onProblem } = options;
  signal?.throwIfAborted();
  await assertEvtxFile(file);
  const before = await stat(file);
  const counts: DumpCounts = { records: 0, chunks: 0, problems: 0 };
  const report = (p: EvtxProblem) => {
    counts.problems++;
    onProblem?.(p);
  };
  const fileProblems: EvtxProblem[] = [];
  const flushFileProblems = () => fileProblems.splice(0).forEach(report);
  const render = to === 'xml' ? renderRecordXml : renderRecordJson;
  if (to === 'xml' && !options.fragment) await write(DUMP_XML_HEAD);
  for await (const chunk of readEvtxFileChunks(file, fileProblems)) {
    signal?.throwIfAborted();
    flushFileProblems();
    counts.chunks++;
    const lines: string[] = [];
    for (const ref of chunk.records) {
      const text = render(chunk, ref);
      if (text === undefined) continue;
      lines.push(text);
      counts.records++;
    }
    chunk.problems.forEach(report);
    if (lines.length > 0) await write(lines.join('\n') + '\n');
  }
  flushFileProblems();
  const changed = await changedWhileDumped(file, before.size, before.mtimeMs, before.ino);
  if (changed) report({ offset: 0, message: changed });
  if (to === 'xml' && !options.fragment) await write(DUMP_XML_TAIL);
  return counts;
}
