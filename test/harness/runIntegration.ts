// Runs the integration tests inside a real VS Code extension host without
// internet: code-server 4.100.3 (VS Code 1.100.3) serves the workbench, Debian
// Chromium driven by playwright-core opens it, and the workbench's automation
// hooks report the tests' console output and exit code back to us.
//
//   node out/test/harness/runIntegration.js [--extension DIR] [--tests DIR]
//     [--workspace DIR] [--extensions-dir DIR] [--timeout SECONDS]
//     [--installed] [--vsix FILE] [--verbose]
//
// Exit code: the tests' own (0 pass, 1 fail), 124 on timeout, 2 on a harness error.
// See docs/testing.md.
import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';
import { chromium, BrowserContext } from 'playwright-core';
import { CodeServer, findRepoRoot, installVsix, makeRunDir, startCodeServer } from './codeServer';

interface Options {
  extension: string;
  tests: string;
  workspace?: string;
  extensionsDir?: string;
  timeoutSec: number;
  installed: boolean;
  vsix?: string;
  verbose: boolean;
}

function parseArgs(argv: string[]): Options {
  const repo = findRepoRoot();
  const opts: Options = {
    extension: repo,
    tests: path.join(repo, 'out', 'test', 'integration'),
    timeoutSec: 300,
    installed: false,
    verbose: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--extension': opts.extension = path.resolve(value()); break;
      case '--tests': opts.tests = path.resolve(value()); break;
      case '--workspace': opts.workspace = path.resolve(value()); break;
      case '--extensions-dir': opts.extensionsDir = path.resolve(value()); break;
      case '--timeout': opts.timeoutSec = Number(value()); break;
      case '--installed': opts.installed = true; break;
      case '--vsix': opts.vsix = path.resolve(value()); opts.installed = true; break;
      case '--verbose': opts.verbose = true; break;
      default: throw new Error(`unknown option ${arg}`);
    }
  }
  if (!['', '.js', '/index.js'].some((suffix) => fs.existsSync(opts.tests + suffix))) {
    throw new Error(`no tests at ${opts.tests} (run: npm run compile-tests)`);
  }
  if (!(opts.timeoutSec > 0)) throw new Error('--timeout must be a positive number of seconds');
  return opts;
}

/**
 * For --installed: VS Code runs extensionTestsPath only when an
 * extensionDevelopmentPath is given too, and the extension under development
 * replaces an installed one with the same id. So we point it at this stub,
 * whose id differs and which contributes nothing; the real extension is then
 * the one installed in --extensions-dir (e.g. from a VSIX), loaded exactly as a
 * user's VS Code would load it.
 */
function writeStubExtension(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name: 'log-hunt-test-host',
    publisher: 'log-hunt-test',
    version: '0.0.0',
    engines: { vscode: '*' },
  }, null, 2));
  return dir;
}

