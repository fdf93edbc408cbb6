import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { RE2JS } from 're2js';
import { compileRegex } from '../../src/engine/rules/sigma/regex';
import { foldForLiterals, regexLiterals } from '../../src/engine/rules/sigma/regexLiterals';
import { Rng } from '../fuzz/fuzz';
import { REPO_ROOT } from '../support/corpus';
import { skipOrFailWithoutShared } from '../support/shared';

describe('regexLiterals (text a regex cannot match without)', () => {
  it('takes the longest required run of each alternative, lower-cased', () => {
    assert.deepEqual(regexLiterals(String.raw`process call create.*\b(\w+(\.\w+)?):(\w+)`), ['process call create']);
    assert.deepEqual(regexLiterals('(?i)Invoke-CimMethod\\s+-ClassName'), ['invoke-cimmethod']);
    assert.deepEqual(regexLiterals('(?i)foo|BAR'), ['foo', 'bar']);
    assert.deepEqual(regexLiterals(String.raw`[a-z]+\.exe`), ['.exe']);
    assert.deepEqual(regexLiterals('abcd?e'), ['abc'], 'an optional character ends the run before it');
    assert.deepEqual(regexLiterals('xab+cd'), ['xab'], 'a repeated one ends it after itself');
  });

  it('gives nothing where it cannot be sure', () => {
    for (const p of ['ab', String.raw`\x41bcd`, '(?x)abcd', 'ab(?i)cdef', 'abc|.*', 'abc{x}', String.raw`\Qabc\E`, 'abc)', '(abc', 'a{0,3}bc']) {
      assert.equal(regexLiterals(p), undefined, p);
    }
  });

  // Random patterns over a small alphabet, and random strings over it: whenever the regex
  // matches, the (folded, lower-cased) string holds one of the literals.
  it('never refuses a value the regex matches (random patterns and values)', () => {
    const rng = new Rng(5);
    const chars = ['a', 'b', 'A', 'B', '.', '-', ' ', '\u017f', 's'];
    const atom = (): string => {
      switch (rng.int(14)) {
        case 0:
          return '.';
        case 1:
          return '[ab]';
        case 2:
          return `(${piece()}|${piece()})`;
        case 3:
          return '\\s';
        case 4:
          return '\\.';
        default:
          return rng.pick(['a', 'b', 'A', 's', '-', ' ']);
      }
    };
    const piece = (): string => {
      let out = '';
      for (let n = 2 + rng.int(5); n > 0; n--) out += atom() + rng.pick(['', '', '', '', '', '', '?', '*', '+', '{2}', '{0,2}', '+?']);
      return out;
    };
    let checked = 0;
    let withLiterals = 0;
    for (let k = 0; k < 6000; k++) {
      const pattern = (rng.int(2) ? '(?i)' : '') + piece() + (rng.int(3) === 0 ? `|${piece()}` : '');
      const lits = regexLiterals(pattern);
      if (!lits) continue;
      withLiterals++;
      const re = RE2JS.compile(pattern);
      // Values made of the pattern's own letters (so that many match) and random characters.
      const letters = pattern.replace(/^\(\?i\)/, '').replace(/[^a-zA-Z .-]/g, '');
      for (let t = 0; t < 40; t++) {
        let s = '';
        for (let n = rng.int(5); n > 0; n--) {
          const from = rng.int(letters.length + 1);
          s += rng.int(2) ? letters.slice(from, from + rng.int(6)) : rng.pick(chars);
        }
        if (!re.test(s)) continue;
        checked++;
        const folded = foldForLiterals(s.toLowerCase());
        assert.ok(
          lits.some((l) => folded.includes(l)),
          `/${pattern}/ matches ${JSON.stringify(s)}, which holds none of ${JSON.stringify(lits)}`,
        );
      }
    }
    assert.ok(withLiterals > 300 && checked > 300, `exercised: ${withLiterals} patterns with literals, ${checked} matches`);
  });

  it('compileRegex answers as re2js does on every SigmaHQ and CAR regex over sample values', function () {
    const rules = path.resolve(REPO_ROOT, '..', 'shared', 'sigma', 'rules');
    if (!fs.existsSync(rules)) skipOrFailWithoutShared(this, '../shared/sigma', 'regex literals');
    const patterns: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.yml')) {
          for (const m of fs.readFileSync(p, 'utf8').matchAll(/\|re(?:\|[a-z]+)*:\s*'((?:[^']|'')*)'/g)) patterns.push(m[1].replaceAll("''", "'"));
        }
      }
    };
    walk(rules);
    assert.ok(patterns.length > 100, `${patterns.length} patterns`);
    const samples = ['powershell.exe -nop -w hidden -enc SQBFAFgA', 'cmd.exe /c echo x | clip && invoke', 'C:\\Windows\\System32\\rundll32.exe a.dll,Start', 'ECHO CLIP && ClipBoard', 'process call create "a.txt:b.exe"', ''];
    let prefiltered = 0;
    for (const p of patterns) {
      let re: RE2JS;
      try {
        re = RE2JS.compile(p);
      } catch {
        continue; // refused at load, with its reason (regex.ts)
      }
      if (regexLiterals(p)) prefiltered++;
      const test = compileRegex(p, new Set());
      for (const s of samples) assert.equal(test(s), re.test(s), `/${p}/ on ${JSON.stringify(s)}`);
    }
    assert.ok(prefiltered > patterns.length / 4, `${prefiltered} of ${patterns.length} patterns get a literal`);
  });
});
