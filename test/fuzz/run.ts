/**
 * `npm run fuzz [-- --cases N] [--seed S] [--from I] [--out DIR] [--rules RULES_DIR]`: mutates logs and
 * checks each mutated input (see fuzz.ts for what is checked), hunting with the built-in rules or
 * with every rule of RULES_DIR (rules.ts). Prints how many cases ran and failed, saves each failing input
 * with its reason under DIR (default fuzz-failures/, git-ignored), and exits 1 if any failed.
 *
 * The cases run in a worker thread; if one makes no progress for a minute (a hang, or a loop
 * that never ends), the worker is stopped, the input saved, and the run goes on with the next case.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { caseRng, checkCase, extensionOf, loadBases, mutate } from './fuzz';
import { useFuzzRules } from './rules';

interface Task {
  seed: number;
  from: number;
  to: number;
  dir: string;
  /** A folder of rules to hunt with instead of the built-in ones. */
  rules?: string;
}

type Message =
  | { type: 'ready'; bases: number }
  | { type: 'start'; index: number; file: string; base: string; kind: string }
  | { type: 'fail'; index: number; file: string; reason: string }
  | { type: 'end'; index: number };

async function work(task: Task, post: (m: Message) => void): Promise<void> {
  if (task.rules) await useFuzzRules(task.rules);
  const bases = await loadBases(task.seed);
  post({ type: 'ready', bases: bases.length });
  for (let index = task.from; index < task.to; index++) {
    const rng = caseRng(task.seed, index);
    const base = rng.pick(bases);
    const mutation = mutate(base, rng.pick(bases), rng);
    const file = path.join(task.dir, `case${extensionOf(base)}`);
    post({ type: 'start', index, file, base: base.name, kind: mutation.kind });
    let reason: string | undefined;
    try {
      reason = await checkCase(base, mutation, file, rng);
    } catch (err) {
      reason = (err as Error).message;
    }
    if (reason) {
      // Kept before the next case overwrites the case file.
      const kept = path.join(task.dir, `fail-${index}${extensionOf(base)}`);
      writeFileSync(kept, mutation.input);
      post({ type: 'fail', index, file: kept, reason: `${base.name}, ${mutation.kind} at [${mutation.a}, ${mutation.b}): ${reason}` });
    }
    post({ type: 'end', index });
  }
}

function flag(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a non-negative integer`);
  return value;
}

/** Runs cases [0, cases) of `seed`; resolves with the counts. */
export async function fuzz(options: { cases: number; seed: number; out: string; quiet?: boolean; rules?: string }): Promise<{ ran: number; failed: number; seconds: number }> {
  const started = performance.now();
  const dir = mkdtempSync(path.join(tmpdir(), 'log-hunt-fuzz-'));
  let ran = 0;
  let failed = 0;
  const save = (index: number, file: string, reason: string) => {
    failed++;
    mkdirSync(options.out, { recursive: true });
    const stem = path.join(options.out, `seed${options.seed}-case${index}`);
    try {
      copyFileSync(file, `${stem}${path.extname(file)}`);
    } catch {
      // the case file may not exist yet if the failure came first
    }
    writeFileSync(`${stem}.txt`, `${reason}\nreproduce: npm run fuzz -- --seed ${options.seed} --from ${index} --cases ${index + 1}${options.rules ? ` --rules ${options.rules}` : ''}\n`);
    console.log(`FAIL case ${index}: ${reason.split('\n')[0]}`);
  };
  let next = flag(process.argv, 'from', 0);
  try {
    while (next < options.cases) {
      // One worker until it finishes or hangs; after a hang, a fresh one resumes past the hung case.
      next = await new Promise<number>((resolve, reject) => {
        const worker = new Worker(__filename, { workerData: { seed: options.seed, from: next, to: options.cases, dir, rules: options.rules } satisfies Task });
        let current: Extract<Message, { type: 'start' }> | undefined;
        let timer: NodeJS.Timeout | undefined;
        const arm = (ms: number) => {
          clearTimeout(timer);
          timer = setTimeout(() => {
            const index = current?.index ?? next;
            save(index, current?.file ?? '', `${current?.base}, ${current?.kind}: no progress for ${ms / 1000} s (hang)`);
            ran++;
            void worker.terminate();
            resolve(index + 1);
          }, ms);
        };
        arm(300_000); // loading the bases
        worker.on('message', (m: Message) => {
          if (m.type === 'ready') {
            if (!options.quiet) console.log(`fuzz: seed ${options.seed}, ${m.bases} bases, cases ${next}..${options.cases - 1}`);
          } else if (m.type === 'start') {
            current = m;
            arm(60_000);
          } else if (m.type === 'fail') save(m.index, m.file, m.reason);
          else if (m.type === 'end') {
            ran++;
            if (!options.quiet && ran % 10_000 === 0) console.log(`fuzz: ${ran} cases, ${failed} failed, ${((performance.now() - started) / 1000).toFixed(0)} s`);
          }
        });
        worker.on('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
        worker.on('exit', (code) => {
          clearTimeout(timer);
          if (code === 0) resolve(options.cases);
          else reject(new Error(`fuzz worker stopped (exit ${code})`));
        });
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { ran, failed, seconds: (performance.now() - started) / 1000 };
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  work(workerData as Task, (m) => port.postMessage(m)).then(
    () => process.exit(0),
    (err: Error) => {
      console.error(err);
      process.exit(1);
    },
  );
} else if (require.main === module) {
  const argv = process.argv;
  const outIndex = argv.indexOf('--out');
  const out = outIndex >= 0 ? argv[outIndex + 1] : path.resolve(__dirname, '..', '..', '..', 'fuzz-failures');
  const rulesIndex = argv.indexOf('--rules');
  const rules = rulesIndex >= 0 ? path.resolve(argv[rulesIndex + 1]) : undefined;
  fuzz({ cases: flag(argv, 'cases', 100_000), seed: flag(argv, 'seed', 1), out, quiet: argv.includes('--quiet'), rules }).then(
    ({ ran, failed, seconds }) => {
      console.log(`fuzz: ${ran} cases in ${seconds.toFixed(1)} s (seed ${flag(argv, 'seed', 1)})`);
      console.log(`${ran - failed} passed, ${failed} failed`);
      if (failed > 0) console.log(`failing inputs and reasons: ${out}`);
      process.exitCode = failed > 0 ? 1 : 0;
    },
    (err: Error) => {
      console.error(err);
      process.exitCode = 2;
    },
  );
}
