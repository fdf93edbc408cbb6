// Starts code-server (VS Code 1.100.3 server + web workbench) for the offline
// integration tests. Installed by test/harness/install-code-server.sh; see
// docs/testing.md for the whole route.
import { ChildProcess, execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';

export const CODE_SERVER_VERSION = '4.100.3';

/** The repository root: the nearest folder above `from` with a package.json (out/ has none). */
export function findRepoRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** code-server's Node entry point inside the git-ignored cache. */
export function codeServerEntry(repoRoot: string = findRepoRoot()): string {
  const entry = path.join(repoRoot, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`,
    'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!fs.existsSync(entry)) {
    throw new Error(`code-server not installed at ${entry}; run: bash test/harness/install-code-server.sh`);
  }
  return entry;
}

/**
 * A short per-run scratch folder. It becomes TMPDIR for code-server, and the
 * extension host creates its IPC sockets there: Unix socket paths are limited
 * to ~107 bytes, so the usual long TMPDIRs (CI, macOS) would break it.
 */
export function makeRunDir(): string {
  return fs.mkdtempSync(process.platform === 'win32' ? path.join(os.tmpdir(), 'lh-') : '/tmp/lh-');
}

/**
 * Environment that isolates code-server from the user's machine: its own XDG
 * folders (else it writes a password file into ~/.config), no gallery (no
 * network requests), a short TMPDIR, and no VSCODE_* variables leaking in from
 * a VS Code terminal the tests might be started from.
 */
function isolatedEnv(runDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('VSCODE_') && k !== 'ELECTRON_RUN_AS_NODE') env[k] = v;
  }
  const dir = (name: string): string => {
    const p = path.join(runDir, name);
    fs.mkdirSync(p, { recursive: true, mode: 0o700 });
    return p;
  };
  return {
    ...env,
    EXTENSIONS_GALLERY: '{}',
    TMPDIR: dir('tmp'),
    XDG_CONFIG_HOME: dir('xdg/config'),
    XDG_DATA_HOME: dir('xdg/data'),
    XDG_CACHE_HOME: dir('xdg/cache'),
    XDG_STATE_HOME: dir('xdg/state'),
    XDG_RUNTIME_DIR: dir('xdg/runtime'),
  };
}

/** Asks the OS for a free port on 127.0.0.1 (small race before code-server binds it; startCodeServer retries). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function httpOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** Our own config file: otherwise code-server reads, or creates with a password, ~/.config/code-server/config.yaml. */
function writeConfig(runDir: string, port?: number): string {
  const config = path.join(runDir, 'config.yaml');
  fs.writeFileSync(config, [
    ...(port === undefined ? [] : [`bind-addr: 127.0.0.1:${port}`]),
    'auth: none',
    'cert: false',
    'disable-telemetry: true',
    'disable-update-check: true',
    'disable-workspace-trust: true',
    '',
  ].join('\n'));
  return config;
}

export interface CodeServerOptions {
  /** Scratch folder from makeRunDir(); config, user data and XDG folders go there. */
  runDir: string;
  /** Where installed extensions live (default: <runDir>/extensions, i.e. none). */
  extensionsDir?: string;
  /** Receives each line code-server prints (default: kept for error messages only). */
  onLine?: (line: string) => void;
  /** Milliseconds to wait for the server to answer. */
  startTimeoutMs?: number;
}

export interface CodeServer {
  port: number;
  /** http://127.0.0.1:PORT */
  url: string;
  /** Kills code-server and every process it started (extension host, file watcher...). */
  stop(): Promise<void>;
}

export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(opts, await freePort());
    } catch (err) {
      lastError = err; // most likely somebody grabbed the port in between
    }
  }
  throw lastError;
}

async function startOnce(opts: CodeServerOptions, port: number): Promise<CodeServer> {
  const { runDir } = opts;
  const extensionsDir = opts.extensionsDir ?? path.join(runDir, 'extensions');
  fs.mkdirSync(extensionsDir, { recursive: true });
  const userDataDir = path.join(runDir, 'user-data');
  const config = writeConfig(runDir, port);

  const child = spawn(process.execPath, [
    codeServerEntry(),
    '--config', config,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--ignore-last-opened',
  ], {
    env: isolatedEnv(runDir),
    // Own process group, so stop() can kill the server's children too.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  const tail: string[] = [];
  const onData = (chunk: Buffer): void => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > 40) tail.shift();
      opts.onLine?.(line);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = makeStopper(child, exited);
  // Last resort if the harness dies without calling stop(): never leave a server behind.
  const onExit = (): void => killGroup(child, 'SIGKILL');
  process.once('exit', onExit);

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.startTimeoutMs ?? 30_000);
  while (!(await httpOk(`${url}/healthz`))) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      await stop();
      process.removeListener('exit', onExit);
      throw new Error(`code-server did not start on port ${port}:\n${tail.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    url,
    stop: async () => {
      await stop();
      process.removeListener('exit', onExit);
    },
  };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal); // negative pid: the whole process group
  } catch {
    // already gone
  }
}

function makeStopper(child: ChildProcess, exited: Promise<void>): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      killGroup(child, 'SIGTERM');
      const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000).unref());
      if ((await Promise.race([exited, timer])) === 'timeout') killGroup(child, 'SIGKILL');
      // The server may be gone while its children linger in the group.
      killGroup(child, 'SIGKILL');
    })();
    return stopping;
  };
}

/**
 * Installs a .vsix into `extensionsDir` with code-server's own CLI, the same
 * code path as `code --install-extension`, so a packaging mistake (missing
 * file, bad manifest) shows up as it would for a user.
 */
export async function installVsix(vsixPath: string, extensionsDir: string): Promise<void> {
  const runDir = makeRunDir();
  try {
    fs.mkdirSync(extensionsDir, { recursive: true });
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [
      codeServerEntry(),
      '--config', writeConfig(runDir),
      '--user-data-dir', path.join(runDir, 'user-data'),
      '--extensions-dir', extensionsDir,
      '--install-extension', path.resolve(vsixPath),
      '--force',
    ], { env: isolatedEnv(runDir), timeout: 120_000 });
    process.stdout.write(stdout + stderr);
  } finally {
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}
