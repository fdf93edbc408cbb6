/**
 * Pieces every rule target shares: a rule's values sorted into the shapes query languages have
 * (equals, contains, startswith, endswith, glob, regex, cidr, null), a printer for the and/or/not
 * tree that tells each test whether it sits under a `not` (where a missing field's null must not
 * turn into a match or a drop), and regex translation for Lucene (Elastic's regex, anchored, no
 * classes like \d).
 */
import { Part, spellClasses } from '../rules/sigma/sigmaString';
import { QExpr, QueryUnsupported, Val } from './ir';

/** A value in a shape query languages have. Texts are literal (no wildcards left). */
export type Shaped =
  | { kind: 'equals' | 'contains' | 'startswith' | 'endswith'; text: string; cased: boolean }
  /** Wildcards inside: `*` any run, `?` one character, a class one of its characters. */
  | { kind: 'glob'; parts: Part[]; cased: boolean }
  | { kind: 're'; pattern: string; flags: Set<string> }
  | { kind: 'cidr'; cidr: string }
  /** The field is absent (`null`, `|exists: false`), or present (`|exists: true`). */
  | { kind: 'null' }
  | { kind: 'exists' };

/** Windash's five dashes make 5^n alternatives; beyond this many, the value stays a glob with a class. */
const MAX_EXPANDED = 25;

function expandClasses(parts: Part[]): Part[][] {
  if (!parts.some((p) => p.t === 'cls')) return [parts];
  return spellClasses(parts, MAX_EXPANDED) ?? [parts];
}

function shapeOf(parts: Part[], cased: boolean): Shaped {
  const open = parts[0]?.t === 'any';
  const close = parts.length > 1 && parts[parts.length - 1].t === 'any';
  const inner = parts.slice(open ? 1 : 0, close ? -1 : undefined);
  if (inner.length === 0 && !open && !close) return { kind: 'equals', text: '', cased };
  if (inner.length === 1 && inner[0].t === 'lit') {
    const text = inner[0].s;
    return { kind: open && close ? 'contains' : open ? 'endswith' : close ? 'startswith' : 'equals', text, cased };
  }
  return { kind: 'glob', parts, cased };
}

/** A test's values in printable shapes (windash expanded into its alternatives); refuses what no target prints. */
export function shapes(values: Val[], part: string): Shaped[] {
  const out: Shaped[] = [];
  for (const v of values) {
    switch (v.kind) {
      case 'str':
        if (v.str.bytes) throw new QueryUnsupported('utf16', `${part}: a UTF-16 encoded value (utf16/wide) has no text form in a SIEM query`);
        for (const parts of expandClasses(v.str.parts)) out.push(shapeOf(parts, v.cased));
        break;
      case 're':
        out.push({ kind: 're', pattern: v.pattern, flags: new Set(v.flags) });
        break;
      case 'cidr':
        out.push({ kind: 'cidr', cidr: v.cidr });
        break;
      case 'null':
        out.push({ kind: 'null' });
        break;
      case 'exists':
        out.push(v.present ? { kind: 'exists' } : { kind: 'null' });
        break;
      case 'fieldref':
        throw new QueryUnsupported('fieldref', `${part}: a field reference (fieldref) compares two fields of one event`);
      case 'cmp':
        throw new QueryUnsupported('compare', `${part}: a numeric comparison (${v.op})`);
      case 'time':
        throw new QueryUnsupported('time', `${part}: a time-part modifier (${v.part})`);
    }
  }
  return out;
}

/** How a target writes the tree around its tests. */
export interface Printer {
  and: string;
  or: string;
  not(text: string): string;
  /** One test; `negated`: it sits under an odd number of `not`s. */
  test(field: string | undefined, values: Val[], part: string, negated: boolean): string;
}

/** Nested and/or of one kind flattened; a one-operand and/or is its operand. */
export function flatten(e: QExpr): QExpr {
  if (e.op === 'not') {
    const arg = flatten(e.arg);
    return arg.op === 'not' ? arg.arg : { op: 'not', arg };
  }
  if (e.op === 'test') return e;
  const args = e.args.map(flatten).flatMap((a) => (a.op === e.op ? (a as { args: QExpr[] }).args : [a]));
  return args.length === 1 ? args[0] : { op: e.op, args };
}

