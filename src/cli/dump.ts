/**
 * `log-hunt dump [--to xml|jsonl] [--out FILE] FILE.evtx...`: converts `.evtx` files to text our
 * readers (and other tools) hunt with the same results: XML in the shape of an Event Viewer export
 * (one document for all the files), or JSON Lines in evtx_dump's shape. Problems with a chunk or a
 * record are warned about on stderr and the dump goes on; a file that is not an EVTX file at all is
 * refused (exit status 2), and the other files are still dumped.
 */
import { once } from 'node:events';
import { createWriteStream, WriteStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { assertEvtxFile, DUMP_XML_HEAD, DUMP_XML_TAIL, dumpEvtx, DumpFormat, UnreadableInputError } from '../engine';
import { CommandSpec, ParsedArgs, stringFlag, UsageError } from './args';
import { terminalSafe } from './terminalSafe';

type Out = (line: string) => void;

export const DUMP_COMMAND: CommandSpec = { name: 'dump', operands: true, options: { to: 'value', out: 'value' } };

export const DUMP_USAGE = `  log-hunt dump [--to xml|jsonl] [--out FILE] FILE.evtx...
      Converts .evtx files to text: --to xml (the default) writes one XML document in the shape of
      an Event Viewer export (<Events>, one <Event> per line, as wevtutil renders them); --to jsonl
      writes one JSON object per record per line, in evtx_dump's shape. Both hunt with the same
      results as the .evtx. To stdout, or to --out FILE (never one of the inputs). A damaged
      chunk or record is warned about on stderr and skipped, and the dump goes on.`;

/** Is `candidate` the same file as one of `inputs` (by device and inode, so links count too)? */
async function sameFileAsInput(candidate: string, inputs: readonly string[]): Promise<string | undefined> {
  const target = await stat(candidate).catch(() => undefined);
  const resolved = await realpath(candidate).catch(() => undefined);
  for (const input of inputs) {
    const s = await stat(input).catch(() => undefined);
    if (target && s && target.dev === s.dev && target.ino === s.ino) return input;
    if (resolved !== undefined && resolved === (await realpath(input).catch(() => undefined))) return input;
  }
  return undefined;
}

/** A sink with backpressure: each write waits while the stream's buffer is full. */
interface Sink {
  write(text: string): Promise<void>;
  close(): Promise<void>;
  /** Aborted when the stream fails, or its reader went away (EPIPE: the dump then stops quietly). */
  readonly gone: AbortSignal;
  /** Why the stream failed, but EPIPE. */
  failure?: Error;
}

/** Resolves when `stream` drains, or at once when `gone` aborts (its listeners removed either way). */
async function drained(stream: NodeJS.WritableStream, gone: AbortSignal): Promise<void> {
  await once(stream, 'drain', { signal: gone }).catch(() => undefined);
}

function streamSink(stream: NodeJS.WritableStream, close: () => Promise<void>): Sink {
  const gone = new AbortController();
  const sink: Sink = {
    gone: gone.signal,
    async write(text) {
      if (gone.signal.aborted) return;
      if (!stream.write(text)) await drained(stream, gone.signal);
    },
    async close() {
      if (!gone.signal.aborted) await close();
      stream.off('error', onError);
    },
  };
  const onError = (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') sink.failure = e;
    gone.abort();
  };
  stream.on('error', onError);
  return sink;
}

/** stdout through the CLI's line writer (so an in-process caller collects it), waiting on process.stdout's buffer. */
function stdoutSink(out: Out): Sink {
  const gone = new AbortController();
  const tty = process.stdout.isTTY === true;
  const sink: Sink = {
    gone: gone.signal,
    async write(text) {
      if (gone.signal.aborted) return;
      // `out` ends each line itself; every piece a dump writes ends with a newline. On a terminal,
      // the log's control characters are shown as escapes (an XML or JSON file gets them as they are).
      const body = text.endsWith('\n') ? text.slice(0, -1) : text;
      out(tty ? terminalSafe(body) : body);
      if (process.stdout.writableNeedDrain) await drained(process.stdout, gone.signal);
    },
    async close() {
      process.stdout.off('error', onError);
    },
  };
  const onError = (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') sink.failure = e;
    gone.abort();
  };
  process.stdout.on('error', onError);
  return sink;
}

async function fileSink(file: string): Promise<Sink> {
  const stream: WriteStream = createWriteStream(file);
  await once(stream, 'open');
  return streamSink(stream, async () => {
    stream.end();
    await once(stream, 'close');
  });
}

/** Runs `log-hunt dump`; returns the exit status. */
export async function dumpCommand(args: ParsedArgs, out: Out, err: Out): Promise<number> {
  const to = (stringFlag(args, 'to') ?? 'xml') as DumpFormat;
  if (to !== 'xml' && to !== 'jsonl') throw new UsageError('dump: --to must be xml or jsonl');
  const outFile = stringFlag(args, 'out');
  const files = args.positionals;
  if (files.length === 0) throw new UsageError('dump: give one or more .evtx files');
  if (outFile !== undefined) {
    const input = await sameFileAsInput(outFile, files);
    if (input !== undefined) throw new UsageError(`dump: --out ${outFile} is the input ${input}; it is never written to`);
  }
  let status = 0;
  // Refuse what is not an EVTX file before writing anything, so one bad file leaves no half document.
  const usable: string[] = [];
  for (const file of files) {
    try {
      await assertEvtxFile(file);
      usable.push(file);
    } catch (e) {
      const message = e instanceof UnreadableInputError ? e.message : (e as Error).message;
      err(terminalSafe(`log-hunt: ${message.startsWith(`${file}: `) ? message : `${file}: ${message}`}`));
      status = 2;
    }
  }
  if (usable.length === 0) return status;
  let sink: Sink;
  try {
    sink = outFile === undefined ? stdoutSink(out) : await fileSink(outFile);
  } catch (e) {
    err(terminalSafe(`log-hunt: --out ${outFile}: ${(e as Error).message}`));
    return 2;
  }
  try {
    if (to === 'xml') await sink.write(DUMP_XML_HEAD);
    for (const file of usable) {
      if (sink.gone.aborted) break;
      try {
        const counts = await dumpEvtx(file, to, (text) => sink.write(text), {
          fragment: true,
          signal: sink.gone,
          onProblem: (p) => err(terminalSafe(`${file}: warning: ${p.message}`)),
        });
        if (outFile !== undefined) err(terminalSafe(`${file}: ${counts.records} record(s) from ${counts.chunks} chunk(s), ${counts.problems} problem(s)`));
      } catch (e) {
        if (sink.gone.aborted) break;
        if (!(e instanceof UnreadableInputError) && (e as NodeJS.ErrnoException).code === undefined) throw e;
        err(terminalSafe(`log-hunt: ${file}: ${(e as Error).message}`));
        status = 2;
      }
    }
    if (to === 'xml' && !sink.gone.aborted) await sink.write(DUMP_XML_TAIL);
  } finally {
    await sink.close();
  }
  if (sink.failure) {
    err(terminalSafe(`log-hunt: ${outFile ?? 'stdout'}: ${sink.failure.message}`));
    return 2;
  }
  return status;
}
