/** `log-hunt`: the headless face of the engine. Hunts files, lists rules, prints queries. */
import * as path from 'node:path';
import {
  Analytic,
  ANALYTICS,
  CAR_LIBRARY,
  findAnalytic,
  findCarQueryRule,
  findTarget,
  generateQuery,
  Level,
  layoutQuery,
  LEVELS,
  LoadedRules,
  loadRules,
  QUERY_TARGETS,
  queryCoverage,
  QueryRule,
  queryRulesOf,
  QueryUnsupported,
} from '../engine';
import { CommandSpec, numberFlag, parseArgs, ParsedArgs, stringFlag, suggest, UsageError } from './args';
import { DUMP_COMMAND, DUMP_USAGE, dumpCommand } from './dump';
import { HUNT_OPTIONS, HUNT_USAGE_MORE, huntCommand } from './hunt';
import { SEARCH_COMMAND, SEARCH_USAGE, searchCommand } from './search';
import { jsonLine } from './report';
import { terminalSafe } from './terminalSafe';

/** The bundled sample log, hunted when `log-hunt hunt` is given no file. */
export const SAMPLE_LOG = path.resolve(__dirname, '..', 'samples', 'sysmon-sample.xml');

const USAGE = `log-hunt: hunt Windows Sysmon logs with Sigma rules and MITRE CAR analytics

usage:
  log-hunt hunt [--json] [--rules PATH]... [--analytic ID]... [--min-level LEVEL] [--no-builtin]
                [--format auto|xml|json] [--max-matches N] [--max-warnings N] [--threads N] [--validate]
                [--output text|jsonl|sarif|csv] [--out FILE] [--no-lineage] [--exclude GLOB]... [FILE|DIR...]
      Hunts each FILE (the bundled sample when none is given) with the built-in MITRE CAR library
      and the Sigma rules under each --rules file or folder (read recursively). --analytic keeps
      only these rules (a CAR id or a Sigma id; repeatable); --min-level drops rules below
      informational|low|medium|high|critical; --no-builtin leaves the CAR library out.
      Prints file:line:col per match (the value that decided it), then a summary per file with
      the matches per rule. --json writes JSON Lines: one object per match, then {"summary":...}.
      Files over 16 MB, plus 80 KB per rule loaded (about 210 MB with every SigmaHQ windows
      rule, which each worker compiles first), are split across --threads worker threads
      (default: one per core; an .evtx is hunted on one thread unless --threads is given).
      Malformed records are warned about on stderr, the first --max-warnings (100) of them.
      Records that cannot match are skipped unparsed, so a broken one among them is counted,
      not reported; --validate parses every record and reports every broken one (slower).
${HUNT_USAGE_MORE}
  log-hunt rules [--json] [--rules PATH]... [--analytic ID]... [--min-level LEVEL] [--no-builtin]
      Lists the rules that loaded and the rules that were skipped, each with its reason, and
      totals by reason.
  log-hunt query --target TARGET [--analytic ID] [--rules PATH]... [--style precise|car] [--index NAME] [--limit N] [--layout]
      Prints a rule (a CAR id, or a Sigma id of a rule under --rules; CAR-2014-05-002 when none is
      given) as a query for TARGET: spl, eql, elastic-eql, esql, kql, defender, dnif or sigma. Notes
      on how its meaning differs go to stderr; a rule the target cannot express exits 2, naming the part.
      --layout lays the query out over lines for reading, as VS Code shows it (same meaning).
  log-hunt query --coverage [--rules PATH]... [--category CATEGORY] [--no-builtin] [--json]
      Counts, per target, the loaded rules it can express, with the reasons for the rest.
  log-hunt analytics
      Lists the built-in MITRE CAR analytics.
${SEARCH_USAGE}
${DUMP_USAGE}

exit status: 0 when the hunt ran (with or without matches), 2 when an input cannot be read
or the command line is wrong.`;

/** The options that choose rules, shared by `hunt` and `rules`. */
const RULE_OPTIONS = { rules: 'value', analytic: 'value', 'min-level': 'value', 'no-builtin': 'flag' } as const;