/** Prints the tree; every and/or below the top is parenthesised (precedence differs between languages). */
export function printExpr(e: QExpr, p: Printer, negated = false, top = true): string {
  switch (e.op) {
    case 'test':
      return p.test(e.field, e.values, e.part, negated);
    case 'not':
      return p.not(printExpr(e.arg, p, !negated, false));
    case 'and':
    case 'or': {
      const text = e.args.map((a) => printExpr(a, p, negated, false)).join(` ${e.op === 'and' ? p.and : p.or} `);
      return top ? text : `(${text})`;
    }
  }
}

/** Every test of the tree. */
export function tests(e: QExpr): Extract<QExpr, { op: 'test' }>[] {
  if (e.op === 'test') return [e];
  if (e.op === 'not') return tests(e.arg);
  return e.args.flatMap(tests);
}

/** PCRE/RE2 text of a glob (`.*`, `.`, classes), anchored at both ends. */
export function globToRegex(parts: Part[]): string {
  return (
    '^' +
    parts
      .map((p) => {
        if (p.t === 'any') return '.*';
        if (p.t === 'one') return '.';
        if (p.t === 'cls') return '[' + [...p.chars].map((c) => (/[\]\\^-]/.test(c) ? '\\' + c : c)).join('') + ']';
        return p.s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&').replace(/[\x00-\x1f\x7f]/g, (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0'));
      })
      .join('') +
    '$'
  );
}

