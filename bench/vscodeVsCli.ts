/**
 * `npm run bench:vscode`: how much slower is a hunt in VS Code than in the CLI, on the same file,
 * in the same run? Floor (issue 4): command → diagnostics shown takes at most 1.3× the CLI's time.
 *
 * 1. Ensures the log exists (generated once, cached in the git-ignored bench/data/ under the same
 *    name `npm run bench` uses).
 * 2. Times the CLI: `node dist/cli.js hunt --max-matches 0 FILE`, whole-process wall time, one
 *    warm-up run and then --runs runs, with no VS Code running; --runs more after step 3.
 * 3. Runs the harness (test/harness/runIntegration.js --tests out/bench/vscode) on a temporary
 *    workspace holding the config; inside code-server's extension host, bench/vscode/huntTiming.test.ts
 *    times `logHunt.huntFile` the same way (warm-up, then --runs runs), and the CLI again between
 *    them, so that both also meet the same load with the workbench open.
 * 4. Prints the table and the verdict against the floor: paired (each VS Code run over the CLI
 *    run beside it in the session, so that a change in the machine's load cancels out) and
 *    sequential (VS Code over the CLI runs made without VS Code, before and after it).
 *
 * 5. Repeated hunts (issue 11): for each rule set (the built-in library; every SigmaHQ windows rule
 *    of ../shared/sigma/rules/windows with it), the CLI's warm figure (bench/warmHunts.ts: hunts
 *    after the first in one process, workers kept warm) before and after a VS Code session whose
 *    workspace settings load those rules; VS Code's hunts after its first are the repeated ones.
 *    Floor: a repeated hunt in VS Code ≤ 1.1× the CLI's warm figure, judged by CPU seconds (the
 *    extension host with its workers plus the rest of VS Code, less what they spend idle over the
 *    same time, measured in the pause before each run; against the CLI process), with the gross
 *    CPU ratio and the wall-time ratio beside it.
 *
 * Exit status: 0 whatever the ratio (a bench, not a test); 1 when something broke.
 *
 * Flags: --mb N (250) --shape eventviewer|wevtutil|ecs (eventviewer) --runs N (3) --seed N (1)
 *        --match-every N (1000) --pause-ms N (1000) --timeout S (1800) --no-in-session-cli --json --verbose
 *        --extension DIR (another build of the extension, for an A/B; default the repository)
 *        --no-repeated (skip step 5) --only-repeated (step 5 alone) --rule-sets default,sigma-windows
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GENERATOR_VERSION, GroundTruth, SHAPES, SHAPE_EXT, Shape, generateLog } from './generate';
import type { BenchConfig, BenchResult, VsCodeRun } from './vscode/huntTiming.test';
import type { WarmReport } from './warmHunts';

/** Keep in step with bench/vscode/huntTiming.test.ts. */
const CONFIG_FILE = 'log-hunt-bench.json';
const CONFIG_ENV = 'LOG_HUNT_BENCH_CONFIG';
const RESULT_PREFIX = 'LOG_HUNT_BENCH_RESULT ';
const FLOOR = 1.3;
/** Issue 11: a repeated hunt in VS Code against the CLI's warm figure. */
const WARM_FLOOR = 1.1;
const WARM_PREFIX = 'LOG_HUNT_WARM_JSON ';

const argv = process.argv.slice(2);
const flag = (name: string, def: string) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : def; };
const MB = Number(flag('mb', '250'));
const SHAPE = flag('shape', 'eventviewer') as Shape;
const RUNS = Math.max(1, Number(flag('runs', '3')));
const SEED = Number(flag('seed', '1'));
const MATCH_EVERY = Number(flag('match-every', '1000'));
const PAUSE_MS = Number(flag('pause-ms', '1000'));
const TIMEOUT_S = Number(flag('timeout', '1800'));
const IN_SESSION_CLI = !argv.includes('--no-in-session-cli');
const AS_JSON = argv.includes('--json');
const VERBOSE = argv.includes('--verbose');
/** Another build of the extension to time (e.g. a copy with one change, for an A/B); the CLI stays dist/cli.js. */
const EXTENSION = argv.includes('--extension') ? path.resolve(flag('extension', '')) : undefined;
const REPEATED = !argv.includes('--no-repeated');
const ONLY_REPEATED = argv.includes('--only-repeated');
const RULE_SETS = flag('rule-sets', 'default,sigma-windows').split(',').filter(Boolean);

