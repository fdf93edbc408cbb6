/**
 * Every SigmaHQ rule in ../shared/sigma/rules either compiles or is skipped with a reason, and
 * nothing throws. Prints the totals by skip category.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileDetection, compileSigmaText, SigmaError } from '../../../src/engine/rules/sigma';
import { loadYaml } from '../../../src/engine/rules/sigma/yamlDoc';
import { skipOrFailWithoutShared } from '../../support/shared';
import { filesUnder } from '../../support/files';

const RULES = path.resolve(__dirname, '../../../../../shared/sigma/rules');

const count = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
const table = (m: Map<string, number>): string =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `      ${String(n).padStart(5)}  ${k}`)
    .join('\n');

describe('sigma: every SigmaHQ rule', function () {
  this.timeout(300_000);

  before(function () {
    if (fs.existsSync(RULES)) return;
    skipOrFailWithoutShared(this, `the SigmaHQ rules (${RULES})`, 'sigma: every SigmaHQ rule');
  });

  it('compiles or skips each file with a reason, without throwing', () => {
    const files = filesUnder(RULES, /\.ya?ml$/i);
    assert.ok(files.length > 3000, `expected the SigmaHQ rules, found ${files.length} files`);
    let compiled = 0;
    const skipped = new Map<string, number>();
    const examples = new Map<string, string>();
    for (const file of files) {
      const rel = path.relative(RULES, file);
      const r = compileSigmaText(fs.readFileSync(file, 'utf8'), rel);
      assert.equal(r.rules.length + r.skipped.length, 1, `${rel}: one rule or one skip`);
      compiled += r.rules.length;
      for (const s of r.skipped) {
        assert.ok(s.category && s.reason, `${rel}: a skip needs a category and a reason`);
        count(skipped, s.category);
        if (!examples.has(s.category)) examples.set(s.category, `${rel}:${s.line ?? '?'}: ${s.reason}`);
      }
      for (const rule of r.rules) {
        assert.ok(rule.info.id && rule.info.title, `${rel}: id and title`);
        assert.ok(rule.branches.length > 0, `${rel}: at least one branch`);
      }
    }
    console.log(`      ${files.length} files: ${compiled} compiled, ${files.length - compiled} skipped`);
    console.log(table(skipped));
    for (const [k, v] of examples) console.log(`      e.g. ${k}: ${v}`);
    assert.ok(compiled > 2000);
  });

  it('compiles the detection of every rule, Windows or not', () => {
    const failures = new Map<string, number>();
    let ok = 0;
    for (const file of filesUnder(RULES, /\.ya?ml$/i)) {
      const loaded = loadYaml(fs.readFileSync(file, 'utf8'));
      if ('error' in loaded || loaded.docs.length !== 1) continue;
      const detection = (loaded.docs[0].value as { detection?: Record<string, unknown> }).detection;
      if (!detection) continue;
      try {
        compileDetection(detection);
        ok++;
      } catch (e) {
        assert.ok(e instanceof SigmaError, `${file}: only SigmaError may escape compileDetection`);
        count(failures, `${e.category}: ${path.relative(RULES, file)}: ${e.message}`);
      }
    }
    console.log(`      ${ok} detections compiled; refused:\n${table(failures)}`);
  });
});
