/**
 * SigmaHQ's own regression suite, run as SigmaHQ's CI runs it: for each case, load the rules of
 * the rule's own folder, hunt the case's evtx_dump JSON, and find the rule's id among the matches
 * at least `match_count` times (at least once when no count is given). Then the case's `.evtx`
 * itself, read by our EVTX reader: the same rule, the same floor, and the same matches as its JSON.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { huntFile, loadRules, LoadedRules } from '../../src/engine';
import { REPO_ROOT } from '../support/corpus';
import { skipOrFailWithoutShared } from '../support/shared';
import { filesUnder } from '../support/files';

const SIGMA_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'sigma');
const CASES_DIR = path.join(SIGMA_DIR, 'regression_data', 'rules');

interface Case {
  /** The rule's file under ../shared/sigma/rules. */
  ruleFile: string;
  ruleId: string;
  json: string;
  evtx: string;
  matchCount: number;
  name: string;
}

/** Rule id -> its file. A case's folder names the rule's path when it was recorded; rules get renamed since. */
function ruleFileById(): Map<string, string> {
  const byId = new Map<string, string>();
  for (const file of filesUnder(path.join(SIGMA_DIR, 'rules'), /\.ya?ml$/)) {
    const id = /^id:\s*['"]?([0-9a-f-]{36})/m.exec(readFileSync(file, 'utf8'))?.[1];
    if (id) byId.set(id, file);
  }
  return byId;
}

/** Every runnable case: those whose test is an evtx recording with its JSON beside it. */
function cases(): Case[] {
  const out: Case[] = [];
  const byId = ruleFileById();
  for (const info of filesUnder(CASES_DIR, /^info\.yml$/)) {
    const doc = parse(readFileSync(info, 'utf8')) as {
      rule_metadata?: { id: string }[];
      regression_tests_info?: { name?: string; type?: string; match_count?: number; path: string }[];
    };
    const ruleId = doc.rule_metadata?.[0]?.id;
    const folder = path.relative(CASES_DIR, path.dirname(info));
    for (const test of doc.regression_tests_info ?? []) {
      if (!ruleId || test.type !== 'evtx') continue;
      out.push({
        ruleFile: byId.get(ruleId) ?? path.join(SIGMA_DIR, 'rules', `${folder}.yml`),
        ruleId,
        json: path.join(SIGMA_DIR, test.path.replace(/\.evtx$/, '.json')),
        evtx: path.join(SIGMA_DIR, test.path),
        matchCount: test.match_count ?? 1,
        name: `${folder} (${test.name ?? 'case'})`,
      });
    }
  }
  return out;
}

describe('SigmaHQ regression suite: ../shared/sigma/regression_data', function () {
  if (!existsSync(CASES_DIR)) {
    it('needs ../shared/sigma, which is absent', function () {
      skipOrFailWithoutShared(this, '../shared/sigma/regression_data', 'sigma regression');
    });
    return;
  }
  const all = cases();
  const folders = new Map<string, Promise<LoadedRules>>();
  const rulesOf = (folder: string) => {
    let loaded = folders.get(folder);
    if (!loaded) folders.set(folder, (loaded = loadRules({ paths: [folder], builtin: false })));
    return loaded;
  };

  it('has the 192 cases SigmaHQ runs on evtx recordings', () => {
    assert.ok(all.length >= 192, `only ${all.length} cases`);
  });

  for (const c of all) {
    it(c.name, async () => {
      assert.ok(existsSync(c.ruleFile), `no rule file ${c.ruleFile}`);
      const rules = await rulesOf(path.dirname(c.ruleFile));
      const own = rules.skipped.find((s) => s.source === c.ruleFile);
      assert.equal(own, undefined, `the rule was skipped: ${own?.reason}`);
      const { summary } = await huntFile(c.json, { rules });
      assert.equal(summary.malformed, 0, 'the case reads cleanly');
      const found = summary.matchesByRule[c.ruleId] ?? 0;
      assert.ok(found >= c.matchCount, `${c.ruleId} matched ${found} time(s), needs ${c.matchCount}; ${summary.why ?? ''}`);
      // The recording itself: every rule of the folder finds on the .evtx what it finds on its JSON twin.
      const binary = await huntFile(c.evtx, { rules });
      assert.equal(binary.summary.malformed, 0, 'the .evtx reads cleanly');
      assert.equal(binary.summary.format, 'evtx (Windows event log)');
      assert.ok((binary.summary.matchesByRule[c.ruleId] ?? 0) >= c.matchCount, `.evtx: ${c.ruleId} matched ${binary.summary.matchesByRule[c.ruleId] ?? 0} time(s)`);
      assert.deepEqual(binary.summary.matchesByRule, summary.matchesByRule, 'the same matches per rule as the JSON');
    });
  }
});
