/**
 * surelyRuns lets a rule's load skip re2js for plain patterns, so it must never say yes where
 * re2js says no: held to re2js on SigmaHQ's patterns and on random patterns built from the tokens
 * its reader handles and those it must leave to re2js. A pattern it accepts must compile, within
 * the program size it allows.
 */
import assert from 'node:assert/strict';
import { RE2JS } from 're2js';
import { MAX_REGEX_PROGRAM } from '../../../src/engine/rules/sigma/regex';
import { surelyRuns } from '../../../src/engine/rules/sigma/re2Syntax';

/** re2js's verdict: the program size, or undefined when it refuses the pattern. */
function re2jsSize(pattern: string, flags: number): number | undefined {
  try {
    return RE2JS.compile(pattern, flags).programSize();
  } catch {
    return undefined;
  }
}

const FLAGS = [0, RE2JS.CASE_INSENSITIVE, RE2JS.CASE_INSENSITIVE | RE2JS.MULTILINE | RE2JS.DOTALL];

/** Checks one pattern; true when surelyRuns accepted it. */
function holdsTo(pattern: string, max = MAX_REGEX_PROGRAM): boolean {
  if (!surelyRuns(pattern, max)) return false;
  for (const flags of FLAGS) {
    const size = re2jsSize(pattern, flags);
    assert.ok(size !== undefined, `accepted, but re2js refuses /${pattern}/ (flags ${flags})`);
    assert.ok(size <= max, `accepted, but re2js's program for /${pattern}/ has ${size} instructions (at most ${max})`);
  }
  return true;
}

const TOKENS = [
  'a', 'B', '0', ' ', '-', ',', '.', ']', '}', '{', '"', "'", '`', ':', '/', '#', '&', '~',
  '\\d', '\\W', '\\s', '\\b', '\\B', '\\.', '\\\\', '\\-', '\\ ', '\\_', '\\{', '\\]', '\\n', '\\t', '\\x41', '\\x7e', '\\x4', '\\xg1',
  '\\Z', '\\z', '\\A', '\\pL', '\\Q', '\\E', '\\1', '\\0', '\\h', '\\e', '\\c',
  '(', ')', '(?:', '(?i)', '(?s)', '(?im)', '(?i:', '(?-i)', '(?P<n>', '(?<n>', '(?=', '(?!', '(?<=', '(?', '|',
  '*', '+', '?', '*?', '+?', '??', '{2}', '{0,3}', '{2,}', '{0}', '{0,0}', '{3,2}', '{01}', '{,2}', '{1000}', '{1001}', '{10}', '{100}', '{12,999}',
  '[a-z]', '[^a-]', '[-a]', '[a-]', '[\\d-z]', '[\\d-]', '[a-\\d]', '[]a]', '[^]a]', '[\\x41-\\x5a]', '[z-a]', '[a-b-c]', '[[:alpha:]]', '[a[]',
  '[\\]\\\\]', '[^\\w+|\\s]', '[!--]', '[', '[^', '^', '$', '\u00e9', '\t', '\n',
];

/** A deterministic pseudo-random generator (mulberry32), so a failure can be run again. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('surelyRuns: regexes known to run without re2js', () => {
  it('accepts the plain patterns of SigmaHQ rules, and re2js agrees', () => {
    const sigma = [
      '\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}',
      'process call create.*\\b(\\w+(\\.\\w+)?):(\\w+(\\.\\w+)?)',
      '(?:[Pp]rogram[Dd]ata|%(?:[Ll]ocal)?[Aa]pp[Dd]ata%|\\\\[Aa]pp[Dd]ata\\\\(?:[Ll]ocal(?:[Ll]ow)?|[Rr]oaming))\\\\[^\\\\]{1,256}$',
      'cmd.{0,5}(?:/c|/r)(?:\\s|)\\"set\\s[a-zA-Z]{3,6}.*(?:\\{\\d\\}){1,}\\\\\\"\\s+?\\-f(?:.*\\)){1,}.*\\"',
      '(?i)\\.exe[\\"\\\']?\\s+[^\\"]{0,64}werfaultsecure\\.exe[\\"\\\']?\\s+\\d{2,10}',
      'https?://(?:(?:25[0-5]|(?:2[0-4]|1\\d|[1-9])?\\d)(?:\\.|\\b)){4}',
      '\\w+`(?:\\w+|-|.)`[\\w+|\\s]',
      'cmd.{0,5}(?:/c|/r).+clip(?:\\.exe)?.{0,4}&&.+clipboard]::\\(\\s\\\\"\\{\\d\\}.+-f.+"',
      '\\+.*\\+.*\\+.*\\+.*\\+.*\\+.*\\+.*\\+.*\\+.*\\+.*\\+.*\\+.*\\+.*\\+',
      '\\n\\n\\n\\n\\n\\n',
    ];
    for (const p of sigma) assert.ok(holdsTo(p), `not accepted: /${p}/`);
  });

  it('leaves to re2js what RE2 refuses or reads otherwise', () => {
    for (const p of ['(?=x)', 'a(?!b)', '(?<=a)b', '\\1', 'a**', 'a{2}{3}', 'a*??', '{2}', '*a', 'x{1001}', '(x{10}){101}', 'x{3,2}', '[a-\\d]', '\\Z', '\\pL', '(?P<n>a)', '[[:alpha:]]', '(a', 'a)', '[a', '\\', '(?i)*', '^*', 'x{01}']) {
      assert.equal(surelyRuns(p, MAX_REGEX_PROGRAM), false, p);
    }
  });

  it('bounds the program size: a pattern over the limit is left to re2js', () => {
    assert.ok(holdsTo('.{1000}'));
    assert.equal(surelyRuns('(.){1000}', MAX_REGEX_PROGRAM), false);
    assert.equal(surelyRuns('(?:(?:a|b){30}){30}', MAX_REGEX_PROGRAM), false);
    // At a small limit, re2js's own size must stay within the bound for everything accepted.
    for (const p of ['abc', '(a|b)*c', 'x{2,5}', '(x?){3}', '[a-z]+?', '(?:)|']) assert.ok(holdsTo(p, 40), p);
  });

  it('never accepts a pattern re2js refuses (random patterns, fixed seed)', () => {
    const next = random(11);
    let accepted = 0;
    let refused = 0;
    const count = 30_000;
    for (let i = 0; i < count; i++) {
      const length = 1 + Math.floor(next() * 10);
      let p = '';
      for (let k = 0; k < length; k++) p += TOKENS[Math.floor(next() * TOKENS.length)];
      if (holdsTo(p, 400)) accepted++;
      else if (re2jsSize(p, 0) === undefined) refused++;
    }
    // Both kinds occur, so the comparison could fail either way.
    assert.ok(accepted > count / 20, `${accepted} accepted`);
    assert.ok(refused > count / 20, `${refused} refused by re2js`);
  });
});
