/**
 * The CLI's warm figure for `npm run bench:vscode`: one Node process loads the rules as
 * `log-hunt hunt` does and hunts the same file several times with the CLI's options (lineage on,
 * nothing stored), so that the hunts after the first pay no process start, module load, thread
 * start or JIT warm-up. With a WorkerPool (the default) the workers stay warm from hunt to hunt,
 * as the extension's do; `--no-pool` starts fresh workers for every hunt, as the CLI does.
 *
 *   node out/bench/warmHunts.js FILE [--rules DIR]... [--no-builtin] [--hunts N (2)] [--no-pool]
 *
 * Prints one line per hunt, the CLI's summary words for the last (`N match(es) in M events`), a
 * `LOG_HUNT_WARM_MS <ms>` line (the last hunt's wall time: what bench/vscode/huntTiming.test.ts
 * takes as the in-session figure), and a `LOG_HUNT_WARM_JSON {...}` line with every hunt.
 */
import { huntFileParallel, loadRules, WorkerPool } from '../src/engine';

export interface WarmHunt {
  /** Wall time of huntFileParallel, ms. */
  ms: number;
  /** CPU of the whole process (every thread), s. */
  cpuS: number;
  matches: number;
  events: number;
}

export interface WarmReport {
  file: string;
  rules: number;
  /** Loading and compiling the rules on the main thread (as the CLI does before its hunt). */
  loadMs: number;
  hunts: WarmHunt[];
  pool: boolean;
  threadsStarted?: number;
  compiles?: number;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const paths: string[] = [];
  let hunts = 2;
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--rules') paths.push(argv[++i]);
    else if (argv[i] === '--hunts') hunts = Math.max(1, Number(argv[++i]));
    else if (!argv[i].startsWith('--')) file = argv[i];
  }
  if (!file) throw new Error('usage: warmHunts FILE [--rules DIR]... [--no-builtin] [--hunts N] [--no-pool]');
  const usePool = !argv.includes('--no-pool');
  const loadStarted = performance.now();
  const rules = await loadRules({ paths, builtin: !argv.includes('--no-builtin') });
  const loadMs = performance.now() - loadStarted;
  const pool = usePool ? new WorkerPool() : undefined;
  const report: WarmReport = { file, rules: rules.rules.length, loadMs, hunts: [], pool: usePool };
  try {
    for (let i = 0; i < hunts; i++) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const result = await huntFileParallel(file, { rules, lineage: true, mode: 'fast', maxStoredMatches: 0, pool });
      const ms = performance.now() - started;
      const used = process.cpuUsage(cpu);
      const hunt = { ms, cpuS: (used.user + used.system) / 1e6, matches: result.summary.matches, events: result.summary.events };
      report.hunts.push(hunt);
      console.log(`hunt ${i + 1}/${hunts}: ${(ms / 1000).toFixed(3)} s, ${hunt.cpuS.toFixed(2)} CPU-s, ${hunt.matches} match(es) in ${hunt.events} events`);
    }
    report.threadsStarted = pool?.stats().started;
    report.compiles = pool?.stats().compiles;
  } finally {
    pool?.dispose();
  }
  const last = report.hunts[report.hunts.length - 1];
  console.log(`${last.matches} match(es) in ${last.events} events`);
  console.log(`LOG_HUNT_WARM_MS ${last.ms.toFixed(1)}`);
  console.log(`LOG_HUNT_WARM_JSON ${JSON.stringify(report)}`);
}

main().catch((err) => {
  console.error(`warmHunts: ${(err as Error)?.stack ?? String(err)}`);
  process.exit(1);
});
