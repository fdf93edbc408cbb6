import * as assert from 'assert';
import { LiteralSearch } from '../../src/engine/rules/literalIndex';
import { Rng } from '../fuzz/fuzz';

/** What LiteralSearch must answer: does any literal occur in the string? */
const naive = (lits: readonly string[], s: string) => lits.some((l) => s.includes(l));

describe('LiteralSearch (one pass for a long contains list)', () => {
  // Emoji and homoglyphs (one or two UTF-16 units), short ASCII, and literals long enough for a gram.
  const alphabet = ['a', 'b', 'c', ' ', '\\', '.', 'é', '\u0430', '\u202e', '🦆', '🐍', '©', '\u00ae', '\ud83e'];
  const word = (rng: Rng, max: number) => Array.from({ length: 1 + rng.int(max) }, () => rng.pick(alphabet)).join('');

  it('agrees with a search per literal, for few and many short literals and long ones', () => {
    const rng = new Rng(11);
    let found = 0;
    const earlier: { lits: string[]; search: LiteralSearch; s: string }[] = [];
    for (let round = 0; round < 300; round++) {
      const count = 1 + rng.int(40);
      const lits = Array.from({ length: count }, () => word(rng, round % 3 === 0 ? 2 : 7));
      const search = new LiteralSearch(lits);
      for (let k = 0; k < 20; k++) {
        const s = word(rng, 60);
        const want = naive(lits, s);
        if (want) found++;
        assert.equal(search.in(s), want, `literals ${JSON.stringify(lits)} in ${JSON.stringify(s)}`);
        if (k === 0) earlier.push({ lits, search, s });
      }
    }
    // The lists share one scan: those made first still answer right once many more literals came.
    for (const { lits, search, s } of earlier) assert.equal(search.in(s), naive(lits, s), `again: ${JSON.stringify(lits)} in ${JSON.stringify(s)}`);
    assert.ok(found > 500 && found < 5500, `both answers are exercised (${found} of 6000 found)`);
  });

  it('finds an emoji among two hundred, and none in an ASCII command line', () => {
    const emoji = Array.from({ length: 200 }, (_, i) => String.fromCodePoint(0x1f400 + i));
    const search = new LiteralSearch(emoji);
    assert.equal(search.in('cmd.exe /c echo \u{1f4c1} > x'), true);
    assert.equal(search.in('cmd.exe /c echo hi > x'), false);
    assert.equal(search.in('lone high surrogate \ud83d at the end \ud83d'), false);
  });
});