const REPO = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();
const DATA = path.join(REPO, 'bench', 'data');
const CLI = path.join(REPO, 'dist', 'cli.js');
const WARM_HUNTS = path.join(REPO, 'out', 'bench', 'warmHunts.js');
/** The rule sets of step 5: the folders the extension's setting and warmHunts' --rules get. */
const SIGMA_WINDOWS = path.resolve(REPO, '..', 'shared', 'sigma', 'rules', 'windows');
const RULE_FOLDERS: Record<string, string[]> = { default: [], 'sigma-windows': [SIGMA_WINDOWS] };
const log = (s: string) => process.stderr.write(s + '\n');

/** The same cache entry as bench/run.ts's ensureLog: file name and sidecar. */
interface Cached { shape: Shape; mb: number; seed: number; matchEvery: number; version: number; truth: GroundTruth; genSeconds?: number }

async function ensureLog(): Promise<{ file: string; truth: GroundTruth }> {
  const file = path.join(DATA, `sysmon-${SHAPE}-${MB}mb-seed${SEED}-every${MATCH_EVERY}-g${GENERATOR_VERSION}.${SHAPE_EXT[SHAPE]}`);
  const sidecar = `${file}.truth.json`;
  try {
    const meta = JSON.parse(fs.readFileSync(sidecar, 'utf8')) as Cached;
    const same = meta.shape === SHAPE && meta.mb === MB && meta.seed === SEED && meta.matchEvery === MATCH_EVERY && meta.version === GENERATOR_VERSION;
    if (same && fs.statSync(file).size === meta.truth.bytes) return { file, truth: meta.truth };
  } catch { /* missing or unreadable: regenerate */ }
  fs.mkdirSync(DATA, { recursive: true });
  fs.rmSync(sidecar, { force: true }); // written last, so a killed run never looks complete
  log(`generating ${path.relative(process.cwd(), file)} ...`);
  const started = process.hrtime.bigint();
  const truth = await generateLog({ shape: SHAPE, targetBytes: MB * 1024 * 1024, seed: SEED, matchEvery: MATCH_EVERY }, file);
  const genSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const meta: Cached = { shape: SHAPE, mb: MB, seed: SEED, matchEvery: MATCH_EVERY, version: GENERATOR_VERSION, truth, genSeconds };
  fs.writeFileSync(sidecar, JSON.stringify(meta, null, 2));
  return { file, truth };
}

function cliArgs(file: string): string[] {
  return ['hunt', '--max-matches', '0', file];
}

/** The CLI's own figure for its hunt (HuntSummary.seconds, printed to 10 ms), per run. */
const cliEngineMs: number[] = [];

/** A Node script in a child process: its exit code, output, and wall time. */
function runNode(args: string[]): Promise<{ code: number | null; out: string; err: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out, err, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
  });
}

