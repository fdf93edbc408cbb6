/**
 * `assert.ok(list.every(...))` passes on an empty list: a bug that drops every note, diagnostic
 * or match passes it. Such assertions go through assertEvery, which fails on an empty list, or
 * follow an assertion that the list is not empty.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { assertEvery } from '../../support/assertions';
import { REPO_ROOT } from '../../support/corpus';

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(full);
    return entry.isFile() && entry.name.endsWith('.ts') ? [full] : [];
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `file:line` of each assertion over `X.every(` with no non-empty check on X just before it:
 * `X.length > 0` (>= 1, !== 0), or X.length asserted equal to a positive number.
 */
export function vacuousEveryAssertions(files: readonly string[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (!/\bassert\b/.test(line) || /^\s*(\*|\/\/|\/\*)/.test(line)) return; // code, not comments
      for (const m of line.matchAll(/([\w$.]+(?:\([^()]*\))?)\.every\(/g)) {
        const list = m[1];
        const length = `${escapeRegExp(list)}\\.length`;
        const nonEmpty = new RegExp(`${length}\\s*(>\\s*0|>=\\s*1|!==\\s*0)|[Ee]qual\\(\\s*${length}\\s*,\\s*[1-9]`);
        if (!lines.slice(Math.max(0, i - 3), i + 1).some((l) => nonEmpty.test(l))) found.push(`${path.relative(REPO_ROOT, file)}:${i + 1}`);
      }
    });
  }
  return found;
}

describe('guard: no assertion holds vacuously over an empty list', () => {
  it('assertEvery fails on an empty list, and on an item that does not hold', () => {
    assert.throws(() => assertEvery([], () => true, 'notes'), /notes: the list is empty/);
    assert.throws(() => assertEvery(['note: a', 'oops'], (l) => l.startsWith('note: '), 'notes'), /1 of 2 do not hold/);
    assertEvery(['note: a'], (l) => l.startsWith('note: '), 'notes');
  });

  it('the tests use it: no bare assert over .every() without a non-empty check', () => {
    const files = typeScriptFiles(path.join(REPO_ROOT, 'test'));
    assert.ok(files.length > 20, 'the test sources are found');
    assert.deepEqual(vacuousEveryAssertions(files), [], 'use assertEvery (test/support/assertions.ts) there');
  });
});
