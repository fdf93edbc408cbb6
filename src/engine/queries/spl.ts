/**
 * Splunk SPL over Sysmon as the Splunk Add-on for Sysmon extracts it (Image, ParentImage, ...).
 *
 * Escaping, from Splunk's Search Manual:
 * - Search terms: inside "...", `\\` is a backslash and `\"` a quote; `|`, `=`, spaces and
 *   parentheses are plain text there. `*` is always a wildcard: no escape exists for it. So a
 *   value with `*` (or a control character, whose handling in terms is undocumented) cannot be a
 *   search term, and the whole condition moves to `| where` with match() regexes instead.
 * - Eval string literals (the match() argument): `\\` is a backslash, `\"` a quote, and `\t`,
 *   `\n` are expanded, so every regex backslash is doubled.
 * - match() regexes are PCRE: metacharacters get a backslash, control characters `\xHH`.
 */
import { Analytic } from '../analytics/analytic';
import { FieldName } from '../model';
import {
  GeneratedQuery, Logic, NAME_FIELDS, QueryOptions, QueryTarget, hexEscape, leaves, normalize, optionName, resolveOptions, SYSMON_FIELDS, valueNotes,
} from './target';
import { splRuleQuery } from './splRule';


/** A glob: literal runs, and `null` for a `*` wildcard. */
type Glob = (string | null)[];

/** The globs one value of a field stands for; the leaf matches if any does. */
function globs(field: FieldName, value: string, car: boolean): Glob[] {
  if (!NAME_FIELDS.has(field)) return [[value]];
  // CAR writes a file name as a path glob under C:\Windows; the precise test is "the path ends
  // in \name, or is just name": the backslash anchors it, so *\cmd.exe never matches xcmd.exe,
  // and the leading * takes any drive and the \\?\ prefix.
  return car ? [['C:\\Windows\\', null, '\\' + value]] : [[null, '\\' + value], [value]];
}

const searchable = (g: Glob) => g.every((part) => part === null || !/[*\x00-\x1f\x7f]/.test(part));

const quote = (text: string) => '"' + text.replace(/[\\"]/g, (c) => '\\' + c) + '"';

function globTerm(g: Glob): string {
  // Only called on searchable globs: their literal runs hold no *, so every * here is a wildcard.
  return quote(g.map((part) => (part === null ? '*' : part)).join(''));
}

function pcre(g: Glob): string {
  const body = g
    .map((part) =>
      part === null
        ? '.*'
        : part.replace(/[\\^$.|?*+()[\]{}]|[\x00-\x1f\x7f]/g, (c) => (/[\x00-\x1f\x7f]/.test(c) ? hexEscape(c) : '\\' + c)),
    )
    .join('');
  // (?s) so that .* spans newlines as Splunk's * does.
  return `(?is)^${body}$`;
}

interface Mode {
  car: boolean;
  /** Search terms, or eval expressions for `| where`. */
  where: boolean;
}

function leafTerms(leaf: Extract<Logic, { kind: 'leaf' }>, mode: Mode): string[] {
  const name = SYSMON_FIELDS[leaf.field];
  return leaf.values
    .flatMap((v) => globs(leaf.field, v, mode.car))
    .map((g) => (mode.where ? `match(${name}, ${quote(pcre(g))})` : `${name}=${globTerm(g)}`));
}

function leafText(leaf: Extract<Logic, { kind: 'leaf' }>, mode: Mode): string {
  const terms = leafTerms(leaf, mode);
  const text = terms.length === 1 ? terms[0] : `(${terms.join(' OR ')})`;
  // NOT F="v" (not F!="v"): like the local hunt, it also keeps events without the field.
  return leaf.negated ? `NOT ${text}` : text;
}

function print(node: Logic, mode: Mode, top: boolean): string {
  switch (node.kind) {
    case 'leaf':
      return leafText(node, mode);
    case 'and': {
      // Splunk's search ANDs terms by juxtaposition, as CAR writes; eval needs the keyword.
      const text = node.args.map((a) => print(a, mode, false)).join(mode.where ? ' AND ' : ' ');
      return top ? text : `(${text})`;
    }
    case 'or':
      // Always parenthesised: in Splunk's search OR binds tighter than AND, which surprises readers.
      return `(${node.args
        .flatMap((a) => (a.kind === 'leaf' && !a.negated ? leafTerms(a, mode) : [print(a, mode, false)]))
        .join(' OR ')})`;
    case 'not':
      return `NOT ${print(node.arg, mode, false)}`;
  }
}

const negates = (n: Logic): boolean =>
  n.kind === 'not' || (n.kind === 'leaf' ? n.negated : n.args.some(negates));

function indexTerm(index: string): string {
  return /^[A-Za-z0-9_*-]+$/.test(index) ? index : quote(index);
}

function generate(analytic: Analytic, options?: QueryOptions): GeneratedQuery {
  const opts = resolveOptions(options);
  const car = opts.style === 'car';
  const logic = normalize(analytic.logic);
  const used = leaves(logic);
  const where = used.some((l) => l.values.some((v) => !globs(l.field, v, car).every(searchable)));
  const mode: Mode = { car, where };

  const base = car
    ? `index=${indexTerm(opts.splunkIndex)} EventCode=1`
    : `index=${indexTerm(opts.splunkIndex)} source="*WinEventLog:Microsoft-Windows-Sysmon/Operational" EventCode=1`;
  const condition = print(logic, mode, true);
  const text = where ? `${base} | where ${condition}` : `${base} ${condition}`;

  const notes: string[] = [];
  const names = used.some((l) => NAME_FIELDS.has(l.field));
  if (car) {
    if (!opts.indexGiven) notes.push(`__your_sysmon_index__ is a placeholder: replace it (or set ${optionName(opts.optionNames, 'splunkIndex')}) with the index that holds your Sysmon events.`);
    notes.push('No source filter: an EventCode=1 event from any Windows log in the index matches, not only Sysmon process creates.');
    if (names) {
      notes.push(
        'exe/parent_exe are path globs "C:\\Windows\\*\\<name>": only images somewhere below C:\\Windows\\ match, ' +
          'so other drives, \\\\?\\ paths and files directly in C:\\Windows are missed; the local hunt compares the file name anywhere.',
      );
    }
  } else {
    if (!opts.indexGiven) notes.push(`Searches index=main, Splunk's default index: set ${optionName(opts.optionNames, 'splunkIndex')} if your Sysmon events are in another index.`);
    notes.push(
      'Keeps only source="*WinEventLog:Microsoft-Windows-Sysmon/Operational"; the local hunt also takes records of the ' +
        'Sysmon provider logged in another channel (e.g. ForwardedEvents).',
    );
    if (names) notes.push('The file-name test looks for "\\" before the name; a path written with "/" separators is missed (Sysmon writes "\\").');
  }
  if (where) {
    notes.push(
      'A value contains * or a control character, which a Splunk search term cannot hold literally, so the conditions ' +
        'are a | where with case-ignoring match() regexes: same matches, but slower (every event of the base search is retrieved first).',
    );
    if (negates(logic)) notes.push('In | where, NOT on a field an event lacks is null, so that event is dropped; the local hunt keeps it.');
  }
  notes.push(...valueNotes(logic, () => true));
  return { text, notes, noteOptions: opts.indexGiven ? [] : ['splunkIndex'] };
}

export const splTarget: QueryTarget = { id: 'spl', label: 'Splunk SPL', product: 'Splunk', languageId: 'spl', generate, generateRule: splRuleQuery };
