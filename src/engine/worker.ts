/**
 * A worker thread's side of a parallel hunt: it serves a WorkerPool (workerPool.ts), hunting one
 * part of a file per task and reporting what it finds. It keeps the rules it compiled, keyed by
 * their sources, so that a warm worker's next hunt with the same rules compiles nothing.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { openRangeSource } from './decode';
import { HuntOptions } from './huntTypes';
import { ProcessNote } from './lineage';
import { Malformed, Match } from './model';
import { Detected } from './readers/detect';
import { compileSources, LoadedRules } from './rules/load';
import { scanEvtxFile } from './evtxScan';
import { Scan, scanSource } from './scan';

/** The rules as plain data: compiled rules hold closures, so a worker compiles the same sources again. */
export type WorkerRules = Pick<LoadedRules, 'sources' | 'selection'>;

/** One part of a file to hunt. The rules go separately (PoolRequest `rules`), once per worker. */
export interface WorkerTask {
  file: string;
  start: number;
  end: number;
  detected: Detected;
  /** `lineage` true: the worker reports its part's process creates and terminates. */
  options: Omit<HuntOptions, 'onProgress' | 'onMatch' | 'onMalformed' | 'onProcess' | 'signal' | 'rules' | 'lineageIndex'>;
}

/** What a worker needs to rebuild the rule set. */
export function rulesForWorker(rules: LoadedRules): WorkerRules {
  return { sources: rules.sources, selection: rules.selection };
}

/**
 * From the pool to a worker. `rules`: have the rules of `key` ready (compiled from `rules` when the
 * worker does not hold them), then post `ready`. `task`: hunt a part with the rules of `key`, then
 * post `done` or `error`. `abort`: stop the running task (it posts an AbortError).
 */
export type PoolRequest =
  | { type: 'rules'; key: string; rules?: WorkerRules }
  | { type: 'task'; key: string; task: WorkerTask }
  | { type: 'abort' };

export type WorkerMessage =
  | { type: 'progress'; bytesDone: number; events: number }
  | { type: 'found'; matches: Match[]; malformed: Malformed[]; processes: ProcessNote[] }
  | { type: 'done'; scan: Omit<Scan, 'matches' | 'malformed'> }
  /** The rules of a `rules` request are ready; `compiled` when this worker compiled them for it. */
  | { type: 'ready'; compiled: boolean }
  | { type: 'error'; name: string; message: string };

/** Rule sets a worker keeps, the most recently used last: a hunt's rules survive a pivot search's. */
export const WORKER_RULE_SETS = 2;

/** workerData that marks a thread as a pool's hunt worker (and not some other thread that bundled this file). */
export const POOL_WORKER = { logHuntPoolWorker: true } as const;

/** Marks `key` used most recently in a list of at most WORKER_RULE_SETS; returns the keys dropped. The pool mirrors the worker with it. */
export function touchRuleSet(keys: string[], key: string): string[] {
  const at = keys.indexOf(key);
  if (at >= 0) keys.splice(at, 1);
  keys.push(key);
  return keys.splice(0, Math.max(0, keys.length - WORKER_RULE_SETS));
}

/** Findings go out in batches: few messages, yet memory stays flat however many match. */
const BATCH = 256;

/** Hunts the task's part with `rules` (compiled already) and posts what it finds. */
export async function runTask(task: WorkerTask, post: (message: WorkerMessage) => void, rules: LoadedRules, signal?: AbortSignal): Promise<void> {
  let matches: Match[] = [];
  let malformed: Malformed[] = [];
  let processes: ProcessNote[] = [];
  const flush = () => {
    if (matches.length + malformed.length + processes.length === 0) return;
    post({ type: 'found', matches, malformed, processes });
    matches = [];
    malformed = [];
    processes = [];
  };
  const options: HuntOptions = {
    ...task.options,
    rules,
    signal,
    maxStoredMatches: 0, // streamed instead
    onMatch: (m) => matches.push(m) >= BATCH && flush(),
    onMalformed: (m) => malformed.push(m) >= BATCH && flush(),
    onProcess: task.options.lineage ? (p) => processes.push(p) >= BATCH * 16 && flush() : undefined,
    onProgress: (p) => {
      flush();
      post({ type: 'progress', bytesDone: p.bytesDone, events: p.events });
    },
  };
  const scan =
    task.detected.family === 'evtx'
      ? await scanEvtxFile(task.file, options, task.end - task.start, { start: task.start, end: task.end })
      : await scanSource(await openRangeSource(task.file, task.start, task.end, task.options.chunkSize), options, task.detected);
  flush();
  const { matches: _m, malformed: _f, ...rest } = scan;
  post({ type: 'done', scan: rest });
}

/** A pool worker's loop: requests come one after another; a task runs until done, failed or aborted. */
function serve(port: NonNullable<typeof parentPort>): void {
  const held = new Map<string, LoadedRules>();
  const heldKeys: string[] = [];
  let running: AbortController | undefined;
  const post = (m: WorkerMessage) => port.postMessage(m);
  const fail = (err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    post({ type: 'error', name: e.name, message: e.message });
  };
  port.on('message', (request: PoolRequest) => {
    if (request.type === 'abort') return running?.abort(new DOMException('The hunt was cancelled', 'AbortError'));
    try {
      if (request.type === 'rules') {
        let compiled = false;
        if (!held.has(request.key)) {
          if (!request.rules) throw new Error(`hunt worker: no rules for ${request.key}`);
          held.set(request.key, compileSources(request.rules.sources, request.rules.selection));
          compiled = true;
        }
        for (const dropped of touchRuleSet(heldKeys, request.key)) held.delete(dropped);
        post({ type: 'ready', compiled });
        return;
      }
      const rules = held.get(request.key);
      if (!rules) throw new Error(`hunt worker: no rules for ${request.key}`);
      const controller = (running = new AbortController());
      runTask(request.task, post, rules, controller.signal)
        .catch(fail)
        .finally(() => {
          if (running === controller) running = undefined;
        });
    } catch (err) {
      fail(err);
    }
  });
}

if (!isMainThread && parentPort && (workerData as Partial<typeof POOL_WORKER> | undefined)?.logHuntPoolWorker === true) serve(parentPort);
