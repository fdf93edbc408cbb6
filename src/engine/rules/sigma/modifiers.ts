/**
 * Sigma's value modifiers as a registry: each entry transforms the values of one detection item
 * (`Field|mod1|mod2: values`), left to right. Adding a modifier is adding an entry here.
 */
import { SigmaError } from './errors';
import { RegexFlag } from './regex';
import { isPlain, literalString, mapLiterals, Part, plainText, SigmaStr, withWildcards } from './sigmaString';

export type CompareOp = 'gt' | 'gte' | 'lt' | 'lte';
export type TimePart = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

/** A value of a detection item on its way through the modifiers. */
export type Val =
  | { kind: 'null' }
  /** `original`: the rule's value, kept while no modifier has changed it (for re, cidr, exists, gt, ...). */
  | { kind: 'str'; str: SigmaStr; cased: boolean; original?: string | number | boolean }
  | { kind: 're'; pattern: string; flags: Set<RegexFlag> }
  | { kind: 'cidr'; cidr: string }
  | { kind: 'exists'; present: boolean }
  | { kind: 'fieldref'; field: string; start: boolean; end: boolean; cased: boolean }
  | { kind: 'cmp'; op: CompareOp; n: number }
  | { kind: 'time'; part: TimePart; n: number };

/** What a detection item's modifiers decide about the item as a whole. */
export interface ItemState {
  /** The field, or undefined for a keyword search. */
  field: string | undefined;
  /** `all`: the values are ANDed instead of ORed. */
  all: boolean;
  /** `neq`: the item as a whole is negated. */
  negate: boolean;
  /** contains/startswith/endswith was given (a keyword without one matches anywhere in a value). */
  anchored: boolean;
  /** Modifiers applied so far. */
  applied: string[];
}

export interface Modifier {
  /** Transforms one value into one or several alternatives (ORed). */
  value?: (v: Val, st: ItemState, name: string) => Val | Val[];
  /** Acts on the item as a whole. */
  item?: (st: ItemState) => void;
}

const unsupported = (name: string, why: string): SigmaError =>
  new SigmaError('unsupported modifier', `modifier '${name}' ${why}`);

type StrVal = Extract<Val, { kind: 'str' }>;

/**
 * A text value. Every one is made here, never by spreading another: V8 gave spread copies shapes of
 * their own, and the load's optimised code was thrown away (about a hundred times a load) on each it had not met.
 */
export function strVal(str: SigmaStr, cased: boolean, original: string | number | boolean | undefined): StrVal {
  return { kind: 'str', str, cased, original };
}

function needStr(v: Val, name: string): StrVal {
  if (v.kind !== 'str') throw unsupported(name, `cannot apply to a ${v.kind === 'null' ? 'null' : v.kind} value`);
  return v;
}

/** A value no modifier has touched yet, as text: re, cidr, fieldref and friends read the rule's own text. */
function untouched(v: Val, st: ItemState, name: string): string {
  const s = needStr(v, name);
  if (s.original === undefined || st.applied.some((m) => m !== 'all' && m !== 'neq' && m !== 'cased')) {
    throw unsupported(name, 'must come first: it reads the value as written');
  }
  return String(s.original);
}

function numberOf(v: Val, st: ItemState, name: string): number {
  const text = untouched(v, st, name).trim();
  const n = Number(text);
  if (text === '' || !Number.isFinite(n)) throw new SigmaError('bad value', `modifier '${name}' needs a number, not '${text}'`);
  return n;
}

function anchor(start: boolean, end: boolean): Modifier {
  return {
    value: (v, st, name) => {
      st.anchored = true;
      if (v.kind === 'fieldref') return { ...v, start: v.start || end, end: v.end || start };
      const s = needStr(v, name);
      return strVal(withWildcards(s.str, start, end), s.cased, undefined);
    },
  };
}

const DASHES = '-/\u2013\u2014\u2015';
const WORD = /[\p{L}\p{N}_]/u;

/** windash: a `-` or `/` after a non-word character (or a run's start) and before a word character. */
function windash(str: SigmaStr): SigmaStr {
  const parts: Part[] = [];
  for (const p of str.parts) {
    if (p.t !== 'lit') {
      parts.push(p);
      continue;
    }
    let run = '';
    for (let i = 0; i < p.s.length; i++) {
      const c = p.s[i];
      const before = i === 0 ? '' : p.s[i - 1];
      const after = p.s[i + 1] ?? '';
      if ((c === '-' || c === '/') && !WORD.test(before) && WORD.test(after)) {
        if (run) parts.push({ t: 'lit', s: run });
        run = '';
        parts.push({ t: 'cls', chars: DASHES });
      } else {
        run += c;
      }
    }
    if (run) parts.push({ t: 'lit', s: run });
  }
  return { parts, bytes: str.bytes };
}

