/**
 * `dnif` for any rule: DNIF `_fetch` over Sysmon, every string test an anchored regex
 * (`$F=regex(^...$)i`, `i` unless `|cased`), escaped as dnif.ts explains (a backslash before ASCII
 * punctuation; `(`, `)`, quotes and control characters as \xHH, so a value never closes the
 * call). CAR-2014-05-002 keeps its own generator (dnif.ts) and styles. DNIF documents neither its
 * regex dialect nor CIDR or null tests, so a rule's own regexes, CIDR and null tests are refused.
 */
import { globToRegex, Shaped, shapes, flatten, tests } from './common';
import { DNIF_FIELDS, DNIF_SOURCE } from './fields/dnif';
import { QExpr, QueryRule, QueryUnsupported } from './ir';
import { commonNotes, ruleExpr } from './rules';
import { GeneratedQuery, hexEscape, optionName, QueryOptions, resolveOptions } from './target';

const safe = (re: string) => re.replace(/\\[()]|[()"'`]|[\x00-\x1f\x7f]/g, (c) => (c.length === 2 ? hexEscape(c[1]) : hexEscape(c)));

function shapeText(name: string, numeric: boolean, s: Shaped, part: string): string {
  if (s.kind === 'null' || s.kind === 'exists') throw new QueryUnsupported('null', `${part}: DNIF documents no test for a missing field`);
  if (s.kind === 're') throw new QueryUnsupported('regex', `${part}: DNIF documents no regex dialect, so a rule's regular expression cannot be carried over as written`);
  if (s.kind === 'cidr') throw new QueryUnsupported('cidr', `${part}: DNIF documents no CIDR test`);
  if (s.kind === 'equals' && numeric && /^(0|[1-9][0-9]{0,14})$/.test(s.text)) return `${name}=${s.text}`;
  const parts =
    s.kind === 'glob'
      ? s.parts
      : [...(s.kind === 'contains' || s.kind === 'endswith' ? [{ t: 'any' as const }] : []), ...(s.text ? [{ t: 'lit' as const, s: s.text }] : []), ...(s.kind === 'contains' || s.kind === 'startswith' ? [{ t: 'any' as const }] : [])];
  return `${name}=regex(${safe(globToRegex(parts))})${s.cased ? '' : 'i'}`;
}

function print(e: QExpr, guessed: Set<string>, top: boolean): string {
  switch (e.op) {
    case 'test': {
      if (e.field === undefined) throw new QueryUnsupported('keywords', `${e.part}: a keyword search has no DNIF form`);
      const f = DNIF_FIELDS[e.field];
      if (!f) guessed.add(e.field);
      const terms = shapes(e.values, e.part).map((s) => shapeText(f?.name ?? `$${e.field}`, !!f?.numeric, s, e.part));
      return terms.length === 1 ? terms[0] : `(${terms.join(' OR ')})`;
    }
    case 'not':
      return `NOT (${print(e.arg, guessed, true)})`;
    case 'and':
    case 'or': {
      const text = e.args.map((a) => print(a, guessed, false)).join(e.op === 'and' ? ' AND ' : ' OR ');
      return top ? text : `(${text})`;
    }
  }
}

export function dnifRuleQuery(rule: QueryRule, options?: QueryOptions): GeneratedQuery {
  const opts = resolveOptions(options);
  if (opts.style === 'car') throw new QueryUnsupported('style', `--style car exists only for the analytics MITRE CAR publishes queries for; ${rule.info.id} has none`);
  const guessed = new Set<string>();
  const expr = flatten(ruleExpr(rule));
  tests(expr);
  const text = `_fetch * from event where ${DNIF_SOURCE} AND ${print(expr, guessed, rule.branches.length === 1)} limit ${opts.dnifLimit}`;
  const notes = [
    'DNIF documents neither its query syntax nor its Sysmon field names; both follow MITRE CAR\'s published DNIF queries. Check them on your DNIF.',
    `Returns at most ${opts.dnifLimit} events (limit ${opts.dnifLimit}; ${optionName(opts.optionNames, 'dnifLimit')} changes it); the local hunt reports every match.`,
  ];
  if (guessed.size) notes.push(`${[...guessed].map((g) => `$${g}`).join(', ')}: guessed field names (the Sysmon names); no published DNIF query names them.`);
  notes.push(...commonNotes(rule));
  return { text, notes, noteOptions: ['dnifLimit'] };
}
