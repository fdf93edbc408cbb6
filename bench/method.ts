/**
 * The bench methods, and the runner that executes one of them on one file. run.ts forks this file once
 * per measurement, so each method starts in a fresh process and its peak RSS is its own.
 *
 * Child protocol: argv = [methodId, file, 'together'?]; sends one MethodReport over IPC, then exits.
 * With 'together' it first sends { ready: true } and waits for a message before it starts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { fork } from 'child_process';
import { availableParallelism } from 'os';
import { createHash } from 'crypto';
import { Counts, naiveSaxHunt } from './naive';
import type { Match } from '../src/engine/model';
import type { LoadedRules } from '../src/engine/rules/load';
import type { EvtxParsedRecord } from '../src/engine/readers/evtx';

export type { Counts };

export interface Method {
  id: string;
  label: string;
  /** How many times the method reads the file (its MB/s counts every pass). Default 1. */
  passes?: number;
  /** Runs every SigmaHQ windows rule and the CAR library: its matches are not the generator's one-analytic truth. */
  allRules?: boolean;
  /** Decodes without hunting (the EVTX decoder rows): only its events and process creates are checked. */
  decodeOnly?: boolean;
  /** Hunts with the built-in CAR library (the CLI's default rules): its matches are compared with the other such rows. */
  library?: boolean;
  /** Resolves with the counts, or undefined for methods that do not hunt (the read limit). */
  run(file: string): Promise<Counts | undefined | Measured>;
}

/**
 * What a method measured itself: the counts and time, and the peak RSS (summed, for methods that
 * run other processes; undefined: the child's own). The all-rules methods time the hunt alone and
 * report the rule load apart, with the matches per rule.
 */
interface Measured {
  counts: Counts;
  /** The hunt's own time (and CPU time); undefined: the child times the whole method. */
  seconds?: number;
  cpuSeconds?: number;
  /** Several processes: no one CPU time. */
  noCpu?: boolean;
  /** A hash of the stored matches (rule, record id, chunk, offset, line), in order: one thread and workers must agree. */
  digest?: string;
  maxRssMb?: number;
  loadSeconds?: number;
  /** The rule load's wall time (its CPU time, loadSeconds, also counts V8's compiler and GC threads). */
  loadWallSeconds?: number;
  rules?: number;
  matchesByRule?: Record<string, number>;
}

export type MethodReport =
  /** `startedAt`, `endedAt`: wall-clock ms, for runs started together (see independentHunts). */
  | {
      ok: true;
      seconds: number;
      /** CPU seconds of the process (every thread of it) over the same span; undefined for methods of several processes. */
      cpuSeconds?: number;
      maxRssMb: number;
      counts?: Counts;
      startedAt?: number;
      endedAt?: number;
      loadSeconds?: number;
      loadWallSeconds?: number;
      rules?: number;
      matchesByRule?: Record<string, number>;
      digest?: string;
    }
  | { ok: false; error: string; maxRssMb: number };

/** The bench's analytic, alone, as the generated logs' ground truth counts it (loaded outside the timing's hot loop). */
async function oneAnalytic() {
  const { loadRules } = await import('../src/engine/rules/load');
  return loadRules({ ids: ['CAR-2014-05-002'] });
}

/** <repo>/../shared/sigma/rules/windows, or LOG_HUNT_SIGMA_RULES; found from this file's place via the nearest package.json. */
export function windowsRulesDir(): string {
  if (process.env.LOG_HUNT_SIGMA_RULES) return path.resolve(process.env.LOG_HUNT_SIGMA_RULES);
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, '..', 'shared', 'sigma', 'rules', 'windows');
}

