/**
 * One detection item (`Field|modifiers: value or values`) compiled into a check on an event, with
 * the literals a matching event must contain.
 */
import { RuleEvent } from '../rule';
import { compileCidr } from './cidr';
import { DetectionPath, SigmaError } from './errors';
import { compileStringTest } from './glob';
import { bestLiterals, Cnf } from './literals';
import { lower } from './lower';
import { ItemState, MODIFIERS, TimePart, Val } from './modifiers';
import { compileRegex } from './regex';
import { isPlain, literalString, parseSigmaString, plainText, withWildcards } from './sigmaString';
import { timePart } from './timeParts';

/** A compiled detection item. */
export interface Check {
  matches: (event: RuleEvent) => boolean;
  /** The field as the rule names it (without modifiers); undefined for a keyword search. */
  field: string | undefined;
  literals: Cnf;
}

type ValueTest = (value: string | undefined, event: RuleEvent) => boolean;

/** The value as Sigma reads it, before modifiers. */
function initialVal(raw: unknown, path: DetectionPath): Val {
  if (raw === null || raw === undefined) return { kind: 'null' };
  if (typeof raw === 'string') return { kind: 'str', str: parseSigmaString(raw), cased: false, original: raw };
  if (typeof raw === 'number' || typeof raw === 'boolean' || typeof raw === 'bigint') {
    const text = String(raw);
    return { kind: 'str', str: literalString(text), cased: false, original: typeof raw === 'bigint' ? text : raw };
  }
  throw new SigmaError('bad detection', 'a value must be a string, a number, a boolean or null, not a nested list or map', path);
}

/** Compiles `key: value` of a selection map; `key` is `Field|mod|mod`, or `|mod` for keywords. */
export function compileItem(key: string, value: unknown, path: DetectionPath): Check {
  const [fieldName, ...mods] = key.split('|');
  const field = fieldName === '' ? undefined : fieldName;
  const rawValues = Array.isArray(value) ? value : [value];
  if (rawValues.length === 0) throw new SigmaError('bad detection', `'${key}' has an empty list of values`, path);
  const st: ItemState = { field, all: false, negate: false, anchored: false, applied: [] };
  let groups: Val[][] = rawValues.map((raw, i) => [initialVal(raw, Array.isArray(value) ? [...path, i] : path)]);
  for (const name of mods) {
    const mod = Object.prototype.hasOwnProperty.call(MODIFIERS, name) ? MODIFIERS[name] : undefined;
    if (!mod) throw new SigmaError('unsupported modifier', `unknown modifier '${name}' in '${key}'`, path);
    try {
      mod.item?.(st);
      const valueMod = mod.value;
      if (valueMod) groups = groups.map((alts) => alts.flatMap((v) => valueMod(v, st, name)));
    } catch (e) {
      if (e instanceof SigmaError && !e.path) e.path = path;
      throw e;
    }
    st.applied.push(name);
  }
  if (field === undefined) {
    // A keyword is searched for inside the event's values, unless the rule anchored it.
    if (!st.anchored) {
      groups = groups.map((alts) => alts.map((v) => (v.kind === 'str' ? { ...v, str: withWildcards(v.str, true, true) } : v)));
    }
    for (const alts of groups) {
      for (const v of alts) {
        if (v.kind !== 'str' && v.kind !== 're') throw new SigmaError('bad detection', `a keyword cannot be ${v.kind}`, path);
      }
    }
  }
  const literals = st.negate ? [] : itemLiterals(groups, st.all);
  // Many plain values of one field (a list of file names) become one Set lookup.
  const equals = field !== undefined && !st.all ? groups.filter(isPlainEquals) : [];
  const useSet = equals.length >= 2;
  const rest = useSet ? groups.filter((g) => !isPlainEquals(g)) : groups;
  const tests = rest.map((alts) => anyOf(alts.map((v) => compileVal(v, path))));
  if (useSet) {
    const set = new Set(equals.map((g) => plainText((g[0] as Extract<Val, { kind: 'str' }>).str).toLowerCase()));
    tests.unshift((x) => x !== undefined && set.has(lower(x)));
  }
  return { matches: combine(field, tests, st), field, literals };
}