/** One CLI run: wall time of the whole process, and its summary line checked against the truth. */
async function timeCli(file: string, truth: GroundTruth): Promise<number> {
  const { code, out, err, ms } = await runNode([CLI, ...cliArgs(file)]);
  if (code !== 0) throw new Error(`CLI exited with ${code}: ${err.trim()}`);
  const m = /(\d+) match\(es\) in (\d+) events/.exec(out);
  if (!m) throw new Error(`CLI printed no summary: ${out.trim()}`);
  if (Number(m[1]) !== truth.matches || Number(m[2]) !== truth.events) {
    throw new Error(`CLI counted ${m[1]} matches in ${m[2]} events; the generator wrote ${truth.matches} in ${truth.events}`);
  }
  const engine = / MB in ([\d.]+) s/.exec(out);
  if (engine) cliEngineMs.push(Number(engine[1]) * 1000);
  return ms;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

function machine() {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try { cpu = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu; } catch { /* not Linux */ }
  return { cpu, cores: os.availableParallelism(), node: process.version, platform: `${os.platform()} ${os.release()}`, memGb: Math.round(os.totalmem() / 2 ** 30) };
}

/** Runs the harness on the workspace; echoes its output and picks out the suite's result line. */
function runHarness(workspace: string, resultFile: string, configFile: string): Promise<BenchResult> {
  return new Promise((resolve, reject) => {
    const args = [path.join(REPO, 'out', 'test', 'harness', 'runIntegration.js'),
      '--tests', path.join(REPO, 'out', 'bench', 'vscode'), '--workspace', workspace, '--timeout', String(TIMEOUT_S)];
    if (VERBOSE) args.push('--verbose');
    if (EXTENSION) args.push('--extension', EXTENSION);
    const child = spawn(process.execPath, args, { cwd: REPO, env: { ...process.env, [CONFIG_ENV]: configFile }, stdio: ['ignore', 'pipe', 'pipe'] });
    let fromStdout: BenchResult | undefined;
    let pending = '';
    child.stdout.on('data', (d: Buffer) => {
      pending += d.toString();
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (line.startsWith(RESULT_PREFIX)) fromStdout = JSON.parse(line.slice(RESULT_PREFIX.length)) as BenchResult;
        else log(`  | ${line}`);
      }
    });
    child.stderr.on('data', (d: Buffer) => process.stderr.write(d.toString().replace(/^(?=.)/gm, '  | ')));
    child.on('error', reject);
    child.on('exit', (code) => {
      let result = fromStdout;
      try { result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as BenchResult; } catch { /* fall back to the printed line */ }
      if (code !== 0) return reject(new Error(`the harness exited with ${code}`));
      if (!result) return reject(new Error('the suite reported no result'));
      resolve(result);
    });
  });
}

function table(rows: string[][], right: number[]): string {
  const width = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (right.includes(i) ? c.padStart(width[i]) : c.padEnd(width[i]))).join('  ').trimEnd();
  return [line(rows[0]), line(width.map((w) => '-'.repeat(w))), ...rows.slice(1).map(line)].join('\n');
}

async function main(): Promise<void> {
  if (!SHAPES.includes(SHAPE)) throw new Error(`unknown shape ${SHAPE}`);
  for (const built of [CLI, WARM_HUNTS, path.join(REPO, 'dist', 'extension.js'), path.join(REPO, 'out', 'bench', 'vscode', 'index.js')]) {
    if (!fs.existsSync(built)) throw new Error(`${path.relative(REPO, built)} is missing: run npm run build && npm run compile-tests`);
  }
  const info = machine();
  log(`machine: ${info.cpu}, ${info.cores} cores, ${info.memGb} GB, node ${info.node}; load ${loadavg()}`);
  const { file, truth } = await ensureLog();
  const mb = truth.bytes / 1e6;
  log(`log: ${path.relative(process.cwd(), file)}: ${mb.toFixed(1)} MB, ${truth.events} events, ${truth.matches} matches`);
  if (!ONLY_REPEATED) await firstHunts(file, truth, info);
  if (REPEATED || ONLY_REPEATED) await repeatedHunts(file, mb, info);
}

