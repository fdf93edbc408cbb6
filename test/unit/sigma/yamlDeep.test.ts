/**
 * Indentation too deep to parse is looked for only on lines longer than the limit. The check then
 * walks the lines that follow a line feed (and the first), so its verdict is: some such line starts
 * with more than the limit of indentation or indicators. What it may not do is miss one, wherever the
 * deep line is and whatever ends the line before it (a multiline `^` also follows \r, \u2028, \u2029).
 */
import assert from 'node:assert/strict';
import { loadYaml } from '../../../src/engine/rules/sigma/yamlDoc';

const LIMIT = 400;
/** The first line, or a line after a line feed, starting with more than LIMIT indentation or indicator characters. */
const REGEX = new RegExp(`(?:^|\\n)[ \\t?:-]{${LIMIT + 1}}`);

function tooDeep(text: string): boolean {
  const r = loadYaml(text);
  return 'error' in r && r.error === 'nesting too deep (indentation)';
}

describe('YAML: indentation too deep', () => {
  const run = (n: number, c = ' '): string => c.repeat(n);
  const texts: string[] = [];
  for (const n of [LIMIT - 1, LIMIT, LIMIT + 1, LIMIT + 50]) {
    for (const c of [' ', '-', '?', ':', '\t', '- ', ' :']) {
      const indent = run(n, c).slice(0, n);
      texts.push(`${indent}x: 1\n`, `a: 1\n${indent}x\n`, `a: 1\nb: |\n  text\n${indent}`, `a: 1\n${indent}`);
      for (const eol of ['\r', '\r\n', '\u2028', '\u2029']) texts.push(`a: 1${eol}${indent}x\n`);
    }
    // A long run that does not start its line is not indentation.
    texts.push(`a: ${run(n)}x\n`, `a: 1\nb ${run(n, '-')}\n`);
  }
  texts.push(`a: ${'x'.repeat(2000)}\n`, `${run(LIMIT + 1)}`, `${'a: 1\n'.repeat(500)}${run(LIMIT + 1, '-')}\n`);

  it('is refused exactly where the multiline regex finds it', () => {
    let deep = 0;
    for (const text of texts) {
      const expected = REGEX.test(text);
      if (expected) deep++;
      assert.equal(tooDeep(text), expected, JSON.stringify(text.slice(0, 60)));
    }
    // Both verdicts occur, so the comparison can fail either way.
    assert.ok(deep > 0 && deep < texts.length, `${deep} of ${texts.length}`);
  });
});
