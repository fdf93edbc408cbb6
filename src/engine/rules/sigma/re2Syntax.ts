/**
 * Which regexes of a rule certainly run in RE2, without compiling them. A rule's load must refuse a
 * pattern RE2 cannot run (regex.ts), and re2js compiled every distinct pattern for that verdict
 * alone, cold in each process (SigmaHQ's 120 distinct patterns: about 0.1 s of CPU); the hunt
 * compiles the ones it uses again anyway. Most Sigma patterns are plain: literals, escapes, classes,
 * groups, alternation and bounded repeats. For those this reader proves what re2js would find,
 * and anything it does not know for certain is left to re2js: it never says yes where re2js says no.
 *
 * "Runs" means: RE2 (re2js, Perl syntax) parses the pattern, under any of the i, m and s flags, and
 * its program has at most `maxProgram` instructions. The size counted here is an upper bound of
 * re2js's programSize(): one instruction per literal character, class, `.`, anchor or empty
 * branch; two per capture; one per alternative after the first; `?` and `+` one, `*` two; x{n,m}
 * n copies of x and m - n optional ones (re2js's Simplify), plus its FAIL and MATCH instructions.
 */

/** Sizes of a piece: its program bound and the product of its nested counted repeats (RE2's limit is 1000). */
interface Piece {
  size: number;
  repeats: number;
  /** Can a repeat follow it? (Not an anchor, a word boundary or a flag group: re2js accepts some, refuses others.) */
  repeatable: boolean;
}

/** Deepest group nesting read here (RE2's own limit is 1000). */
const MAX_DEPTH = 100;
/** RE2's largest repeat count, and of a product of nested ones. */
const MAX_REPEAT = 1000;

/** Thrown to leave the pattern to re2js. */
class Unsure extends Error {}
const unsure = (): never => {
  throw new Unsure();
};

