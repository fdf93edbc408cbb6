/** A named search of a detection map (`selection_img: {...}`) compiled into a check on an event. */
import { Logic, RuleEvent } from '../rule';
import { allOf, once } from './combine';
import { DetectionPath, SigmaError } from './errors';
import { andCnf, Cnf, orCnf } from './literals';
import { Check, compileItem, ItemTest } from './values';

export interface Selection {
  /** Does the event match? Built on the first call (see `build`). */
  matches: (event: RuleEvent) => boolean;
  /** The test itself, built once when first asked. */
  build: () => (event: RuleEvent) => boolean;
  /** For a matching event: the first field of the map that holds (undefined for keywords). */
  decide: (event: RuleEvent) => string | undefined;
  literals: Cnf;
  /** Rough cost of one evaluation. */
  cost: number;
  /** The same checks as data, for explanations. */
  logic: Logic;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Compiles one search identifier's value: a map (AND), a list of maps (OR), or keywords. */
export function compileSelection(name: string, value: unknown): Selection {
  const path: DetectionPath = [name];
  if (isMap(value)) return mapSelection(value, path);
  if (Array.isArray(value)) {
    if (value.length === 0) throw new SigmaError('bad detection', `search '${name}' is an empty list`, path);
    if (allScalars(value)) return keywordSelection(compileItem('', value, path), value);
    return anySelection(
      value.map((v, i) => {
        if (isMap(v)) return mapSelection(v, [name, i]);
        if (Array.isArray(v)) throw new SigmaError('bad detection', `search '${name}' holds a list inside a list`, [name, i]);
        return keywordSelection(compileItem('', v, [name, i]), v);
      }),
    );
  }
  if (value === null || value === undefined) {
    throw new SigmaError('bad detection', `search '${name}' is empty`, path);
  }
  return keywordSelection(compileItem('', value, path), value);
}

function allScalars(values: unknown[]): boolean {
  for (let i = 0; i < values.length; i++) if (typeof values[i] === 'object' && values[i] !== null) return false;
  return true;
}

/** A test leaf of the logic: the item's key split into field and modifiers, its values as text. */
function testLogic(key: string, value: unknown, check: Check): Logic {
  const bar = key.indexOf('|');
  const field = bar < 0 ? key : key.slice(0, bar);
  const modifiers = bar < 0 ? NO_MODIFIERS : modifiersOf(key.slice(bar + 1));
  // A list of strings is its own text: shared with the item's lazy test, which keeps the value as written.
  const values = Array.isArray(value) ? (allStrings(value) ? (value as string[]) : (value as Scalar[]).map(valueText)) : [valueText(value as Scalar)];
  return new TestLeaf(field === '' ? undefined : field, modifiers, values, check.test);
}

/** A test of the logic tree; `holds` asks the item's test (one object per test, not a closure and its context). */
class TestLeaf {
  readonly op = 'test' as const;
  readonly #test: ItemTest;
  constructor(
    readonly field: string | undefined,
    readonly modifiers: string[],
    readonly values: string[],
    test: ItemTest,
  ) {
    this.#test = test;
  }

