/**
 * Microsoft's Kusto Query Language, as Sentinel (`kql`) and Defender advanced hunting (`defender`)
 * run it: one printer for a test on a string column, whatever the column is.
 *
 * Operators: `=~`/`==`, `contains`/`contains_cs`, `startswith`/`startswith_cs`, `endswith`/
 * `endswith_cs` (without _cs they ignore case, like Sigma); a glob or a Sigma regex becomes
 * `matches regex`, which runs RE2 (the regex dialect the hunt itself runs, so a rule's regex means
 * the same); cidr is ipv4_is_in_range / ipv6_is_in_range.
 *
 * Strings are verbatim `@"..."` (a quote doubled, backslashes as they are), or, for a value with a
 * control character, "..." with \\, \", \n, \r, \t escapes.
 */
import { globToRegex, Shaped } from './common';
import { QueryUnsupported } from './ir';

export function kqlString(s: string): string {
  if (!/[\x00-\x1f\x7f]/.test(s)) return '@"' + s.replace(/"/g, '""') + '"';
  return (
    '"' +
    s.replace(/[\\"\x00-\x1f\x7f]/g, (c) => {
      const named: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
      if (named[c]) return named[c];
      throw new QueryUnsupported('control character', `a value holds the control character U+${c.charCodeAt(0).toString(16).padStart(4, '0')}, which a KQL string cannot hold`);
    }) +
    '"'
  );
}

export interface KustoColumn {
  /** The string value (an expression: `tostring(Bag["Image"])`, `FolderPath`). */
  value: string;
  /** Does the field exist at all (for `null` and for an empty value)? Undefined: present means non-empty. */
  present?: string;
  /** The opposite of `present`. */
  absent?: string;
  /** A numeric column: a whole-number value is compared as a number. */
  numeric?: boolean;
  /** The column itself, for numeric comparisons (value is then tostring of it). */
  raw?: string;
}

const OPS: Record<'equals' | 'contains' | 'startswith' | 'endswith', [string, string]> = {
  equals: ['=~', '=='],
  contains: ['contains', 'contains_cs'],
  startswith: ['startswith', 'startswith_cs'],
  endswith: ['endswith', 'endswith_cs'],
};

/** One alternative of a test, in KQL. */
export function kustoShape(col: KustoColumn, s: Shaped, part: string): string {
  switch (s.kind) {
    case 'equals':
      if (col.numeric && /^(0|[1-9][0-9]{0,14})$/.test(s.text)) return `${col.raw ?? col.value} == ${s.text}`;
      if (s.text === '') return col.present ? `(${col.present} and ${col.value} == "")` : `isempty(${col.value})`;
      return `${col.value} ${OPS.equals[s.cased ? 1 : 0]} ${kqlString(s.text)}`;
    case 'contains':
    case 'startswith':
    case 'endswith':
      return `${col.value} ${OPS[s.kind][s.cased ? 1 : 0]} ${kqlString(s.text)}`;
    case 'glob':
      return `${col.value} matches regex ${kqlString(`(?s${s.cased ? '' : 'i'})${globToRegex(s.parts)}`)}`;
    case 're': {
      const flags = [...s.flags].sort().join('');
      return `${col.value} matches regex ${kqlString(flags ? `(?${flags})${s.pattern}` : s.pattern)}`;
    }
    case 'cidr':
      return s.cidr.includes(':') ? `ipv6_is_in_range(${col.value}, ${kqlString(s.cidr)})` : `ipv4_is_in_range(${col.value}, ${kqlString(s.cidr)})`;
    case 'null':
      if (!col.absent) return `isempty(${col.value})`;
      return col.absent;
    case 'exists':
      if (!col.present) return `isnotempty(${col.value})`;
      return col.present;
  }
  throw new QueryUnsupported('shape', `${part}: no KQL form`);
}

/** A test's alternatives ORed; a list of plain case-ignoring equalities is one `in~`. */
export function kustoTest(col: KustoColumn, shaped: Shaped[], part: string): string {
  const eq = shaped.every((s) => s.kind === 'equals' && !s.cased && s.text !== '') && !col.numeric && shaped.length > 1;
  if (eq) return `${col.value} in~ (${shaped.map((s) => kqlString((s as { text: string }).text)).join(', ')})`;
  const terms = shaped.map((s) => kustoShape(col, s, part));
  return terms.length === 1 ? terms[0] : balancedOr(terms);
}

/**
 * `(a or b or ...)`; a long list is nested in halves, so the parse tree stays shallow (the Kusto
 * service refuses a query deeper than its limit, and `a or b or c` nests one level per `or`).
 */
export function balancedOr(terms: string[]): string {
  if (terms.length <= 16) return `(${terms.join(' or ')})`;
  const half = Math.ceil(terms.length / 2);
  return `(${balancedOr(terms.slice(0, half))} or ${balancedOr(terms.slice(half))})`;
}
