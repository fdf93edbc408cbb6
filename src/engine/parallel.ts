/**
 * Hunts one large file with several worker threads: the file is cut at record boundaries, each
 * worker hunts its part with the same loop as a single-threaded hunt, and the parts' lines,
 * columns, counts and matches are stitched back in file order, so the result is the same.
 */
import { open, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { openTextSource } from './decode';
import { chunkBoundary, EVTX_DETECTED, isEvtxFile } from './evtxScan';
import { CHUNK_SIZE } from './readers/evtx';
import { DEFAULT_MAX_STORED, huntEvtxFile, huntSource, MAX_STORED_MALFORMED, Scan, summarize, summarizeEvtx, withChangeWarning, withLineage } from './hunt';
import { ProcessNote } from './lineage';
import { emptyScan } from './scan';
import { HuntOptions, HuntResult } from './huntTypes';
import { Malformed, Match, Position, SourceRange } from './model';
import { builtinRules } from './rules/load';
import { detectShape, Detected } from './readers/detect';
import { findEventStart } from './readers/xmlFramer';
import { rulesForWorker, runTask, WorkerMessage, WorkerTask } from './worker';
import { WorkerLease, WorkerPool } from './workerPool';

/** Below this size, starting threads costs more than it saves. */
export const MIN_PARALLEL_BYTES = 16 << 20;
/**
 * And this much more per rule, for workers started by the hunt: each compiles the rules and warms
 * up before its first record. With every SigmaHQ windows rule (2,476), measured on 2 cores in
 * fresh processes: two workers 0.75x one thread at 100 MB, 1.16x at 300 MB, 1.72x at 1 GB; so
 * about 210 MB with those rules, and the built-in library's 69 rules barely move the 16 MB.
 */
export const PARALLEL_BYTES_PER_RULE = 80 << 10;

/** The size from which a hunt goes parallel by itself: workers kept warm (a pool) have their rules compiled already. */
export function minParallelBytes(options: ParallelOptions): number {
  if (options.minParallelBytes !== undefined) return options.minParallelBytes;
  if (options.pool) return MIN_PARALLEL_BYTES;
  return MIN_PARALLEL_BYTES + PARALLEL_BYTES_PER_RULE * (options.rules ?? builtinRules()).rules.length;
}
const HEAD_BYTES = 1 << 16;

export interface ParallelOptions extends HuntOptions {
  /** Worker threads; defaults to the machine's cores. 1 hunts on the calling thread. */
  threads?: number;
  /** Files smaller than this are hunted on the calling thread (default: MIN_PARALLEL_BYTES, plus PARALLEL_BYTES_PER_RULE per rule without a pool). */
  minParallelBytes?: number;
  /**
   * Workers kept warm between hunts (the extension's). Without one, the hunt starts its own
   * workers and ends them when it is done, as the CLI's one hunt per process wants.
   */
  pool?: WorkerPool;
  /** The largest part of a text log (default TEXT_PART_BYTES); tests lower it to cut small files into many parts. */
  partBytes?: number;
}

/** Lends workers to `use` (each `lease()` one more, its rules being made ready), from `options.pool` or from a pool of this hunt's own; releases them when `use` settles. */
async function withWorkers<T>(options: ParallelOptions, use: (lease: () => WorkerLease) => Promise<T>): Promise<T> {
  const pool = options.pool ?? new WorkerPool();
  const leased: WorkerLease[] = [];
  const rules = rulesForWorker(options.rules ?? builtinRules());
  try {
    return await use(() => {
      const worker = pool.acquire(rules);
      leased.push(worker);
      worker.prepare(rules);
      return worker;
    });
  } finally {
    for (const worker of leased) worker.release();
    if (!options.pool) pool.dispose();
  }
}

/** Hunts `file` on several threads when it is large and splittable; otherwise as huntFile does. */
export async function huntFileParallel(file: string, options: ParallelOptions = {}): Promise<HuntResult> {
  return withLineage(file, options, (options) => huntParallelOnce(file, options));
}

async function huntParallelOnce(file: string, options: ParallelOptions): Promise<HuntResult> {
  const started = performance.now();
  if (await isEvtxFile(file)) return huntEvtxParallel(file, options, started);
  const source = await openTextSource(file, options.chunkSize);
  const threads = options.threads ?? availableParallelism();
  const plan = threads > 1 && source.bytesTotal >= minParallelBytes(options) ? await planParts(file, source.encoding, source.bomLength, source.bytesTotal, threads, options) : undefined;
  if (!plan) return withChangeWarning(source, await huntSource(source, file, options));
  await source.close(); // the workers open their own
  const scan = await runParts(file, plan, options);
  return withChangeWarning(source, summarize(file, scan, source.bytesTotal, (performance.now() - started) / 1000, options.rules ?? builtinRules()));
}

/**
 * Threads for an `.evtx` when the caller names none: one. Measured on a quiet 2-core machine
 * (CAR-2014-05-002, 300 MB to 1 GB of real chunks), the calling thread plus a worker gave 0.6-1.0x
 * one thread's speed for twice its CPU, while two separate one-thread hunts ran 1.4x; the cause is
 * not found yet. `threads: N` still splits the file (the results are the same either way).
 */
export const EVTX_DEFAULT_THREADS = 1;

/** The largest `.evtx` part: chunks are independent, so any thread can hunt any run of them. */
export const EVTX_PART_BYTES = 8 << 20;

/**
 * An `.evtx` is cut at chunk boundaries into parts (a quarter of a thread's share, at most
 * EVTX_PART_BYTES), hunted in file order by the calling thread (its modules and rules are ready)
 * and by threads - 1 workers, each taking the next part whenever it is free, from when it has
 * started. A worker's start (the engine's modules and the rules compiled again: a few hundred ms
 * of CPU, seconds on a loaded machine) no longer holds half the file up: with a fixed half each,
 * two workers took longer than one thread.
 */
async function huntEvtxParallel(file: string, options: ParallelOptions, started: number): Promise<HuntResult> {
  const before = await stat(file);
  const threads = options.threads ?? EVTX_DEFAULT_THREADS;
  if (threads <= 1 || before.size < minParallelBytes(options)) return huntEvtxFile(file, options);
  const step = Math.max(CHUNK_SIZE, Math.min(EVTX_PART_BYTES, Math.floor(before.size / (4 * threads) / CHUNK_SIZE) * CHUNK_SIZE));
  const bounds = [0];
  for (let at = chunkBoundary(step); at < before.size; at = chunkBoundary(at + step)) bounds.push(at);
  bounds.push(before.size);
  return summarizeEvtx(file, await runEvtxParts(file, bounds, threads, options), before, started, options);
}

/** Hunts the `.evtx` parts [bounds[i], bounds[i + 1]) on the calling thread and threads - 1 workers; findings in file order. */
function runEvtxParts(file: string, bounds: number[], threads: number, options: ParallelOptions): Promise<Scan> {
  const parts = bounds.length - 1;
  const small = bounds[parts] < MIN_PARALLEL_BYTES;
  const { onProgress, onMatch, onMalformed, onProcess, signal, threads: _t, minParallelBytes: _m, rules: _r, lineageIndex: _l, pool: _p, ...plain } = options;
  const rules = options.rules ?? builtinRules();
  const maxStored = options.maxStoredMatches ?? DEFAULT_MAX_STORED;
  const scan = emptyScan(EVTX_DETECTED);
  const pending: { matches: Match[]; malformed: Malformed[]; processes: ProcessNote[] }[] = Array.from({ length: parts }, () => ({ matches: [], malformed: [], processes: [] }));
  const done = new Array<boolean>(parts).fill(false);
  const bytesDone = new Array<number>(parts).fill(0);
  const events = new Array<number>(parts).fill(0);
  const taskOf = (i: number): WorkerTask => ({
    file,
    start: bounds[i],
    end: bounds[i + 1],
    detected: EVTX_DETECTED,
    options: { ...plain, maxStoredMatches: Infinity, maxStreamedMatches: onMatch ? undefined : maxStored, lineage: onProcess !== undefined },
  });
  let released = 0; // parts whose findings are all out
  let next = 0; // the first part not handed out
  let last = parts - 1; // the last part not handed out
  // A part's findings wait until every earlier part is done. Positions need no shift: an .evtx match's are in its record's XML.
  const release = () => {
    while (released < parts) {
      const part = pending[released];
      for (const match of part.matches) {
        if (scan.matches.length < maxStored) scan.matches.push(match);
        onMatch?.(match);
      }
      for (const m of part.malformed) {
        if (scan.malformed.length < MAX_STORED_MALFORMED) scan.malformed.push(m);
        onMalformed?.(m);
      }
      for (const note of part.processes) onProcess?.(note);
      part.matches = [];
      part.malformed = [];
      part.processes = [];
      if (!done[released]) return;
      released++;
    }
  };

  return withWorkers(options, (lease) => new Promise<Scan>((resolve, reject) => {
    const workers: WorkerLease[] = [];
    let over = false;
    const stop = () => {
      over = true;
      signal?.removeEventListener('abort', onAbort);
      for (const w of workers) w.release(); // a task still running is aborted
    };
    const fail = (err: unknown) => {
      if (over) return;
      stop();
      reject(err);
    };
    const finish = () => {
      if (over) return;
      stop();
      resolve(scan);
    };
    const onAbort = () => fail(signal?.reason ?? new DOMException('The hunt was cancelled', 'AbortError'));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    /** What thread `handOut` hunts part i posts; `handOut` gives it the next part (or none) when it is done. */
    const receive = (i: number, message: WorkerMessage, handOut: () => void) => {
      if (over) return;
      if (message.type === 'progress') {
        bytesDone[i] = message.bytesDone;
        events[i] = message.events;
        onProgress?.({ bytesDone: sum(bytesDone), bytesTotal: bounds[parts] - bounds[0], events: sum(events) });
      } else if (message.type === 'found') {
        addFound(pending[i], message);
        if (i === released) release();
      } else if (message.type === 'done') {
        const part = message.scan;
        addCounts(scan, part);
        scan.end = part.end;
        done[i] = true;
        release();
        if (released === parts) finish();
        else handOut();
      } else if (message.type === 'error') {
        fail(Object.assign(new Error(message.message), { name: message.name }));
      }
    };
    for (let w = 1; w < threads && next < last; w++) {
      // A worker asks for its first part once its rules are ready (at once when it is warm); below
      // the size a hunt goes parallel at by itself (a caller that lowered minParallelBytes: the
      // tests), it gets one from the back at once, so that it surely hunts one.
      let current = small ? last-- : -1;
      const worker = lease();
      workers.push(worker);
      const handOut = () => {
        if (next <= last) {
          current = next++;
          worker.run(taskOf(current));
        } else worker.release(); // no part left: back to the pool
      };
      worker.attach((message) => {
        if (message.type !== 'ready') receive(current, message, handOut);
        else if (current < 0 && !over) handOut();
      }, fail);
      if (current >= 0) worker.run(taskOf(current));
    }
    // The calling thread hunts parts too, with the rules it has.
    const local = () => {
      if (over || next > last) return;
      const i = next++;
      runTask(taskOf(i), (message) => receive(i, message, local), rules).catch(fail);
    };
    local();
  }));
}

interface Plan {
  detected: Detected;
  /** Part i is bytes [bounds[i], bounds[i + 1]). */
  bounds: number[];
  /** Workers to hunt the parts with. */
  threads: number;
}

/**
 * The largest part of a text log. Parts are hunted in file order by whichever worker is free, and
 * a part's findings wait until every earlier part is done: with one part per worker, the second
 * half of a 1 GB incident log held its 200,000 streamed matches in memory (1.04 GB of RSS) until
 * the first half was done; with 64 MB parts 0.61 GB, with 16 MB parts 0.37 GB. But each part
 * costs its worker about 20 ms more than reading on would (not found yet): CAR-2014-05-002 alone
 * on 300 MB took 1.2 s in 16 MB parts and 0.8 s in two, 0.9 s in 64 MB parts.
 */
export const TEXT_PART_BYTES = 64 << 20;

/** Where to cut: record starts near equal fractions of the file. Undefined when the shape cannot be cut safely. */
async function planParts(
  file: string,
  encoding: string,
  bomLength: number,
  size: number,
  threads: number,
  options: ParallelOptions,
): Promise<Plan | undefined> {
  if (encoding !== 'utf-8') return undefined; // UTF-16 offsets would need transcoding first
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(Math.min(HEAD_BYTES, size - bomLength));
    await handle.read(head, 0, head.length, bomLength);
    const forced = options.format && options.format !== 'auto' ? options.format : undefined;
    const detected = detectShape(head, head.length === size - bomLength);
    if (!detected || (forced && forced !== detected.family)) return undefined;
    if (detected.family === 'json' && detected.framing !== 'JSON lines') return undefined;
    if (detected.framing === 'unrecognised text') return undefined;
    const bounds = [bomLength];
    const parts = Math.max(threads, Math.ceil((size - bomLength) / (options.partBytes ?? TEXT_PART_BYTES)));
    for (let k = 1; k < parts; k++) {
      const cut = await nextRecordStart(handle, detected, bomLength + Math.floor(((size - bomLength) * k) / parts), size);
      if (cut > bounds[bounds.length - 1] && cut < size) bounds.push(cut);
    }
    bounds.push(size);
    return bounds.length > 2 ? { detected, bounds, threads } : undefined;
  } finally {
    await handle.close();
  }
}

