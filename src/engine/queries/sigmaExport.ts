/**
 * `sigma`: a rule as a Sigma rule (YAML, specification v2). A built-in CAR analytic gets a stable
 * id (UUID v5 of its CAR page's URL, so the same analytic always exports with the same id), its
 * metadata, and its detection as the hunt runs it. An analytic with several branches (one per
 * logsource) becomes one rule over all Sysmon events (`service: sysmon`), each branch's searches
 * prefixed `bN_` and scoped to its EventIDs, the condition written out without `x of` patterns.
 * A Sigma rule exports its own logsource and detection.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { findCarAnalytic } from '../rules/car';
import { SigmaLogsource } from '../rules/car/analytic';
import { scopesFor } from '../rules/logsources';
import { Condition, namesMatching, parseCondition } from '../rules/sigma/condition';
import { QueryRule, QueryUnsupported } from './ir';
import { irTarget } from './rules';
import { GeneratedQuery } from './target';

/** RFC 4122 URL namespace. */
const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/** UUID version 5 (SHA-1) of `name` in `namespace`. */
export function uuidV5(name: string, namespace = URL_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(Buffer.concat([ns, Buffer.from(name, 'utf8')])).digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The stable Sigma id of a CAR analytic. */
export const carSigmaId = (carId: string): string => uuidV5(`https://car.mitre.org/analytics/${carId.toUpperCase()}/`);

function conditionText(c: Condition, names: string[], rename: (n: string) => string, top: boolean): string {
  switch (c.op) {
    case 'id':
      return rename(c.name);
    case 'not':
      return `not ${conditionText(c.arg, names, rename, false)}`;
    case 'and':
    case 'or': {
      const t = c.args.map((a) => conditionText(a, names, rename, false)).join(` ${c.op} `);
      return top ? t : `(${t})`;
    }
    case 'of': {
      const picked = namesMatching(c.pattern, names).map(rename);
      return picked.length === 1 ? picked[0] : `(${picked.join(c.all ? ' and ' : ' or ')})`;
    }
  }
}

/** Several branches as one detection over all Sysmon events. */
function mergeBranches(docs: QueryRule['doc']): { logsource: SigmaLogsource; detection: Record<string, unknown> } {
  const detection: Record<string, unknown> = {};
  const conditions: string[] = [];
  docs.forEach((d, i) => {
    const prefix = `b${i + 1}_`;
    const scopes = scopesFor(d.logsource);
    if (!Array.isArray(scopes) || scopes.length !== 1 || !scopes[0].eventIds) {
      throw new QueryUnsupported('logsource', `branch ${i + 1}: its logsource is not one Sysmon source, so it cannot join the others in one rule`);
    }
    const names = Object.keys(d.detection).filter((k) => k !== 'condition' && k !== 'timeframe');
    for (const n of names) detection[prefix + n] = d.detection[n];
    detection[`${prefix}source`] = { EventID: scopes[0].eventIds, ...(scopes[0].where ?? {}) };
    const raw = Array.isArray(d.detection.condition) ? d.detection.condition : [d.detection.condition];
    const conds = raw.map((c) => conditionText(parseCondition(String(c)), names, (n) => prefix + n, false));
    conditions.push(`(${prefix}source and ${conds.length === 1 ? conds[0] : `(${conds.join(' or ')})`})`);
  });
  detection.condition = conditions.join(' or ');
  return { logsource: { product: 'windows', service: 'sysmon' }, detection };
}

export function sigmaExport(rule: QueryRule): GeneratedQuery {
  const info = rule.info;
  const car = info.kind === 'car' ? findCarAnalytic(info.id) : undefined;
  const body = rule.doc.length === 1 ? rule.doc[0] : mergeBranches(rule.doc);
  const tags = [...new Set([...info.tags.map((t) => t.toLowerCase()), ...info.tactics.map((t) => `attack.${t}`), ...(car ? [`car.${car.id.slice(4).toLowerCase()}`] : [])])].filter((t) =>
    /^[a-z0-9_-]+\.[a-z0-9._-]+$/.test(t),
  );
  const out: Record<string, unknown> = {
    title: info.title.slice(0, 256),
    id: car ? carSigmaId(car.id) : info.id,
    status: car ? 'test' : info.status,
    description: info.description,
    references: info.references.length ? [...new Set(info.references)] : undefined,
    author: car ? 'MITRE CAR; Sigma form by Log Hunt' : info.author,
    tags: tags.length ? tags : undefined,
    logsource: body.logsource,
    detection: body.detection,
    falsepositives: info.falsepositives.filter((f) => f.length >= 2).length ? [...new Set(info.falsepositives.filter((f) => f.length >= 2))] : undefined,
    level: info.level,
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  const text = stringify(out, { lineWidth: 0, aliasDuplicateObjects: false }).trimEnd();
  const notes = car
    ? [`id ${out.id as string} is UUID v5 of https://car.mitre.org/analytics/${car.id}/ (URL namespace): the same on every export.`]
    : [];
  if (rule.doc.length > 1) notes.push(`The analytic's ${rule.doc.length} logsources are one rule over Sysmon (service: sysmon), each branch scoped by its EventIDs (bN_source).`);
  return { text, notes };
}

export const sigmaTarget = irTarget({ id: 'sigma', label: 'Sigma rule (YAML)', product: 'Sigma (any backend)', languageId: 'yaml' }, sigmaExport);
