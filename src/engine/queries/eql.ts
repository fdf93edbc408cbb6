/**
 * EQL in its native schema (process_name, subtype.create, ...), as MITRE CAR publishes it, for the
 * EQL reference engine (endgame eql) over Sysmon normalised by eqllib's Sysmon mapping.
 *
 * Why `==` and not Elastic's `:`: the native schema only exists in the reference engine, and there
 * `==` and `in` compare strings ignoring case, while `:` is a syntax error outside its Elasticsearch
 * mode. So CAR's EQL already means the local hunt's file-name equality, and both styles print it.
 * One trap: the reference engine's `==` turns a value containing `*` into a wildcard, so such a
 * value is written `in ("...")`, a literal set lookup.
 *
 * Escaping: strings are "..." with `\\`, `\"`, `\n`, `\r`, `\t` (the escapes both the reference
 * engine and Elastic read); other characters, wildcards included, are literal inside quotes.
 */
import { Analytic } from '../analytics/analytic';
import { FieldName } from '../model';
import { GeneratedQuery, Logic, QueryOptions, QueryTarget, leaves, normalize, resolveOptions, valueNotes } from './target';
import { eqlRuleQuery } from './eqlRule';

interface EqlField {
  name: string;
  /** Numbers in the native schema (pid = number(ProcessId)): compared to a bare number. */
  numeric?: boolean;
  /** Not in the native schema: the raw Sysmon name, which the normaliser must pass through. */
  raw?: boolean;
}

const FIELDS: Record<FieldName, EqlField> = {
  exe: { name: 'process_name' },
  parent_exe: { name: 'parent_process_name' },
  image_path: { name: 'process_path' },
  parent_image_path: { name: 'parent_process_path' },
  command_line: { name: 'command_line' },
  parent_command_line: { name: 'ParentCommandLine', raw: true },
  pid: { name: 'pid', numeric: true },
  ppid: { name: 'ppid', numeric: true },
  guid: { name: 'unique_pid' },
  parent_guid: { name: 'unique_ppid' },
  hostname: { name: 'hostname' },
  user: { name: 'user' },
  integrity_level: { name: 'IntegrityLevel', raw: true },
  hashes: { name: 'Hashes', raw: true },
  current_working_directory: { name: 'CurrentDirectory', raw: true },
};

const ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const str = (v: string) => '"' + v.replace(/[\\"\n\r\t]/g, (c) => ESCAPES[c]) + '"';
const isNumber = (v: string) => /^(0|[1-9][0-9]{0,14})$/.test(v);

function literal(field: EqlField, value: string): string {
  return field.numeric && isNumber(value) ? value : str(value);
}

function leafText(leaf: Extract<Logic, { kind: 'leaf' }>): string {
  const field = FIELDS[leaf.field];
  const values = leaf.values.map((v) => literal(field, v));
  if (values.length === 1 && !leaf.values[0].includes('*')) return `${field.name} ${leaf.negated ? '!=' : '=='} ${values[0]}`;
  return `${field.name} ${leaf.negated ? 'not in' : 'in'} (${values.join(', ')})`;
}

function print(node: Logic): string {
  switch (node.kind) {
    case 'leaf':
      return leafText(node);
    case 'not':
      return `not (${print(node.arg)})`;
    case 'and':
    case 'or': {
      // `and` binds tighter than `or`; nested groups are parenthesised anyway, for the reader.
      const parts = node.args.map((a) => (a.kind === 'and' || a.kind === 'or' ? `(${print(a)})` : print(a)));
      return parts.join(` ${node.kind} `);
    }
  }
}

function generate(analytic: Analytic, options?: QueryOptions): GeneratedQuery {
  resolveOptions(options); // both styles print the same text; this only validates
  const logic = normalize(analytic.logic);
  const condition = print(logic);
  // CAR's layout: a compound condition goes on its own line, indented two spaces, in parentheses.
  const compound = logic.kind === 'and' || logic.kind === 'or';
  const text = compound ? `process where subtype.create and\n  (${condition})` : `process where subtype.create and ${condition}`;

  const notes = [
    'For the EQL reference engine (endgame eql) on Sysmon normalised to the EQL native schema, where == and in ignore ' +
      'case. Elastic EQL names fields by ECS and its == is case-sensitive, so the query does not run there unchanged.',
  ];
  const used = leaves(logic);
  const fields = new Set(used.map((l) => l.field));
  if (fields.has('hostname')) {
    notes.push('The native hostname is the Computer name up to its first dot; the local hunt compares the whole Computer value.');
  }
  for (const f of fields) {
    if (FIELDS[f].raw) {
      notes.push(`The native schema has no ${f}: the query names the Sysmon field ${FIELDS[f].name}, which your normaliser must pass through.`);
    }
  }
  for (const l of used) {
    for (const v of l.values) {
      if (FIELDS[l.field].numeric && !isNumber(v)) {
        notes.push(`${FIELDS[l.field].name} is a number in the native schema, so the text ${JSON.stringify(v)} never equals it; the local hunt compares text.`);
      }
    }
  }
  notes.push(...valueNotes(logic, () => false));
  return { text, notes };
}

export const eqlTarget: QueryTarget = { id: 'eql', label: 'EQL (reference engine, native schema)', product: 'EQL reference engine', languageId: 'eql', generate, generateRule: eqlRuleQuery };
