/**
 * The line reader for rule YAML must read every text it accepts to js-yaml's value (with the rule
 * schema), and give up on any text js-yaml refuses: on every SigmaHQ rule, on mutations of them, and
 * on random texts built from YAML's tricky pieces.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { loadAll } from 'js-yaml';
import { FAST_SCHEMA } from '../../../src/engine/rules/sigma/yamlDoc';
import { PRIMER, PRIMERS_GIVEN_UP, readRuleYaml } from '../../../src/engine/rules/sigma/yamlLines';
import { assertEvery } from '../../support/assertions';
import { REPO_ROOT } from '../../support/corpus';
import { filesUnder } from '../../support/files';
import { skipOrFailWithoutShared } from '../../support/shared';

const SIGMA_RULES = path.resolve(REPO_ROOT, '..', 'shared', 'sigma', 'rules');

/** js-yaml's documents, or undefined when it refuses the text. */
function jsYaml(text: string): unknown[] | undefined {
  try {
    return loadAll(text, undefined, { schema: FAST_SCHEMA });
  } catch {
    return undefined;
  }
}

/** Read by the line reader: it must be js-yaml's one document. Given up: nothing to check. */
function agrees(text: string): boolean {
  const mine = readRuleYaml(text);
  if (mine === undefined) return true;
  const theirs = jsYaml(text);
  return theirs !== undefined && theirs.length === 1 && isDeepStrictEqual(theirs[0], mine);
}

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    let t = (a = (a + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const PIECES = [
  '- ', 'k: ', 'a: ', 'b:', "'q': ", '"d": ', 'v', "'x y'", '"y\\n"', '|', '|-', '|+', '>', '# c', '', 'k:', '- k: v', '- - z',
  'null', '~', 'true', 'x #c', "'a''b'", 'a:b', 'http://x', '-x', '?x', ':x', 'C:', ' ', '  ', '\t', '"\\x41"', '[a]', 'a b',
  'a: b: c', '- |', '- |-', 'a|b: c',
  // Pieces from here on are left to js-yaml.
  '&a ', '*a', '!t ', '---', '...', '%', '@', '\r', '"\\q"', '"\\u00e9"', '{}', ',',
];

const READABLE = PIECES.indexOf('&a ');

describe('rule YAML: the line reader agrees with js-yaml', () => {
  it('reads a plain rule to js-yaml\'s value: maps, lists, quotes, block text, comments, nulls and booleans', () => {
    const text = [
      'title: A rule # a comment',
      "id: '5f1c'",
      'description: |',
      '    First line',
      '',
      '      indented',
      'references:',
      '- https://example.com/a?b=c',
      '-   "quoted \\"x\\" \\\\ \\x41"',
      'detection:',
      '    selection:',
      "        Image|endswith: '\\cmd.exe'",
      '        CommandLine|contains:',
      "            - ' -enc '",
      "            - 'it''s'",
      '        LogonId: 0x3e7',
      '        Missing: null',
      '        Tilde: ~',
      '        Flag: true',
      '        Word: yes',
      '    list_of_maps:',
      '        - a: 1',
      '          b: "2"',
      '        - - nested',
      '    condition: selection and not 1 of list_*',
      'level: high',
      '',
    ].join('\n');
    const value = readRuleYaml(text) as Record<string, Record<string, unknown>>;
    assert.ok(value, 'read');
    assert.deepEqual(value, jsYaml(text)?.[0]);
    assert.equal(value.description, 'First line\n\n  indented\n');
    assert.deepEqual(value.detection.list_of_maps, [{ a: '1', b: '2' }, ['nested']]);
  });

  it('reads the primer it reads before the first rule to js-yaml\'s value, to its last line', () => {
    const value = readRuleYaml(PRIMER) as Record<string, unknown>;
    assert.ok(value, 'read');
    assert.deepEqual(value, jsYaml(PRIMER)?.[0]);
    assert.equal(value.level, 'high');
    assertEvery(PRIMERS_GIVEN_UP, (text) => readRuleYaml(text) === undefined, 'given up');
  });

  it('reads a plain value or key starting with a colon (SigmaHQ has `- :\\ProgramData\'`) as js-yaml does', () => {
    const texts = ["a:\n    - :\\ProgramData'\n    - ':\\Temp'\n", 'a: :x\nb: ::y\n', ':k: v\n', '- :x: y\n', 'a: :x #c\n'];
    assertEvery(texts, (text) => readRuleYaml(text) !== undefined && agrees(text), 'read as js-yaml reads it');
    assert.deepEqual(readRuleYaml(texts[0]), { a: [":\\ProgramData'", ':\\Temp'] });
  });

  it('reads a plain value continued on more indented lines (folded) as js-yaml does', () => {
    const texts = ['a: multi\n  line\nb: c\n', '- first\n  second   \n  third\n- x\n', 'k:\n    c: (a and b)\n       or (c and d)\n    d: e\n', "- users.\n  They shouldn't, \"x\" a#b\n"];
    assertEvery(texts, (text) => readRuleYaml(text) !== undefined && agrees(text), 'read as js-yaml reads it');
    assert.deepEqual(readRuleYaml(texts[1]), ['first second third', 'x']);
  });

  it('gives up on what it leaves to js-yaml', () => {
    const cases = [
      'a: [1, 2]\n', 'a: {b: c}\n', 'a: &x b\nc: *x\n', 'a: !!str b\n', '---\na: b\n', 'a: b\n---\nc: d\n', 'a: >\n  folded\n',
      'a: multi\n\n  line\n', 'a: multi # c\n  line\n', 'a: b\n  c: d\n', 'a: b\n  - c\n', "a: 'multi\n  line'\n", 'a:\n\t- b\n', 'a: b\na: c\n', 'a: "\\q"\n', 'a: b: c\n', '\ufeffa: b\n',
      'a: b\r\nc: d\r\n', 'a: |2\n   x\n', 'a: |\n  x', '', '# only a comment\n', 'just text\n', '<<: x\n', '__proto__: x\n',
    ];
    assertEvery(cases, (text) => readRuleYaml(text) === undefined, 'given up');
  });

  it('every SigmaHQ rule: read (nearly all of them) to js-yaml\'s value', function () {
    if (!existsSync(SIGMA_RULES)) skipOrFailWithoutShared(this, '../shared/sigma/rules', 'rule YAML');
    const texts = filesUnder(SIGMA_RULES, /\.ya?ml$/).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
    assertEvery(texts, ({ text }) => agrees(text), 'SigmaHQ rules');
    const read = texts.filter(({ text }) => readRuleYaml(text) !== undefined).length;
    assert.ok(read >= texts.length * 0.95, `the line reader read ${read} of ${texts.length} rules`);
  });

  it('mutated SigmaHQ rules: what it reads, js-yaml reads the same', function () {
    if (!existsSync(SIGMA_RULES)) skipOrFailWithoutShared(this, '../shared/sigma/rules', 'rule YAML');
    const texts = filesUnder(SIGMA_RULES, /\.ya?ml$/).map((file) => readFileSync(file, 'utf8'));
    const int = rng(11);
    const mutants: string[] = [];
    for (let k = 0; k < 3000; k++) {
      let m = texts[int(texts.length)];
      for (let r = 1 + int(3); r > 0; r--) {
        const at = int(m.length + 1);
        const op = int(3);
        if (op === 0) m = m.slice(0, at) + PIECES[int(PIECES.length)] + (int(2) ? '\n' : '') + m.slice(at);
        else if (op === 1) m = m.slice(0, at) + m.slice(at + 1 + int(3));
        else {
          const lines = m.split('\n');
          const l = int(lines.length);
          lines[l] = int(2) ? ` ${lines[l]}` : lines[l].replace(/^ /, '');
          m = lines.join('\n');
        }
      }
      mutants.push(m);
    }
    assertEvery(mutants, agrees, 'mutated rules');
    assert.ok(mutants.some((m) => readRuleYaml(m) !== undefined), 'some mutants are read');
  });

  it('random texts of YAML pieces: what it reads, js-yaml reads the same', () => {
    const int = rng(3);
    const texts: string[] = [];
    for (let k = 0; k < 20000; k++) {
      const lines: string[] = [];
      for (let n = 1 + int(8); n > 0; n--) {
        let line = ' '.repeat(int(4) * 2 + (int(5) === 0 ? 1 : 0));
        // Mostly the pieces it reads, so that many texts are read and compared.
        for (let p = 1 + int(3); p > 0; p--) line += PIECES[int(10) ? int(READABLE) : int(PIECES.length)];
        lines.push(line);
      }
      texts.push(lines.join('\n') + (int(4) ? '\n' : ''));
    }
    assertEvery(texts, agrees, 'random texts');
    const read = texts.filter((t) => readRuleYaml(t) !== undefined).length;
    assert.ok(read > 300, `${read} random texts are read`);
  });
});
