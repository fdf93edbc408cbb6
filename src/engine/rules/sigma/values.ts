/**
 * One detection item (`Field|modifiers: value or values`) compiled into a check on an event, with
 * the literals a matching event must contain.
 */
import { RuleEvent } from '../rule';
import { compileCidr } from './cidr';
import { allValues, anyValue, shapeOf, ValueTest } from './fieldMatch';
import { DetectionPath, SigmaError } from './errors';
import { compileStringTest } from './glob';
import { bestLiterals, Cnf } from './literals';
import { lower } from './lower';
import { ItemState, Modifier, MODIFIERS, strVal, Val } from './modifiers';
import { assertRegexRuns, compileRegex } from './regex';
import { literalString, parseSigmaString, withWildcards } from './sigmaString';
import { timePart } from './timeParts';

/** A compiled detection item: what its selection needs to compile, and its test, which the rule keeps. */
export interface Check {
  /** Does the event hold the item? Built on the first call (see ItemTest). */
  test: ItemTest;
  /** The field as the rule names it (without modifiers); undefined for a keyword search. */
  field: string | undefined;
  literals: Cnf;
  /** Rough cost of one evaluation, to run cheap checks first. */
  cost: number;
}


/**
 * The value as Sigma reads it, before modifiers. `index`: its place in the item's list (-1 for a
 * single value), added to `path` only for an error.
 */
function initialVal(raw: unknown, path: DetectionPath, index: number): Val {
  if (raw === null || raw === undefined) return { kind: 'null' };
  if (typeof raw === 'string') return strVal(parseSigmaString(raw), false, raw);
  if (typeof raw === 'number' || typeof raw === 'boolean' || typeof raw === 'bigint') {
    const text = String(raw);
    return strVal(literalString(text), false, typeof raw === 'bigint' ? text : raw);
  }
  throw new SigmaError('bad detection', 'a value must be a string, a number, a boolean or null, not a nested list or map', index < 0 ? path : [...path, index]);
}

/** A detection item read as data: its field, what its modifiers decided, and its values (groups of ORed alternatives). */
export interface ItemData {
  field: string | undefined;
  st: ItemState;
  /** One group per value of the rule; a group's alternatives are ORed (base64offset's offsets). */
  groups: Val[][];
}

/**
 * Reads `key: value` of a selection map through the modifier registry, without compiling it: the
 * query generators print these values, the hunt compiles them (compileItem).
 */
export function parseItem(key: string, value: unknown, path: DetectionPath): ItemData {
  // Plain loops rather than map/flatMap with closures, here and below: this runs for every item of
  // every rule at load, and V8's optimising compiler spends less on loops than on inlined callbacks.
  const names = key.split('|');
  const field = names[0] === '' ? undefined : names[0];
  const list = Array.isArray(value);
  const rawValues: unknown[] = list ? value : [value];
  if (rawValues.length === 0) throw new SigmaError('bad detection', `'${key}' has an empty list of values`, path);
  const st: ItemState = { field, all: false, negate: false, anchored: false, applied: [] };
  let groups: Val[][] = [];
  for (let i = 0; i < rawValues.length; i++) groups.push([initialVal(rawValues[i], path, list ? i : -1)]);
  for (let m = 1; m < names.length; m++) {
    const name = names[m];
    const mod = Object.prototype.hasOwnProperty.call(MODIFIERS, name) ? MODIFIERS[name] : undefined;
    if (!mod) throw new SigmaError('unsupported modifier', `unknown modifier '${name}' in '${key}'`, path);
    try {
      mod.item?.(st);
      if (mod.value) groups = modified(groups, mod.value, st, name);
    } catch (e) {
      if (e instanceof SigmaError && !e.path) e.path = path;
      throw e;
    }
    st.applied.push(name);
  }
  if (field === undefined) keywordGroups(groups, st.anchored, path);
  return { field, st, groups };
}

/** Each value through one modifier, whose alternatives (one value or several) join the value's group. */
function modified(groups: Val[][], mod: NonNullable<Modifier['value']>, st: ItemState, name: string): Val[][] {
  const out: Val[][] = [];
  for (let g = 0; g < groups.length; g++) {
    const alts = groups[g];
    if (alts.length === 1) {
      // The usual group, one value made one value: an exact array (a pushed-to one keeps room for 17).
      const r = mod(alts[0], st, name);
      out.push(Array.isArray(r) ? r.slice() : [r]);
      continue;
    }
    const next: Val[] = [];
    for (let a = 0; a < alts.length; a++) {
      const r = mod(alts[a], st, name);
      if (Array.isArray(r)) for (let k = 0; k < r.length; k++) next.push(r[k]);
      else next.push(r);
    }
    out.push(next);
  }
  return out;
}

/** A keyword is searched for inside the event's values, unless the rule anchored it; only text and regexes can be. */
function keywordGroups(groups: Val[][], anchored: boolean, path: DetectionPath): void {
  for (let g = 0; g < groups.length; g++) {
    const alts = groups[g];
    for (let a = 0; a < alts.length; a++) {
      const v = alts[a];
      if (v.kind !== 'str' && v.kind !== 're') throw new SigmaError('bad detection', `a keyword cannot be ${v.kind}`, path);
      if (!anchored && v.kind === 'str') alts[a] = strVal(withWildcards(v.str, true, true), v.cased, v.original);
    }
  }
}

