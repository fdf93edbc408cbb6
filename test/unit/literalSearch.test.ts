import * as assert from 'assert';
import { LiteralIndex, LiteralSearch } from '../../src/engine/rules/literalIndex';
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

describe('LiteralIndex on raw text (the fast path passes a record as it is, not lower-cased)', () => {
  // Capitals of ASCII and latin1 (À..Þ, and × between them, which has none), and the lower-case letters.
  const alphabet = ['A', 'b', 'C', 'x', 'X', ' ', '\\', '\u00c0', '\u00e0', '\u00d7', '\u00de', '\u00fe', '\u00df', '\u00b5', '\u00ff'];
  const word = (rng: Rng, min: number, max: number) => Array.from({ length: min + rng.int(max - min + 1) }, () => rng.pick(alphabet)).join('');

  // A record's raw text is latin1: ÿ, ß and µ have capitals only beyond it, and stay as they are.
  const latin1Upper = (c: string) => (c.toUpperCase().length === 1 && c.toUpperCase().charCodeAt(0) < 256 ? c.toUpperCase() : c);

  it('picks in a latin1 text what it picks in that text lower-cased', () => {
    const rng = new Rng(29);
    let picked = 0;
    for (let round = 0; round < 200; round++) {
      // Entries with one or two sets of lower-case literals of gram length or more.
      const cnfs = Array.from({ length: 20 + rng.int(20) }, () => Array.from({ length: 1 + rng.int(2) }, () => Array.from({ length: 1 + rng.int(3) }, () => word(rng, 4, 6).toLowerCase())));
      const index = new LiteralIndex(cnfs);
      for (let k = 0; k < 20; k++) {
        // Random text around some of the literals, each in a random case.
        const lits = cnfs.flat(2);
        const pieces = Array.from({ length: 1 + rng.int(4) }, () => (rng.int(2) ? word(rng, 0, 20) : [...rng.pick(lits)].map((c) => (rng.int(2) ? latin1Upper(c) : c)).join('')));
        const text = pieces.join('');
        const want = index.candidates([text.toLowerCase()]);
        picked += want.length;
        assert.deepEqual(index.candidates([text]), want, `${JSON.stringify(text)} with ${JSON.stringify(cnfs)}`);
      }
    }
    assert.ok(picked > 1000, `only ${picked} picks: the texts rarely held a literal`);
  });

  it('folds every latin1 character as toLowerCase() does', () => {
    for (let c = 0; c < 256; c++) {
      const ch = String.fromCharCode(c);
      const index = new LiteralIndex([[[`ab${ch.toLowerCase()}d`]]]);
      assert.deepEqual(index.candidates([`xAB${ch}Dy`]), [0], `character ${c}`);
    }
  });
});
