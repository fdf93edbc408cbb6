/**
 * The query IR: one rule (a Sigma file or a built-in CAR analytic) as data the query targets
 * print. The detection is read with the Sigma compiler's own pieces (the modifier registry through
 * parseItem, the condition parser, `x of` name patterns), so a value means here what it means in
 * the hunt; only the last step differs: the hunt compiles closures, this keeps the tree.
 */
import type { SigmaLogsource } from '../rules/car/analytic';
import { scopesFor } from '../rules/logsources';
import { RuleInfo } from '../rules/rule';
import { compileDetection } from '../rules/sigma';
import { Condition, namesMatching, parseCondition } from '../rules/sigma/condition';
import { SigmaError } from '../rules/sigma/errors';
import { Val } from '../rules/sigma/modifiers';
import { parseItem } from '../rules/sigma/values';

export type { Val };

/**
 * A rule's logic. `test`: the field (undefined for a keyword search) holds one of `values`
 * (ORed alternatives); `part` names the rule's text it came from, for refusals.
 */
export type QExpr =
  | { op: 'and' | 'or'; args: QExpr[] }
  | { op: 'not'; arg: QExpr }
  | { op: 'test'; field: string | undefined; values: Val[]; part: string };

/** One Sysmon event source of the rule and the logic that runs there. */
export interface QueryBranch {
  /** Sysmon EventIDs (never empty). */
  eventIds: number[];
  /** The logsource, in words: `Sysmon EventID 1`. */
  label: string;
  /** Sigma category, when the logsource names one (targets with a table per category read it). */
  category?: string;
  expr: QExpr;
}

export interface QueryRule {
  info: RuleInfo;
  /** The rule's Sysmon branches; at least one. */
  branches: QueryBranch[];
  /** Event sources of the rule that are not Sysmon (Security 4688, ...): the queries leave them out. */
  dropped: string[];
  /** The Sigma document the rule came from (logsource, detection, metadata), for the sigma target. */
  doc: { logsource: SigmaLogsource; detection: Record<string, unknown> }[];
}

/** A part of a rule a target cannot express: the command names it and exits 2. */
export class QueryUnsupported extends Error {
  constructor(
    /** Short category for coverage totals, e.g. `regex lookahead`, `field User`. */
    public readonly category: string,
    message: string,
  ) {
    super(message);
    this.name = 'QueryUnsupported';
  }
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const NOT_SEARCHES = new Set(['condition', 'timeframe']);

/** The detection map as an expression tree; throws SigmaError where the hunt's compiler would refuse it. */
export function detectionExpr(detection: Record<string, unknown>): QExpr {
  compileDetection(detection); // same refusals as the hunt (RE2, modifiers, conditions)
  const names = Object.keys(detection).filter((k) => !NOT_SEARCHES.has(k));
  const searches = new Map(names.map((n) => [n, searchExpr(n, detection[n])]));
  const conditions = Array.isArray(detection.condition) ? detection.condition : [detection.condition];
  const roots = conditions.map((c) => bind(parseCondition(String(c)), searches, names));
  return roots.length === 1 ? roots[0] : { op: 'or', args: roots };
}

function bind(c: Condition, searches: Map<string, QExpr>, names: string[]): QExpr {
  switch (c.op) {
    case 'id': {
      const s = searches.get(c.name);
      if (!s) throw new SigmaError('bad condition', `the condition names '${c.name}', which the detection does not define`);
      return s;
    }
    case 'not':
      return { op: 'not', arg: bind(c.arg, searches, names) };
    case 'and':
    case 'or':
      return { op: c.op, args: c.args.map((a) => bind(a, searches, names)) };
    case 'of': {
      const picked = namesMatching(c.pattern, names).map((n) => searches.get(n) as QExpr);
      return picked.length === 1 ? picked[0] : { op: c.all ? 'and' : 'or', args: picked };
    }
  }
}

function searchExpr(name: string, value: unknown): QExpr {
  if (isMap(value)) return mapExpr(name, value, [name]);
  if (Array.isArray(value) && value.some(isMap)) {
    return { op: 'or', args: value.map((v, i) => (isMap(v) ? mapExpr(name, v, [name, i]) : itemExpr(name, '', v, [name, i]))) };
  }
  return itemExpr(name, '', value, [name]);
}

function mapExpr(name: string, map: Record<string, unknown>, path: (string | number)[]): QExpr {
  const items = Object.keys(map).map((k) => itemExpr(name, k, map[k], [...path, k]));
  return items.length === 1 ? items[0] : { op: 'and', args: items };
}

function itemExpr(name: string, key: string, value: unknown, path: (string | number)[]): QExpr {
  const { field, st, groups } = parseItem(key, value, path);
  const part = `${name}: ${key === '' ? 'keywords' : key}`;
  const test = (values: Val[]): QExpr => ({ op: 'test', field, values, part });
  let expr: QExpr = st.all && groups.length > 1 ? { op: 'and', args: groups.map(test) } : test(groups.flat());
  if (st.negate) expr = { op: 'not', arg: expr };
  return expr;
}

const SYSMON = 'microsoft-windows-sysmon';

/**
 * A rule as the query targets see it, from its logsources and detections (one per branch).
 * Throws QueryUnsupported when no branch is logged by Sysmon, SigmaError when the hunt would skip it.
 */
export function queryRule(info: RuleInfo, docs: { logsource: SigmaLogsource; detection: Record<string, unknown> }[]): QueryRule {
  const branches: QueryBranch[] = [];
  const dropped: string[] = [];
  for (const d of docs) {
    const scopes = scopesFor(d.logsource);
    if (!Array.isArray(scopes)) throw new QueryUnsupported('logsource', scopes.reason);
    const expr = detectionExpr(d.detection);
    for (const scope of scopes) {
      if (!scope.providers?.includes(SYSMON) || !scope.eventIds?.length) {
        dropped.push(scope.label);
        continue;
      }
      // registry_add / registry_delete: the source's own condition (EventType) joins the rule's.
      const where = Object.entries(scope.where ?? {}).map(
        ([field, values]): QExpr => ({
          op: 'test',
          field,
          values: values.map((v) => ({ kind: 'str', cased: false, str: { parts: [{ t: 'lit', s: v }], bytes: false } })),
          part: `logsource ${d.logsource.category ?? ''}: ${field}`,
        }),
      );
      branches.push({
        eventIds: [...scope.eventIds],
        label: scope.label,
        category: d.logsource.category,
        expr: where.length ? { op: 'and', args: [...where, expr] } : expr,
      });
    }
  }
  if (branches.length === 0) {
    throw new QueryUnsupported('not sysmon', `the rule's logsource (${dropped.join(', ') || 'none'}) is not logged by Sysmon, and the query targets read Sysmon events`);
  }
  return { info, branches, dropped, doc: docs };
}