/** Compiles `key: value` of a selection map; `key` is `Field|mod|mod`, or `|mod` for keywords. */
export function compileItem(key: string, value: unknown, path: DetectionPath): Check {
  const { field, st, groups } = parseItem(key, value, path);
  // One pass over the values, in one function on purpose: V8 compiled each helper this pass replaced
  // (literals, cost) again inside every caller it optimised. It finds what can refuse the rule (a
  // regex RE2 cannot run, a bad network), in the values' order; the literals a match must hold (none
  // for a negated item; with `all`, a set per value that requires one; else one set, or none when
  // some value requires nothing); and the cost, about one unit per string comparison (a Set lookup, a
  // search or a regex weigh less or more). The test is built when first used, from the item as
  // written: keeping the parsed values until then would hold more memory than the key and value do.
  // Indexed loops: `groups` comes in two array shapes, and V8 kept deoptimising a for-of over it.
  let required = !st.negate;
  const sets: string[][] = [];
  const anyOf: string[] = [];
  let cost = field === undefined ? 20 * groups.length : 0;
  let equals = false;
  for (let g = 0; g < groups.length; g++) {
    const alts = groups[g];
    for (let a = 0; a < alts.length; a++) {
      const v = alts[a];
      if (v.kind === 're' || v.kind === 'cidr') compileVal(v, path);
    }
    if (required) {
      const lits = groupLiterals(alts);
      if (lits === undefined) required = st.all;
      else if (st.all) sets.push(lits);
      else for (let k = 0; k < lits.length; k++) anyOf.push(lits[k]);
    }
    if (field !== undefined) {
      const shape = shapeOf(alts);
      if (shape === 'equals') equals = true;
      else if (shape) cost += shape === 'includes' ? 2 : 1;
      else for (let a = 0; a < alts.length; a++) cost += alts[a].kind === 're' ? 10 : alts[a].kind === 'str' || alts[a].kind === 'cidr' ? 3 : 1;
    }
  }
  // Exactly sized: a keyword search's detection keeps them as they are, and a pushed-to array keeps room for 17.
  const literals: Cnf = !required ? [] : st.all ? sets.slice() : [anyOf.slice()];
  return { test: new ItemTest(key, value), field, literals, cost: cost + (equals ? 1 : 0) };
}

/**
 * An item's test, built on first use from the item as written. The item was checked at compile time
 * (values, modifiers, regexes, networks), so building cannot fail: a rule refused is refused at load.
 * One object per item, all a rule keeps of it (closures over the item cost a context and two
 * functions more for each of a load's 10,000 items, copied by each young-generation GC of the load).
 * Its methods are called on it (`test.matches(e)`), never detached.
 */
export class ItemTest {
  private test: ((e: RuleEvent) => boolean) | undefined = undefined;

  constructor(
    private readonly key: string,
    private readonly value: unknown,
  ) {}

  /** The test itself, built once when first asked. */
  build(): (e: RuleEvent) => boolean {
    return (this.test ??= buildCheck(this.key, this.value));
  }

  matches(e: RuleEvent): boolean {
    return this.build()(e);
  }
}

/** The item's test. The item compiled once already, so nothing here throws and no path is needed. */
function buildCheck(key: string, value: unknown): (e: RuleEvent) => boolean {
  const { field, st, groups } = parseItem(key, value, []);
  const compile = (alts: Val[]): ValueTest => anyOf(alts.map(valueTest));
  let check: (e: RuleEvent) => boolean;
  if (field === undefined) check = keywordCheck(groups.map(compile), st.all);
  else check = st.all ? allValues(field, groups, compile) : anyValue(field, groups, compile);
  if (st.negate) {
    const positive = check;
    check = (e) => !positive(e);
  }
  return check;
}

/** A keyword search: each value (all, or any one of them) occurs in some value of the event. */
function keywordCheck(tests: ValueTest[], all: boolean): (e: RuleEvent) => boolean {
  const inSomeValue = tests.map((t) => (e: RuleEvent): boolean => {
    for (const x of e.values()) if (t(x, e)) return true;
    return false;
  });
  return all ? (e) => inSomeValue.every((t) => t(e)) : (e) => inSomeValue.some((t) => t(e));
}

/** Checks a regex or a network: the SigmaError that refuses the rule, located at the item (the test is built later). */
function compileVal(v: Extract<Val, { kind: 're' | 'cidr' }>, path: DetectionPath): void {
  try {
    if (v.kind === 're') assertRegexRuns(v.pattern, v.flags);
    else compileCidr(v.cidr);
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
    case 're':
    case 'cidr': {
      const t = v.kind === 're' ? compileRegex(v.pattern, v.flags) : compileCidr(v.cidr);
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
      return (x) => x !== undefined && timePart(x, part) === n;
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

/** The literals one of which a value's alternatives require, or undefined when one of them requires nothing. */
function groupLiterals(alts: Val[]): string[] | undefined {
  // The usual group, one value: bestLiterals' own (new) array.
  if (alts.length === 1) return alts[0].kind === 'str' ? bestLiterals(alts[0].str) : undefined;
  const lits: string[] = [];
  for (let a = 0; a < alts.length; a++) {
    const v = alts[a];
    const l = v.kind === 'str' ? bestLiterals(v.str) : undefined;
    if (!l) return undefined;
    for (let k = 0; k < l.length; k++) lits.push(l[k]);
  }
  return lits;
}
