/**
 * With every SigmaHQ windows rule loaded (and the built-in CAR library), the fast path (raw-text
 * prefilter, literal index of the rule stage) gives exactly the plain path's matches, rule by
 * rule: on the corpus files, SigmaHQ's regression events, generated logs of every shape and both
 * event mixes, and on two workers.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { generateLog, SHAPE_EXT, SHAPES } from '../../bench/generate';
import { huntFile, huntFileParallel, loadRules, LoadedRules } from '../../src/engine';
import { HuntOptions } from '../../src/engine/huntTypes';
import { comparable, tempDirForSuite } from '../unit/fastPathSupport';
import { corpusEntriesIfAny, REPO_ROOT } from '../support/corpus';
import { skipOrFailWithoutShared } from '../support/shared';
import { filesUnder } from '../support/files';

const SUITE = 'all SigmaHQ rules: fast path = plain path';
const SIGMA_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'sigma');
const WINDOWS_RULES = path.join(SIGMA_DIR, 'rules', 'windows');
const REGRESSION = path.join(SIGMA_DIR, 'regression_data', 'rules', 'windows');

/** Matches per rule id, for a message that names the rules that differ. */
function perRule(matches: { analyticId: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of matches) out[m.analyticId] = (out[m.analyticId] ?? 0) + 1;
  return out;
}

async function assertSameAllRules(file: string, rules: LoadedRules, options: HuntOptions = {}): Promise<number> {
  const plain = await huntFile(file, { ...options, rules, mode: 'plain' });
  const fast = await huntFile(file, { ...options, rules, mode: 'fast' });
  assert.deepEqual(perRule(fast.matches), perRule(plain.matches), `${file}: matches per rule`);
  assert.deepEqual(comparable(fast), comparable(plain), `${file}: whole result`);
  return plain.summary.matches;
}

describe(SUITE, function () {
  let rules: LoadedRules;
  const dir = tempDirForSuite('log-hunt-all-rules-');

  before(async function () {
    if (!existsSync(WINDOWS_RULES)) skipOrFailWithoutShared(this, '../shared/sigma/rules/windows', SUITE);
    rules = await loadRules({ paths: [WINDOWS_RULES] });
    assert.ok(rules.rules.length > 1000, `${rules.rules.length} rules loaded`);
  });

  it('the corpus files', async () => {
    let matches = 0;
    for (const entry of corpusEntriesIfAny(SUITE)) matches += await assertSameAllRules(entry.path, rules);
    if (corpusEntriesIfAny(SUITE).length > 0) assert.ok(matches > 0, 'the corpus matches some rule');
  });

  it("SigmaHQ's regression events", async () => {
    const files = (existsSync(REGRESSION) ? filesUnder(REGRESSION, /\.json$/) : []);
    let matches = 0;
    for (const file of files) matches += await assertSameAllRules(file, rules);
    if (files.length > 0) assert.ok(matches >= files.length, `${matches} matches in ${files.length} cases`);
  });

  for (const shape of SHAPES) {
    it(`a generated ${shape} log, whole and in small chunks`, async () => {
      const file = path.join(dir, `gen.${shape}.${SHAPE_EXT[shape]}`);
      await generateLog({ shape, targetBytes: 400_000, seed: 5, matchEvery: 40 }, file);
      assert.ok((await assertSameAllRules(file, rules)) > 0);
      await assertSameAllRules(file, rules, { chunkSize: 4093 });
    });
  }

  for (const shape of ['ecs', 'eventviewer'] as const) {
    it(`a generated ${shape} log of the incident mix (mostly shells, near misses)`, async () => {
      const file = path.join(dir, `incident.${shape}.${SHAPE_EXT[shape]}`);
      await generateLog({ shape, targetBytes: 400_000, seed: 6, matchEvery: 40, mix: 'incident' }, file);
      assert.ok((await assertSameAllRules(file, rules)) > 0);
    });
  }

  it('two workers give the one thread plain result', async () => {
    const file = path.join(dir, 'gen.parallel.ndjson');
    await generateLog({ shape: 'ecs', targetBytes: 1_000_000, seed: 9, matchEvery: 50 }, file);
    const plain = await huntFile(file, { rules, mode: 'plain' });
    const parallel = await huntFileParallel(file, { rules, threads: 2, minParallelBytes: 0 });
    assert.deepEqual(comparable(parallel), comparable(plain));
  });
});