/** Each command's options: adding one is an entry here (and reading it where it is used). */
const HUNT: CommandSpec = {
  name: 'hunt',
  operands: true,
  options: {
    ...RULE_OPTIONS,
    ...HUNT_OPTIONS,
    json: 'flag',
    format: 'value',
    'max-matches': 'value',
    'max-warnings': 'value',
    threads: 'value',
    validate: 'flag',
    'chunk-size': 'value', // bytes per read, for tests; not in the usage
  },
};
const RULES_COMMAND: CommandSpec = { name: 'rules', options: { ...RULE_OPTIONS, json: 'flag' } };
const QUERY: CommandSpec = {
  name: 'query',
  options: {
    target: 'value',
    analytic: 'value',
    style: 'value',
    index: 'value',
    limit: 'value',
    layout: 'flag',
    rules: 'value',
    coverage: 'flag',
    category: 'value',
    'no-builtin': 'flag',
    json: 'flag',
  },
};
const ANALYTICS_COMMAND: CommandSpec = { name: 'analytics', options: {} };
const COMMANDS = [HUNT, RULES_COMMAND, QUERY, ANALYTICS_COMMAND, SEARCH_COMMAND, DUMP_COMMAND];

type Out = (line: string) => void;

function chooseAnalytics(args: ParsedArgs): readonly Analytic[] {
  const id = stringFlag(args, 'analytic');
  if (id === undefined) return ANALYTICS;
  const analytic = findAnalytic(id);
  if (!analytic) throw new UsageError(`unknown analytic ${id}; see \`log-hunt analytics\``);
  return [analytic];
}

/** Loads the rules the options choose. A rule path that does not exist, or an unknown id, is a usage error. */
async function chooseRules(args: ParsedArgs): Promise<LoadedRules> {
  const minLevel = stringFlag(args, 'min-level');
  if (minLevel !== undefined && !(LEVELS as readonly string[]).includes(minLevel)) {
    throw new UsageError(`--min-level must be one of ${LEVELS.join(', ')}`);
  }
  const paths = args.values.get('rules') ?? [];
  const rules = await loadRules({
    paths,
    builtin: !args.flags.has('no-builtin'),
    minLevel: minLevel as Level | undefined,
    ids: args.values.get('analytic'),
  });
  const missing = rules.skipped.find((s) => s.category === 'unreadable' && paths.includes(s.source));
  if (missing) throw new UsageError(`--rules ${missing.source}: ${missing.reason}`);
  if (rules.unknownIds.length > 0) {
    throw new UsageError(`no rule with id ${rules.unknownIds.join(', ')}; see \`log-hunt rules\` (with your --rules)`);
  }
  return rules;
}

/** Skipped rules, by reason, in one line: `log-hunt rules` gives each one. */
function skippedLine(rules: LoadedRules): string | undefined {
  if (rules.skipped.length === 0) return undefined;
  return `log-hunt: ${rules.skipped.length} rule file(s) skipped (${totals(rules).map(([c, n]) => `${c} ${n}`).join(', ')}); \`log-hunt rules\` lists them`;
}

function totals(rules: LoadedRules): [string, number][] {
  const byCategory = new Map<string, number>();
  for (const s of rules.skipped) byCategory.set(s.category, (byCategory.get(s.category) ?? 0) + 1);
  return [...byCategory].sort((a, b) => b[1] - a[1]);
}

async function listRules(args: ParsedArgs, out: Out): Promise<number> {
  const rules = await chooseRules(args);
  if (args.flags.has('json')) {
    for (const r of rules.rules) out(jsonLine({ loaded: r.info }));
    for (const s of rules.skipped) out(jsonLine({ skipped: s }));
    out(jsonLine({ summary: { loaded: rules.rules.length, skipped: rules.skipped.length, skippedBy: Object.fromEntries(totals(rules)) } }));
    return 0;
  }
  for (const r of rules.rules) {
    const { id, level, title, source, attack } = r.info;
    out(terminalSafe(`${id}  ${level}  ${title}  ${attack.join(',') || '-'}  ${source}`));
  }
  for (const s of rules.skipped) {
    const at = s.line === undefined ? s.source : `${s.source}:${s.line}${s.column === undefined ? '' : `:${s.column}`}`;
    out(terminalSafe(`skipped  ${at}  ${s.category}: ${s.reason}`));
  }
  out(`${rules.rules.length} rule(s) loaded, ${rules.skipped.length} skipped`);
  for (const [category, n] of totals(rules)) out(terminalSafe(`  skipped, ${category}: ${n}`));
  return 0;
}

async function hunt(args: ParsedArgs, out: Out, err: Out): Promise<number> {
  const rules = await chooseRules(args);
  const titles = new Map(rules.rules.map((r) => [r.info.id, r.info.kind === 'car' ? r.info.id : r.info.title]));
  const skipped = skippedLine(rules);
  if (skipped) err(terminalSafe(skipped));
  return huntCommand(args, out, err, { rules, titles }, [path.relative(process.cwd(), SAMPLE_LOG)]);
}

