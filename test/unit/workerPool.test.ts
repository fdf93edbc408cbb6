/**
 * The hunt worker pool (src/engine/workerPool.ts): a second hunt reuses the same threads and
 * compiles no rules, idle workers end, a cancelled hunt or a crashed worker leaves the pool
 * usable, and every hunt through it finds what one thread finds.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { huntFile, huntFileParallel, HuntResult, loadRules, LoadedRules, WorkerPool } from '../../src/engine';
import { minParallelBytes, MIN_PARALLEL_BYTES, PARALLEL_BYTES_PER_RULE } from '../../src/engine/parallel';
import { assertEvery } from '../support/assertions';
import { CAR_2014_05_002_ONLY } from '../support/rules';
import { EVERY_RECORD_RULE, EVERY_RECORD_RULE_ID, sysmonFile } from './evtx/writer';
import { xmlBenign, xmlMatch } from './hostile/support';

/** Everything but the timing. */
function comparable(r: HuntResult): string {
  const { seconds: _seconds, ...summary } = r.summary;
  return JSON.stringify({ summary, matches: r.matches, malformed: r.malformed });
}

/** Waits (within the test's timeout) until `done` holds; asserts nothing about how long that took. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('hunt worker pool', function () {
  this.timeout(180_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'log-hunt-pool-'));
  const xml = path.join(dir, 'many.xml');
  const big = path.join(dir, 'big.xml');
  const evtx = path.join(dir, 'chunks.evtx');
  let sigma: LoadedRules;
  const two = { threads: 2, minParallelBytes: 0 };
  let oneThread: string;
  let pool: WorkerPool | undefined;

  before(async () => {
    writeFileSync(xml, Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? xmlMatch(i) : xmlBenign(i))).join('\n') + '\n');
    writeFileSync(big, Array.from({ length: 20_000 }, (_, i) => xmlMatch(i)).join('\n') + '\n');
    writeFileSync(evtx, sysmonFile(6, 20));
    const rulesDir = path.join(dir, 'rules');
    mkdirSync(rulesDir);
    writeFileSync(path.join(rulesDir, 'echo.yml'), EVERY_RECORD_RULE);
    sigma = await loadRules({ paths: [rulesDir], builtin: true });
    oneThread = comparable(await huntFile(xml, { rules: CAR_2014_05_002_ONLY }));
  });
  afterEach(() => {
    pool?.dispose();
    pool = undefined;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a second hunt with the same rules runs on the same threads and compiles nothing; both find what one thread finds', async () => {
    pool = new WorkerPool();
    const first = await huntFileParallel(xml, { rules: CAR_2014_05_002_ONLY, ...two, pool });
    const after1 = pool.stats();
    assert.equal(after1.started, 2, 'two parts, two workers');
    assert.equal(after1.compiles, 2, 'each new worker compiled the rules once');
    assert.equal(after1.idle, 2, 'both back in the pool');
    // Other objects with the same content: the key is the rules' content, not their identity.
    const same = { ...CAR_2014_05_002_ONLY, sources: CAR_2014_05_002_ONLY.sources.map((s) => ({ ...s })) };
    const second = await huntFileParallel(xml, { rules: same, ...two, pool });
    const after2 = pool.stats();
    assert.equal(after2.started, 2, 'no thread started');
    assert.equal(after2.compiles, 2, 'no rules compiled');
    assert.deepEqual([...after2.threadIds].sort(), [...after1.threadIds].sort(), 'the same threads');
    assert.equal(comparable(first), oneThread);
    assert.equal(comparable(second), oneThread);
    assert.ok(second.summary.matches > 0);
  });

  it('other rules are compiled once per worker and kept beside the first; a third hunt with the first compiles nothing', async () => {
    pool = new WorkerPool();
    await huntFileParallel(xml, { rules: CAR_2014_05_002_ONLY, ...two, pool });
    const withSigma = await huntFileParallel(evtx, { rules: sigma, ...two, pool });
    const afterSigma = pool.stats();
    assert.equal(afterSigma.started, 2, 'the .evtx hunt (the calling thread and one worker) reused a warm worker');
    assert.equal(afterSigma.compiles, 3, 'that worker compiled the new rules');
    assert.equal(comparable(withSigma), comparable(await huntFile(evtx, { rules: sigma })));
    assert.equal(withSigma.summary.matchesByRule[EVERY_RECORD_RULE_ID], 120);
    const again = await huntFileParallel(xml, { rules: CAR_2014_05_002_ONLY, ...two, pool });
    assert.deepEqual([pool.stats().started, pool.stats().compiles], [2, 3], 'the first rules were still held');
    assert.equal(comparable(again), oneThread);
  });

  it('idle workers end after the idle time; the next hunt starts new ones and finds the same', async () => {
    pool = new WorkerPool({ idleMs: 50 });
    await huntFileParallel(xml, { rules: CAR_2014_05_002_ONLY, ...two, pool });
    assert.equal(pool.stats().started, 2);
    const p = pool;
    await until(() => p.stats().alive === 0);
    assert.deepEqual(pool.stats().threadIds, []);
    const later = await huntFileParallel(xml, { rules: CAR_2014_05_002_ONLY, ...two, pool });
    assert.equal(pool.stats().started, 4, 'two new threads');
    assert.equal(comparable(later), oneThread);
  });

  it('a cancelled hunt rejects; its workers abort their parts and go back to the pool, and the next hunt reuses them', async () => {
    pool = new WorkerPool();
    const abort = new AbortController();
    const pending = huntFileParallel(big, { rules: CAR_2014_05_002_ONLY, ...two, chunkSize: 4096, pool, signal: abort.signal, onProgress: () => abort.abort() });
    await assert.rejects(pending, { name: 'AbortError' });
    const p = pool;
    await until(() => p.stats().idle === p.stats().alive);
    assert.equal(pool.stats().alive, 2, 'both workers came back');
    const next = await huntFileParallel(xml, { rules: CAR_2014_05_002_ONLY, ...two, pool });
    assert.deepEqual([pool.stats().started, pool.stats().compiles], [2, 2], 'reused, nothing compiled again');
    assert.equal(comparable(next), oneThread);
  });

  it('a worker that dies mid-hunt fails that hunt, is dropped, and the pool hunts on with a new one', async () => {
    pool = new WorkerPool();
    const p = pool;
    let killed: number | undefined;
    const pending = huntFileParallel(big, {
      rules: CAR_2014_05_002_ONLY,
      ...two,
      chunkSize: 4096,
      pool,
      onProgress: () => {
        if (killed !== undefined) return;
        const thread = p.threads()[0];
        killed = thread.threadId;
        void thread.terminate(); // as a crash: the pool did not ask for it
      },
    });
    await assert.rejects(pending, /hunt worker stopped/);
    await until(() => p.stats().idle === p.stats().alive);
    assert.ok(killed !== undefined);
    assert.ok(!pool.stats().threadIds.includes(killed), 'the dead worker is not kept');
    const next = await huntFileParallel(xml, { rules: CAR_2014_05_002_ONLY, ...two, pool });
    assert.equal(comparable(next), oneThread);
    assert.equal(pool.stats().alive, 2);
    assertEvery(pool.stats().threadIds, (id) => id !== killed, 'threads after the crash');
  });

  it('dispose ends every worker; a hunt with the disposed pool rejects', async () => {
    pool = new WorkerPool();
    await huntFileParallel(xml, { rules: CAR_2014_05_002_ONLY, ...two, pool });
    assert.equal(pool.stats().alive, 2);
    pool.dispose();
    assert.equal(pool.stats().alive, 0);
    await assert.rejects(huntFileParallel(xml, { rules: CAR_2014_05_002_ONLY, ...two, pool }), /disposed/);
  });

  it('without a pool, a hunt leaves no worker behind: a Node process exits once its hunt is done; with an idle pool too', () => {
    const engine = path.resolve(__dirname, '..', '..', 'src', 'engine', 'index.js');
    for (const withPool of [false, true]) {
      const script = `const e = require(${JSON.stringify(engine)});
        const pool = ${withPool ? 'new e.WorkerPool()' : 'undefined'};
        e.huntFileParallel(${JSON.stringify(xml)}, { threads: 2, minParallelBytes: 0, pool })
          .then((r) => console.log('matches', r.summary.matches, pool ? pool.stats().idle : 0));`;
      // The timeout only stops a hung child; the assertion is on how it ended.
      const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 120_000 });
      assert.equal(child.signal, null, `the process did not exit by itself (pool: ${withPool}): ${child.stderr}`);
      assert.equal(child.status, 0, child.stderr);
      assert.match(child.stdout, withPool ? /^matches [1-9]\d* 2$/m : /^matches [1-9]\d* 0$/m);
    }
  });
});

describe('when a hunt goes parallel by itself', () => {
  it('waits for 80 KB more per rule when it starts its own workers, not with warm ones', () => {
    const one = CAR_2014_05_002_ONLY;
    assert.equal(minParallelBytes({ rules: one }), MIN_PARALLEL_BYTES + PARALLEL_BYTES_PER_RULE);
    const many = { ...one, rules: Array.from({ length: 2476 }, () => one.rules[0]) };
    assert.ok(minParallelBytes({ rules: many }) > 200 << 20, 'every SigmaHQ windows rule: about 210 MB');
    const pool = new WorkerPool();
    try {
      assert.equal(minParallelBytes({ rules: many, pool }), MIN_PARALLEL_BYTES);
    } finally {
      pool.dispose();
    }
    assert.equal(minParallelBytes({ rules: many, minParallelBytes: 0 }), 0);
  });
});
