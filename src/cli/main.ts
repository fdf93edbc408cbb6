/** `log-hunt`: the headless face of the engine. Hunts files, prints queries, lists analytics. */
import * as path from 'node:path';
import { ANALYTICS, findAnalytic } from '../engine/analytics';
import { Analytic } from '../engine/analytics/analytic';
import { UnreadableInputError } from '../engine/decode';
import { huntFileParallel } from '../engine/parallel';
import { LoadedRules, loadRules } from '../engine/rules/load';
import { FormatName } from '../engine/huntTypes';
import { findTarget, QUERY_TARGETS } from '../engine/queries';
import { CommandSpec, numberFlag, parseArgs, ParsedArgs, stringFlag, suggest, UsageError } from './args';
import { jsonLine, matchJson, matchLine, summaryLines } from './report';
import { terminalSafe } from './terminalSafe';

/** The bundled sample log, hunted when `log-hunt hunt` is given no file. */
export const SAMPLE_LOG = path.resolve(__dirname, '..', 'samples', 'sysmon-sample.xml');

const USAGE = `log-hunt: hunt Windows Sysmon logs with MITRE CAR analytics

usage:
  log-hunt hunt [--json] [--analytic ID] [--format auto|xml|json] [--max-matches N] [--max-warnings N]
                [--threads N] [--validate] [FILE...]
      Hunts each FILE (the bundled sample when none is given). Prints file:line:col per match,
      then a summary per file. --json writes JSON Lines: one object per match, then {"summary":...}.
      Files over 16 MB are split across --threads worker threads (default: one per core).
      Malformed records are warned about on stderr, the first --max-warnings (100) of them.
      Records that cannot match are skipped unparsed, so a broken one among them is counted,
      not reported; --validate parses every record and reports every broken one (slower:
      about 25 MB/s for XML and 150 MB/s for JSON lines on one thread, against 500 and 400).
  log-hunt query --target spl|eql|dnif [--analytic ID] [--style precise|car] [--index NAME] [--limit N]
      Prints the analytic as a SIEM query, with notes on how its meaning differs (stderr).
  log-hunt analytics
      Lists the analytics.

exit status: 0 when the hunt ran (with or without matches), 2 when an input cannot be read
or the command line is wrong.`;

/** Each command's options: adding one is an entry here (and reading it where it is used). */
const HUNT: CommandSpec = {
  name: 'hunt',
  operands: true,
  options: {
    json: 'flag',
    analytic: 'value',
    format: 'value',
    'max-matches': 'value',
    'max-warnings': 'value',
    threads: 'value',
    validate: 'flag',
    'chunk-size': 'value', // bytes per read, for tests; not in the usage
  },
};
const QUERY: CommandSpec = {
  name: 'query',
  options: { target: 'value', analytic: 'value', style: 'value', index: 'value', limit: 'value' },
};
const ANALYTICS_COMMAND: CommandSpec = { name: 'analytics', options: {} };
const COMMANDS = [HUNT, QUERY, ANALYTICS_COMMAND];

type Out = (line: string) => void;

function chooseAnalytics(args: ParsedArgs): readonly Analytic[] {
  const id = stringFlag(args, 'analytic');
  if (id === undefined) return ANALYTICS;
  const analytic = findAnalytic(id);
  if (!analytic) throw new UsageError(`unknown analytic ${id}; see \`log-hunt analytics\``);
  return [analytic];
}

async function chooseRules(args: ParsedArgs): Promise<LoadedRules> {
  const id = stringFlag(args, 'analytic');
  const rules = await loadRules({ ids: id === undefined ? undefined : [id] });
  if (rules.unknownIds.length > 0) throw new UsageError(`unknown analytic ${rules.unknownIds.join(', ')}; see \`log-hunt analytics\``);
  return rules;
}

async function hunt(args: ParsedArgs, out: Out, err: Out): Promise<number> {
  const json = args.flags.has('json');
  const format = (stringFlag(args, 'format') ?? 'auto') as FormatName | 'auto';
  if (!['auto', 'xml', 'json'].includes(format)) throw new UsageError('--format must be auto, xml or json');
  const maxPrinted = numberFlag(args, 'max-matches', 0) ?? Infinity;
  // A file of garbage would otherwise bury the terminal in one warning per line.
  const maxWarnings = numberFlag(args, 'max-warnings', 0) ?? 100;
  const chunkSize = numberFlag(args, 'chunk-size');
  const threads = numberFlag(args, 'threads');
  const rules = await chooseRules(args);
  const files = args.positionals.length > 0 ? args.positionals : [path.relative(process.cwd(), SAMPLE_LOG)];
  let status = 0;
  for (const file of files) {
    let printed = 0;
    let warned = 0;
    try {
      const result = await huntFileParallel(file, {
        threads,
        rules,
        format,
        chunkSize,
        mode: args.flags.has('validate') ? 'plain' : 'fast',
        maxStoredMatches: 0, // printed as found, so memory stays flat however many match
        onMatch(match) {
          if (printed++ >= maxPrinted) return;
          out(json ? jsonLine(matchJson(file, match)) : matchLine(file, match));
        },
        onMalformed(m) {
          if (warned++ >= maxWarnings) return;
          err(terminalSafe(`${file}:${m.position.line}:${m.position.column}: warning: ${m.message}`));
        },
      });
      if (warned > maxWarnings) err(`${file}: warning: ${warned - maxWarnings} more malformed record(s) not shown (--max-warnings)`);
      const capped = Math.max(0, result.summary.matches - maxPrinted);
      for (const warning of result.summary.warnings ?? []) err(terminalSafe(`${file}: warning: ${warning}`));
      if (json) out(jsonLine({ summary: { ...result.summary, notPrinted: capped } }));
      else summaryLines(result.summary, capped).forEach((line) => out(line));
    } catch (e) {
      if (!(e instanceof UnreadableInputError)) throw e;
      // Name the file, as fs messages already do, so a refusal among many files can be placed.
      err(terminalSafe(`log-hunt: ${e.message.startsWith(`${file}: `) ? e.message : `${file}: ${e.message}`}`));
      status = 2;
    }
  }
  return status;
}

function query(args: ParsedArgs, out: Out, err: Out): number {
  const targetId = stringFlag(args, 'target');
  const target = targetId && findTarget(targetId);
  if (!target) throw new UsageError(`--target must be one of ${QUERY_TARGETS.map((t) => t.id).join(', ')}`);
  const style = stringFlag(args, 'style') ?? 'precise';
  if (style !== 'precise' && style !== 'car') throw new UsageError('--style must be precise or car');
  for (const analytic of chooseAnalytics(args)) {
    const generated = target.generate(analytic, {
      style,
      splunkIndex: stringFlag(args, 'index'),
      dnifLimit: numberFlag(args, 'limit'),
    });
    out(generated.text);
    for (const note of generated.notes) err(`note: ${note}`);
  }
  return 0;
}

function listAnalytics(out: Out): number {
  for (const a of ANALYTICS) {
    const attack = a.attack.map((t) => `${t.id} (${t.tactics.join(', ')})`).join('; ');
    out(`${a.id}  ${a.title}  ATT&CK ${attack}`);
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
      if (spec === QUERY) return query(args, out, err);
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