/** The rules `query` prints: the --analytic ids (CAR ids, or Sigma ids under --rules), else the CAR data-model analytics. */
async function queryRules(args: ParsedArgs): Promise<QueryRule[]> {
  const ids = args.values.get('analytic');
  if (!ids) return chooseAnalytics(args).map((a) => findCarQueryRule(a.id) as QueryRule);
  const loaded = await chooseRules(args);
  const rules: QueryRule[] = [];
  for (const id of ids) {
    const car = findCarQueryRule(id);
    if (car) {
      rules.push(car);
      continue;
    }
    const { rules: found } = queryRulesOf({ ...loaded, rules: loaded.rules.filter((r) => r.info.id.toLowerCase() === id.toLowerCase()) });
    if (found.length === 0) throw new QueryUnsupported('not sysmon', `${id}: none of the rule's event sources is Sysmon, which the query targets read`);
    rules.push(...found);
  }
  return rules;
}

async function query(args: ParsedArgs, out: Out, err: Out): Promise<number> {
  if (args.flags.has('coverage')) return coverage(args, out);
  const targetId = stringFlag(args, 'target');
  const target = targetId && findTarget(targetId);
  if (!target) throw new UsageError(`--target must be one of ${QUERY_TARGETS.map((t) => t.id).join(', ')}`);
  const style = stringFlag(args, 'style') ?? 'precise';
  if (style !== 'precise' && style !== 'car') throw new UsageError('--style must be precise or car');
  try {
    for (const rule of await queryRules(args)) {
      const generated = generateQuery(target, rule, {
        style,
        splunkIndex: stringFlag(args, 'index'),
        dnifLimit: numberFlag(args, 'limit'),
        // Notes name the options as this command's flags.
        optionNames: { splunkIndex: '--index', dnifLimit: '--limit' },
      });
      out(args.flags.has('layout') ? layoutQuery(target.id, generated.text) : generated.text);
      for (const note of generated.notes) err(terminalSafe(`note: ${note}`));
    }
  } catch (e) {
    if (!(e instanceof QueryUnsupported)) throw e;
    err(terminalSafe(`log-hunt: no ${target.id} query: ${e.message}`));
    return 2;
  }
  return 0;
}

async function coverage(args: ParsedArgs, out: Out): Promise<number> {
  const loaded = await chooseRules(args);
  const report = queryCoverage(loaded, stringFlag(args, 'category'));
  if (args.flags.has('json')) {
    out(jsonLine(report));
    return 0;
  }
  out(`${report.rules} rule(s)${report.notSysmon ? `, ${report.notSysmon} of them not on Sysmon events (no target reads them)` : ''}`);
  const base = report.rules - report.notSysmon;
  for (const t of report.targets) {
    const pct = base === 0 ? '-' : `${((100 * t.expressed) / base).toFixed(1)}%`;
    const reasons = Object.entries(t.reasons).sort((a, b) => b[1] - a[1]);
    out(terminalSafe(`${t.target}  ${t.expressed}/${base}  ${pct}${reasons.length ? `  not: ${reasons.map(([r, n]) => `${r} ${n}`).join(', ')}` : ''}`));
  }
  return 0;
}

function listAnalytics(out: Out): number {
  for (const a of CAR_LIBRARY) {
    const attack = a.attack.map((t) => `${t.id} (${t.tactics.join(', ')})`).join('; ');
    out(`${a.id}  ${a.level}  ${a.title}  ATT&CK ${attack}`);
  }
  return 0;
}

/** Runs the CLI; returns the exit status. */
export async function main(argv: readonly string[], out: Out, err: Out): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const spec = COMMANDS.find((c) => c.name === command);
    if (spec) {
      const args = parseArgs(rest, spec);
      if (args.flags.has('help')) {
        out(USAGE);
        return 0;
      }
      if (spec === HUNT) return await hunt(args, out, err);
      if (spec === QUERY) return await query(args, out, err);
      if (spec === RULES_COMMAND) return await listRules(args, out);
      if (spec === DUMP_COMMAND) return await dumpCommand(args, out, err);
      if (spec === SEARCH_COMMAND) return await searchCommand(args, out, err);
      return listAnalytics(out);
    }
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${command}${suggest(command, COMMANDS.map((c) => c.name), '')}`);
    }
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    // One line, like every refusal: scripts read it, and the usage is one `log-hunt help` away.
    err(terminalSafe(`log-hunt ${e.message}; see \`log-hunt help\``));
    return 2;
  }
}

if (require.main === module) {
  const write = (stream: NodeJS.WriteStream) => (line: string) => stream.write(line + '\n');
  main(process.argv.slice(2), write(process.stdout), write(process.stderr)).then(
    (status) => {
      process.exitCode = status;
    },
    (e: unknown) => {
      process.stderr.write(`log-hunt: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
