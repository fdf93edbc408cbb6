/** A Sigma detection map (searches plus `condition`) compiled into a Detection. */
import { Detection, Logic, RuleEvent } from '../rule';
import { Condition, namesMatching, parseCondition } from './condition';
import { allOf, anyOf, once } from './combine';
import { DetectionPath, SigmaError } from './errors';
import { andCnf, Cnf, orCnf } from './literals';
import { compileSelection, Selection } from './selection';

/** Keys of a detection map that are not searches. */
const NOT_SEARCHES = new Set(['condition', 'timeframe']);

interface Node {
  /** The node's test, built once when first asked. */
  build: () => (event: RuleEvent) => boolean;
  /** The deciding field among the selections that hold, skipping negated ones. */
  decide: (event: RuleEvent) => string | undefined;
  literals: Cnf;
  /** Rough cost of one evaluation, to run cheap operands of AND first. */
  cost: number;
  /** A negation: usually true, so it runs after the selective operands of an AND. (Set on every node: one shape.) */
  negated: boolean;
  logic: Logic;
}

/**
 * Compiles a Sigma detection map; throws SigmaError when it cannot run as written. Every rule of a
 * load runs this: the rare cases (a list of conditions, errors) are in functions of their own, which
 * V8 then leaves out of this one's optimised code.
 */
export function compileDetection(detection: Record<string, unknown>): Detection {
  if (typeof detection !== 'object' || detection === null || Array.isArray(detection)) {
    throw new SigmaError('bad detection', 'detection must be a map of searches and a condition');
  }
  const condition = detection.condition;
  if (condition === undefined || condition === null) throw new SigmaError('missing condition', 'detection has no condition');
  const keys = Object.keys(detection);
  const names: string[] = [];
  const selections = new Map<string, Selection>();
  for (let i = 0; i < keys.length; i++) {
    const name = keys[i];
    if (NOT_SEARCHES.has(name)) continue;
    names.push(name);
    selections.set(name, compileSelection(name, detection[name]));
  }
  const root = typeof condition === 'string' ? bindCondition(condition, undefined, selections, names) : conditionList(condition, selections, names);
  return lazyDetection(root);
}

/** The condition bound to the selections; `index`: its place in a list of conditions (undefined: the one condition). */
function bindCondition(text: string, index: number | undefined, selections: Map<string, Selection>, names: string[]): Node {
  try {
    return bind(parseCondition(text), selections, names);
  } catch (e) {
    if (e instanceof SigmaError && !e.path) e.path = index === undefined ? ['condition'] : ['condition', index];
    throw e;
  }
}

/** A list of conditions (Sigma 1's style), which means any of them; anything else but text is refused. */
function conditionList(condition: unknown, selections: Map<string, Selection>, names: string[]): Node {
  if (!Array.isArray(condition)) return bindCondition(conditionText(condition, ['condition']), undefined, selections, names);
  if (condition.length === 0) throw new SigmaError('missing condition', 'the condition list is empty', ['condition']);
  const texts = condition.map((c, i) => conditionText(c, ['condition', i]));
  const roots = texts.map((text, i) => bindCondition(text, i, selections, names));
  return roots.length === 1 ? roots[0] : anyNode(roots);
}

/**
 * Everything that can refuse the rule is done; the test is built on the first event asked about, and
 * then replaces this method. (Made here, not in compileDetection, so that it keeps only the root.)
 */
function lazyDetection(root: Node): Detection {
  const build = root.build;
  const compiled: Detection = {
    matches(e) {
      const test = build();
      compiled.matches = test;
      return test(e);
    },
    decidingField: root.decide,
    literals: root.literals,
    logic: root.logic,
  };
  return compiled;
}

function conditionText(c: unknown, path: DetectionPath): string {
  if (typeof c !== 'string') throw new SigmaError('bad condition', 'a condition must be text', path);
  return c;
}

function bind(c: Condition, selections: Map<string, Selection>, names: string[]): Node {
  switch (c.op) {
    case 'id': {
      const s = selections.get(c.name);
      if (!s) throw new SigmaError('bad condition', `the condition names '${c.name}', which the detection does not define`);
      return selectionNode(s);
    }
    case 'not': {
      const arg = bind(c.arg, selections, names);
      const argBuild = arg.build;
      const build = once(() => {
        const test = argBuild();
        return (e: RuleEvent) => !test(e);
      });
      return { build, decide: () => undefined, literals: [], cost: arg.cost, negated: true, logic: { op: 'not', arg: arg.logic } };
    }
    case 'and':
      return allNode(c.args.map((a) => bind(a, selections, names)));
    case 'or':
      return anyNode(c.args.map((a) => bind(a, selections, names)));
    case 'of': {
      const picked = namesMatching(c.pattern, names);
      if (picked.length === 0) {
        throw new SigmaError('bad condition', `'${c.all ? 'all' : '1'} of ${c.pattern ?? 'them'}' matches no search`);
      }
      const nodes = picked.map((n) => selectionNode(selections.get(n) as Selection));
      return c.all ? allNode(nodes) : anyNode(nodes);
    }
  }
}

// The closures below keep the functions they call, not the nodes: a node's literals are garbage once
// its parent's are made, and a rule set holds thousands of nodes.

function selectionNode(s: Selection): Node {
  const { matches, decide } = s;
  return { build: s.build, decide: (e) => (matches(e) ? decide(e) : undefined), literals: s.literals, cost: s.cost, negated: false, logic: s.logic };
}

function firstDecided(nodes: Node[]): (e: RuleEvent) => string | undefined {
  const decides = nodes.map((n) => n.decide);
  return (e) => {
    for (const decide of decides) {
      const f = decide(e);
      if (f !== undefined) return f;
    }
    return undefined;
  };
}

function allNode(nodes: Node[]): Node {
  if (nodes.length === 1) return nodes[0];
  // Evaluation order does not change the result: cheap positive operands first, negations last.
  const order = [...nodes].sort(cheapPositiveFirst).map(buildOf);
  // Not `once`: one context for both closures (see ItemTest in values.ts).
  let test: ((e: RuleEvent) => boolean) | undefined;
  const build = (): ((e: RuleEvent) => boolean) => (test ??= allOf(order.map(call)));
  return { build, decide: firstDecided(nodes), literals: andCnf(nodes.map(literalsOf)), cost: costOf(nodes), negated: false, logic: { op: 'and', args: nodes.map(logicOf) } };
}

function anyNode(nodes: Node[]): Node {
  if (nodes.length === 1) return nodes[0];
  const builds = nodes.map(buildOf);
  let test: ((e: RuleEvent) => boolean) | undefined;
  const build = (): ((e: RuleEvent) => boolean) => (test ??= anyOf(builds.map(call)));
  return { build, decide: firstDecided(nodes), literals: orCnf(nodes.map(literalsOf)), cost: costOf(nodes), negated: false, logic: { op: 'or', args: nodes.map(logicOf) } };
}

// Named callbacks rather than a closure per call: every rule's condition goes through these at load.
const cheapPositiveFirst = (a: Node, b: Node): number => Number(a.negated) - Number(b.negated) || a.cost - b.cost;
const buildOf = (n: Node): Node['build'] => n.build;
const literalsOf = (n: Node): Cnf => n.literals;
const logicOf = (n: Node): Logic => n.logic;
const call = <T>(f: () => T): T => f();

function costOf(nodes: Node[]): number {
  let cost = 0;
  for (let i = 0; i < nodes.length; i++) cost += nodes[i].cost;
  return cost;
}
