/**
 * `spl` for any rule: Splunk SPL over Sysmon as the Splunk Add-on for Sysmon extracts it (the
 * Sysmon field names, EventCode). CAR-2014-05-002 keeps its own generator (spl.ts) and styles.
 *
 * Search terms `F="..."` ignore case and read `*` as a wildcard; no escape exists for a literal `*`,
 * and `?` is no wildcard. So a value that is not plain text with `*` at its ends (a literal `*`, a
 * `?` wildcard, a control character, an empty value), and every case-keeping, regex and CIDR test,
 * moves the whole condition into `| where`, with match() regexes (PCRE): `(?i)` unless `|cased`.
 * In `| where`, a test on a missing field is null and NOT null drops the event, so a test under
 * NOT is written `(isnotnull(F) AND test)`.
 */
import { flatten, globToRegex, printExpr, Printer, Shaped, shapes, tests } from './common';
import { SPL_SOURCE, SPL_SYSTEM_FIELDS } from './fields/spl';
import { QueryRule, QueryUnsupported } from './ir';
import { commonNotes, ruleExpr } from './rules';
import { GeneratedQuery, optionName, QueryOptions, resolveOptions } from './target';

const quote = (text: string) => '"' + text.replace(/[\\"]/g, (c) => '\\' + c) + '"';
const fieldName = (f: string) => SPL_SYSTEM_FIELDS[f] ?? f;
const evalField = (f: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(f) ? f : `'${f.replace(/'/g, "\\'")}'`);

/** Can this value be a search term? */
function searchable(s: Shaped): boolean {
  if (s.kind === 'null' || s.kind === 'exists') return true;
  if (s.kind === 'glob') return !s.cased && s.parts.every((p) => p.t === 'any' || (p.t === 'lit' && !/[*\x00-\x1f\x7f]/.test(p.s)));
  if (s.kind === 're' || s.kind === 'cidr') return false;
  return !s.cased && s.text !== '' && !/[*\x00-\x1f\x7f]/.test(s.text);
}

function term(name: string, s: Shaped): string {
  switch (s.kind) {
    case 'null':
      return `NOT ${name}=*`;
    case 'exists':
      return `${name}=*`;
    case 'equals':
      return /^[0-9]+$/.test(s.text) ? `${name}=${s.text}` : `${name}=${quote(s.text)}`;
    case 'contains':
      return `${name}=${quote(`*${s.text}*`)}`;
    case 'startswith':
      return `${name}=${quote(`${s.text}*`)}`;
    case 'endswith':
      return `${name}=${quote(`*${s.text}`)}`;
    case 'glob':
      return `${name}=${quote(s.parts.map((p) => (p.t === 'lit' ? p.s : '*')).join(''))}`;
    default:
      throw new Error('not a search term');
  }
}

function evalTest(name: string, s: Shaped): string {
  const f = evalField(name);
  switch (s.kind) {
    case 'null':
      return `isnull(${f})`;
    case 'exists':
      return `isnotnull(${f})`;
    case 'cidr':
      return `cidrmatch(${quote(s.cidr)}, ${f})`;
    case 're': {
      const flags = [...s.flags].sort().join('');
      return `match(${f}, ${quote(flags ? `(?${flags})${s.pattern}` : s.pattern)})`;
    }
    case 'glob':
      return `match(${f}, ${quote(`(?s${s.cased ? '' : 'i'})${globToRegex(s.parts)}`)})`;
    default: {
      const parts =
        s.kind === 'equals'
          ? [{ t: 'lit' as const, s: s.text }]
          : s.kind === 'contains'
            ? [{ t: 'any' as const }, { t: 'lit' as const, s: s.text }, { t: 'any' as const }]
            : s.kind === 'startswith'
              ? [{ t: 'lit' as const, s: s.text }, { t: 'any' as const }]
              : [{ t: 'any' as const }, { t: 'lit' as const, s: s.text }];
      return `match(${f}, ${quote(`(?s${s.cased ? '' : 'i'})${globToRegex(parts.filter((p) => p.t !== 'lit' || p.s !== ''))}`)})`;
    }
  }
}

export function splRuleQuery(rule: QueryRule, options?: QueryOptions): GeneratedQuery {
  const opts = resolveOptions(options);
  if (opts.style === 'car') throw new QueryUnsupported('style', `--style car exists only for the analytics MITRE CAR publishes queries for; ${rule.info.id} has none`);
  const expr = flatten(ruleExpr(rule));
  for (const t of tests(expr)) {
    if (t.field === undefined) throw new QueryUnsupported('keywords', `${t.part}: a keyword search looks in every value, which a Splunk search term does over the raw text, not the values`);
  }
  const where = tests(expr).some((t) => shapes(t.values, t.part).some((s) => !searchable(s)));
  const printer: Printer = {
    and: 'AND',
    or: 'OR',
    not: (t) => `NOT ${t}`,
    test(field, values, part, negated) {
      const name = fieldName(field as string);
      const shaped = shapes(values, part);
      if (field === 'EventID') {
        // The scope's EventIDs: numbers, in both modes.
        const ids = shaped.map((v) => (v as { text: string }).text);
        const one = (id: string) => (where ? `${name}==${id}` : `${name}=${id}`);
        return ids.length === 1 ? one(ids[0]) : `(${ids.map(one).join(' OR ')})`;
      }
      const terms = shaped.map((s) => (where ? evalTest(name, s) : term(name, s)));
      const text = terms.length === 1 ? terms[0] : `(${terms.join(' OR ')})`;
      if (where && negated && !shaped.some((s) => s.kind === 'null' || s.kind === 'exists')) return `(isnotnull(${evalField(name)}) AND ${text})`;
      return text;
    },
  };
  const index = /^[A-Za-z0-9_*-]+$/.test(opts.splunkIndex) ? opts.splunkIndex : quote(opts.splunkIndex);
  const condition = printExpr(expr, printer);
  const base = `index=${index} ${SPL_SOURCE}`;
  const text = where ? `${base}\n| where ${condition}` : `${base} ${condition}`;
  const notes: string[] = [];
  if (!opts.indexGiven) notes.push(`Searches index=main, Splunk's default index: set ${optionName(opts.optionNames, 'splunkIndex')} if your Sysmon events are in another index.`);
  if (where) {
    notes.push(
      'A test that a Splunk search term cannot hold (a literal *, a ? wildcard, case kept, a regex, a CIDR, an empty value) moves the conditions ' +
        'into | where with match() regexes (PCRE): same matches, but every Sysmon event of the index is retrieved first.',
    );
  }
  notes.push(...commonNotes(rule));
  return { text, notes, noteOptions: opts.indexGiven ? [] : ['splunkIndex'] };
}
