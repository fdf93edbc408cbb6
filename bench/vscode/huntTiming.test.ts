// The VS Code side of `npm run bench:vscode`: runs inside the real extension host (code-server's,
// started by test/harness/runIntegration.ts with --tests out/bench/vscode) and times
// `logHunt.huntFile` on one large log, from just before executeCommand to the moment its
// diagnostics are there, and then to the moment the workbench has them too.
//
// The outer script (bench/vscodeVsCli.ts) passes the file and the run count in a JSON file it
// writes into the opened workspace (CONFIG_FILE), and also names that file in CONFIG_ENV; the
// result goes to a JSON file it names, and to the console as one RESULT_PREFIX line.
//
// No timing is asserted here: this is a bench. The suite fails only when something broke (the
// hunt failed, counted other events or matches than the generator wrote, or diagnostics never came).
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { HuntOutcome } from '../../src/extension/huntCommand';

/** Keep in step with bench/vscodeVsCli.ts. */
const CONFIG_FILE = 'log-hunt-bench.json';
const CONFIG_ENV = 'LOG_HUNT_BENCH_CONFIG';
const RESULT_PREFIX = 'LOG_HUNT_BENCH_RESULT ';

export interface BenchConfig {
  /** Absolute path of the log to hunt. */
  file: string;
  /** Measured runs; one warm-up run comes first and is not counted. */
  runs: number;
  /** The generator's ground truth for the file. */
  expected: { events: number; matches: number };
  /** Where to write the result JSON. */
  resultFile: string;
  /**
   * When set, the CLI is also timed from here, interleaved with the VS Code runs (same load): its
   * whole-process wall time, or the figure it prints as `LOG_HUNT_WARM_MS <ms>` (bench/warmHunts.ts:
   * the last of several hunts in one process, the CLI's warm figure).
   */
  cli?: { node: string; script: string; args: string[] };
  /** Pause between runs, ms. */
  pauseMs: number;
}

export interface VsCodeRun {
  /** executeCommand → getDiagnostics(uri) holds every expected diagnostic, in the extension host. */
  diagnosticsMs: number;
  /** executeCommand → the workbench (renderer) has processed the diagnostics: one round trip after diagnosticsMs. */
  shownMs: number;
  /** executeCommand → the command's promise settled. */
  commandMs: number;
  /** The engine's own time for the file (HuntSummary.seconds), inside the command. */
  engineMs: number;
  /** How diagnosticsMs was observed: 'event' (onDidChangeDiagnostics) or 'on return' (already there when the command returned). */
  seenBy: string;
  /** CPU seconds over shownMs: the extension host with its worker threads, and the rest of this VS Code (Linux only). */
  cpu?: { extensionHost: number; workbench: number };
  /**
   * The same, over the idle pause just before the run (no hunt, no command): what this VS Code
   * spends by itself, per second, so that the bench can tell the hunt's CPU from the workbench's own.
   */
  idle?: { ms: number; extensionHost: number; workbench: number };
}

export interface BenchResult {
  file: string;
  bytes: number;
  expectedDiagnostics: number;
  warmup: { vscode: VsCodeRun; cliMs?: number };
  vscode: VsCodeRun[];
  /** The CLI's whole-process wall times, run from the extension host between the VS Code runs. */
  cliInSession: number[];
  host: {
    configFrom: string;
    /** Time to activate the extension, when the suite was the one to activate it. */
    activationMs?: number;
    envInherited: boolean;
    node: string;
    uiKind: string;
    remoteName?: string;
    vscodeVersion: string;
    cores: number;
    loadavg: number[];
  };
}

function readConfig(): { config: BenchConfig; from: string; envInherited: boolean } {
  const fromEnv = process.env[CONFIG_ENV];
  const folder = vscode.workspace.workspaceFolders?.[0];
  const inWorkspace = folder && path.join(folder.uri.fsPath, CONFIG_FILE);
  const candidates = [fromEnv, inWorkspace].filter((p): p is string => !!p && fs.existsSync(p));
  assert.ok(candidates.length > 0, `no bench config: neither $${CONFIG_ENV} nor ${CONFIG_FILE} in the workspace`);
  const from = candidates[0];
  return { config: JSON.parse(fs.readFileSync(from, 'utf8')) as BenchConfig, from: from === fromEnv ? `$${CONFIG_ENV}` : 'workspace file', envInherited: !!fromEnv };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One round trip to the workbench: setContext runs in the renderer, after every message sent before it. */
let pings = 0;
const roundTrip = () => vscode.commands.executeCommand('setContext', 'logHuntBench.ping', ++pings);

/**
 * CPU seconds used so far by this VS Code's other processes: Chromium's, whose command lines name
 * the harness's run folder (our TMPDIR's parent), and code-server's server, our parent process.
 * Undefined where there is no /proc.
 */
function workbenchCpu(): number | undefined {
  if (!fs.existsSync('/proc/self/stat')) return undefined;
  const runDir = path.dirname(process.env.TMPDIR ?? os.tmpdir());
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (Number(pid) !== process.ppid && !(runDir.length > 1 && cmdline.includes(runDir) && cmdline.includes('chrom'))) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime + stime
    } catch { /* gone meanwhile */ }
  }
  return ticks / 100; // USER_HZ
}

