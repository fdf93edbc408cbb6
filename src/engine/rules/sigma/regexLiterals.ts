/**
 * Text a regular expression cannot match without: for each of its top-level alternatives, the
 * longest run of plain characters it must contain (lower case). A value lacking all of them cannot
 * match, so a string search can answer before the regex engine runs (re2js is linear, but slow per
 * character). Conservative: any construct not understood here (inline flags past the start,
 * escapes such as `\x41` or `\Q`, a `{` that is not a repeat) gives no literals, never wrong ones.
 */

/** Runs shorter than this are too common to be worth a search. */
const MIN_RUN = 3;

/** Escapes that stand for a class or an assertion: they end a run and stand for no literal. */
const CLASS_ESCAPES = new Set(['d', 'D', 'w', 'W', 's', 'S', 'b', 'B', 'A', 'z']);

/** Where a group or a class that starts at `i` ends (the index after it), or -1 when it does not. */
function skipBracketed(p: string, i: number): number {
  if (p[i] === '[') {
    let j = i + 1;
    if (p[j] === '^') j++;
    if (p[j] === ']') j++;
    for (; j < p.length; j++) {
      if (p[j] === '\\') j++;
      else if (p[j] === '[' && p[j + 1] === ':') {
        const close = p.indexOf(':]', j + 2);
        if (close < 0) return -1;
        j = close + 1;
      } else if (p[j] === ']') return j + 1;
    }
    return -1;
  }
  let depth = 0;
  for (let j = i; j < p.length; j++) {
    const c = p[j];
    if (c === '\\') j++;
    else if (c === '[') {
      const end = skipBracketed(p, j);
      if (end < 0) return -1;
      j = end - 1;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j + 1;
  }
  return -1;
}

/** A repeat at `i` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, each maybe lazy): its length and least count; undefined when none. */
function repeatAt(p: string, i: number): { length: number; min: number } | undefined | 'unknown' {
  const c = p[i];
  let length: number;
  let min: number;
  if (c === '*' || c === '?') [length, min] = [1, 0];
  else if (c === '+') [length, min] = [1, 1];
  else if (c === '{') {
    const m = /^\{(\d+)(,\d*)?\}/.exec(p.slice(i));
    if (!m) return 'unknown';
    [length, min] = [m[0].length, Number(m[1])];
  } else return undefined;
  if (p[i + length] === '?') length++;
  return { length, min };
}

/** The longest required run of one alternative (a piece of the pattern with no top-level `|`), or undefined. */
function runOf(alt: string): string | undefined {
  let best = '';
  let run = '';
  const end = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < alt.length; ) {
    const c = alt[i];
    let atom: string | undefined; // the literal character this atom stands for, if any
    let next: number;
    if (c === '\\') {
      const e = alt[i + 1];
      if (e === undefined) return undefined;
      if (/[A-Za-z0-9]/.test(e)) {
        if (!CLASS_ESCAPES.has(e)) return undefined;
        next = i + 2;
      } else {
        atom = e;
        next = i + 2;
      }
    } else if (c === '[' || c === '(') {
      if (c === '(' && alt[i + 1] === '?' && alt[i + 2] !== ':' && alt[i + 2] !== 'P' && alt[i + 2] !== '<') return undefined;
      next = skipBracketed(alt, i);
      if (next < 0) return undefined;
    } else if (c === '.' || c === '^' || c === '$') {
      next = i + 1;
    } else if (c === '*' || c === '+' || c === '?' || c === '{' || c === ')' || c === ']') {
      return undefined; // a repeat with nothing before it, or a stray bracket: not understood
    } else {
      atom = c;
      next = i + 1;
    }
    const repeat = repeatAt(alt, next);
    if (repeat === 'unknown') return undefined;
    const ascii = atom !== undefined && atom.charCodeAt(0) < 0x80;
    if (ascii && (!repeat || repeat.min > 0)) run += atom!.toLowerCase();
    // A repeated atom may occur more than once, an optional one not at all: the run stops there.
    if (!ascii || repeat) end();
    i = repeat ? next + repeat.length : next;
  }
  end();
  return best.length >= MIN_RUN ? best : undefined;
}

/** The top-level alternatives of a pattern, or undefined when its brackets do not balance. */
function alternatives(p: string): string[] | undefined {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') i++;
    else if (c === '[' || c === '(') {
      const end = skipBracketed(p, i);
      if (end < 0) return undefined;
      i = end - 1;
    } else if (c === '|') {
      out.push(p.slice(start, i));
      start = i + 1;
    }
  }
  out.push(p.slice(start));
  return out;
}

/**
 * Lower-case literals one of which any value the pattern matches contains (compared lower-cased),
 * or undefined when the pattern does not say. A leading group of the flags i, m and s is allowed.
 */
export function regexLiterals(pattern: string): string[] | undefined {
  const flags = /^\(\?[ims]+\)/.exec(pattern);
  const body = flags ? pattern.slice(flags[0].length) : pattern;
  const alts = alternatives(body);
  if (!alts) return undefined;
  const lits: string[] = [];
  for (const alt of alts) {
    const run = runOf(alt);
    if (run === undefined) return undefined;
    lits.push(run);
  }
  return [...new Set(lits)];
}

/**
 * The value as regexLiterals' literals are compared with it: lower case, with the one character
 * whose case folding reaches an ASCII letter that toLowerCase() does not give (LATIN SMALL LETTER
 * LONG S folds to `s` in a case-insensitive regex). (KELVIN SIGN lower-cases to `k` already.)
 */
export function foldForLiterals(lowered: string): string {
  return lowered.includes('\u017f') ? lowered.replaceAll('\u017f', 's') : lowered;
}
