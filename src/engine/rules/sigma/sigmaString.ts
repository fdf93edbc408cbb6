/**
 * A Sigma string value: literal text with `*` / `?` wildcards and, after `windash`, character
 * classes. Parsed once from the rule's text with Sigma's escaping rules.
 */

export type Part =
  | { t: 'lit'; s: string }
  | { t: 'any' }
  | { t: 'one' }
  /** One character out of `chars` (windash's dashes). */
  | { t: 'cls'; chars: string };

export interface SigmaStr {
  parts: Part[];
  /** Each character stands for one byte (after utf16le/utf16be/utf16/wide). */
  bytes: boolean;
}

/**
 * The parts with each class (windash's dashes) spelled out: one list of parts per choice, adjacent
 * literals joined; undefined when that makes more than `max` lists.
 */
export function spellClasses(parts: Part[], max: number): Part[][] | undefined {
  const count = parts.reduce((n, p) => (p.t === 'cls' ? n * p.chars.length : n), 1);
  if (count > max) return undefined;
  let out: Part[][] = [[]];
  for (const p of parts) {
    if (p.t !== 'cls') out = out.map((o) => [...o, p]);
    else out = out.flatMap((o) => [...p.chars].map((c): Part[] => [...o, { t: 'lit', s: c }]));
  }
  return out.map(joinLiterals);
}

function joinLiterals(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (p.t === 'lit' && last?.t === 'lit') out[out.length - 1] = { t: 'lit', s: last.s + p.s };
    else out.push(p);
  }
  return out;
}

const SPECIAL = /[*?\\]/;
const SPECIALS = /[*?\\]/g;

/**
 * Parses a value as Sigma writes it: `*` and `?` are wildcards; `\*`, `\?` and `\\` are the
 * literal characters; a backslash before anything else (or at the end) is a plain backslash.
 */
export function parseSigmaString(raw: string): SigmaStr {
  // Most values have no wildcard and no backslash; the rest are cut at their few special characters
  // (in a function of its own: V8 then compiles that loop once, not again inside each optimised caller).
  return SPECIAL.test(raw) ? parseSpecials(raw) : literalString(raw);
}

function parseSpecials(raw: string): SigmaStr {
  const parts: Part[] = [];
  let lit = '';
  const flush = (): void => {
    if (lit) parts.push({ t: 'lit', s: lit });
    lit = '';
  };
  let from = 0;
  SPECIALS.lastIndex = 0;
  for (let m = SPECIALS.exec(raw); m; m = SPECIALS.exec(raw)) {
    const i = m.index;
    lit += raw.slice(from, i);
    from = i + 1;
    const c = raw[i];
    if (c === '\\') {
      const next = raw[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        lit += next;
        from = SPECIALS.lastIndex = i + 2;
      } else {
        lit += '\\';
      }
    } else if (c === '*') {
      flush();
      if (parts.length === 0 || parts[parts.length - 1].t !== 'any') parts.push({ t: 'any' });
    } else {
      flush();
      parts.push({ t: 'one' });
    }
  }
  lit += raw.slice(from);
  flush();
  return { parts, bytes: false };
}


/** A string of literal text only. */
export function literalString(s: string, bytes = false): SigmaStr {
  return { parts: s ? [{ t: 'lit', s }] : [], bytes };
}

/** True when the string has no wildcard or character class. */
export function isPlain(str: SigmaStr): boolean {
  return str.parts.every((p) => p.t === 'lit');
}

/** The text of a plain string. */
export function plainText(str: SigmaStr): string {
  return str.parts.map((p) => (p.t === 'lit' ? p.s : '')).join('');
}

/** Adds `*` at the start and/or end unless one is already there (contains/startswith/endswith). */
export function withWildcards(str: SigmaStr, start: boolean, end: boolean): SigmaStr {
  // Copied by index, not spread and unshifted: every contains/startswith/endswith value comes here at load.
  const from = str.parts;
  const n = from.length;
  if (n === 1 && from[0].t !== 'any') {
    // The usual value, one literal: an exact array (a pushed-to one keeps room for 17 parts).
    const p = from[0];
    return { parts: start && end ? [ANY, p, ANY] : start ? [ANY, p] : end ? [p, ANY] : [p], bytes: str.bytes };
  }
  const parts: Part[] = [];
  if (start && (n === 0 || from[0].t !== 'any')) parts.push(ANY);
  for (let i = 0; i < n; i++) parts.push(from[i]);
  if (end && (parts.length === 0 || parts[parts.length - 1].t !== 'any')) parts.push(ANY);
  return { parts, bytes: str.bytes };
}

/** The `*` part: plain data, never changed, so values share it. */
const ANY: Part = { t: 'any' };

/** Applies `f` to each literal run, keeping wildcards in place. */
export function mapLiterals(str: SigmaStr, f: (s: string) => string, bytes: boolean): SigmaStr {
  return { parts: str.parts.map((p) => (p.t === 'lit' ? { t: 'lit', s: f(p.s) } : p)), bytes };
}

/** Merges adjacent literals (after a transformation split or joined parts). */
export function normalize(str: SigmaStr): SigmaStr {
  const parts: Part[] = [];
  for (const p of str.parts) {
    const last = parts[parts.length - 1];
    if (p.t === 'lit' && !p.s) continue;
    if (p.t === 'lit' && last?.t === 'lit') parts[parts.length - 1] = { t: 'lit', s: last.s + p.s };
    else if (p.t === 'any' && last?.t === 'any') continue;
    else parts.push(p);
  }
  return { parts, bytes: str.bytes };
}