/** Sleeps `ms`, and measures the CPU this VS Code used meanwhile (undefined where there is no /proc). */
async function idlePause(ms: number): Promise<VsCodeRun['idle']> {
  const before = { own: process.cpuUsage(), workbench: workbenchCpu(), at: performance.now() };
  await sleep(ms);
  const own = process.cpuUsage(before.own);
  const workbench = workbenchCpu();
  if (workbench === undefined || before.workbench === undefined) return undefined;
  return { ms: performance.now() - before.at, extensionHost: (own.user + own.system) / 1e6, workbench: workbench - before.workbench };
}

function logHuntDiagnostics(uri: vscode.Uri): number {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Log Hunt').length;
}

/** No results anywhere, and the workbench knows it. */
async function clearAll(uri: vscode.Uri): Promise<void> {
  await vscode.commands.executeCommand('logHunt.clearResults');
  assert.strictEqual(logHuntDiagnostics(uri), 0, 'clearResults left diagnostics');
  await roundTrip();
}

async function timeVsCode(uri: vscode.Uri, expectedDiagnostics: number): Promise<{ run: VsCodeRun; outcome: HuntOutcome }> {
  const key = uri.toString();
  let seen: number | undefined;
  let seenBy = '';
  let wake: () => void = () => undefined;
  const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
    if (seen === undefined && e.uris.some((u) => u.toString() === key) && logHuntDiagnostics(uri) >= expectedDiagnostics) {
      seen = performance.now();
      seenBy = 'event';
      wake();
    }
  });
  try {
    const cpuBefore = { own: process.cpuUsage(), workbench: workbenchCpu() };
    const started = performance.now();
    const outcome = await vscode.commands.executeCommand<HuntOutcome>('logHunt.huntFile', uri);
    const returned = performance.now();
    if (seen === undefined && logHuntDiagnostics(uri) >= expectedDiagnostics) {
      seen = returned;
      seenBy = 'on return';
    }
    if (seen === undefined) {
      const arrived = new Promise<void>((resolve) => { wake = resolve; });
      await Promise.race([arrived, sleep(60_000)]);
    }
    assert.ok(seen !== undefined, `only ${logHuntDiagnostics(uri)} of ${expectedDiagnostics} diagnostics a minute after the hunt`);
    await roundTrip();
    const shown = performance.now();
    const own = process.cpuUsage(cpuBefore.own);
    const workbench = workbenchCpu();
    const summary = outcome?.files[0]?.summary;
    assert.ok(summary, `the hunt failed: ${outcome?.files[0]?.error ?? 'no outcome'}`);
    return {
      outcome,
      run: {
        diagnosticsMs: seen - started,
        shownMs: shown - started,
        commandMs: returned - started,
        engineMs: summary.seconds * 1000,
        seenBy,
        cpu: workbench === undefined || cpuBefore.workbench === undefined ? undefined
          : { extensionHost: (own.user + own.system) / 1e6, workbench: workbench - cpuBefore.workbench },
      },
    };
  } finally {
    subscription.dispose();
  }
}

/** Whole-process wall time of the CLI, as a terminal user would see it; or the warm hunt's time that it prints. */
function timeCli(cli: NonNullable<BenchConfig['cli']>): Promise<number> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VSCODE_') && k !== 'ELECTRON_RUN_AS_NODE') env[k] = v;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cli.node, [cli.script, ...cli.args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - started;
      const warm = /^LOG_HUNT_WARM_MS ([\d.]+)$/m.exec(stdout);
      if (code === 0) resolve(warm ? Number(warm[1]) : ms);
      else reject(new Error(`CLI exited with ${code}: ${stderr.trim()}`));
    });
  });
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

