/**
 * SIEM query generation: the contract every target implements, and the pieces they share.
 *
 * The local hunt is the reference meaning (README, "Generated SIEM queries"): string comparisons ignore case,
 * `exe`/`parent_exe` are the file names of `image_path`/`parent_image_path`, and only Sysmon
 * EventID 1 records count. Each target says, in `notes`, where its query means something else.
 */
import { Analytic } from '../analytics/analytic';
import { Expr } from '../analytics/expr';
import { FieldName } from '../model';
import type { QueryRule } from './ir';

/**
 * `precise` (the default): as near to the local hunt's meaning as the SIEM allows.
 * `car`: MITRE CAR's conventions for that language, so CAR's published strings come out unchanged.
 */
export type QueryStyle = 'precise' | 'car';

export interface QueryOptions {
  style?: QueryStyle;
  /**
   * Splunk index. Precise default: `main`, Splunk's default index, so the query runs as is on a
   * default install (`*` would search every index the user can read). Car default: CAR's
   * `__your_sysmon_index__` placeholder.
   */
  splunkIndex?: string;
  /** DNIF `limit`. Car default 30, as CAR publishes; precise default 1000. */
  dnifLimit?: number;
  /**
   * How the face asking names each option, for the notes that tell the user to change one: the
   * CLI's flag (`--index`), VS Code's setting (`the logHunt.splunkIndex setting`). Default: the
   * option's name here.
   */
  optionNames?: OptionNames;
}

/** The options a note can tell the user to change. */
export type QueryOptionName = 'splunkIndex' | 'dnifLimit';
export type OptionNames = Partial<Record<QueryOptionName, string>>;

export interface GeneratedQuery {
  text: string;
  /** Every way the query's meaning differs from the local hunt's, in words; options named as `optionNames` says. */
  notes: string[];
  /** The options the notes tell the user to change, so a face can offer to change them. */
  noteOptions?: QueryOptionName[];
}

export type TargetId = 'spl' | 'eql' | 'elastic-eql' | 'esql' | 'kql' | 'defender' | 'dnif' | 'sigma';

export interface QueryTarget {
  id: TargetId;
  /** For people, e.g. "Splunk SPL". */
  label: string;
  /** The product that runs it, e.g. "Splunk", "Microsoft Sentinel". */
  product: string;
  /** The VS Code language id of the generated text. */
  languageId: string;
  /** A CAR data-model analytic (CAR-2014-05-002); throws on a malformed analytic (an empty and/or/in) or bad options. */
  generate(analytic: Analytic, options?: QueryOptions): GeneratedQuery;
  /** Any rule; throws QueryUnsupported naming the part the target cannot express. */
  generateRule(rule: QueryRule, options?: QueryOptions): GeneratedQuery;
}

/**
 * The analytic's logic, tidied for printing: nested and/or flattened, double negation removed,
 * and a negated comparison folded into its leaf. A `not` node therefore always holds an and/or.
 * `in` and `==` are both leaves: one value for `==`, several for `in`.
 */
export type Logic =
  | { kind: 'and' | 'or'; args: Logic[] }
  | { kind: 'not'; arg: Logic }
  | { kind: 'leaf'; field: FieldName; values: string[]; negated: boolean };

export function normalize(expr: Expr): Logic {
  switch (expr.op) {
    case 'and':
    case 'or': {
      if (expr.args.length === 0) throw new Error(`query generation: '${expr.op}' has no operands`);
      const args = expr.args.map(normalize);
      if (args.length === 1) return args[0];
      // (a and (b and c)) prints as a and b and c: same meaning, fewer parentheses.
      const flat = args.flatMap((a) => (a.kind === expr.op ? (a as { args: Logic[] }).args : [a]));
      return { kind: expr.op, args: flat };
    }
    case 'not': {
      const arg = normalize(expr.arg);
      if (arg.kind === 'not') return arg.arg;
      if (arg.kind === 'leaf') return { ...arg, negated: !arg.negated };
      return { kind: 'not', arg };
    }
    case '==':
    case '!=':
      return { kind: 'leaf', field: expr.field, values: [expr.value], negated: expr.op === '!=' };
    case 'in':
      if (expr.values.length === 0) throw new Error(`query generation: 'in' on ${expr.field} has no values`);
      return { kind: 'leaf', field: expr.field, values: [...expr.values], negated: false };
  }
}

