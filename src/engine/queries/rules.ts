/**
 * Rules as the query targets read them: a built-in CAR analytic (its Sigma-form branches) or a
 * Sigma rule file, turned into a QueryRule (ir.ts). The whole rule as one expression, with its
 * EventID scope as a test on `EventID`, is what most targets print.
 */
import { Analytic } from '../analytics/analytic';
import { Expr } from '../analytics/expr';
import { FieldName } from '../model';
import { findCarAnalytic } from '../rules/car';
import type { CarAnalytic } from '../rules/car/analytic';
import { carInfo } from '../rules/car/compile';
import { SigmaError } from '../rules/sigma/errors';
import { ruleInfo } from '../rules/sigma/metadata';
import { Part } from '../rules/sigma/sigmaString';
import { RuleInfo } from '../rules/rule';
import { loadYaml } from '../rules/sigma/yamlDoc';
import { QExpr, QueryBranch, QueryRule, QueryUnsupported, queryRule, Val } from './ir';
import { GeneratedQuery, normalize, QueryOptions, QueryTarget, resolveOptions, SYSMON_FIELDS } from './target';

/** A built-in CAR analytic as a QueryRule. */
export function carQueryRule(a: CarAnalytic): QueryRule {
  return queryRule(carInfo(a), a.branches);
}

