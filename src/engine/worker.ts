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
}

/** What a worker needs to rebuild the rule set. */
export function rulesForWorker(rules: LoadedRules): WorkerRules {
  return { sources: rules.sources, selection: rules.selection };
}

export type WorkerMessage =
  | { type: 'progress'; bytesDone: number; events: number }
  | { type: 'found'; matches: Match[]; malformed: Malformed[]; processes: ProcessNote[] }
  | { type: 'done'; scan: Omit<Scan, 'matches' | 'malformed'> }
  | { type: 'error'; name: string; message: string };

/** Findings go out in batches: few messages, yet memory stays flat however many match. */
const BATCH = 256;

async function run(task: WorkerTask, post: (message: WorkerMessage) => void): Promise<void> {
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
    rules: compileSources(task.rules.sources, task.rules.selection),
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
  run(workerData as WorkerTask, (m) => port.postMessage(m)).catch((err: Error) =>
    port.postMessage({ type: 'error', name: err?.name ?? 'Error', message: err?.message ?? String(err) }),
  );
}
