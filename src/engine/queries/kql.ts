/**
 * `kql`: Microsoft Sentinel KQL over the `Event` table, as the Azure Monitor Agent collects Sysmon
 * (Source "Microsoft-Windows-Sysmon", EventData the event's XML). Self-contained: the query parses
 * EventData itself (parse_xml, then mv-apply into one bag of fields by name), so no parser function
 * has to be installed.
 */
import { flatten, printExpr, Printer, shapes, tests } from './common';
import { KQL_BAG, KQL_PROVIDER, KQL_SYSTEM_FIELDS, KQL_TABLE } from './fields/kql';
import { QueryRule, QueryUnsupported } from './ir';
import { KustoColumn, kqlString, kustoTest } from './kusto';
import { irTarget, commonNotes, ruleEventIds, ruleExpr } from './rules';
import { GeneratedQuery } from './target';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function column(field: string): KustoColumn {
  const system = KQL_SYSTEM_FIELDS[field];
  if (system) {
    return system.numeric ? { value: `tostring(${system.column})`, raw: system.column, numeric: true } : { value: system.column };
  }
  const ref = IDENT.test(field) ? `${KQL_BAG}.${field}` : `${KQL_BAG}[${kqlString(field)}]`;
  return { value: `tostring(${ref})`, present: `isnotnull(${ref})`, absent: `isnull(${ref})` };
}

const printer: Printer = {
  and: 'and',
  or: 'or',
  not: (t) => `not(${t})`,
  test(field, values, part) {
    if (field === undefined) throw new QueryUnsupported('keywords', `${part}: a keyword search looks in every value of the event, which the Event table has only as XML text`);
    return kustoTest(column(field), shapes(values, part), part);
  },
};

export function kqlQuery(rule: QueryRule): GeneratedQuery {
  const expr = flatten(ruleExpr(rule));
  const ids = ruleEventIds(rule);
  // The EventID filter runs first, on the table's column; the rule's own test repeats it only with several branches.
  const body = rule.branches.length === 1 ? flatten(rule.branches[0].expr) : expr;
  const condition = printExpr(body, printer);
  const idTest = ids.length === 1 ? `EventID == ${ids[0]}` : `EventID in (${ids.join(', ')})`;
  const text = [
    KQL_TABLE,
    `| where Source == ${kqlString(KQL_PROVIDER)} and ${idTest}`,
    `| extend SysmonXml = parse_xml(EventData)`,
    `| mv-apply SysmonItem = SysmonXml.DataItem.EventData.Data on (`,
    `    summarize ${KQL_BAG} = make_bag(bag_pack(tostring(SysmonItem["@Name"]), tostring(SysmonItem["#text"]))))`,
    `| where ${condition}`,
  ].join('\n');
  const notes = [
    'For Microsoft Sentinel\'s Event table filled by the Azure Monitor Agent with the Sysmon channel; EventData is parsed in the query, so it is slower than a saved parser over a narrow time range.',
    ...commonNotes(rule),
  ];
  if (tests(expr).some((t) => t.values.some((v) => v.kind === 'str' && /[^\x00-\x7f]/.test(JSON.stringify(v.str))))) {
    notes.push('A value has non-ASCII letters: Kusto may fold their case differently from the local hunt.');
  }
  return { text, notes };
}

export const kqlTarget = irTarget({ id: 'kql', label: 'Microsoft Sentinel KQL', product: 'Microsoft Sentinel', languageId: 'kql' }, kqlQuery);