const LUCENE_SPECIAL = /[.?+*|{}[\]()"\\#@&<>~]/;

/** A character as a Lucene regex atom; with `fold`, letters match either case (`[aA]`). */
function luceneChar(c: string, fold: boolean): string {
  if (fold && c.toLowerCase() !== c.toUpperCase()) {
    const l = c.toLowerCase();
    const u = c.toUpperCase();
    return l.length === 1 && u.length === 1 ? `[${l}${u}]` : c;
  }
  return LUCENE_SPECIAL.test(c) ? '\\' + c : c;
}

/** Lucene regex (whole-value match) of a glob; `fold` ignores case letter by letter. */
export function globToLucene(parts: Part[], fold: boolean): string {
  return parts
    .map((p) => {
      if (p.t === 'any') return '.*';
      if (p.t === 'one') return '.';
      if (p.t === 'cls') return '(' + [...p.chars].map((c) => luceneChar(c, false)).join('|') + ')';
      return [...p.s].map((c) => luceneChar(c, fold)).join('');
    })
    .join('');
}

/**
 * A Sigma `re` (a search: it may match anywhere) as a Lucene regex (it must match the whole value).
 * Translates the common subset: literals, `.`, classes with \d \w \s, groups, alternation,
 * quantifiers (lazy ones lose their `?`: whole-value matching does not depend on it), `^` at the start
 * and `$` at the end, a leading `(?i)`. Anything else (lookaround, backreferences, \b, inline flags
 * elsewhere, possessive quantifiers) is refused: Lucene has no such thing.
 */
export function regexToLucene(pattern: string, flags: ReadonlySet<string>, part: string): string {
  const refuse = (what: string): never => {
    throw new QueryUnsupported('regex', `${part}: the regular expression /${pattern}/ uses ${what}, which Lucene regular expressions (Elastic) lack`);
  };
  let fold = flags.has('i');
  if (flags.has('m')) refuse('the m (multiline) flag');
  let src = pattern;
  const lead = /^\(\?([imsx]+)\)/.exec(src);
  if (lead) {
    if (/[mx]/.test(lead[1])) refuse(`the inline flags (?${lead[1]})`);
    if (lead[1].includes('i')) fold = true;
    src = src.slice(lead[0].length);
  }
  let out = '';
  let i = 0;
  let anchoredStart = false;
  let anchoredEnd = false;
  let depth = 0;
  let topAlternation = false;
  if (src.startsWith('^')) {
    anchoredStart = true;
    i = 1;
  }
  const shorthand = (c: string, inClass: boolean): string | undefined => {
    const sets: Record<string, string> = { d: '0-9', w: 'a-zA-Z0-9_', s: ' \t\n\r\f\v' };
    const lowerC = c.toLowerCase();
    if (!(lowerC in sets)) return undefined;
    const body = sets[lowerC].replace(/[\t\n\r\f\v]/g, (x) => x);
    if (c === lowerC) return inClass ? body : `[${body}]`;
    if (inClass) return refuse(`\\${c} inside a character class`);
    return `[^${body}]`;
  };
  while (i < src.length) {
    const c = src[i];
    if (c === '$' && i === src.length - 1) {
      anchoredEnd = true;
      i++;
      continue;
    }
    if (c === '^' || c === '$') refuse(`an anchor '${c}' inside the pattern`);
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) refuse('a trailing backslash');
      const sh = shorthand(n, false);
      if (sh !== undefined) out += sh;
      else if (/[bBAzZGkpPQE1-9]/.test(n)) refuse(`\\${n}`);
      else if (n === 'x' && /^[0-9a-fA-F]{2}$/.test(src.slice(i + 2, i + 4))) {
        out += luceneChar(String.fromCharCode(parseInt(src.slice(i + 2, i + 4), 16)), fold);
        i += 2;
      } else if (n === 'n' || n === 'r' || n === 't' || n === 'f' || n === 'v') {
        out += ({ n: '\n', r: '\r', t: '\t', f: '\f', v: '\v' } as Record<string, string>)[n];
      } else if (/[A-Za-z0-9]/.test(n)) refuse(`\\${n}`);
      else out += luceneChar(n, false);
      i += 2;
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      let body = '';
      if (src[j] === '^') {
        body += '^';
        j++;
      }
      if (src[j] === ']') {
        body += '\\]';
        j++;
      }
      while (j < src.length && src[j] !== ']') {
        const d = src[j];
        if (d === '\\') {
          const n = src[j + 1];
          const sh = shorthand(n, true);
          if (sh !== undefined) body += sh.replace(/[\]\\^-]/g, (x) => (x === '-' ? '-' : '\\' + x));
          else if (/[A-Za-z0-9]/.test(n) && !/[ntrfv]/.test(n)) refuse(`\\${n} inside a character class`);
          else body += /[ntrfv]/.test(n) ? ({ n: '\n', r: '\r', t: '\t', f: '\f', v: '\v' } as Record<string, string>)[n] : '\\' + n;
          j += 2;
          continue;
        }
        if (d === '[') refuse('a nested character class');
        if (fold && d.toLowerCase() !== d.toUpperCase() && src[j + 1] !== '-' && src[j - 1] !== '-') {
          body += d.toLowerCase() + d.toUpperCase();
        } else if (fold && d.toLowerCase() !== d.toUpperCase() && src[j + 1] === '-' && /[A-Za-z]/.test(src[j + 2] ?? '')) {
          // a-z under (?i): both cases of the range.
          const a = d;
          const b = src[j + 2];
          body += `${a.toLowerCase()}-${b.toLowerCase()}${a.toUpperCase()}-${b.toUpperCase()}`;
          j += 3;
          continue;
        } else body += /[A-Za-z0-9-]/.test(d) || d.charCodeAt(0) > 127 ? d : '\\' + d;
        j++;
      }
      if (j >= src.length) refuse('an unclosed character class');
      out += `[${body}]`;
      i = j + 1;
      continue;
    }
    if (c === '(') {
      if (src[i + 1] === '?') {
        if (src[i + 2] === ':') {
          depth++;
          out += '(';
          i += 3;
          continue;
        }
        const named = /^\(\?P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(src.slice(i));
        if (named) {
          depth++;
          out += '(';
          i += named[0].length;
          continue;
        }
        refuse(`the group '${src.slice(i, i + 4)}'`);
      }
      out += '(';
      depth++;
      i++;
      continue;
    }
    if (c === '*' || c === '+' || c === '?') {
      out += c;
      i++;
      if (src[i] === '?') i++; // lazy: the same whole-value matches
      else if (src[i] === '+') refuse('a possessive quantifier');
      continue;
    }
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
      if (!m) {
        out += '\\{';
        i++;
        continue;
      }
      out += m[0];
      i += m[0].length;
      if (src[i] === '?') i++;
      continue;
    }
    if (c === '.' || c === '|' || c === ')') {
      if (c === ')') depth--;
      if (c === '|' && depth === 0) topAlternation = true;
      out += c;
      i++;
      continue;
    }
    out += luceneChar(c, fold);
    i++;
  }
  if (topAlternation && (anchoredStart || anchoredEnd)) refuse('an anchor beside a top-level alternation');
  const body = topAlternation ? `(${out})` : out;
  return `${anchoredStart ? '' : '.*'}${body}${anchoredEnd ? '' : '.*'}`;
}

/** A path's file name test for the note on `Image` style fields. */
export const hasControl = (s: string): boolean => /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(s);