/** Does RE2 certainly run the pattern, with a program of at most `maxProgram` instructions? False: ask re2js. */
export function surelyRuns(pattern: string, maxProgram: number): boolean {
  if (pattern.length > 4 * maxProgram) return false;
  try {
    const reader = new PatternReader(pattern, maxProgram);
    const top = reader.alternation(0);
    return reader.at === pattern.length && top.size + 2 <= maxProgram;
  } catch (e) {
    if (e instanceof Unsure) return false;
    throw e;
  }
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const isAlnum = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
/** Printable ASCII, space included: the only characters read here. */
const isPrintable = (c: number): boolean => c >= 0x20 && c <= 0x7e;
/** A printable character that RE2 reads as itself after a backslash. */
const isPunct = (c: number): boolean => isPrintable(c) && !isAlnum(c);

class PatternReader {
  at = 0;
  constructor(
    private readonly text: string,
    private readonly maxProgram: number,
  ) {}

  private peek(k = 0): number {
    const i = this.at + k;
    return i < this.text.length ? this.text.charCodeAt(i) : -1;
  }

  /** Branches separated by `|`, up to `)` or the end. */
  alternation(depth: number): Piece {
    if (depth > MAX_DEPTH) unsure();
    const first = this.concat(depth);
    let size = first.size;
    let repeats = first.repeats;
    while (this.peek() === 0x7c /* | */) {
      this.at++;
      const next = this.concat(depth);
      size += next.size + 1;
      repeats = Math.max(repeats, next.repeats);
    }
    return { size, repeats, repeatable: true };
  }

  /** Pieces up to `|`, `)` or the end; an empty branch is one instruction. */
  private concat(depth: number): Piece {
    let size = 0;
    let repeats = 1;
    let pieces = 0;
    for (let c = this.peek(); c !== -1 && c !== 0x7c && c !== 0x29 /* ) */; c = this.peek()) {
      const p = this.piece(depth);
      size += p.size;
      repeats = Math.max(repeats, p.repeats);
      pieces++;
      if (size > this.maxProgram) unsure();
    }
    return { size: pieces === 0 ? 1 : Math.max(size, 1), repeats, repeatable: true };
  }

  /** An atom and its repeat, if any. */
  private piece(depth: number): Piece {
    const atom = this.atom(depth);
    const q = this.peek();
    if (q !== 0x2a && q !== 0x2b && q !== 0x3f && q !== 0x7b /* * + ? { */) return atom;
    if (!atom.repeatable) unsure();
    const s = atom.size;
    let size: number;
    let repeats = atom.repeats;
    if (q === 0x7b) {
      const { min, max } = this.counts();
      const n = max === -1 ? min : max;
      repeats *= Math.max(n, 1);
      if (repeats > MAX_REPEAT) unsure();
      size = max === -1 ? min * s + s + 2 : max === 0 ? 1 : min * s + (max - min) * (s + 1);
    } else {
      this.at++;
      size = s + (q === 0x2a ? 2 : 1);
    }
    if (this.peek() === 0x3f) this.at++; // non-greedy
    // A second repeat (a**, a{2}{3}, a*??) is an error in RE2.
    const next = this.peek();
    if (next === 0x2a || next === 0x2b || next === 0x3f || next === 0x7b) unsure();
    return { size, repeats, repeatable: true };
  }

  /** `{n}`, `{n,}` or `{n,m}` (digits without leading zeros, n <= m <= 1000); any other `{` is left to re2js. */
  private counts(): { min: number; max: number } {
    this.at++; // {
    const min = this.number();
    let max = min;
    if (this.peek() === 0x2c /* , */) {
      this.at++;
      max = this.peek() === 0x7d ? -1 : this.number();
    }
    if (this.peek() !== 0x7d /* } */) unsure();
    this.at++;
    if (min > MAX_REPEAT || max > MAX_REPEAT || (max !== -1 && max < min)) unsure();
    return { min, max };
  }

  private number(): number {
    const start = this.at;
    while (isDigit(this.peek()) && this.at - start < 5) this.at++;
    const digits = this.text.slice(start, this.at);
    if (digits.length === 0 || digits.length > 4 || (digits.length > 1 && digits[0] === '0')) unsure();
    return Number(digits);
  }

  private atom(depth: number): Piece {
    const c = this.peek();
    switch (c) {
      case 0x28 /* ( */:
        return this.group(depth);
      case 0x5b /* [ */:
        this.charClass();
        return { size: 1, repeats: 1, repeatable: true };
      case 0x5c /* \ */:
        return this.escape();
      case 0x5e /* ^ */:
      case 0x24 /* $ */:
        this.at++;
        return { size: 1, repeats: 1, repeatable: false };
      case 0x2a:
      case 0x2b:
      case 0x3f:
      case 0x7b:
        // A repeat with nothing before it, or a `{` RE2 may read as text.
        return unsure();
      default:
        // `.`, `]`, `}` and every other printable character: one instruction.
        if (!isPrintable(c)) unsure();
        this.at++;
        return { size: 1, repeats: 1, repeatable: true };
    }
  }

  /** `(...)`, `(?:...)`, `(?flags:...)` or `(?flags)`, flags among i, m, s. */
  private group(depth: number): Piece {
    this.at++; // (
    let capture = true;
    if (this.peek() === 0x3f /* ? */) {
      this.at++;
      let flags = 0;
      for (let f = this.peek(); f === 0x69 || f === 0x6d || f === 0x73; f = this.peek()) {
        this.at++;
        flags++;
      }
      const end = this.peek();
      if (end === 0x29 /* ) */ && flags > 0) {
        this.at++;
        return { size: 0, repeats: 1, repeatable: false };
      }
      if (end !== 0x3a /* : */) unsure();
      this.at++;
      capture = false;
    }
    const inner = this.alternation(depth + 1);
    if (this.peek() !== 0x29) unsure();
    this.at++;
    return { size: inner.size + (capture ? 2 : 0), repeats: inner.repeats, repeatable: true };
  }

  /** `\d`, `\b`, `\n`, `\x41`, `\.`: the escapes whose meaning is certain; any other is left to re2js. */
  private escape(): Piece {
    this.at++; // \
    const c = this.peek();
    if (c === 0x62 || c === 0x42 /* b B */) {
      this.at++;
      return { size: 1, repeats: 1, repeatable: false };
    }
    if (this.classEscape() || this.charEscape() >= 0) return { size: 1, repeats: 1, repeatable: true };
    return unsure();
  }

  /** After a backslash: `\d \D \s \S \w \W`, consumed. */
  private classEscape(): boolean {
    const c = this.peek();
    if (c === 0x64 || c === 0x44 || c === 0x73 || c === 0x53 || c === 0x77 || c === 0x57) {
      this.at++;
      return true;
    }
    return false;
  }

  /** After a backslash: the character of `\n \t \r \f \v \xHH` or of an escaped punctuation character, consumed; -1 for anything else. */
  private charEscape(): number {
    const c = this.peek();
    const simple = c === 0x6e ? 0x0a : c === 0x74 ? 0x09 : c === 0x72 ? 0x0d : c === 0x66 ? 0x0c : c === 0x76 ? 0x0b : -1;
    if (simple >= 0) {
      this.at++;
      return simple;
    }
    if (c === 0x78 /* x */) {
      if (!isHex(this.peek(1)) || !isHex(this.peek(2))) return -1;
      const code = parseInt(this.text.slice(this.at + 1, this.at + 3), 16);
      this.at += 3;
      return code;
    }
    if (isPunct(c)) {
      this.at++;
      return c;
    }
    return -1;
  }

  /** `[...]` or `[^...]`: characters, escapes and ranges lo-hi with lo <= hi; a `[` inside, or `]` first, is left to re2js. */
  private charClass(): void {
    this.at++; // [
    if (this.peek() === 0x5e /* ^ */) this.at++;
    if (this.peek() === 0x5d /* ] */) unsure();
    for (;;) {
      const c = this.peek();
      if (c === 0x5d) {
        this.at++;
        return;
      }
      if (c === -1 || c === 0x5b /* [ */ || !isPrintable(c)) unsure();
      let lo = c;
      this.at++;
      if (c === 0x5c) {
        if (this.classEscape()) {
          // `\d-x` is read differently by different engines: left to re2js.
          if (this.peek() === 0x2d && this.peek(1) !== 0x5d) unsure();
          continue;
        }
        lo = this.charEscape();
        if (lo < 0) unsure();
      }
      if (this.peek() === 0x2d /* - */ && this.peek(1) !== 0x5d && this.peek(1) !== -1) {
        this.at++;
        const h = this.peek();
        if (h === 0x5b || !isPrintable(h)) unsure();
        let hi: number;
        if (h === 0x5c) {
          this.at++;
          hi = this.charEscape();
        } else {
          this.at++;
          hi = h;
        }
        if (hi < 0 || hi < lo) unsure();
      }
    }
  }
}