/** Every SigmaHQ windows rule and the CAR library, then one hunt: its time alone, beside the load's. */
async function allRulesHunt(file: string, options: { mode?: 'plain'; threads?: number }): Promise<Measured> {
  const dir = windowsRulesDir();
  if (!fs.existsSync(dir)) throw new Error(`the all-rules methods need the SigmaHQ rules at ${dir} (or LOG_HUNT_SIGMA_RULES)`);
  const { loadRules } = await import('../src/engine/rules/load');
  // Issue 11's floor is loading and compiling every rule of ../shared/sigma/rules, in a fresh process:
  // timed here, and the hunt takes the windows folder's rules (and CAR's) out of that load.
  const everyRule = process.env.LOG_HUNT_SIGMA_RULES ? dir : path.dirname(dir);
  const cpu = process.cpuUsage();
  const wall = process.hrtime.bigint();
  const everything = await loadRules({ paths: [everyRule] });
  const loadWallSeconds = Number(process.hrtime.bigint() - wall) / 1e9;
  const used = process.cpuUsage(cpu);
  const loadSeconds = (used.user + used.system) / 1e6;
  const loaded = everyRule === dir ? everything : rulesUnder(everything, dir);
  const started = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const result = options.threads
    ? // Forced onto workers (a hunt this size with every rule would stay on one thread by itself): (s) measures them.
      await (await import('../src/engine/parallel')).huntFileParallel(file, { rules: loaded, threads: options.threads, minParallelBytes: 0 })
    : await (await import('../src/engine/hunt')).huntFile(file, { rules: loaded, mode: options.mode });
  const { summary } = result;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const huntCpu = process.cpuUsage(cpuStart);
  return { counts: summary, seconds, cpuSeconds: (huntCpu.user + huntCpu.system) / 1e6, loadSeconds, loadWallSeconds, rules: loaded.rules.length, matchesByRule: summary.matchesByRule, digest: digestOf(result.matches) };
}

/** The built-in rules and those from files under `dir`, in load order: what loadRules({ paths: [dir] }) gives. */
function rulesUnder(everything: LoadedRules, dir: string): LoadedRules {
  const inside = (file: string): boolean => file.startsWith(dir + path.sep);
  return {
    ...everything,
    rules: everything.rules.filter((r) => r.info.kind !== 'sigma' || inside(r.info.source)),
    skipped: everything.skipped.filter((s) => s.source === 'car' || inside(s.source)),
    sources: everything.sources.filter((s) => s.kind !== 'sigma' || inside(s.file)),
  };
}

/** A hash of the stored matches, in order: which rule, which record, where. */
export function digestOf(matches: readonly Match[]): string {
  const h = createHash('sha1');
  for (const m of matches) {
    const e = m.event;
    h.update(`${m.analyticId}|${e.recordId ?? ''}|${e.place?.chunk ?? ''}|${e.place?.offset ?? ''}|${e.range.start.line}|${e.range.start.column}\n`);
  }
  return `${matches.length}:${h.digest('hex').slice(0, 12)}`;
}

/**
 * Times one hunt with these rules (one thread, or `threads` workers), after the engine's modules
 * and the rules are loaded: a fixed 0.2-0.3 s of start-up is not a hunt's throughput (the CLI's
 * own rate excludes it too). `setup` is the CPU time taken so far (process.cpuUsage at its start).
 */
async function timedHunt(file: string, rules: LoadedRules, setup: NodeJS.CpuUsage, options: { threads?: number; lineage?: boolean }): Promise<Measured> {
  const { huntFileParallel } = await import('../src/engine/parallel');
  const { huntFile } = await import('../src/engine/hunt');
  const setupCpu = process.cpuUsage(setup);
  const started = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const { threads, lineage } = options;
  const result = threads ? await huntFileParallel(file, { rules, threads, lineage }) : await huntFile(file, { rules, lineage });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  return {
    counts: result.summary,
    digest: digestOf(result.matches),
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    loadSeconds: (setupCpu.user + setupCpu.system) / 1e6,
    rules: rules.rules.length,
    matchesByRule: result.summary.matchesByRule,
  };
}

/** A hunt with CAR-2014-05-002 alone, on one thread or on `threads` workers, with its matches' digest. */
async function oneAnalyticHunt(file: string, threads?: number, lineage?: boolean): Promise<Measured> {
  const setup = process.cpuUsage();
  return timedHunt(file, await oneAnalytic(), setup, { threads, lineage });
}

