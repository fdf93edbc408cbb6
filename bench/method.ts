/**
 * The bench methods, and the runner that executes one of them on one file. run.ts forks this file once
 * per measurement, so each method starts in a fresh process and its peak RSS is its own.
 *
 * Child protocol: argv = [methodId, file]; sends one MethodReport over IPC, then exits.
 */
import * as fs from 'fs';
import { availableParallelism } from 'os';
import { Counts, naiveSaxHunt } from './naive';

export type { Counts };

export interface Method {
  id: string;
  label: string;
  /** Resolves with the counts, or undefined for methods that do not hunt (the read limit). */
  run(file: string): Promise<Counts | undefined>;
}

export type MethodReport =
  | { ok: true; seconds: number; maxRssMb: number; counts?: Counts }
  | { ok: false; error: string; maxRssMb: number };

/** The floor for any streaming hunt: read every byte, do nothing with it. */
async function readAndDiscard(file: string): Promise<undefined> {
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) void chunk;
  return undefined;
}

// ============================================================ the methods table: one entry per method
export const METHODS: readonly Method[] = [
  { id: 'a', label: 'read + discard (limit)', run: readAndDiscard },
  { id: 'b', label: 'naive sax / readline', run: naiveSaxHunt },
  {
    id: 'c',
    label: 'huntFile, 1 thread',
    // Loaded lazily, so (a) and (b) still run while the engine is broken or being rewritten.
    run: async (file) => (await (await import('../src/engine/hunt')).huntFile(file)).summary,
  },
  {
    id: 'd',
    label: `huntFileParallel, ${availableParallelism()} workers`,
    run: async (file) => (await (await import('../src/engine/parallel')).huntFileParallel(file)).summary,
  },
];
// ============================================================

async function child(id: string, file: string): Promise<void> {
  const rss = () => Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10; // maxRSS is in KiB
  const method = METHODS.find((m) => m.id === id);
  let report: MethodReport;
  try {
    if (!method) throw new Error(`no method '${id}'`);
    const started = process.hrtime.bigint();
    const result = await method.run(file);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const counts = result && { events: result.events, processCreates: result.processCreates, matches: result.matches };
    report = { ok: true, seconds, maxRssMb: rss(), counts };
  } catch (err) {
    report = { ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err), maxRssMb: rss() };
  }
  if (process.send) process.send(report, () => process.exit(0));
  else console.log(JSON.stringify(report));
}

if (require.main === module) void child(process.argv[2], process.argv[3]);
