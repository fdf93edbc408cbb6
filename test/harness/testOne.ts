/**
 * `npm run test:one -- <file> [mocha options]`: runs one unit or corpus test file, after the script
 * has built dist/ and compiled out/ (see package.json). The file is the TypeScript source, such as
 * test/unit/cli.test.ts (relative to where npm was started, or to the repository), or its compiled
 * out/test/...js. Options after the file go to mocha as they are (`--grep <text>`, `--bail`, ...).
 *
 * .mocharc.json's settings (timeout, reporter, ...) apply, but not its `spec`: mocha would add a
 * file given on its command line to the spec's globs and run the whole suite.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const TEST_DIRS = ['test/unit/', 'test/corpus/'];
const USAGE = 'usage: npm run test:one -- test/unit/<name>.test.ts [mocha options]';

/** The compiled test for `arg`, relative to the repository, or a message saying why there is none. */
export function compiledTest(arg: string, cwd: string, root = REPO_ROOT): { js: string } | { error: string } {
  // A path relative to the directory npm was started in, else to the repository.
  const candidates = [path.resolve(cwd, arg), path.resolve(root, arg)];
  const absolute = candidates.find((p) => existsSync(p)) ?? candidates[0];
  let rel = path.relative(root, absolute).split(path.sep).join('/');
  if (rel.startsWith('out/')) rel = rel.slice('out/'.length).replace(/\.js$/, '.ts');
  if (!TEST_DIRS.some((dir) => rel.startsWith(dir))) {
    return { error: `${arg}: not under ${TEST_DIRS.join(' or ')}` };
  }
  if (!rel.endsWith('.test.ts')) return { error: `${arg}: not a test file (*.test.ts)` };
  if (!existsSync(path.join(root, rel))) return { error: `${arg}: no such file ${rel}` };
  const js = `out/${rel.replace(/\.ts$/, '.js')}`;
  if (!existsSync(path.join(root, js))) return { error: `${arg}: ${js} was not compiled` };
  return { js };
}

/** .mocharc.json as command-line options, without the spec and the parallel settings. */
export function mocharcOptions(config: Record<string, unknown>): string[] {
  const args: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (key === 'spec' || key === 'parallel' || key === 'jobs') continue;
    for (const one of Array.isArray(value) ? (value as unknown[]) : [value]) {
      if (one === true) args.push(`--${key}`);
      else if (one === false) args.push(`--no-${key}`);
      else args.push(`--${key}`, typeof one === 'string' ? one : JSON.stringify(one));
    }
  }
  return args;
}

function main(argv: string[]): number {
  const [file, ...mochaArgs] = argv;
  if (!file || file.startsWith('-')) {
    console.error(USAGE);
    return 2;
  }
  const found = compiledTest(file, process.env.INIT_CWD ?? process.cwd());
  if ('error' in found) {
    console.error(`test:one: ${found.error}\n${USAGE}`);
    return 2;
  }
  const config = JSON.parse(readFileSync(path.join(REPO_ROOT, '.mocharc.json'), 'utf8')) as Record<string, unknown>;
  const mocha = require.resolve('mocha/bin/mocha.js');
  const run = spawnSync(process.execPath, [mocha, '--no-config', ...mocharcOptions(config), ...mochaArgs, found.js], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  if (run.error) throw run.error;
  return run.status ?? 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