/**
 * A hunt with the built-in CAR library, the rules `log-hunt hunt` uses by default, on one thread,
 * with or without lineage: (m) against (k) is lineage's cost in the hunt an analyst runs by default,
 * beside (l) against (c), its cost beside the cheapest hunt there is.
 */
async function libraryHunt(file: string, lineage: boolean): Promise<Measured> {
  const setup = process.cpuUsage();
  const { builtinRules } = await import('../src/engine/rules/load');
  return timedHunt(file, builtinRules(), setup, { lineage });
}

/**
 * A pivot as an analyst runs one: every event holding the ProcessGuid of the file's first process
 * create (any field, case ignored), one thread. Its counts are the events read, not matches.
 */
async function pivotSearch(file: string): Promise<Measured> {
  const head = Buffer.alloc(1 << 20);
  const fd = fs.openSync(file, 'r');
  const read = fs.readSync(fd, head, 0, head.length, 0);
  fs.closeSync(fd);
  const guid = /ProcessGuid\W{1,6}(\{[0-9A-Fa-f-]{36}\})/.exec(head.toString('latin1', 0, read))?.[1] ?? '{00000000-0000-0000-0000-000000000001}';
  const { searchFiles } = await import('../src/engine/search');
  const found = await searchFiles({ value: guid }, [file], { maxStoredMatches: 0, threads: 1 });
  const summary = found.files[0].summary;
  return { counts: { events: summary.events, processCreates: summary.processCreates, matches: summary.matches } };
}

/**
 * The EVTX decoder alone, one thread: every chunk read and checked, and each record's EventID,
 * Provider and Channel (`head`) or every field (`all`) decoded; nothing hunted.
 */
async function evtxDecode(file: string, what: 'head' | 'all'): Promise<Measured> {
  const { decodeHead, decodeRecord, readEvtxFileChunks } = await import('../src/engine/readers/evtx');
  const { isProcessCreate } = await import('../src/engine/model');
  const counts: Counts = { events: 0, processCreates: 0, matches: 0 };
  let fields = 0;
  for await (const chunk of readEvtxFileChunks(file)) {
    for (const ref of chunk.records) {
      const record = what === 'head' ? decodeHead(chunk, ref) : decodeRecord(chunk, ref);
      if (!record) continue;
      counts.events++;
      if (isProcessCreate(record)) counts.processCreates++;
      if (what === 'all') {
        const r = record as EvtxParsedRecord;
        for (const k in r.data) fields += r.data[k].length;
      }
    }
  }
  if (fields < 0) throw new Error('unreachable'); // keeps the field walk from being optimised away
  return { counts };
}

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
    run: (file) => oneAnalyticHunt(file),
  },
  {
    id: 'd',
    label: `huntFileParallel, ${availableParallelism()} workers`,
    run: (file) => oneAnalyticHunt(file, availableParallelism()),
  },
  // The EVTX rows (bench/evtx.ts): the decoder alone, then (c) and (t) hunt with CAR-2014-05-002.
  { id: 'h', label: 'EVTX decodeHead (EventID, Provider, Channel)', decodeOnly: true, run: (file) => evtxDecode(file, 'head') },
  { id: 'v', label: 'EVTX decodeRecord (every field)', decodeOnly: true, run: (file) => evtxDecode(file, 'all') },
  { id: 't', label: 'huntFileParallel, 2 workers', run: (file) => oneAnalyticHunt(file, 2) },
  {
    id: 'r',
    label: 'huntFile, 1 thread, all rules',
    allRules: true,
    run: (file) => allRulesHunt(file, {}),
  },
  {
    id: 's',
    label: `huntFileParallel, ${availableParallelism()} workers, all rules`,
    allRules: true,
    run: (file) => allRulesHunt(file, { threads: availableParallelism() }),
  },
  {
    // The baseline: every record parsed, every rule of its EventID evaluated. Slow: ask for it (--methods q).
    id: 'q',
    label: 'plain path, 1 thread, all rules',
    allRules: true,
    run: (file) => allRulesHunt(file, { mode: 'plain' }),
  },
  // Issue 12: (l) is (c) with lineage (off by default), so (l) against (c) is lineage's cost; (p) a pivot search.
  { id: 'l', label: 'huntFile, 1 thread, with lineage', run: (file) => oneAnalyticHunt(file, undefined, true) },
  // (m) against (k): lineage's cost with the built-in library, what `log-hunt hunt` runs by default.
  { id: 'k', label: 'huntFile, 1 thread, built-in library', library: true, run: (file) => libraryHunt(file, false) },
  { id: 'm', label: 'huntFile, 1 thread, built-in library, with lineage', library: true, run: (file) => libraryHunt(file, true) },
  { id: 'p', label: 'search: a ProcessGuid, any field (pivot)', decodeOnly: true, run: pivotSearch },
  {
    // No split can scale better than independent hunts do: this measures what the machine allows
    // (shared caches, memory bandwidth, and the helper threads each hunt already keeps busy).
    id: 'e',
    label: `${availableParallelism()} × (c) at once (ceiling)`,
    passes: availableParallelism(),
    run: (file) => independentHunts(file, availableParallelism()),
  },
];

