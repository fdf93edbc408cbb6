/** A worker thread's side of a parallel hunt: hunts one part of a file and reports what it finds. */
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

export interface WorkerTask {
  file: string;
  start: number;
  end: number;
  detected: Detected;
  rules: WorkerRules;
  /** `lineage` true: the worker reports its part's process creates and terminates. */
  options: Omit<HuntOptions, 'onProgress' | 'onMatch' | 'onMalformed' | 'onProcess' | 'signal' | 'rules' | 'lineageIndex'>;
  /** An `.evtx` hunted in parts handed out one at a time: after `done`, wait for the next part (PartMessage). */
  more?: boolean;
}

/** From the hunt to a worker that was started with `more`: hunt [start, end) of the same file next, or stop. */
export type PartMessage = { type: 'part'; start: number; end: number } | { type: 'stop' };

/** What a worker needs to rebuild the rule set. */
export function rulesForWorker(rules: LoadedRules): WorkerRules {
  return { sources: rules.sources, selection: rules.selection };
}

export type WorkerMessage =
  | { type: 'progress'; bytesDone: number; events: number }
  | { type: 'found'; matches: Match[]; malformed: Malformed[]; processes: ProcessNote[] }
  | { type: 'done'; scan: Omit<Scan, 'matches' | 'malformed'> }
  /** A worker started with `more` and an empty range is ready for its first part. */
  | { type: 'ready' }
  | { type: 'error'; name: string; message: string };

/** Findings go out in batches: few messages, yet memory stays flat however many match. */
const BATCH = 256;

/**
 * Hunts the task's part and posts what it finds. `rules` are the task's rules compiled already (a
 * worker's earlier part, or the calling thread when it hunts a part itself); else they are compiled here.
 */
export async function runTask(task: WorkerTask, post: (message: WorkerMessage) => void, rules?: LoadedRules): Promise<void> {
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
    rules: rules ?? compileSources(task.rules.sources, task.rules.selection),
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

if (!isMainThread && parentPort) {
  const port = parentPort;
  const task = workerData as WorkerTask;
  const post = (m: WorkerMessage) => port.postMessage(m);
  const fail = (err: Error) => post({ type: 'error', name: err?.name ?? 'Error', message: err?.message ?? String(err) });
  if (!task.more) runTask(task, post).catch(fail);
  else {
    // The rules are compiled once, for every part this worker is given.
    const rules = compileSources(task.rules.sources, task.rules.selection);
    port.on('message', (m: PartMessage) => {
      if (m.type === 'part') runTask({ ...task, start: m.start, end: m.end }, post, rules).catch(fail);
      else port.close();
    });
    if (task.start < task.end) runTask(task, post, rules).catch(fail);
    else post({ type: 'ready' });
  }
}
