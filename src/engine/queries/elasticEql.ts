/**
 * `elastic-eql`: Elastic Security EQL over ECS-shaped Sysmon events (Elastic Agent's Windows
 * integration, Winlogbeat's Sysmon module).
 *
 * Case: `:` compares ignoring case; startsWith~, endsWith~, stringContains~ and regex~ are the
 * case-ignoring functions and operator; without `~` (and `==`) they keep case, for `|cased`.
 * Wildcards: `:` would read `*`, `?` and `\` in a value as a wildcard pattern, so a value holding
 * them is never written with `:`: contains/startswith/endswith use the functions (literal text),
 * and anything else a Lucene regex (regex~), which EQL matches against the whole value.
 * Strings are "..." with \\, \", \n, \r, \t escapes, and \u{XX} for other control characters.
 */
import { flatten, globToLucene, printExpr, Printer, regexToLucene, Shaped, shapes } from './common';
import { ecsField, EcsField, isWholeNumber } from './ecs';
import { ECS_INDEX } from './fields/ecs';
import { QueryRule, QueryUnsupported } from './ir';
import { irTarget, commonNotes, ruleExpr } from './rules';
import { GeneratedQuery } from './target';

export function eqlString(s: string): string {
  const named: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  return '"' + s.replace(/[\\"\x00-\x1f\x7f]/g, (c) => named[c] ?? `\\u{${c.charCodeAt(0).toString(16)}}`) + '"';
}

function shapeText(f: EcsField, s: Shaped, part: string): string {
  const n = f.name;
  if (f.numeric) {
    if (s.kind === 'equals' && isWholeNumber(s.text)) return `${n} == ${s.text}`;
    if (s.kind === 'null') return `${n} == null`;
    if (s.kind === 'exists') return `${n} != null`;
    throw new QueryUnsupported('numeric field', `${part}: ${n} is a number in ECS, so a text test on it cannot be written`);
  }
  if (f.ip && s.kind !== 'equals' && s.kind !== 'cidr' && s.kind !== 'null' && s.kind !== 'exists') {
    throw new QueryUnsupported('ip field', `${part}: ${n} is an IP address in ECS: only equality and CIDR tests apply`);
  }
  const ci = (name: string, cased: boolean) => (cased ? name : `${name}~`);
  switch (s.kind) {
    case 'equals':
      if (s.cased) return `${n} == ${eqlString(s.text)}`;
      if (!/[*?\\]/.test(s.text)) return `${n} : ${eqlString(s.text)}`;
      return `${n} regex~ ${eqlString(globToLucene([{ t: 'lit', s: s.text }], false))}`;
    case 'contains':
      return `${ci('stringContains', s.cased)}(${n}, ${eqlString(s.text)})`;
    case 'startswith':
      return `${ci('startsWith', s.cased)}(${n}, ${eqlString(s.text)})`;
    case 'endswith':
      return `${ci('endsWith', s.cased)}(${n}, ${eqlString(s.text)})`;
    case 'glob':
      return `${n} ${ci('regex', s.cased)} ${eqlString(globToLucene(s.parts, false))}`;
    case 're': {
      const ignore = s.flags.has('i') || /^\(\?[a-z]*i[a-z]*\)/.test(s.pattern);
      const flags = new Set([...s.flags].filter((x) => x !== 'i'));
      const pattern = s.pattern.replace(/^\(\?([a-z]+)\)/, (_m, f: string) => (f.replace('i', '') ? `(?${f.replace('i', '')})` : ''));
      return `${n} ${ignore ? 'regex~' : 'regex'} ${eqlString(regexToLucene(pattern, flags, part))}`;
    }
    case 'cidr':
      return `cidrMatch(${n}, ${eqlString(s.cidr)})`;
    case 'null':
      return `${n} == null`;
    case 'exists':
      return `${n} != null`;
  }
}

export function elasticEqlQuery(rule: QueryRule): GeneratedQuery {
  const ids = new Map<string, number[]>();
  const printerFor = (eventIds: number[]): Printer => ({
    and: 'and',
    or: 'or',
    not: (t) => `not ${t.startsWith('(') ? t : `(${t})`}`,
    test(field, values, part) {
      if (field === undefined) throw new QueryUnsupported('keywords', `${part}: a keyword search (every value of the event) has no EQL form over ECS`);
      const f = ecsField(field, eventIds, part);
      const shaped = shapes(values, part);
      if (field === 'EventID') return shaped.length === 1 ? `event.code : ${eqlString((shaped[0] as { text: string }).text)}` : `event.code : (${shaped.map((s) => eqlString((s as { text: string }).text)).join(', ')})`;
      const terms = shaped.map((s) => shapeText(f, s, part));
      return terms.length === 1 ? terms[0] : `(${terms.join(' or ')})`;
    },
  });
  // Each branch prints with its own EventIDs, so fields resolve per EventID.
  const branches = rule.branches.map((b) => {
    ids.set(b.label, b.eventIds);
    return printExpr(flatten(ruleExpr({ ...rule, branches: [b] })), printerFor(b.eventIds), false, rule.branches.length === 1);
  });
  const condition = branches.join(' or ');
  const text = `any where winlog.provider_name : "Microsoft-Windows-Sysmon" and ${rule.branches.length === 1 ? condition : `(${condition})`}`;
  return {
    text,
    notes: [
      `For Elastic Security over ECS-shaped Sysmon events (data stream ${ECS_INDEX}, or winlogbeat-*): pick that index pattern when running it.`,
      ...(/ regex~? "/.test(text) ? ['Regexes and some wildcards are written as Lucene regexes (regex, regex~), where "." also matches a line break; a rule\'s regex does not, unless it has the s flag.'] : []),
      ...commonNotes(rule),
    ],
  };
}

export const elasticEqlTarget = irTarget({ id: 'elastic-eql', label: 'Elastic Security EQL (ECS)', product: 'Elastic Security', languageId: 'eql' }, elasticEqlQuery);