/** The first record start at or after `from`: an `<Event` tag, or the start of a line. -1 if none. */
async function nextRecordStart(handle: Awaited<ReturnType<typeof open>>, detected: Detected, from: number, size: number): Promise<number> {
  for (let span = 1 << 20; ; span *= 4) {
    const buffer = Buffer.alloc(Math.min(span, size - from));
    await handle.read(buffer, 0, buffer.length, from);
    const text = buffer.toString('latin1');
    const at = detected.family === 'xml' ? findEventStart(text, 0) : text.indexOf('\n') + 1 || -1;
    if (at >= 0) return from + at;
    if (from + buffer.length >= size) return -1;
  }
}

/**
 * Shifts a part's positions by where the part starts in the file. An `.evtx` part ends at line 1
 * column 1 (its positions are in each record's own XML), so its shift is the identity.
 */
function shifter(lineOffset: number, columnOffset: number): (p: Position) => Position {
  return (p) => ({ line: p.line + lineOffset, column: p.line === 1 ? p.column + columnOffset : p.column });
}

function shiftRange(range: SourceRange, shift: (p: Position) => Position): SourceRange {
  return { start: shift(range.start), end: shift(range.end) };
}

/** Runs the parts on plan.threads workers (each takes the next part when it is free) and stitches their findings together in file order. */
function runParts(file: string, plan: Plan, options: ParallelOptions): Promise<Scan> {
  const parts = plan.bounds.length - 1;
  const { onProgress, onMatch, onMalformed, onProcess, signal, threads: _t, minParallelBytes: _m, rules: _r, lineageIndex: _l, pool: _p, partBytes: _b, ...plain } = options;
  const maxStored = options.maxStoredMatches ?? DEFAULT_MAX_STORED;
  const scan = emptyScan(plan.detected);
  // Findings of a part wait here until every earlier part is done and its end position known.
  const pending: { matches: Match[]; malformed: Malformed[]; processes: ProcessNote[] }[] = Array.from({ length: parts }, () => ({ matches: [], malformed: [], processes: [] }));
  const ends = new Array<Position | undefined>(parts).fill(undefined);
  const done = new Array<boolean>(parts).fill(false);
  const bytesDone = new Array<number>(parts).fill(0);
  const events = new Array<number>(parts).fill(0);
  const shapes = new Array<string | undefined>(parts).fill(undefined);
  let flushed = 0; // parts fully released
  let lineOffset = 0;
  let columnOffset = 0;

  const release = () => {
    while (flushed < parts) {
      const shift = shifter(lineOffset, columnOffset);
      const part = pending[flushed];
      for (const match of part.matches) {
        const shifted = { ...match, event: { ...match.event, range: shiftRange(match.event.range, shift) } };
        if (match.valueRange) shifted.valueRange = shiftRange(match.valueRange, shift);
        if (scan.matches.length < maxStored) scan.matches.push(shifted);
        onMatch?.(shifted);
      }
      for (const m of part.malformed) {
        const entry = { ...m, position: shift(m.position) };
        if (scan.malformed.length < MAX_STORED_MALFORMED) scan.malformed.push(entry);
        onMalformed?.(entry);
      }
      for (const note of part.processes) {
        // A part's byte offsets (lean lineage notes) count from where the part starts.
        if (note.byteOffset !== undefined) note.byteOffset += plan.bounds[flushed];
        onProcess?.(note.position ? { ...note, position: shift(note.position) } : note);
      }
      part.matches = [];
      part.malformed = [];
      part.processes = [];
      const end = ends[flushed];
      if (!done[flushed] || !end) return;
      // The next part starts where this one ends.
      columnOffset = end.line > 1 ? end.column - 1 : columnOffset + end.column - 1;
      lineOffset += end.line - 1;
      scan.end = shift(end);
      flushed++;
    }
  };

  // Without onMatch, a part need send no more matches than the cap leaves after those the parts
  // before it have already sent (they come first): once the cap is filled, later parts send none.
  const streamCap = (i: number): number => {
    let before = scan.matches.length;
    for (let j = flushed; j < i; j++) before += pending[j].matches.length;
    return Math.max(0, maxStored - before);
  };
  const taskOf = (i: number): WorkerTask => ({
    file,
    start: plan.bounds[i],
    end: plan.bounds[i + 1],
    detected: plan.detected,
    options: { ...plain, maxStoredMatches: Infinity, maxStreamedMatches: onMatch ? undefined : streamCap(i), lineage: onProcess !== undefined },
  });

  return withWorkers(options, (lease) => new Promise<Scan>((resolve, reject) => {
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      signal?.removeEventListener('abort', onAbort);
      reject(err); // withWorkers releases the workers: those still hunting are aborted
    };
    const onAbort = () => fail(signal?.reason ?? new DOMException('The hunt was cancelled', 'AbortError'));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let next = 0; // the first part not handed out
    const receive = (i: number, message: WorkerMessage, handOut: () => void) => {
      if (failed) return;
      if (message.type === 'progress') {
        bytesDone[i] = message.bytesDone;
        events[i] = message.events;
        onProgress?.({ bytesDone: sum(bytesDone), bytesTotal: plan.bounds[parts] - plan.bounds[0], events: sum(events) });
      } else if (message.type === 'found') {
        addFound(pending[i], message);
        if (i === flushed) release();
      } else if (message.type === 'done') {
        const part = message.scan;
        addCounts(scan, part);
        shapes[i] = part.jsonShape;
        ends[i] = part.end;
        done[i] = true;
        release();
        if (flushed === parts) {
          scan.jsonShape = shapes.find((shape) => shape !== undefined);
          signal?.removeEventListener('abort', onAbort);
          resolve(scan);
        } else handOut();
      } else if (message.type === 'error') {
        fail(Object.assign(new Error(message.message), { name: message.name }));
      }
    };
    // Each worker takes the next part in file order when it is free: the findings of a part that
    // finishes before an earlier one wait in memory, so parts are kept small (TEXT_PART_BYTES).
    for (let w = 0; w < plan.threads && next < parts; w++) {
      let current = next++;
      const worker = lease();
      const handOut = () => {
        if (next < parts) {
          current = next++;
          worker.run(taskOf(current));
        }
      };
      worker.attach((message: WorkerMessage) => receive(current, message, handOut), fail);
      worker.run(taskOf(current));
    }
  }));
}

/** Keeps a part's findings until the parts before it are released. */
function addFound(into: Pick<Scan, 'matches' | 'malformed'> & { processes: ProcessNote[] }, found: Extract<WorkerMessage, { type: 'found' }>): void {
  into.matches.push(...found.matches);
  into.malformed.push(...found.malformed);
  into.processes.push(...found.processes);
}

/** Adds a finished part's counts (events, EventIDs, matches per rule) to the hunt's. */
function addCounts(scan: Scan, part: Pick<Scan, 'counts' | 'eventIds' | 'ruleCounts'>): void {
  for (const key of Object.keys(scan.counts) as (keyof Scan['counts'])[]) scan.counts[key] += part.counts[key];
  for (const [id, n] of part.eventIds) scan.eventIds.set(id, (scan.eventIds.get(id) ?? 0) + n);
  for (const [id, n] of part.ruleCounts) scan.ruleCounts.set(id, (scan.ruleCounts.get(id) ?? 0) + n);
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
