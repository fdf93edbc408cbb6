/**
 * `defender`: Microsoft Defender XDR advanced hunting, over the Device*Events table that holds
 * each Sysmon EventID's events (fields/defender.ts). A rule whose EventIDs or fields have no
 * Defender counterpart is refused, naming them.
 */
import { flatten, printExpr, Printer, shapes } from './common';
import { DEFENDER_TABLES, DefenderTable } from './fields/defender';
import { QueryRule, QueryUnsupported } from './ir';
import { KustoColumn, kqlString, kustoTest } from './kusto';
import { irTarget, commonNotes } from './rules';
import { GeneratedQuery } from './target';

function printerFor(t: DefenderTable, notes: Set<string>): Printer {
  return {
    and: 'and',
    or: 'or',
    not: (x) => `not(${x})`,
    test(field, values, part) {
      if (field === undefined) throw new QueryUnsupported('keywords', `${part}: a keyword search (every value of the event) has no Defender form`);
      const c = t.columns[field];
      if (!c) throw new QueryUnsupported(`field ${field}`, `${part}: ${t.table} has no column for the Sysmon field ${field}`);
      if (c.note) notes.add(c.note);
      const col: KustoColumn = c.numeric ? { value: `tostring(${c.expr})`, raw: c.expr, numeric: true } : { value: c.expr };
      return kustoTest(col, shapes(values, part), part);
    },
  };
}

export function defenderQuery(rule: QueryRule): GeneratedQuery {
  const notes = new Set<string>();
  const parts: string[] = [];
  for (const b of rule.branches) {
    for (const id of b.eventIds) {
      const t = DEFENDER_TABLES[id];
      if (!t) {
        throw new QueryUnsupported(`EventID ${id}`, `logsource ${b.label}: Defender advanced hunting has no table with Sysmon EventID ${id}'s events`);
      }
      const condition = printExpr(flatten(b.expr), printerFor(t, notes));
      const action = t.actionTypes ? `\n| where ActionType in (${t.actionTypes.map(kqlString).join(', ')})` : '';
      parts.push(`${t.table}${action}\n| where ${condition}`);
    }
  }
  const text = parts.length === 1 ? parts[0] : `union\n${parts.map((p) => `(${p.replace(/\n/g, '\n ')})`).join(',\n')}`;
  return {
    text,
    notes: [
      'Defender records its own events, not Sysmon\'s: the same activity on a device with both, but fields can be filled differently (and Defender samples some events, e.g. network and image loads).',
      'A field Defender leaves empty reads as "", so `null` tests are isempty().',
      ...notes,
      ...commonNotes(rule),
    ],
  };
}

export const defenderTarget = irTarget({ id: 'defender', label: 'Microsoft Defender XDR advanced hunting (KQL)', product: 'Microsoft Defender XDR', languageId: 'kql' }, defenderQuery);
