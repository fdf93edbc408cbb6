/**
 * The check of one field against its values, built for speed: values that are a plain literal
 * with at most a `*` at each end (equals, startswith, endswith, contains: nearly all of Sigma's)
 * are tested on the field lower-cased once, with string methods and a Set; the rest through their
 * own tests.
 */
import { LiteralSearch } from '../literalIndex';
import { RuleEvent } from '../rule';
import { lower } from './lower';
import { Val } from './modifiers';
import { spellClasses } from './sigmaString';

export type ValueTest = (value: string | undefined, event: RuleEvent) => boolean;

type Shape = 'equals' | 'startsWith' | 'endsWith' | 'includes';

/** The shape and lower-cased literal of a simple value, or undefined when the value is not simple. */
export function simpleShape(alts: Val[]): { shape: Shape; lit: string } | undefined {
  const shape = shapeOf(alts);
  if (shape === undefined) return undefined;
  // shapeOf checked it: one literal part after the `*` at the start, if any, or no part at all.
  const p = (alts[0] as Extract<Val, { kind: 'str' }>).str.parts[shape === 'includes' || shape === 'endsWith' ? 1 : 0];
  return { shape, lit: p === undefined ? '' : (p as { s: string }).s.toLowerCase() };
}

/**
 * simpleShape's shape alone, which the load asks of every value (for its cost): by index, without
 * slicing the parts or lower-casing the literal.
 */
export function shapeOf(alts: Val[]): Shape | undefined {
  if (alts.length !== 1) return undefined;
  const v = alts[0];
  if (v.kind !== 'str' || v.cased || v.str.bytes) return undefined;
  const parts = v.str.parts;
  const n = parts.length;
  const open = n > 0 && parts[0].t === 'any';
  const close = n > 1 && parts[n - 1].t === 'any';
  // What lies between the `*` at either end: at most one part, a literal.
  const from = open ? 1 : 0;
  const inner = (close ? n - 1 : n) - from;
  if (inner > 1) return undefined;
  let empty = true;
  if (inner === 1) {
    const p = parts[from];
    if (p.t !== 'lit') return undefined;
    empty = p.s.length === 0;
  }
  if (empty && (open || close)) return undefined;
  return open && close ? 'includes' : open ? 'endsWith' : close ? 'startsWith' : 'equals';
}

interface Simple {
  equals: Set<string>;
  startsWith: string[];
  endsWith: string[];
  includes: string[];
}

/** From this many literals of one shape on, a list is searched by length (affixes) or by one scan (contains). */
const MANY = 8;

/** Does the string end (or start) with one of the literals? Few: one by one; many: a Set per length. */
function affixTest(lits: string[], end: boolean): (lx: string) => boolean {
  if (lits.length <= MANY) return end ? (lx) => lits.some((l) => lx.endsWith(l)) : (lx) => lits.some((l) => lx.startsWith(l));
  const byLength = new Map<number, Set<string>>();
  for (const l of lits) {
    let set = byLength.get(l.length);
    if (!set) byLength.set(l.length, (set = new Set()));
    set.add(l);
  }
  const lengths = [...byLength.keys()].sort((a, b) => a - b);
  const sets = lengths.map((n) => byLength.get(n) as Set<string>);
  return (lx) => {
    const n = lx.length;
    for (let i = 0; i < lengths.length; i++) {
      const len = lengths[i];
      if (len > n) break;
      if (sets[i].has(end ? lx.substring(n - len) : lx.substring(0, len))) return true;
    }
    return false;
  };
}

/** A value with character classes (windash's dashes) spelled out as one value per choice, when they are few. */
const MAX_SPELLED = 32;

function spelled(v: Val): Val[] | undefined {
  if (v.kind !== 'str' || !v.str.parts.some((p) => p.t === 'cls')) return [v];
  return spellClasses(v.str.parts, MAX_SPELLED)?.map((parts) => ({ ...v, str: { ...v.str, parts } }));
}

/** Any of the values holds for the field (a Sigma value list). */
export function anyValue(field: string, groups: Val[][], compile: (alts: Val[]) => ValueTest): (e: RuleEvent) => boolean {
  const simple: Simple = { equals: new Set(), startsWith: [], endsWith: [], includes: [] };
  const other: ValueTest[] = [];
  // A value's alternatives (windash's dash variants, base64offset's offsets) are ORed like the
  // values themselves, so each simple alternative joins the simple lists.
  for (const alts of groups) {
    const rest: Val[] = [];
    for (const alt of alts) {
      const shapes = spelled(alt)?.map((one) => simpleShape([one]));
      if (!shapes || shapes.some((s) => !s)) {
        rest.push(alt);
        continue;
      }
      for (const s of shapes) {
        if (s!.shape === 'equals') simple.equals.add(s!.lit);
        else simple[s!.shape].push(s!.lit);
      }
    }
    if (rest.length > 0) other.push(compile(rest));
  }
  const { equals, startsWith, endsWith, includes } = simple;
  const hasSimple = equals.size + startsWith.length + endsWith.length + includes.length > 0;
  const hasEnd = endsWith.length > 0 ? affixTest(endsWith, true) : undefined;
  const hasStart = startsWith.length > 0 ? affixTest(startsWith, false) : undefined;
  // Built on first use: most rules never meet an event they could match, and loading stays cheap.
  let search: LiteralSearch | undefined;
  const many = includes.length > MANY;
  return (e) => {
    const x = e.get(field);
    if (x !== undefined && hasSimple) {
      const lx = lower(x);
      if (equals.has(lx)) return true;
      if (hasEnd?.(lx)) return true;
      if (many) {
        if ((search ??= new LiteralSearch(includes)).in(lx)) return true;
      } else {
        for (const l of includes) if (lx.includes(l)) return true;
      }
      if (hasStart?.(lx)) return true;
    }
    for (const t of other) if (t(x, e)) return true;
    return false;
  };
}

/** All of the values hold for the field (`|all`). */
export function allValues(field: string, groups: Val[][], compile: (alts: Val[]) => ValueTest): (e: RuleEvent) => boolean {
  const simple: { shape: Shape; lit: string }[] = [];
  const other: ValueTest[] = [];
  for (const alts of groups) {
    const s = simpleShape(alts);
    if (s) simple.push(s);
    else other.push(compile(alts));
  }
  return (e) => {
    const x = e.get(field);
    if (simple.length > 0) {
      if (x === undefined) return false;
      const lx = lower(x);
      for (const { shape, lit } of simple) {
        if (shape === 'includes' ? !lx.includes(lit) : shape === 'equals' ? lx !== lit : !lx[shape](lit)) return false;
      }
    }
    for (const t of other) if (!t(x, e)) return false;
    return true;
  };
}
