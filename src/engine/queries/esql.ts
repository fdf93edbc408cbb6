/**
 * `esql`: ES|QL over the same ECS-shaped Sysmon events as elastic-eql
 * (`FROM logs-windows.sysmon_operational-*`).
 *
 * Case: ES|QL's ==, LIKE, RLIKE, STARTS_WITH and ENDS_WITH keep case, so a case-ignoring test
 * compares TO_LOWER(field) with the lower-cased value, and a case-ignoring regex spells each
 * letter as [aA]. LIKE patterns escape *, ? and \ with a backslash; RLIKE is a Lucene regex on
 * the whole value. Nulls: a test on a missing field is null, and NOT null drops the row, where the
 * local hunt keeps it; so a test under NOT is written `(field IS NOT NULL AND test)`.
 * Strings are "..." with \\, \", \n, \r, \t; a pattern is written as a triple-quoted string
 * (no escapes) when it holds no `"`.
 */
import { flatten, globToLucene, printExpr, Printer, regexToLucene, Shaped, shapes } from './common';
import { ecsField, EcsField, isWholeNumber } from './ecs';
import { ECS_INDEX } from './fields/ecs';
import { QueryRule, QueryUnsupported } from './ir';
import { irTarget, commonNotes, ruleExpr } from './rules';
import { GeneratedQuery } from './target';

export function esqlString(s: string): string {
  const named: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  return (
    '"' +
    s.replace(/[\\"\x00-\x1f\x7f]/g, (c) => {
      if (named[c]) return named[c];
      throw new QueryUnsupported('control character', `a value holds the control character U+${c.charCodeAt(0).toString(16).padStart(4, '0')}, which an ES|QL string cannot hold`);
    }) +
    '"'
  );
}

/** A pattern (LIKE, RLIKE) as a string: triple-quoted (raw: no escapes, any character) when it holds no quote, so its backslashes stay single. */
function patternString(p: string, part = 'a value'): string {
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(p)) {
    // Only a raw (triple-quoted) string holds these characters.
    if (p.includes('"')) throw new QueryUnsupported('control character', `${part}: the pattern holds a control character and a quote, which no ES|QL string can hold together`);
    return `"""${p}"""`;
  }
  return p.includes('"') || /[\t\n\r]/.test(p) ? esqlString(p) : `"""${p}"""`;
}

const likeEscape = (s: string) => s.replace(/[*?\\]/g, (c) => '\\' + c);

function shapeText(f: EcsField, s: Shaped, part: string): string {
  const n = f.name.split('.').map((x) => (/^[A-Za-z_@][A-Za-z0-9_]*$/.test(x) ? x : `\`${x.replace(/`/g, '``')}\``)).join('.');
  if (s.kind === 'null') return `${n} IS NULL`;
  if (s.kind === 'exists') return `${n} IS NOT NULL`;
  if (f.numeric) {
    if (s.kind === 'equals' && isWholeNumber(s.text)) return `${n} == ${s.text}`;
    throw new QueryUnsupported('numeric field', `${part}: ${f.name} is a number in ECS, so a text test on it cannot be written`);
  }
  if (s.kind === 'cidr') return `CIDR_MATCH(${f.ip ? n : `TO_IP(${n})`}, ${esqlString(s.cidr)})`;
  if (f.ip && s.kind !== 'equals') throw new QueryUnsupported('ip field', `${part}: ${f.name} is an IP address in ECS: only equality and CIDR tests apply`);
  const subject = (cased: boolean) => (cased || f.ip ? n : `TO_LOWER(${n})`);
  const value = (t: string, cased: boolean) => (cased || f.ip ? t : t.toLowerCase());
  switch (s.kind) {
    case 'equals':
      return `${subject(s.cased)} == ${esqlString(value(s.text, s.cased))}`;
    case 'startswith':
      return `STARTS_WITH(${subject(s.cased)}, ${esqlString(value(s.text, s.cased))})`;
    case 'endswith':
      return `ENDS_WITH(${subject(s.cased)}, ${esqlString(value(s.text, s.cased))})`;
    case 'contains':
      return `${subject(s.cased)} LIKE ${patternString(`*${likeEscape(value(s.text, s.cased))}*`)}`;
    case 'glob': {
      if (s.parts.some((p) => p.t === 'cls')) return `${n} RLIKE ${patternString(globToLucene(s.parts, !s.cased))}`;
      const like = s.parts.map((p) => (p.t === 'any' ? '*' : p.t === 'one' ? '?' : p.t === 'lit' ? likeEscape(value(p.s, s.cased)) : '')).join('');
      return `${subject(s.cased)} LIKE ${patternString(like)}`;
    }
    case 're': {
      const lead = /^\(\?([a-z]+)\)/.exec(s.pattern);
      const flags = new Set(s.flags);
      let pattern = s.pattern;
      if (lead) {
        for (const c of lead[1]) flags.add(c);
        pattern = pattern.slice(lead[0].length);
      }
      return `${n} RLIKE ${patternString(regexToLucene(pattern, flags, part), part)}`;
    }
  }
}

export function esqlQuery(rule: QueryRule): GeneratedQuery {
  const printerFor = (eventIds: number[]): Printer => ({
    and: 'AND',
    or: 'OR',
    not: (t) => `NOT ${t.startsWith('(') ? t : `(${t})`}`,
    test(field, values, part, negated) {
      if (field === undefined) throw new QueryUnsupported('keywords', `${part}: a keyword search (every value of the event) has no ES|QL form`);
      const shaped = shapes(values, part);
      if (field === 'EventID') {
        const texts = shaped.map((s) => esqlString((s as { text: string }).text));
        return texts.length === 1 ? `event.code == ${texts[0]}` : `event.code IN (${texts.join(', ')})`;
      }
      const f = ecsField(field, eventIds, part);
      const terms = shaped.map((s) => shapeText(f, s, part));
      const text = terms.length === 1 ? terms[0] : `(${terms.join(' OR ')})`;
      const nullTest = shaped.some((s) => s.kind === 'null' || s.kind === 'exists');
      return negated && !nullTest ? `(${f.name} IS NOT NULL AND ${text})` : text;
    },
  });
  const branches = rule.branches.map((b) =>
    printExpr(flatten(ruleExpr({ ...rule, branches: [b] })), printerFor(b.eventIds), false, rule.branches.length === 1),
  );
  const text = `FROM ${ECS_INDEX}\n| WHERE winlog.provider_name == "Microsoft-Windows-Sysmon" AND ${rule.branches.length === 1 ? branches[0] : `(${branches.join(' OR ')})`}`;
  return {
    text,
    notes: [
      `Reads the data stream ${ECS_INDEX} (Elastic Agent's Windows integration); for Winlogbeat, FROM winlogbeat-*.`,
      'ES|QL returns at most 1000 rows unless a LIMIT says otherwise; the local hunt reports every match.',
      ...(/ RLIKE /.test(text) ? ['A rule regex is written as a Lucene regex (RLIKE), where "." also matches a line break; the rule\'s regex does not, unless it has the s flag.'] : []),
      ...commonNotes(rule),
    ],
  };
}

export const esqlTarget = irTarget({ id: 'esql', label: 'Elastic ES|QL (ECS)', product: 'Elastic (ES|QL)', languageId: 'esql' }, esqlQuery);
