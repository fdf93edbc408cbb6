/**
 * Tests that need ../shared fail under CI when it is missing, instead of going pending: a CI run
 * whose corpus tests were all skipped looks green and checked nothing. Away from CI they still
 * skip, loudly. The corpus suites are run in a child mocha with the corpus pointed at an empty
 * folder (LOG_HUNT_CORPUS_DIR), once with CI=true and once without.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { sharedRequired, skipOrFailWithoutShared } from '../../support/shared';

interface MochaJson {
  stats: { tests: number; passes: number; pending: number; failures: number };
  failures: { fullTitle: string; err: { message?: string } }[];
  pending: { fullTitle: string }[];
}

const OUT_TEST = path.resolve(__dirname, '..', '..');
/** The suites that read the corpus, and the tests of theirs that stand in for it when it is absent. */
const SUITES = ['corpus/corpus.test.js', 'unit/fastPath.test.js', 'unit/hostile/dataSafety.test.js'].map((f) => path.join(OUT_TEST, f));
const STAND_INS = 'needs \\.\\./shared/corpus|byte-identical afterwards';

function runMocha(env: NodeJS.ProcessEnv, grep: string): MochaJson {
  const mocha = createRequire(__filename).resolve('mocha/bin/mocha.js');
  const result = spawnSync(process.execPath, [mocha, '--no-config', '--reporter', 'json', '--timeout', '60000', '--grep', grep, ...SUITES], {
    env,
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  assert.ok(result.stdout.trim().startsWith('{'), `child mocha wrote no JSON report: ${result.stderr}`);
  return JSON.parse(result.stdout) as MochaJson;
}

describe('guard: tests that need ../shared fail under CI when it is missing', function () {
  this.timeout(120_000);
  let emptyCorpus: string;
  before(() => {
    emptyCorpus = mkdtempSync(path.join(tmpdir(), 'log-hunt-no-corpus-'));
  });
  after(() => rmSync(emptyCorpus, { recursive: true, force: true }));

  const env = (ci: string | undefined): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = { ...process.env, LOG_HUNT_CORPUS_DIR: emptyCorpus };
    if (ci === undefined) delete e.CI;
    else e.CI = ci;
    return e;
  };

  it('CI=true: every corpus suite fails, none is pending, and each says the corpus is absent', () => {
    const report = runMocha(env('true'), STAND_INS);
    assert.equal(report.stats.pending, 0, `pending under CI: ${report.pending.map((p) => p.fullTitle).join(' | ')}`);
    const titles = report.failures.map((f) => f.fullTitle);
    assert.equal(report.stats.failures, 4, `failures: ${titles.join(' | ')}`);
    for (const f of report.failures) assert.match(f.err.message ?? '', /\.\.\/shared\/corpus is absent.*CI/, f.fullTitle);
  });

  it('without CI: the stand-ins are skipped (pending), nothing fails', () => {
    const report = runMocha(env(undefined), 'needs \\.\\./shared/corpus');
    assert.equal(report.stats.failures, 0, report.failures.map((f) => `${f.fullTitle}: ${f.err.message}`).join('\n'));
    assert.equal(report.stats.pending, 3, 'corpus, fast path equality, parallel equality');
  });

  it('CI counts as set unless empty, "false" or "0"; the helper throws then, else skips', () => {
    const saved = process.env.CI;
    const warn = console.warn;
    console.warn = () => undefined; // the skip's loud notice, not wanted here
    try {
      for (const [value, required] of [['true', true], ['1', true], ['yes', true], ['', false], ['false', false], ['0', false]] as const) {
        process.env.CI = value;
        assert.equal(sharedRequired(), required, `CI=${value}`);
        let skipped = false;
        const context = { skip: () => { skipped = true; throw new Error('skipped'); } } as unknown as Mocha.Context;
        assert.throws(() => skipOrFailWithoutShared(context, '../shared/x', 'demo'), required ? /\.\.\/shared\/x is absent, and CI must run/ : /: skipped$/);
        assert.equal(skipped, !required);
      }
    } finally {
      console.warn = warn;
      if (saved === undefined) delete process.env.CI;
      else process.env.CI = saved;
    }
  });
});