  holds(event: RuleEvent): boolean {
    return this.#test.matches(event);
  }
}

/**
 * The modifiers of a key after its field, one frozen array per distinct list (`endswith`,
 * `contains|all`, ...), shared by every test that writes it: rules keep their logic, and SigmaHQ's
 * 10,000 items write a few hundred such lists.
 */
const modifierLists = new Map<string, string[]>();
const NO_MODIFIERS: string[] = Object.freeze([]) as unknown as string[];
/** Bound on the lists kept (a process may load many rule sets). */
const MAX_MODIFIER_LISTS = 4096;

function modifiersOf(text: string): string[] {
  let list = modifierLists.get(text);
  if (list === undefined) {
    list = Object.freeze(text.split('|')) as unknown as string[];
    if (modifierLists.size >= MAX_MODIFIER_LISTS) modifierLists.clear();
    modifierLists.set(text, list);
  }
  return list;
}

function allStrings(values: unknown[]): boolean {
  for (let i = 0; i < values.length; i++) if (typeof values[i] !== 'string') return false;
  return true;
}

/** A value reached here is a scalar: compileItem refused the rest first. */
type Scalar = string | number | boolean | null | undefined;

function valueText(v: Scalar): string {
  return v === null || v === undefined ? 'null' : String(v);
}

function keywordSelection(check: Check, value: unknown): Selection {
  const test = check.test;
  return { matches: (e) => test.matches(e), build: () => test.build(), decide: () => undefined, literals: check.literals, cost: check.cost, logic: testLogic('', value, check) };
}

/**
 * The map's items ANDed. One function on purpose (it also makes the logic and the test): V8 compiled
 * helpers of this size again inside every caller it optimised. Plain loops, not map/reduce with
 * closures: this runs for every selection of every rule at load.
 */
function mapSelection(map: Record<string, unknown>, path: DetectionPath): Selection {
  const keys = Object.keys(map);
  if (keys.length === 0) throw new SigmaError('bad detection', `search '${path[0]}' is an empty map`, path);
  const checks: Check[] = [];
  const cnfs: Cnf[] = [];
  // Kept with the rule: sized exactly (a pushed-to array keeps room for more).
  const tests = new Array<Logic>(keys.length);
  let cost = 0;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    let c: Check;
    try {
      c = compileItem(k, map[k], AT_ITEM);
    } catch (e) {
      throw atItem(e, path, k);
    }
    checks.push(c);
    cnfs.push(c.literals);
    tests[i] = testLogic(k, map[k], c);
    cost += c.cost;
  }
  const logic: Logic = checks.length === 1 ? tests[0] : { op: 'and', args: tests };
  // The deciding field is the map's first; the checks run cheapest first. The closures keep the
  // checks only: the rest is garbage from here on.
  const field = checks[0].field;
  const itemTests = checks.length === 1 ? [checks[0].test] : checks.sort(byCost).map(testOf);
  let test: ((e: RuleEvent) => boolean) | undefined;
  const build = (): ((e: RuleEvent) => boolean) => (test ??= allOf(itemTests.map(buildOf)));
  return { matches: (e) => build()(e), build, decide: () => field, literals: andCnf(cnfs), cost, logic };
}

/** The item's own path: its errors are located from the item, and atItem puts the selection's path before. */
const AT_ITEM: DetectionPath = [];

/**
 * An item's error located in the detection map: its path follows the selection's and the key. (Made
 * only for an error: building each item's path up front cost every item of every rule an array.)
 */
function atItem(e: unknown, path: DetectionPath, key: string): unknown {
  if (e instanceof SigmaError) e.path = [...path, key, ...(e.path ?? [])];
  return e;
}

const byCost = (a: Check, b: Check): number => a.cost - b.cost;
const testOf = (c: Check): ItemTest => c.test;
const buildOf = (t: ItemTest): ((event: RuleEvent) => boolean) => t.build();

function anySelection(options: Selection[]): Selection {
  const builds = options.map((o) => o.build);
  const matchers = options.map((o) => o.matches);
  const decides = options.map((o) => o.decide);
  const build = once(() => {
    const tests = builds.map((b) => b());
    return (e: RuleEvent): boolean => {
      for (const t of tests) if (t(e)) return true;
      return false;
    };
  });
  return {
    matches: (e) => build()(e),
    build,
    decide: (e) => {
      for (let i = 0; i < matchers.length; i++) if (matchers[i](e)) return decides[i](e);
      return undefined;
    },
    literals: orCnf(options.map((o) => o.literals)),
    cost: options.reduce((n, o) => n + o.cost, 0),
    logic: options.length === 1 ? options[0].logic : { op: 'or', args: options.map((o) => o.logic) },
  };
}