/** Resolves with the tests' exit code, or rejects on timeout / browser failure. */
async function runTests(opts: Options, state: { server?: CodeServer; context?: BrowserContext }, runDir: string): Promise<number> {
  const extensionsDir = opts.extensionsDir ?? path.join(runDir, 'extensions');
  if (opts.vsix) await installVsix(opts.vsix, extensionsDir);

  const server = state.server = await startCodeServer({
    runDir,
    extensionsDir,
    onLine: opts.verbose ? (l) => console.log(`[code-server] ${l}`) : undefined,
  });

  // Tests module: VS Code require()s it, so "DIR" means DIR/index.js.
  const testsModule = fs.existsSync(path.join(opts.tests, 'index.js')) ? path.join(opts.tests, 'index') : opts.tests;
  const devPath = opts.installed ? writeStubExtension(path.join(runDir, 'test-host-extension')) : opts.extension;
  const workspace = opts.workspace ?? defaultWorkspace(runDir);

  // Paths must be vscode-remote:// URIs on the server's authority: with a
  // plain path the workbench never starts the tests nor calls codeAutomationExit.
  const remote = (p: string): string => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(devPath)],
    ['extensionTestsPath', remote(testsModule)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  // Always pass folder=: code-server otherwise redirects to the last opened one.
  const url = `${server.url}/?${new URLSearchParams({ folder: workspace, payload: JSON.stringify(payload) }).toString()}`;

  const context = state.context = await chromium.launchPersistentContext(path.join(runDir, 'chromium'), {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    // Our own SIGINT/SIGTERM handlers close the browser and then code-server;
    // Playwright's would exit the process before code-server is stopped.
    handleSIGINT: false,
    handleSIGTERM: false,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? await context.newPage();

  let exit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => { exit = resolve; });
  // Both hooks must exist before the workbench loads: it looks them up on window.
  // The workbench hands us each log call as (level, args). The extension
  // host's console calls arrive the same way, unprefixed, e.g. mocha's
  // ['  %d passing (%s)', 2, '27ms'], so util.format renders them as Node would.
  await page.exposeFunction('codeAutomationLog', (level: string, args: unknown) => {
    const text = Array.isArray(args) ? util.format(...(args as unknown[])) : String(args);
    if (!opts.verbose && WORKBENCH_CHATTER.some((re) => re.test(text))) return;
    (level === 'error' ? process.stderr : process.stdout).write(`${text}\n`);
  });
  await page.exposeFunction('codeAutomationExit', (code: number, logs?: { relativePath: string; contents: string }[]) => {
    if (code !== 0 && logs) saveLogs(logs);
    exit(code);
  });
  if (opts.verbose) {
    page.on('console', (m) => console.log(`[browser ${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => console.log(`[browser pageerror] ${e.message}`));
  }
  console.log(`[harness] code-server on ${server.url}; workspace ${workspace}`);
  await page.goto(url);
  return exited;
}

/**
 * The workbench's own startup messages reach codeAutomationLog mixed with the
 * extension host's console output, with nothing to tell them apart; these are
 * the known harmless ones, shown only with --verbose.
 */
const WORKBENCH_CHATTER = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket \(/,
  /^Ignoring fetching additional builtin extensions/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/,
  /^ChatSessionStore:/,
  /^Creation of workbench contribution/,
];

/** On failure, keep the workbench's log files (extension host, exthost activation errors...) for CI artifacts. */
function saveLogs(logs: { relativePath: string; contents: string }[]): void {
  const dir = path.join(findRepoRoot(), '.vscode-test', 'logs');
  fs.rmSync(dir, { recursive: true, force: true });
  for (const { relativePath, contents } of logs) {
    const file = path.join(dir, path.normalize(relativePath).replace(/^(\.\.(\/|\\|$))+/, ''));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, contents);
  }
  console.error(`[harness] workbench logs saved in ${path.relative(process.cwd(), dir) || dir}`);
}

/** test/fixtures if the repo has it, else an empty folder (a workbench needs one open). */
function defaultWorkspace(runDir: string): string {
  const fixtures = path.join(findRepoRoot(), 'test', 'fixtures');
  if (fs.existsSync(fixtures)) return fixtures;
  const empty = path.join(runDir, 'workspace');
  fs.mkdirSync(empty, { recursive: true });
  return empty;
}

async function main(): Promise<number> {
  let opts: Options;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`[harness] ${(err as Error).message}`);
    return 2;
  }
  const started = Date.now();
  const runDir = makeRunDir();
  const state: { server?: CodeServer; context?: BrowserContext } = {};

  // Teardown runs exactly once, whether the run ends, fails, times out or is interrupted.
  let cleaning: Promise<void> | undefined;
  let interrupted = false;
  const cleanup = (): Promise<void> => cleaning ??= (async () => {
    await state.context?.close().catch(() => undefined);
    await state.server?.stop();
    try {
      // Retries: a dying process may still be writing into its profile folder.
      fs.rmSync(runDir, { recursive: true, force: true, maxRetries: 5 });
    } catch (err) {
      console.error(`[harness] could not remove ${runDir}: ${(err as Error).message}`);
    }
  })();
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      interrupted = true;
      console.error(`[harness] ${signal}: stopping`);
      void cleanup().finally(() => process.exit(code));
    });
  }

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<number>((resolve) => {
    timer = setTimeout(() => {
      console.error(`[harness] timed out after ${opts.timeoutSec} s (tests never reported an exit code)`);
      resolve(124);
    }, opts.timeoutSec * 1000);
  });
  try {
    const code = await Promise.race([runTests(opts, state, runDir), timeout]);
    console.log(`[harness] exit code ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return code;
  } catch (err) {
    // After a signal the browser is closed under our feet; that error is expected.
    if (!interrupted) console.error(`[harness] ${(err as Error).stack ?? String(err)}`);
    return 2;
  } finally {
    clearTimeout(timer);
    await cleanup();
  }
}

void main().then((code) => process.exit(code));
