/**
 * The CLI's argument parser: `--flag`, `--key value`, `--key=value`, and operands. Each command
 * declares its options in a table, so adding an option is one entry. Anything not in the table
 * is a usage error that names it (and the nearest known option when one is close): an ignored
 * typo such as `--analytc X` would otherwise run every analytic and still exit 0.
 */

/** `flag` takes no value; `value` takes one (`--key value` or `--key=value`; the last one given wins). */
export type OptionKind = 'flag' | 'value';

export interface CommandSpec {
  /** The command's name, as the messages give it: `hunt`. */
  name: string;
  /** Option name (without `--`) -> kind. `--help` and `-h` are always known. */
  options: Readonly<Record<string, OptionKind>>;
  /** Does the command take operands (FILE...)? Otherwise an operand is a usage error too. */
  operands?: boolean;
}

export interface ParsedArgs {
  positionals: string[];
  /** The last value of each option given; `true` for a flag. */
  flags: Map<string, string | true>;
  /** Every value given for each value option, in order (for options that may repeat). */
  values: Map<string, string[]>;
}

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[], spec: CommandSpec): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  const values = new Map<string, string[]>();
  const known = { help: 'flag', ...spec.options } as Readonly<Record<string, OptionKind>>;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h') {
      flags.set('help', true);
      continue;
    }
    // A lone `-` is an operand; `-x` is not a file name anyone means (`--` passes one through).
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(arg.startsWith('--') ? 2 : 1, eq < 0 ? undefined : eq);
    const kind = Object.hasOwn(known, name) && arg.startsWith('--') ? known[name] : undefined;
    if (!kind) throw new UsageError(`${spec.name}: unknown option ${eq < 0 ? arg : arg.slice(0, eq)}${suggest(name, Object.keys(known))}`);
    let value: string | true;
    if (kind === 'flag') {
      if (eq >= 0) throw new UsageError(`${spec.name}: --${name} takes no value`);
      value = true;
    } else if (eq >= 0) value = arg.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new UsageError(`${spec.name}: --${name} needs a value`);
      value = argv[++i];
    }
    flags.set(name, value);
    if (value !== true) values.set(name, [...(values.get(name) ?? []), value]);
  }
  if (!spec.operands && positionals.length > 0 && !flags.has('help')) {
    throw new UsageError(`${spec.name}: unexpected argument ${positionals[0]}`);
  }
  return { positionals, flags, values };
}

/** ` (did you mean --x?)` for the known name nearest to `name`, when it is near enough to be a typo. */
export function suggest(name: string, known: readonly string[], prefix = '--'): string {
  const given = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(given, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  const near = bestDistance <= (given.length <= 4 ? 1 : 2);
  const prefixed = known.filter((k) => given.length >= 3 && k.startsWith(given));
  const pick = near ? best : prefixed.length === 1 ? prefixed[0] : undefined;
  return pick === undefined ? '' : ` (did you mean ${prefix}${pick}?)`;
}

/** Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags.get(name);
  if (value === true) throw new UsageError(`--${name} needs a value`);
  return value;
}

export function numberFlag(args: ParsedArgs, name: string, min = 1): number | undefined {
  const value = stringFlag(args, name);
  if (value === undefined) return undefined;
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer of at least ${min}`);
  return n;
}
