/**
 * Running the `log-hunt` CLI from tests: in process (fast, through the same `main` the bin runs)
 * or as the built bin (`dist/cli.js`, whose exit status is the process's), plus what its --json
 * output says and how many worker threads a run started.
 */
import { spawnSync, SpawnSyncOptions } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { REPO_ROOT } from './corpus';

export interface CliRun {
  status: number;
  out: string[];
  err: string[];
}

/** Runs `log-hunt ARGV...` in this process; lines written to stdout and stderr are collected. */
export async function runCli(...argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(argv, (l) => out.push(l), (l) => err.push(l));
  return { status, out, err };
}

export const BUILT_CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

/** Runs the built bin in a child process; its status is the real exit status. Check freshness first. */
export function runBuiltCli(argv: readonly string[], options: SpawnSyncOptions = {}): CliRun {
  const result = spawnSync(process.execPath, [BUILT_CLI, ...argv], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  const lines = (text: string | Buffer) => String(text).split('\n').filter((l) => l !== '');
  return { status: result.status ?? -1, out: lines(result.stdout), err: lines(result.stderr) };
}

/** Every file under `dir` whose name ends in `.ts`. */
function typeScriptFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...typeScriptFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.ts')) found.push(full);
  }
  return found;
}

/**
 * Sources under `root/src` modified after `root/dist/cli.js` was built (relative paths, newest
 * first). A test of the bin on a stale build tests yesterday's code and passes on it.
 * src/extension is left out: it is bundled apart (dist/extension.js), and the CLI may not import it.
 */
export function sourcesNewerThanBuild(root = REPO_ROOT): string[] {
  const built = path.join(root, 'dist', 'cli.js');
  if (!existsSync(built)) return ['(dist/cli.js does not exist)'];
  const builtAt = statSync(built).mtimeMs;
  const extension = path.join(root, 'src', 'extension') + path.sep;
  return typeScriptFiles(path.join(root, 'src'))
    .filter((file) => !file.startsWith(extension))
    .map((file) => ({ file, mtime: statSync(file).mtimeMs }))
    .filter(({ mtime }) => mtime > builtAt)
    .sort((a, b) => b.mtime - a.mtime)
    .map(({ file }) => path.relative(root, file));
}

/** Throws, saying to run `npm run build`, when dist/cli.js is missing or older than a source. */
export function assertBuiltCliFresh(root = REPO_ROOT): void {
  const stale = sourcesNewerThanBuild(root);
  if (stale.length === 0) return;
  const more = stale.length > 3 ? ` and ${stale.length - 3} more` : '';
  throw new Error(`dist/cli.js is older than ${stale.slice(0, 3).join(', ')}${more}: run \`npm run build\` before these tests`);
}

/** What `hunt --json` printed: the match objects and the per-file summaries, in order. */
export function parseJsonOutput(out: readonly string[]): { matches: Record<string, unknown>[]; summaries: Record<string, unknown>[] } {
  const objects = out.map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    matches: objects.filter((o) => !('summary' in o)),
    summaries: objects.filter((o) => 'summary' in o).map((o) => o.summary as Record<string, unknown>),
  };
}

/**
 * Runs `body` while counting the worker threads started in this process: how the tests see
 * whether a hunt went parallel, since its results are (by design) the same either way. The
 * engine's compiled code reads `Worker` off the module object at each call, so replacing the
 * export is seen there.
 */
export async function countingWorkers<T>(body: () => Promise<T>): Promise<{ result: T; workers: number }> {
  const threads = createRequire(__filename)('node:worker_threads') as typeof import('node:worker_threads');
  const original = threads.Worker;
  let workers = 0;
  threads.Worker = class CountedWorker extends original {
    constructor(...args: ConstructorParameters<typeof original>) {
      super(...args);
      workers++;
    }
  };
  try {
    const result = await body();
    return { result, workers };
  } finally {
    threads.Worker = original;
  }
}
