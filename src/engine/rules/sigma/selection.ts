/** A named search of a detection map (`selection_img: {...}`) compiled into a check on an event. */
import { Logic, RuleEvent } from '../rule';
import { allOf, once } from './combine';
import { DetectionPath, SigmaError } from './errors';
import { andCnf, Cnf, orCnf } from './literals';
import { Check, compileItem } from './values';

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
    if (value.every((v) => !isMap(v) && !Array.isArray(v))) return keywordSelection(compileItem('', value, path), value);
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

/** A test leaf of the logic: the item's key split into field and modifiers, its values as text. */
function testLogic(key: string, value: unknown, check: Check): Logic {
  const names = key.split('|');
  const field = names[0];
  const modifiers = names.slice(1);
  const values = (Array.isArray(value) ? value : [value]).map((v) => (v === null || v === undefined ? 'null' : String(v)));
  return { op: 'test', field: field === '' ? undefined : field, modifiers, values, holds: check.matches };
}

function keywordSelection(check: Check, value: unknown): Selection {
  return { matches: check.matches, build: check.build, decide: () => undefined, literals: check.literals, cost: check.cost, logic: testLogic('', value, check) };
}

function mapSelection(map: Record<string, unknown>, path: DetectionPath): Selection {
  const keys = Object.keys(map);
  if (keys.length === 0) throw new SigmaError('bad detection', `search '${path[0]}' is an empty map`, path);
  const checks = keys.map((k) => compileItem(k, map[k], [...path, k]));
  // The deciding field is the map's first; the checks run cheapest first.
  const field = checks[0].field;
  const literals = andCnf(checks.map((c) => c.literals));
  const cost = checks.reduce((n, c) => n + c.cost, 0);
  const logic: Logic = checks.length === 1 ? testLogic(keys[0], map[keys[0]], checks[0]) : { op: 'and', args: checks.map((c, i) => testLogic(keys[i], map[keys[i]], c)) };
  return allSelection(checks, field, literals, cost, logic);
}

/** The map's checks ANDed. The closures keep the checks' builds only: the rest is garbage from here on. */
function allSelection(checks: Check[], field: string | undefined, literals: Cnf, cost: number, logic: Logic): Selection {
  const builds = [...checks].sort((a, b) => a.cost - b.cost).map((c) => c.build);
  const build = once(() => allOf(builds.map((b) => b())));
  return { matches: (e) => build()(e), build, decide: () => field, literals, cost, logic };
}

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