describe('bench: logHunt.huntFile, command to diagnostics', function () {
  it('times the hunt of the configured log', async () => {
    const { config, from, envInherited } = readConfig();
    const uri = vscode.Uri.file(config.file);
    const bytes = fs.statSync(config.file).size;
    const ext = vscode.extensions.getExtension('log-hunt.log-hunt');
    assert.ok(ext, 'extension log-hunt.log-hunt is not loaded');
    // Not in the timings: a user's first hunt of a session also pays for this once.
    const wasActive = ext.isActive;
    const activating = performance.now();
    await ext.activate();
    const activationMs = wasActive ? undefined : performance.now() - activating;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await clearAll(uri);

    const maxDiagnostics = vscode.workspace.getConfiguration('logHunt').get<number>('maxDiagnostics', 1000);
    // Generated logs have no malformed records, so one diagnostic per match, up to the cap.
    const expectedDiagnostics = Math.min(config.expected.matches, maxDiagnostics);
    const say = (s: string) => console.log(`      ${s}`);
    say(`${path.basename(config.file)}: ${(bytes / 1e6).toFixed(0)} MB, expecting ${expectedDiagnostics} diagnostics; config from ${from}`);

    const vscodeRuns: VsCodeRun[] = [];
    const cliRuns: number[] = [];
    let warmup: BenchResult['warmup'] | undefined;
    for (let i = 0; i <= config.runs; i++) {
      const label = i === 0 ? 'warm-up' : `run ${i}/${config.runs}`;
      // Alternate which goes first, so that a drift in the machine's load hits both alike.
      const order = i % 2 === 0 ? ['cli', 'vscode'] : ['vscode', 'cli'];
      let vs: VsCodeRun | undefined;
      let cliMs: number | undefined;
      for (const what of order) {
        if (what === 'cli' && !config.cli) continue;
        await clearAll(uri);
        const idle = await idlePause(config.pauseMs);
        if (what === 'cli') {
          cliMs = await timeCli(config.cli!);
          say(`${label}: CLI in session ${(cliMs / 1000).toFixed(3)} s`);
        } else {
          const { run, outcome } = await timeVsCode(uri, expectedDiagnostics);
          run.idle = idle;
          const summary = outcome.files[0].summary!;
          assert.strictEqual(summary.events, config.expected.events, 'events differ from the generator\'s truth');
          assert.strictEqual(summary.matches, config.expected.matches, 'matches differ from the generator\'s truth');
          assert.strictEqual(outcome.cancelled, false);
          vs = run;
          say(`${label}: VS Code diagnostics ${(run.diagnosticsMs / 1000).toFixed(3)} s (${run.seenBy}), ` +
            `in workbench ${(run.shownMs / 1000).toFixed(3)} s, command ${(run.commandMs / 1000).toFixed(3)} s, engine ${(run.engineMs / 1000).toFixed(3)} s` +
            (run.cpu ? `; CPU s: extension host ${run.cpu.extensionHost.toFixed(2)}, rest of VS Code ${run.cpu.workbench.toFixed(2)}` : '') +
            (idle ? `; idle before it, per s: extension host ${(idle.extensionHost / (idle.ms / 1000)).toFixed(2)}, rest ${(idle.workbench / (idle.ms / 1000)).toFixed(2)}` : ''));
        }
      }
      if (i === 0) warmup = { vscode: vs!, cliMs };
      else {
        vscodeRuns.push(vs!);
        if (cliMs !== undefined) cliRuns.push(cliMs);
      }
    }
    await clearAll(uri);

    const result: BenchResult = {
      file: config.file,
      bytes,
      expectedDiagnostics,
      warmup: warmup!,
      vscode: vscodeRuns,
      cliInSession: cliRuns,
      host: {
        configFrom: from,
        activationMs,
        envInherited,
        node: process.version,
        uiKind: vscode.env.uiKind === vscode.UIKind.Web ? 'Web' : 'Desktop',
        remoteName: vscode.env.remoteName,
        vscodeVersion: vscode.version,
        cores: os.availableParallelism(),
        loadavg: os.loadavg(),
      },
    };
    fs.writeFileSync(config.resultFile, JSON.stringify(result, null, 2));
    say(`median: VS Code in workbench ${(median(vscodeRuns.map((r) => r.shownMs)) / 1000).toFixed(3)} s` +
      (cliRuns.length ? `, CLI in session ${(median(cliRuns) / 1000).toFixed(3)} s` : ''));
    console.log(RESULT_PREFIX + JSON.stringify(result));
  });
});
