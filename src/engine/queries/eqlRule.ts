/**
 * `eql` for any rule: the EQL reference engine (endgame eql) on its native schema, for Sysmon
 * process creation only (the schema's `process where subtype.create`). CAR-2014-05-002 keeps its
 * own generator (eql.ts) and styles.
 *
 * The reference engine's `==` ignores case and reads `*` in a value as a wildcard (and nothing
 * else), while `in (...)` is a literal lookup. So: plain values `==` (`in` when they hold a `*`),
 * contains/startswith/endswith as `*` patterns; a `?` wildcard, a literal `*` inside a pattern,
 * `|cased`, and regexes have no form there and are refused.
 */
import { flatten, printExpr, Printer, Shaped, shapes } from './common';
import { eqlString } from './elasticEql';
import { EQL_NATIVE_EVENTS, EQL_NATIVE_FIELDS } from './fields/eql';
import { QueryRule, QueryUnsupported } from './ir';
import { commonNotes } from './rules';
import { GeneratedQuery, QueryOptions, resolveOptions } from './target';

const isNumber = (v: string) => /^(0|[1-9][0-9]{0,14})$/.test(v);

function shapeText(name: string, numeric: boolean, s: Shaped, part: string): string {
  const refuse = (what: string, category = what): never => {
    throw new QueryUnsupported(category, `${part}: ${what} has no form in the EQL reference engine's native schema`);
  };
  if (s.kind === 'null') return `${name} == null`;
  if (s.kind === 'exists') return `${name} != null`;
  if (s.kind === 're') return refuse('a regular expression', 'regex');
  if (s.kind === 'cidr') return refuse('a CIDR test', 'cidr');
  if (s.cased) return refuse('a case-sensitive test (|cased)', 'cased');
  if (s.kind === 'glob') {
    if (s.parts.some((p) => p.t !== 'any' && (p.t !== 'lit' || p.s.includes('*')))) return refuse('a ? wildcard, a character class or a literal * in a pattern', 'wildcard');
    return `${name} == ${eqlString(s.parts.map((p) => (p.t === 'lit' ? p.s : '*')).join(''))}`;
  }
  if (s.kind === 'equals') {
    if (numeric && isNumber(s.text)) return `${name} == ${s.text}`;
    return s.text.includes('*') ? `${name} in (${eqlString(s.text)})` : `${name} == ${eqlString(s.text)}`;
  }
  if (s.text.includes('*')) return refuse('a literal * in a contains/startswith/endswith value', 'wildcard');
  const pattern = s.kind === 'contains' ? `*${s.text}*` : s.kind === 'startswith' ? `${s.text}*` : `*${s.text}`;
  return `${name} == ${eqlString(pattern)}`;
}

export function eqlRuleQuery(rule: QueryRule, options?: QueryOptions): GeneratedQuery {
  resolveOptions(options);
  if (rule.branches.length !== 1 || rule.branches[0].eventIds.length !== 1 || !EQL_NATIVE_EVENTS[rule.branches[0].eventIds[0]]) {
    throw new QueryUnsupported('logsource', `logsource ${rule.branches.map((b) => b.label).join(', ')}: the EQL native schema is written here for Sysmon process creation (EventID 1) only`);
  }
  const raw = new Set<string>();
  const printer: Printer = {
    and: 'and',
    or: 'or',
    not: (t) => `not ${t.startsWith('(') ? t : `(${t})`}`,
    test(field, values, part) {
      if (field === undefined) throw new QueryUnsupported('keywords', `${part}: a keyword search has no form in EQL`);
      const mapped = EQL_NATIVE_FIELDS[field];
      if (!mapped) raw.add(field);
      const terms = shapes(values, part).map((s) => shapeText(mapped?.name ?? field, !!mapped?.numeric, s, part));
      return terms.length === 1 ? terms[0] : `(${terms.join(' or ')})`;
    },
  };
  const condition = printExpr(flatten(rule.branches[0].expr), printer, false, false);
  const text = `${EQL_NATIVE_EVENTS[1]} and\n  ${condition.startsWith('(') ? condition : `(${condition})`}`;
  const notes = ['For the EQL reference engine (endgame eql) on Sysmon normalised to the EQL native schema, where == and in ignore case.'];
  if (raw.size) notes.push(`The native schema has no ${[...raw].join(', ')}: the query names the Sysmon fields, which your normaliser must pass through.`);
  notes.push(...commonNotes(rule));
  return { text, notes };
}