/** Steps 1-4: each side's hunt as a user meets it (the CLI's whole process), against the 1.3× floor. */
async function firstHunts(file: string, truth: GroundTruth, info: ReturnType<typeof machine>): Promise<void> {
  const mb = truth.bytes / 1e6;

  // 1. The CLI with no VS Code running: one warm-up, then RUNS runs (and RUNS more after VS Code).
  const load = { beforeCli: loadavg(), beforeVsCode: '', afterVsCode: '', end: '' };
  const cliWarmup = await timeCli(file, truth);
  cliEngineMs.length = 0; // the warm-up's does not count
  log(`CLI warm-up: ${(cliWarmup / 1000).toFixed(3)} s`);
  const cliPhase = async (phase: string): Promise<number[]> => {
    const runs: number[] = [];
    for (let i = 1; i <= RUNS; i++) {
      await sleep(PAUSE_MS);
      runs.push(await timeCli(file, truth));
      log(`CLI ${phase} run ${i}/${RUNS}: ${(runs[runs.length - 1] / 1000).toFixed(3)} s`);
    }
    return runs;
  };
  const cliBefore = await cliPhase('before VS Code');

  // 2. VS Code, in the extension host, with the CLI interleaved.
  load.beforeVsCode = loadavg();
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-bench-ws-'));
  let result: BenchResult;
  try {
    const resultFile = path.join(workspace, 'result.json');
    const configFile = path.join(workspace, CONFIG_FILE);
    const config: BenchConfig = {
      file,
      runs: RUNS,
      expected: { events: truth.events, matches: truth.matches },
      resultFile,
      cli: IN_SESSION_CLI ? { node: process.execPath, script: CLI, args: cliArgs(file) } : undefined,
      pauseMs: PAUSE_MS,
    };
    fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
    log(`harness: code-server, --tests out/bench/vscode, workspace ${workspace}`);
    result = await runHarness(workspace, resultFile, configFile);
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  load.afterVsCode = loadavg();

  // 3. The CLI again, so that a load that changed while VS Code ran shows up.
  const cliAfter = await cliPhase('after VS Code');
  load.end = loadavg();

  // 4. Figures.
  const cliRuns = [...cliBefore, ...cliAfter];
  const cliEngine = cliEngineMs.length ? median(cliEngineMs) / 1000 : undefined;
  const cli = median(cliRuns) / 1000;
  const pick = (f: (r: VsCodeRun) => number) => median(result.vscode.map(f)) / 1000;
  const shown = pick((r) => r.shownMs);
  const diagnostics = pick((r) => r.diagnosticsMs);
  const command = pick((r) => r.commandMs);
  const engine = pick((r) => r.engineMs);
  const inSession = result.cliInSession;
  const cliInSession = inSession.length ? median(inSession) / 1000 : undefined;
  const verdictOf = (r: number) => (r <= FLOOR ? 'PASS' : 'FAIL');
  // Sequential: VS Code against the CLI run with no VS Code around, before and after it.
  const ratio = shown / cli;
  // Paired: each VS Code run over the in-session CLI run right beside it; load drift cancels out.
  const paired = inSession.length === result.vscode.length && inSession.length > 0
    ? median(result.vscode.map((r, i) => r.shownMs / inSession[i])) : undefined;
  const verdict = verdictOf(paired ?? ratio);
  // Noisy: the CLI got slower or faster between before and after VS Code (the load changed), or
  // something else was already busy at the start. (The bench's own hunts raise the load by about
  // the number of cores, so the load during the run says nothing.)
  const drift = Math.max(median(cliBefore), median(cliAfter)) / Math.min(median(cliBefore), median(cliAfter));
  const startLoad = Number(load.beforeCli.split(' ')[0]);
  const noisy = drift > 1.15 || startLoad > info.cores / 2;
  const secs = (ms: number[]) => ms.map((x) => (x / 1000).toFixed(3)).join(', ');

  if (AS_JSON) {
    console.log(JSON.stringify({
      machine: info, load,
      params: { mb: MB, shape: SHAPE, seed: SEED, matchEvery: MATCH_EVERY, runs: RUNS, generatorVersion: GENERATOR_VERSION },
      file: path.relative(REPO, file), truth,
      cli: { warmupMs: cliWarmup, beforeMs: cliBefore, afterMs: cliAfter, medianS: cli, mbPerS: mb / cli, engineMs: cliEngineMs, medianEngineS: cliEngine },
      vscode: { ...result, medianShownS: shown, medianDiagnosticsS: diagnostics, medianCommandS: command, medianEngineS: engine, mbPerS: mb / shown },
      cliInSession: cliInSession && { runsMs: inSession, medianS: cliInSession, mbPerS: mb / cliInSession },
      floor: FLOOR, sequentialRatio: ratio, pairedRatio: paired, verdict, cliDrift: drift, noisy,
    }, null, 2));
    return;
  }
  const rows = [
    ['', 'median s', 'MB/s', 'x CLI', `runs (s), after 1 warm-up`],
    ['CLI, no VS Code running (before | after)', cli.toFixed(3), (mb / cli).toFixed(1), '1.00', `${secs(cliBefore)} | ${secs(cliAfter)}`],
    ...(cliEngine === undefined ? [] : [['  hunt time the CLI reports (10 ms steps)', cliEngine.toFixed(3), (mb / cliEngine).toFixed(1), (cliEngine / cli).toFixed(2), secs(cliEngineMs)]]),
    ['VS Code: command → diagnostics in workbench', shown.toFixed(3), (mb / shown).toFixed(1), ratio.toFixed(2), secs(result.vscode.map((r) => r.shownMs))],
    ['  command → diagnostics in extension host', diagnostics.toFixed(3), (mb / diagnostics).toFixed(1), (diagnostics / cli).toFixed(2), secs(result.vscode.map((r) => r.diagnosticsMs))],
    ['  command → command returned', command.toFixed(3), (mb / command).toFixed(1), (command / cli).toFixed(2), secs(result.vscode.map((r) => r.commandMs))],
    ['  hunt time inside the command (engine)', engine.toFixed(3), (mb / engine).toFixed(1), (engine / cli).toFixed(2), secs(result.vscode.map((r) => r.engineMs))],
  ];
  if (cliInSession !== undefined) {
    rows.push(['CLI in session, interleaved with VS Code', cliInSession.toFixed(3), (mb / cliInSession).toFixed(1), (cliInSession / cli).toFixed(2), secs(inSession)]);
  }
  console.log(`\nLog Hunt in VS Code vs the CLI, same file, same run`);
  console.log(`machine: ${info.cpu}, ${info.cores} cores, ${info.memGb} GB RAM, node ${info.node}, ${info.platform}`);
  if (EXTENSION) console.log(`extension: ${EXTENSION} (--extension)`);
  console.log(`VS Code ${result.host.vscodeVersion} (code-server, ${result.host.uiKind} workbench in headless Chromium, remote extension host on node ${result.host.node})`);
  console.log(`log: ${path.relative(process.cwd(), file)}: ${SHAPE}, ${mb.toFixed(1)} MB, ${truth.events} events, ${truth.matches} matches → ${result.expectedDiagnostics} diagnostics`);
  console.log(`load averages (1/5/15 min): ${load.beforeCli} at start, ${load.beforeVsCode} before VS Code, ${load.afterVsCode} after it, ${load.end} at the end`);
  console.log(`CLI: node dist/cli.js ${cliArgs('FILE').join(' ')}, whole-process wall time. ` +
    `VS Code: executeCommand('logHunt.huntFile', uri) → its diagnostics, the extension already active; results cleared between runs.`);
  console.log('\n' + table(rows, [1, 2, 3]));
  console.log(`\nwarm-up runs (not counted): CLI ${(cliWarmup / 1000).toFixed(3)} s, VS Code ${(result.warmup.vscode.shownMs / 1000).toFixed(3)} s (its first hunt)` +
    (result.warmup.cliMs !== undefined ? `, CLI in session ${(result.warmup.cliMs / 1000).toFixed(3)} s` : '') +
    (result.host.activationMs !== undefined ? `; activating the extension took ${(result.host.activationMs / 1000).toFixed(3)} s, once per session` : ''));
  const cpus = result.vscode.map((r) => r.cpu).filter((c): c is NonNullable<VsCodeRun['cpu']> => !!c);
  if (cpus.length) {
    console.log(`CPU during a VS Code run (median): extension host with its hunt workers ${median(cpus.map((c) => c.extensionHost)).toFixed(2)} s, ` +
      `rest of VS Code (Chromium, code-server) ${median(cpus.map((c) => c.workbench)).toFixed(2)} s`);
  }
  console.log(`floor: VS Code ≤ ${FLOOR}× the CLI, both measured in this run (${RUNS} runs each after a warm-up, medians)`);
  if (paired !== undefined) {
    console.log(`  paired:     median of (VS Code run / the CLI run beside it in the same session) = ${paired.toFixed(2)}× → ${verdictOf(paired)}`);
  }
  console.log(`  sequential: VS Code median / median of the CLI with no VS Code running      = ${ratio.toFixed(2)}× → ${verdictOf(ratio)}`);
  console.log(`verdict: ${verdict}${paired !== undefined ? ' (paired: the only figure that a change in the load during the run does not skew)' : ''}`);
  if (noisy) {
    console.log(`WARNING: noisy run (CLI median after VS Code / before = ${(median(cliAfter) / median(cliBefore)).toFixed(2)}; ` +
      `1-min load ${startLoad.toFixed(2)} at the start on ${info.cores} cores): the machine was busy with other work, so trust the paired ` +
      `figure over the sequential one, and re-run when \`uptime\` shows a load under ${info.cores / 2}.`);
  }
}

/** The CLI's warm figure: several hunts in one process (bench/warmHunts.ts), the first of them cold. */
async function warmHunts(file: string, folders: string[], hunts: number): Promise<WarmReport> {
  const args = [WARM_HUNTS, file, ...folders.flatMap((f) => ['--rules', f]), '--hunts', String(hunts)];
  const { code, out, err } = await runNode(args);
  const line = out.split('\n').find((l) => l.startsWith(WARM_PREFIX));
  if (code !== 0 || !line) throw new Error(`warmHunts exited with ${code}: ${err.trim()}`);
  const report = JSON.parse(line.slice(WARM_PREFIX.length)) as WarmReport;
  const counts = new Set(report.hunts.map((h) => `${h.matches}/${h.events}`));
  if (counts.size !== 1) throw new Error(`warmHunts: the hunts found different counts: ${[...counts].join(', ')}`);
  return report;
}

/**
 * Step 5: a repeated hunt in VS Code (its hunts after the session's first, workers warm) against
 * the CLI's warm figure, for each rule set; the floor is WARM_FLOOR.
 */
async function repeatedHunts(file: string, mb: number, info: ReturnType<typeof machine>): Promise<void> {
  const out: unknown[] = [];
  for (const name of RULE_SETS) {
    const folders = RULE_FOLDERS[name];
    if (!folders) throw new Error(`unknown rule set ${name} (known: ${Object.keys(RULE_FOLDERS).join(', ')})`);
    for (const folder of folders) if (!fs.existsSync(folder)) throw new Error(`${folder} is missing (the rule set ${name})`);
    const load = { before: loadavg(), after: '' };
    log(`repeated hunts, rules ${name}: the CLI's warm figure, ${RUNS + 1} hunts in one process ...`);
    const before = await warmHunts(file, folders, RUNS + 1);
    const [{ matches, events }] = before.hunts;
    log(`  ${before.rules} rules, loaded in ${(before.loadMs / 1000).toFixed(2)} s; hunts ${before.hunts.map((h) => (h.ms / 1000).toFixed(3)).join(', ')} s; ${matches} matches in ${events} events`);

    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-bench-ws-'));
    let result: BenchResult;
    try {
      fs.mkdirSync(path.join(workspace, '.vscode'));
      fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'logHunt.rules.folders': folders }, null, 2));
      const resultFile = path.join(workspace, 'result.json');
      const configFile = path.join(workspace, CONFIG_FILE);
      const config: BenchConfig = {
        file,
        runs: RUNS,
        expected: { events, matches },
        resultFile,
        // No CLI between VS Code's hunts: a warm CLI figure needs a process that loads the rules and
        // hunts twice, which with every SigmaHQ rule on a busy machine outlasts the idle minute after
        // which the extension's workers end, so VS Code's next hunt would no longer be a warm one.
        cli: undefined,
        pauseMs: PAUSE_MS,
      };
      fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
      log(`  harness: code-server, logHunt.rules.folders ${JSON.stringify(folders)}`);
      result = await runHarness(workspace, resultFile, configFile);
    } finally {
      fs.rmSync(workspace, { recursive: true, force: true });
    }
    const after = await warmHunts(file, folders, RUNS + 1);
    load.after = loadavg();

    const warm = [...before.hunts.slice(1), ...after.hunts.slice(1)];
    const cold = [before.hunts[0], after.hunts[0]];
    const warmS = median(warm.map((h) => h.ms)) / 1000;
    const warmCpu = median(warm.map((h) => h.cpuS));
    const coldS = median(cold.map((h) => h.ms)) / 1000;
    const shown = median(result.vscode.map((r) => r.shownMs)) / 1000;
    const cpus = result.vscode.map((r) => r.cpu).filter((c): c is NonNullable<VsCodeRun['cpu']> => !!c);
    const hostCpu = cpus.length ? median(cpus.map((c) => c.extensionHost)) : undefined;
    const allCpu = cpus.length ? median(cpus.map((c) => c.extensionHost + c.workbench)) : undefined;
    // What this VS Code spends by itself over a run's time, from the idle pause before each run:
    // not the hunt's cost, so the CPU verdict leaves it out (both figures are printed).
    const idleCpus = result.vscode.flatMap((r) => (r.cpu && r.idle && r.idle.ms > 0 ? [((r.idle.extensionHost + r.idle.workbench) / r.idle.ms) * r.shownMs] : []));
    const idleCpu = idleCpus.length === cpus.length && cpus.length > 0 ? median(idleCpus) : undefined;
    const huntCpu = idleCpu === undefined || allCpu === undefined ? undefined : median(result.vscode.map((r) => r.cpu!.extensionHost + r.cpu!.workbench - ((r.idle!.extensionHost + r.idle!.workbench) / r.idle!.ms) * r.shownMs));
    // CPU: what the load of a shared machine does not change; wall time: what a user waits for.
    const grossRatio = allCpu === undefined ? undefined : allCpu / warmCpu;
    const cpuRatio = huntCpu === undefined ? grossRatio : huntCpu / warmCpu;
    const sequential = shown / warmS;
    const verdictOf = (r: number) => (r <= WARM_FLOOR ? 'PASS' : 'FAIL');
    const verdict = verdictOf(cpuRatio ?? sequential);
    const secs = (ms: number[]) => ms.map((x) => (x / 1000).toFixed(3)).join(', ');
    const figures = {
      ruleSet: name, rules: before.rules, loadS: before.loadMs / 1000, load, matches, events,
      cli: { coldS, warmS, warmMbPerS: mb / warmS, warmCpuS: warmCpu, warmRunsMs: warm.map((h) => h.ms), threadsStarted: [before.threadsStarted, after.threadsStarted], compiles: [before.compiles, after.compiles] },
      vscode: { firstS: result.warmup.vscode.shownMs / 1000, repeatedS: shown, mbPerS: mb / shown, runsMs: result.vscode.map((r) => r.shownMs), firstCpu: result.warmup.vscode.cpu, cpu: cpus },
      idleCpuS: idleCpu, huntCpuS: huntCpu, floor: WARM_FLOOR, cpuRatio, grossCpuRatio: grossRatio, sequentialRatio: sequential, verdict,
    };
    out.push(figures);
    if (AS_JSON) continue;
    const rows = [
      ['', 'median s', 'MB/s', 'x CLI warm', 'runs (s)'],
      ['CLI warm: hunts 2.. in one process (before | after)', warmS.toFixed(3), (mb / warmS).toFixed(1), '1.00', `${secs(before.hunts.slice(1).map((h) => h.ms))} | ${secs(after.hunts.slice(1).map((h) => h.ms))}`],
      ['  its first hunt (threads start, rules compiled)', coldS.toFixed(3), (mb / coldS).toFixed(1), (coldS / warmS).toFixed(2), secs(cold.map((h) => h.ms))],
      ['VS Code: repeated hunt, command → diagnostics in workbench', shown.toFixed(3), (mb / shown).toFixed(1), sequential.toFixed(2), secs(result.vscode.map((r) => r.shownMs))],
      ['  its first hunt of the session', (result.warmup.vscode.shownMs / 1000).toFixed(3), (mb / (result.warmup.vscode.shownMs / 1000)).toFixed(1), (result.warmup.vscode.shownMs / 1000 / warmS).toFixed(2), ''],
    ];
    console.log(`\nRepeated hunts, rules: ${name} (${before.rules} rules; loading them took the CLI ${(before.loadMs / 1000).toFixed(2)} s)`);
    console.log(`machine: ${info.cpu}, ${info.cores} cores; load averages ${load.before} before, ${load.after} after`);
    console.log(`log: ${path.relative(process.cwd(), file)}: ${mb.toFixed(1)} MB, ${events} events, ${matches} matches`);
    console.log('\n' + table(rows, [1, 2, 3]));
    const firstCpu = result.warmup.vscode.cpu;
    console.log(`CPU-s per hunt (medians): CLI warm ${warmCpu.toFixed(2)} (whole process; CLI threads started per process ${before.threadsStarted}, rule sets compiled ${before.compiles})` +
      (hostCpu === undefined || allCpu === undefined ? '' : `; VS Code repeated: extension host with its workers ${hostCpu.toFixed(2)}, with the rest of VS Code ${allCpu.toFixed(2)}`) +
      (idleCpu === undefined || huntCpu === undefined ? '' : ` (of which VS Code spends ${idleCpu.toFixed(2)} idle over the same time, so ${huntCpu.toFixed(2)} for the hunt)`) +
      (firstCpu ? `; VS Code's first hunt: extension host ${firstCpu.extensionHost.toFixed(2)}, rest ${firstCpu.workbench.toFixed(2)}` : ''));
    console.log(`floor: a repeated hunt in VS Code ≤ ${WARM_FLOOR}× the CLI's warm figure`);
    if (grossRatio !== undefined) console.log(`  CPU:  VS Code (extension host + rest of VS Code) / the CLI's warm hunt = ${grossRatio.toFixed(2)}× → ${verdictOf(grossRatio)}`);
    if (huntCpu !== undefined) console.log(`  CPU:  the same, less what VS Code spends idle over that time          = ${cpuRatio!.toFixed(2)}× → ${verdictOf(cpuRatio!)}`);
    console.log(`  wall: VS Code median / the CLI's warm median (before and after)     = ${sequential.toFixed(2)}× → ${verdictOf(sequential)}`);
    console.log(`verdict (rules ${name}): ${verdict}${huntCpu !== undefined ? ' (by CPU beyond idle, which the load of a shared machine does not skew)' : cpuRatio !== undefined ? ' (by CPU, which the load of a shared machine does not skew)' : ''}`);
  }
  if (AS_JSON) console.log(JSON.stringify({ repeated: out }, null, 2));
}

main().catch((err) => { console.error(`bench:vscode: ${(err as Error)?.stack ?? err}`); process.exit(1); });