/**
 * Runs method (c) in `n` processes at once on the same file: each starts once all are loaded, and
 * the time is from the first start to the last end.
 */
async function independentHunts(file: string, n: number): Promise<Measured> {
  const children = Array.from({ length: n }, () => fork(__filename, ['c', file, 'together'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const ready = children.map((child) => new Promise<void>((resolve) => child.once('message', () => resolve())));
  const reports = children.map(
    (child) =>
      new Promise<MethodReport>((resolve, reject) => {
        child.on('message', (m) => (m as { ready?: boolean }).ready || resolve(m as MethodReport));
        child.on('error', reject);
        child.on('exit', (code) => reject(new Error(`hunt process exited with ${code} and no report`)));
      }),
  );
  await Promise.all(ready);
  for (const child of children) child.send('go');
  const done = await Promise.all(reports);
  const failed = done.find((r) => !r.ok);
  if (failed && !failed.ok) throw new Error(failed.error);
  const ok = done as Extract<MethodReport, { ok: true }>[];
  const seconds = (Math.max(...ok.map((r) => r.endedAt!)) - Math.min(...ok.map((r) => r.startedAt!))) / 1000;
  return { counts: ok[0].counts!, seconds, maxRssMb: ok.reduce((sum, r) => sum + r.maxRssMb, 0), noCpu: true };
}

/** Wall-clock milliseconds, comparable between processes. */
const wallClock = () => performance.timeOrigin + performance.now();
// ============================================================

async function child(id: string, file: string, together: boolean): Promise<void> {
  const rss = () => Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10; // maxRSS is in KiB
  const method = METHODS.find((m) => m.id === id);
  let report: MethodReport;
  try {
    if (!method) throw new Error(`no method '${id}'`);
    if (together) {
      process.send!({ ready: true });
      await new Promise((resolve) => process.once('message', resolve));
    }
    const startedAt = wallClock();
    const started = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    const result = await method.run(file);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuStart);
    const endedAt = wallClock();
    const measured = result && 'counts' in result ? result : undefined;
    const c = measured ? measured.counts : (result as Counts | undefined);
    const counts = c && { events: c.events, processCreates: c.processCreates, matches: c.matches };
    report = {
      ok: true,
      seconds: measured?.seconds ?? seconds,
      cpuSeconds: measured?.noCpu ? undefined : measured?.cpuSeconds ?? (cpu.user + cpu.system) / 1e6,
      maxRssMb: measured?.maxRssMb ?? rss(),
      counts,
      startedAt,
      endedAt,
      loadSeconds: measured?.loadSeconds,
      loadWallSeconds: measured?.loadWallSeconds,
      rules: measured?.rules,
      matchesByRule: measured?.matchesByRule,
      digest: measured?.digest,
    };
  } catch (err) {
    report = { ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err), maxRssMb: rss() };
  }
  if (process.send) process.send(report, () => process.exit(0));
  else console.log(JSON.stringify(report));
}

if (require.main === module) void child(process.argv[2], process.argv[3], process.argv[4] === 'together');
