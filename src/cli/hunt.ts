/**
 * `log-hunt hunt`: files and folders (every log under a folder, found by content), printed as
 * text or JSON Lines, or exported as SARIF or CSV; matches carry process lineage unless
 * --no-lineage. Without lineage, text and JSON Lines stream as matches are found; with it, matches
 * wait for the last file (their children may be in any of them), at most --max-stored of them.
 */
import { createWriteStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import {
  csvHeader,
  csvRow,
  DEFAULT_MAX_LINEAGE_PROCESSES,
  findLogs,
  FormatName,
  HuntResult,
  huntFileParallel,
  huntFiles,
  LoadedRules,
  Match,
  nearMissesOfFile,
  toSarif,
  UnreadableInputError,
} from '../engine';
import { numberFlag, ParsedArgs, stringFlag, UsageError } from './args';
import { jsonLine, lineageLines, malformedLine, matchJson, matchLine, summaryLines } from './report';
import { terminalSafe } from './terminalSafe';

type Out = (line: string) => void;

export const OUTPUTS = ['text', 'jsonl', 'sarif', 'csv'] as const;
export type OutputKind = (typeof OUTPUTS)[number];

/** Matches kept for lineage or an export by default; beyond it they are counted, and the summary says so. */
export const DEFAULT_CLI_STORED = 100_000;

export const HUNT_OPTIONS = {
  output: 'value',
  out: 'value',
  'no-lineage': 'flag',
  'max-processes': 'value',
  exclude: 'value',
} as const;

export const HUNT_USAGE_MORE = `      --output text|jsonl|sarif|csv chooses the output (--json is --output jsonl); --out FILE
      writes it to FILE instead of stdout (summaries then stay on stdout for text, stderr otherwise).
      SARIF 2.1.0: one run, rules with level and ATT&CK tags, one result per match, lineage as
      related locations. CSV: RFC 4180, UTF-8 with a BOM, one row per match; a cell starting with
      = + - @, a tab or a CR gets a leading ' so that no spreadsheet runs it as a formula.
      A FILE may be a folder: every log under it (recursively) is hunted, recognised by content
      (an .evtx by its ElfFile header, text logs by their shape), not by name; the rest is skipped
      and named. --exclude GLOB (repeatable) leaves out matching paths (relative to the folder;
      a GLOB without / matches a name at any depth: --exclude '*.zip' --exclude archive).
      Each match gets its process lineage (parent, ancestors, children, descendants) from the
      Sysmon process creates of all the files given; --no-lineage turns it off and streams
      matches as they are found. Lineage keeps at most --max-processes (${DEFAULT_MAX_LINEAGE_PROCESSES})
      processes; past it a warning says lineage is incomplete.`;

/** The output the options ask for. */
function outputOf(args: ParsedArgs): OutputKind {
  const named = stringFlag(args, 'output');
  if (named !== undefined && !(OUTPUTS as readonly string[]).includes(named)) throw new UsageError(`--output must be one of ${OUTPUTS.join(', ')}`);
  if (args.flags.has('json')) {
    if (named !== undefined && named !== 'jsonl') throw new UsageError('--json is --output jsonl; give one of them');
    return 'jsonl';
  }
  return (named ?? 'text') as OutputKind;
}

/** The files to hunt: FILE operands as given, folders expanded to the logs under them. */
export async function expand(operands: readonly string[], exclude: readonly string[], err: Out): Promise<{ files: string[]; skipped: { file: string; reason: string }[] }> {
  const files: string[] = [];
  const skipped: { file: string; reason: string }[] = [];
  for (const operand of operands) {
    const isDir = await stat(operand).then((s) => s.isDirectory(), () => false);
    if (!isDir) {
      files.push(operand);
      continue;
    }
    const found = await findLogs(operand, exclude);
    files.push(...found.logs);
    skipped.push(...found.skipped);
    err(terminalSafe(`log-hunt: ${operand}: ${found.logs.length} log(s) to hunt, ${found.skipped.length} file(s) skipped as not logs${found.excluded.length ? `, ${found.excluded.length} excluded` : ''}`));
  }
  return { files, skipped };
}

/** A line writer to FILE (never one of the inputs), or stdout's. */
async function openSink(outFile: string | undefined, inputs: readonly string[], out: Out): Promise<{ write: Out; close: () => Promise<void> }> {
  if (outFile === undefined) return { write: out, close: async () => undefined };
  const target = await realpath(outFile).catch(() => path.resolve(outFile));
  for (const input of inputs) {
    if ((await realpath(input).catch(() => path.resolve(input))) === target) throw new UsageError(`--out ${outFile} is one of the inputs`);
  }
  const stream = createWriteStream(outFile);
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  failed.catch(() => undefined);
  return {
    write: (line) => void stream.write(line + '\n'),
    close: () => Promise.race([new Promise<void>((resolve) => stream.end(resolve)), failed]),
  };
}

export interface HuntContext {
  rules: LoadedRules;
  titles: ReadonlyMap<string, string>;
}

export async function huntCommand(args: ParsedArgs, out: Out, err: Out, { rules, titles }: HuntContext, defaultFiles: string[]): Promise<number> {
  const output = outputOf(args);
  const format = (stringFlag(args, 'format') ?? 'auto') as FormatName | 'auto';
  if (!['auto', 'xml', 'json'].includes(format)) throw new UsageError('--format must be auto, xml or json');
  const maxPrinted = numberFlag(args, 'max-matches', 0) ?? Infinity;
  const maxWarnings = numberFlag(args, 'max-warnings', 0) ?? 100;
  const chunkSize = numberFlag(args, 'chunk-size');
  const threads = numberFlag(args, 'threads');
  const maxLineageProcesses = numberFlag(args, 'max-processes');
  const lineage = !args.flags.has('no-lineage');
  const outFile = stringFlag(args, 'out');
  const operands = args.positionals.length > 0 ? args.positionals : defaultFiles;
  const { files, skipped } = await expand(operands, args.values.get('exclude') ?? [], err);
  const sink = await openSink(outFile, files, out);
  // Summaries for people go beside the matches in text, and to stderr when stdout is a document.
  const human: Out = output === 'text' && outFile === undefined ? out : output === 'text' ? out : err;
  const buffered = lineage || output === 'sarif' || output === 'csv';
  let status = 0;
  const warned = new Map<string, number>();
  const common = {
    threads,
    rules,
    format,
    chunkSize,
    lineage,
    maxLineageProcesses,
    mode: args.flags.has('validate') ? ('plain' as const) : ('fast' as const),
  };
  const onMalformedFor = (file: string) => (m: Parameters<typeof malformedLine>[1]) => {
    const n = (warned.get(file) ?? 0) + 1;
    warned.set(file, n);
    if (n <= maxWarnings) err(malformedLine(file, m));
  };
  const finishFile = async (file: string, result: HuntResult, notPrinted: number, notStored = 0) => {
    // Nothing found: a second, bounded pass says which rules came closest (nearMiss.ts).
    if (result.summary.why && result.summary.events > 0 && rules.rules.length > 0) {
      result.summary.nearMisses = await nearMissesOfFile(file, rules, { format });
    }
    const n = warned.get(file) ?? 0;
    if (n > maxWarnings) err(`${file}: warning: ${n - maxWarnings} more malformed record(s) not shown (--max-warnings)`);
    for (const warning of result.summary.warnings ?? []) err(terminalSafe(`${file}: warning: ${warning}`));
    if (output === 'jsonl') sink.write(jsonLine({ summary: { ...result.summary, notPrinted, ...(notStored ? { notStored } : {}) } }));
    else summaryLines(result.summary, notPrinted, titles).forEach((line) => human(line));
    if (notStored > 0) human(`  ${notStored} further match(es) were counted but not kept for lineage/export (at most ${DEFAULT_CLI_STORED} per file; --max-matches lowers it).`);
  };
  const unreadable = (file: string, message: string) => {
    err(terminalSafe(`log-hunt: ${message.startsWith(`${file}: `) ? message : `${file}: ${message}`}`));
    status = 2;
  };

  try {
    if (!buffered) {
      // Streaming: each match printed as found, memory flat however many match.
      for (const file of files) {
        let printed = 0;
        try {
          const result = await huntFileParallel(file, {
            ...common,
            maxStoredMatches: 0,
            onMatch(match) {
              if (printed++ >= maxPrinted) return;
              sink.write(output === 'jsonl' ? jsonLine(matchJson(file, match)) : matchLine(file, match));
            },
            onMalformed: onMalformedFor(file),
          });
          await finishFile(file, result, Math.max(0, result.summary.matches - maxPrinted));
        } catch (e) {
          if (!(e instanceof UnreadableInputError)) throw e;
          unreadable(file, e.message);
        }
      }
    } else {
      const stored = Math.min(maxPrinted, DEFAULT_CLI_STORED);
      let current = '';
      const hunted = await huntFiles(files, {
        ...common,
        maxStoredMatches: stored,
        onFile: (file) => (current = file),
        onMalformed: (m) => onMalformedFor(current)(m),
      });
      for (const f of hunted.failures) unreadable(f.file, f.message);
      for (const warning of hunted.warnings) err(terminalSafe(`log-hunt: warning: ${warning}`));
      const items = hunted.results.flatMap((r) => r.matches.map((match: Match) => ({ file: r.summary.file, match })));
      if (output === 'sarif') {
        sink.write(JSON.stringify(toSarif(items, rules.rules.map((r) => r.info)), null, 2));
      } else if (output === 'csv') {
        let csv = csvHeader();
        for (const item of items) csv += csvRow(item);
        sink.write(csv.replace(/\r\n$/, '')); // the writer ends the last line
      }
      for (const result of hunted.results) {
        const file = result.summary.file;
        if (output === 'text' || output === 'jsonl') {
          for (const match of result.matches) {
            if (output === 'jsonl') sink.write(jsonLine({ ...matchJson(file, match), lineage: match.lineage ?? null }));
            else {
              sink.write(matchLine(file, match));
              if (match.lineage) lineageLines(match.lineage, file).forEach((line) => sink.write(line));
            }
          }
        }
        const kept = result.matches.length;
        const notStored = Math.max(0, Math.min(result.summary.matches, maxPrinted) - kept);
        await finishFile(file, result, Math.max(0, result.summary.matches - maxPrinted), notStored);
      }
    }
    for (const s of skipped) {
      if (output === 'jsonl') sink.write(jsonLine({ skipped: s }));
      err(terminalSafe(`log-hunt: skipped ${s.file}: ${s.reason}`));
    }
    if (skipped.length > 0) human(terminalSafe(`${skipped.length} file(s) skipped as not logs: ${skipped.map((s) => s.file).join(', ')}`));
  } finally {
    await sink.close();
  }
  return status;
}