function bytesOf(str: SigmaStr, name: string): Buffer {
  if (!isPlain(str)) throw new SigmaError('bad value', `modifier '${name}' cannot encode wildcards`);
  return Buffer.from(plainText(str), str.bytes ? 'latin1' : 'utf8');
}

function base64(name: string): Modifier {
  return {
    value: (v) => {
      const s = needStr(v, name);
      return strVal(literalString(bytesOf(s.str, name).toString('base64')), s.cased, undefined);
    },
  };
}

/** The value base64-encoded at the three byte offsets, without the characters that depend on its neighbours. */
function base64offset(v: Val, _st: ItemState, name: string): Val[] {
  const s = needStr(v, name);
  const bytes = bytesOf(s.str, name);
  const starts = [0, 2, 3];
  const ends = [undefined, -3, -2];
  return [0, 1, 2].map((i) => {
    const enc = Buffer.concat([Buffer.alloc(i, ' '), bytes]).toString('base64');
    return strVal(literalString(enc.slice(starts[i], ends[(bytes.length + i) % 3])), s.cased, undefined);
  });
}

function utf16(name: string, bigEndian: boolean, bom: boolean): Modifier {
  return {
    value: (v) => {
      const s = needStr(v, name);
      if (s.str.bytes) throw unsupported(name, 'cannot encode a value twice');
      const encode = (t: string): string => {
        const b = Buffer.from(t, 'utf16le');
        if (bigEndian) b.swap16();
        return b.toString('latin1');
      };
      const str = mapLiterals(s.str, encode, true);
      if (bom) str.parts.unshift({ t: 'lit', s: '\xff\xfe' });
      return strVal(str, s.cased, undefined);
    },
  };
}

function regexFlag(flag: RegexFlag): Modifier {
  return {
    value: (v, _st, name) => {
      if (v.kind !== 're') throw unsupported(name, 'applies only after re');
      v.flags.add(flag);
      return v;
    },
  };
}

function compare(op: CompareOp): Modifier {
  return { value: (v, st, name) => ({ kind: 'cmp', op, n: numberOf(v, st, name) }) };
}

function time(part: TimePart): Modifier {
  return { value: (v, st, name) => ({ kind: 'time', part, n: numberOf(v, st, name) }) };
}

export const MODIFIERS: Record<string, Modifier> = {
  contains: anchor(true, true),
  startswith: anchor(false, true),
  endswith: anchor(true, false),
  all: { item: (st) => void (st.all = true) },
  neq: { item: (st) => void (st.negate = true) },
  cased: {
    value: (v, _st, name) => {
      if (v.kind === 'fieldref') return { ...v, cased: true };
      const s = needStr(v, name);
      return strVal(s.str, true, s.original);
    },
  },
  windash: {
    value: (v, _st, name) => {
      const s = needStr(v, name);
      return strVal(windash(s.str), s.cased, undefined);
    },
  },
  re: { value: (v, st, name) => ({ kind: 're', pattern: untouched(v, st, name), flags: new Set() }) },
  i: regexFlag('i'),
  ignorecase: regexFlag('i'),
  m: regexFlag('m'),
  multiline: regexFlag('m'),
  s: regexFlag('s'),
  dotall: regexFlag('s'),
  base64: base64('base64'),
  base64offset: { value: base64offset },
  utf16le: utf16('utf16le', false, false),
  wide: utf16('wide', false, false),
  utf16be: utf16('utf16be', true, false),
  utf16: utf16('utf16', false, true),
  cidr: { value: (v, st, name) => ({ kind: 'cidr', cidr: untouched(v, st, name) }) },
  exists: {
    value: (v, st, name) => {
      if (st.field === undefined) throw unsupported(name, 'needs a field');
      const s = needStr(v, name);
      if (typeof s.original !== 'boolean' || st.applied.length > 0) {
        throw new SigmaError('bad value', `modifier 'exists' takes true or false, alone`);
      }
      return { kind: 'exists', present: s.original };
    },
  },
  fieldref: {
    value: (v, st, name) => {
      const s = needStr(v, name);
      if (!isPlain(s.str)) throw new SigmaError('bad value', 'a field reference cannot hold wildcards');
      return { kind: 'fieldref', field: plainText(s.str), start: false, end: false, cased: s.cased };
    },
  },
  gt: compare('gt'),
  gte: compare('gte'),
  lt: compare('lt'),
  lte: compare('lte'),
  minute: time('minute'),
  hour: time('hour'),
  day: time('day'),
  week: time('week'),
  month: time('month'),
  year: time('year'),
  expand: {
    value: () => {
      throw new SigmaError('placeholder', "modifier 'expand' needs placeholder values this tool does not have");
    },
  },
};