/** Every leaf of the logic, for notes that depend on the fields and values used. */
export function leaves(logic: Logic): Extract<Logic, { kind: 'leaf' }>[] {
  if (logic.kind === 'leaf') return [logic];
  if (logic.kind === 'not') return leaves(logic.arg);
  return logic.args.flatMap(leaves);
}

/** The file-name fields: the local hunt compares them with the base name of a path. */
export const NAME_FIELDS: ReadonlySet<FieldName> = new Set<FieldName>(['exe', 'parent_exe']);

/**
 * Notes every target may share, from the analytic's values. `pathTest(field)`: the target tests
 * that file-name field against a path, so a value holding a separator can match there (never locally).
 */
export function valueNotes(logic: Logic, pathTest: (field: FieldName) => boolean): string[] {
  const notes: string[] = [];
  const all = leaves(logic);
  for (const leaf of all) {
    for (const value of leaf.values) {
      if (NAME_FIELDS.has(leaf.field) && pathTest(leaf.field) && /[\\/]/.test(value)) {
        notes.push(
          `${leaf.field} value ${JSON.stringify(value)} holds a path separator: the local hunt compares it with a file name and ` +
            'never matches it, but this query can match paths that end in it.',
        );
      }
    }
  }
  if (all.some((l) => l.values.some((v) => /[^\x00-\x7f]/.test(v)))) {
    notes.push('A value has non-ASCII letters: the SIEM may fold their case differently from the local hunt.');
  }
  return notes;
}

/** Options with each style's defaults applied; throws on values no SIEM would accept. */
export function resolveOptions(options: QueryOptions = {}): Required<QueryOptions> & { indexGiven: boolean } {
  const style = options.style ?? 'precise';
  if (style !== 'precise' && style !== 'car') throw new Error(`unknown query style: ${String(style)}`);
  const limit = options.dnifLimit ?? (style === 'car' ? 30 : 1000);
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`dnifLimit must be a positive integer: ${limit}`);
  const index = options.splunkIndex ?? (style === 'car' ? '__your_sysmon_index__' : 'main');
  if (index.length === 0) throw new RangeError('splunkIndex must not be empty');
  return { style, dnifLimit: limit, splunkIndex: index, indexGiven: options.splunkIndex !== undefined, optionNames: options.optionNames ?? {} };
}

/** An option as the face asking names it, for a note. */
export function optionName(names: OptionNames, option: QueryOptionName): string {
  return names[option] ?? `the ${option} option`;
}

/** `\xHH` for a character code below 256: the one escape PCRE, Java, Python and JavaScript all read. */
export function hexEscape(ch: string): string {
  return '\\x' + ch.charCodeAt(0).toString(16).padStart(2, '0');
}

/** CAR data-model fields as Sysmon fields; `exe`/`parent_exe` are file names of these paths. */
export const SYSMON_FIELDS: Record<FieldName, string> = {
  exe: 'Image',
  parent_exe: 'ParentImage',
  image_path: 'Image',
  parent_image_path: 'ParentImage',
  command_line: 'CommandLine',
  parent_command_line: 'ParentCommandLine',
  pid: 'ProcessId',
  ppid: 'ParentProcessId',
  guid: 'ProcessGuid',
  parent_guid: 'ParentProcessGuid',
  hostname: 'Computer',
  user: 'User',
  integrity_level: 'IntegrityLevel',
  hashes: 'Hashes',
  current_working_directory: 'CurrentDirectory',
};