function isPlainEquals(alts: Val[]): boolean {
  const v = alts[0];
  return alts.length === 1 && v.kind === 'str' && !v.cased && !v.str.bytes && isPlain(v.str);
}

function compileVal(v: Val, path: DetectionPath): ValueTest {
  try {
    return valueTest(v);
  } catch (e) {
    if (e instanceof SigmaError && !e.path) e.path = path;
    throw e;
  }
}

function valueTest(v: Val): ValueTest {
  switch (v.kind) {
    case 'null':
      return (x) => x === undefined;
    case 'str': {
      const t = compileStringTest(v.str, v.cased);
      return (x) => x !== undefined && t(x);
    }
    case 're': {
      const t = compileRegex(v.pattern, v.flags);
      return (x) => x !== undefined && t(x);
    }
    case 'cidr': {
      const t = compileCidr(v.cidr);
      return (x) => x !== undefined && t(x);
    }
    case 'exists':
      return v.present ? (x) => x !== undefined : (x) => x === undefined;
    case 'fieldref':
      return fieldRefTest(v.field, v.start, v.end, v.cased);
    case 'cmp': {
      const { op, n } = v;
      return (x) => {
        const m = toNumber(x);
        if (m === undefined) return false;
        return op === 'gt' ? m > n : op === 'gte' ? m >= n : op === 'lt' ? m < n : m <= n;
      };
    }
    case 'time': {
      const { part, n } = v;
      return (x) => x !== undefined && timePart(x, part as TimePart) === n;
    }
  }
}

function toNumber(x: string | undefined): number | undefined {
  if (x === undefined) return undefined;
  const t = x.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

function fieldRefTest(ref: string, start: boolean, end: boolean, cased: boolean): ValueTest {
  const fold = cased ? (s: string) => s : lower;
  return (x, event) => {
    const other = event.get(ref);
    if (x === undefined || other === undefined) return false;
    const a = fold(x);
    const b = fold(other);
    if (start && end) return a.includes(b);
    if (start) return a.startsWith(b);
    if (end) return a.endsWith(b);
    return a === b;
  };
}

/** ORs the alternatives of one value (base64offset's three offsets). */
function anyOf(tests: ValueTest[]): ValueTest {
  return tests.length === 1 ? tests[0] : (x, e) => tests.some((t) => t(x, e));
}

function combine(field: string | undefined, tests: ValueTest[], st: ItemState): (e: RuleEvent) => boolean {
  let check: (e: RuleEvent) => boolean;
  if (field === undefined) {
    const inSomeValue = (t: ValueTest) => (e: RuleEvent) => {
      for (const x of e.values()) if (t(x, e)) return true;
      return false;
    };
    const perValue = tests.map(inSomeValue);
    check = st.all ? (e) => perValue.every((t) => t(e)) : (e) => perValue.some((t) => t(e));
  } else if (tests.length === 1) {
    const t = tests[0];
    check = (e) => t(e.get(field), e);
  } else if (st.all) {
    check = (e) => {
      const x = e.get(field);
      for (const t of tests) if (!t(x, e)) return false;
      return true;
    };
  } else {
    check = (e) => {
      const x = e.get(field);
      for (const t of tests) if (t(x, e)) return true;
      return false;
    };
  }
  if (!st.negate) return check;
  const positive = check;
  return (e) => !positive(e);
}

function itemLiterals(groups: Val[][], all: boolean): Cnf {
  const perGroup = groups.map((alts) => {
    const lits: string[] = [];
    for (const v of alts) {
      const l = v.kind === 'str' ? bestLiterals(v.str) : undefined;
      if (!l) return undefined;
      lits.push(...l);
    }
    return lits;
  });
  if (all) return perGroup.filter((l): l is string[] => l !== undefined);
  if (perGroup.some((l) => l === undefined)) return [];
  return [perGroup.flat() as string[]];
}