/** The built-in analytic with this id as a QueryRule, or undefined. */
export function findCarQueryRule(id: string): QueryRule | undefined {
  const a = findCarAnalytic(id);
  return a && carQueryRule(a);
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A Sigma rule file's text as a QueryRule. Throws SigmaError (the hunt skips the rule too) or
 * QueryUnsupported (the hunt runs it, but not from Sysmon events).
 */
export function sigmaQueryRule(text: string, file: string): QueryRule {
  const loaded = loadYaml(text);
  if ('error' in loaded) throw new SigmaError('yaml', `YAML: ${loaded.error}`);
  const docs = loaded.docs.filter((d) => d.value !== null && d.value !== undefined);
  if (docs.length !== 1) throw new SigmaError('correlation', `${docs.length} YAML documents: not a single Sigma rule`);
  const doc = docs[0].value;
  if (!isMap(doc) || !isMap(doc.logsource) || !isMap(doc.detection)) throw new SigmaError('not a rule', 'no logsource or detection map');
  if ('correlation' in doc) throw new SigmaError('correlation', 'correlation rule');
  return queryRule(ruleInfo(doc, file), [{ logsource: doc.logsource, detection: doc.detection }]);
}

const str = (s: string): Val => ({
  kind: 'str',
  cased: false,
  str: { parts: [{ t: 'lit', s }], bytes: false },
});

/** The test a branch's EventIDs make, on the System field `EventID`. */
export function eventIdTest(ids: number[]): QExpr {
  return { op: 'test', field: 'EventID', values: ids.map((id) => str(String(id))), part: 'logsource: EventID' };
}

/** A branch's logic with its EventID scope in front. */
export function branchExpr(b: QueryBranch): QExpr {
  return { op: 'and', args: [eventIdTest(b.eventIds), b.expr] };
}

/** The whole rule: its branches ORed, each scoped to its EventIDs. */
export function ruleExpr(rule: QueryRule): QExpr {
  const parts = rule.branches.map(branchExpr);
  return parts.length === 1 ? parts[0] : { op: 'or', args: parts };
}

/** Every EventID of the rule, sorted. */
export function ruleEventIds(rule: QueryRule): number[] {
  return [...new Set(rule.branches.flatMap((b) => b.eventIds))].sort((a, b) => a - b);
}

/** Notes every target adds: the event sources the query leaves out. */
export function commonNotes(rule: QueryRule): string[] {
  return rule.dropped.length
    ? [`The rule also runs on ${rule.dropped.join(', ')}; this query reads only Sysmon's events (${rule.branches.map((b) => b.label).join(', ')}).`]
    : [];
}

export { QueryUnsupported };


const lit = (s: string): Part[] => (s ? [{ t: 'lit', s }] : []);
const strVal = (parts: Part[]): Val => ({ kind: 'str', cased: false, str: { parts, bytes: false } });

/** A data-model comparison as a test: a file name is the whole path, or its end after `\` or `/`. */
function modelTest(field: FieldName, values: string[]): QExpr {
  const name = SYSMON_FIELDS[field];
  const file = field === 'exe' || field === 'parent_exe';
  const vals = values.flatMap((v) => (file ? [strVal(lit(v)), strVal([{ t: 'any' }, ...lit('\\' + v)]), strVal([{ t: 'any' }, ...lit('/' + v)])] : [strVal(lit(v))]));
  return { op: 'test', field: name, values: vals, part: `${field} (${name})` };
}

function modelExpr(e: Expr): QExpr {
  switch (e.op) {
    case 'and':
    case 'or':
      return { op: e.op, args: e.args.map(modelExpr) };
    case 'not':
      return { op: 'not', arg: modelExpr(e.arg) };
    case '==':
      return modelTest(e.field, [e.value]);
    case '!=':
      return { op: 'not', arg: modelTest(e.field, [e.value]) };
    case 'in':
      return modelTest(e.field, e.values);
  }
}

/** A Sigma string value that means these parts: `*`, `?` and `\` escaped in literals. */
function sigmaValue(parts: Part[]): string {
  return parts.map((p) => (p.t === 'any' ? '*' : p.t === 'one' ? '?' : p.t === 'lit' ? p.s.replace(/[*?\\]/g, '\\$&') : '')).join('');
}

/** The tree as a Sigma detection map: one search per test, the condition in and/or/not. */
export function exprDetection(e: QExpr): Record<string, unknown> {
  const detection: Record<string, unknown> = {};
  let n = 0;
  const walk = (x: QExpr): string => {
    switch (x.op) {
      case 'test': {
        const name = `selection_${++n}`;
        detection[name] = {
          [x.field ?? '']: x.values.map((v) => {
            if (v.kind !== 'str') throw new QueryUnsupported(v.kind, `${x.part}: no Sigma form here`);
            return sigmaValue(v.str.parts);
          }),
        };
        return name;
      }
      case 'not':
        return `not ${walk(x.arg)}`;
      case 'and':
      case 'or':
        return `(${x.args.map(walk).join(` ${x.op} `)})`;
    }
  };
  detection.condition = walk(e);
  return detection;
}

/** A CAR data-model analytic (Analytic.logic) as a QueryRule over Sysmon process creation. */
export function analyticQueryRule(analytic: Analytic): QueryRule {
  normalize(analytic.logic); // throws on an empty and/or/in, as the CAR generators do
  const car = findCarAnalytic(analytic.id);
  if (car && car.logic === analytic.logic) return carQueryRule(car);
  const info: RuleInfo = {
    ...(car ? carInfo(car) : { id: analytic.id, level: 'medium', kind: 'car', source: 'car', references: [], falsepositives: [], tags: [], attack: [], tactics: [] }),
    id: analytic.id,
    title: analytic.title,
    description: analytic.description,
  };
  const expr = modelExpr(analytic.logic);
  const logsource = { product: 'windows', category: 'process_creation', service: 'sysmon' };
  return { info, branches: [{ eventIds: [1], label: 'Sysmon EventID 1', category: 'process_creation', expr }], dropped: [], doc: [{ logsource, detection: exprDetection(expr) }] };
}

/**
 * A target that writes every rule through the IR: a CAR data-model analytic is turned into its
 * QueryRule first (after the shared option checks), so both entries print with the same code.
 */
export function irTarget(meta: Pick<QueryTarget, 'id' | 'label' | 'product' | 'languageId'>, write: (rule: QueryRule) => GeneratedQuery): QueryTarget {
  return {
    ...meta,
    generate: (analytic: Analytic, options?: QueryOptions) => {
      resolveOptions(options);
      return write(analyticQueryRule(analytic));
    },
    generateRule: (rule: QueryRule) => write(rule),
  };
}
