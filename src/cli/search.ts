/** `log-hunt search [--field NAME] [--contains] VALUE FILE|DIR...`: the pivot, every event holding VALUE. */
import { FormatName, searchFiles, SearchHit } from '../engine';
import { CommandSpec, numberFlag, ParsedArgs, stringFlag, UsageError } from './args';
import { expand } from './hunt';
import { jsonLine, matchJson } from './report';
import { terminalSafe } from './terminalSafe';

type Out = (line: string) => void;

export const SEARCH_COMMAND: CommandSpec = {
  name: 'search',
  operands: true,
  options: { field: 'value', contains: 'flag', json: 'flag', format: 'value', threads: 'value', 'max-matches': 'value', exclude: 'value', 'chunk-size': 'value' },
};

export const SEARCH_USAGE = `  log-hunt search [--field NAME] [--contains] [--json] [--max-matches N] [--threads N] [--exclude GLOB]... VALUE FILE|DIR...
      Lists every event, of any provider, where a field holds VALUE, case ignored: the whole value
      (a ProcessGuid, a hash, a user, a host), or a part of it with --contains. --field NAME looks
      in that field only (EventData names such as Image or ParentProcessGuid, or Computer,
      EventRecordID, Channel). Streams file:line:col (or the .evtx record), EventID, host, time and
      the fields that hold it; --json writes JSON Lines ({"file", "line", ..., "fields", "data"},
      then {"summary"}). Folders are searched as hunt searches them.`;

function hitLine(hit: SearchHit): string {
  const e = hit.match.event;
  const at = (hit.match.valueRange ?? e.range).start;
  const where = e.place ? `${hit.file}: record ${e.recordId ?? '?'} (chunk ${e.place.chunk}, offset 0x${e.place.offset.toString(16)})` : `${hit.file}:${at.line}:${at.column}`;
  return terminalSafe([where, `EventID ${e.eventId ?? '?'}`, e.computer ?? '-', e.time ?? '-', hit.fields.join(',')].join('  '));
}

function hitJson(hit: SearchHit): Record<string, unknown> {
  const { analytic: _a, ruleId: _r, title: _t, level: _l, author: _au, source: _s, attack: _at, field: _f, ...rest } = matchJson(hit.file, hit.match);
  return { ...rest, fields: hit.fields };
}

export async function searchCommand(args: ParsedArgs, out: Out, err: Out): Promise<number> {
  const [value, ...operands] = args.positionals;
  if (value === undefined || operands.length === 0) throw new UsageError('search: give VALUE and at least one FILE');
  if (value === '') throw new UsageError('search: VALUE is empty');
  const json = args.flags.has('json');
  const format = (stringFlag(args, 'format') ?? 'auto') as FormatName | 'auto';
  if (!['auto', 'xml', 'json'].includes(format)) throw new UsageError('--format must be auto, xml or json');
  const maxPrinted = numberFlag(args, 'max-matches', 0) ?? Infinity;
  const spec = { value, field: stringFlag(args, 'field'), contains: args.flags.has('contains') };
  const { files, skipped } = await expand(operands, args.values.get('exclude') ?? [], err);
  let printed = 0;
  let fileCount = 0;
  const result = await searchFiles(spec, files, {
    format,
    threads: numberFlag(args, 'threads'),
    chunkSize: numberFlag(args, 'chunk-size'),
    maxStoredMatches: 0,
    onFile: () => {
      fileCount++;
      printed = 0;
    },
    onResult: (hit) => {
      if (printed++ < maxPrinted) out(json ? jsonLine(hitJson(hit)) : hitLine(hit));
    },
    onFileDone: (r) => {
      const s = r.summary;
      const notPrinted = Math.max(0, s.matches - maxPrinted);
      if (json) out(jsonLine({ summary: { file: s.file, format: s.format, events: s.events, found: s.matches, notPrinted, bytes: s.bytes, seconds: s.seconds } }));
      else out(terminalSafe(`${s.file}: ${s.matches} event(s) of ${s.events} hold ${JSON.stringify(value)}${spec.field ? ` in ${spec.field}` : ''}; ${s.format}; ${s.seconds.toFixed(2)} s${notPrinted ? ` (${notPrinted} not printed: --max-matches)` : ''}`));
      for (const warning of s.warnings ?? []) err(terminalSafe(`${s.file}: warning: ${warning}`));
    },
  });
  for (const f of result.failures) err(terminalSafe(`log-hunt: ${f.message.startsWith(`${f.file}: `) ? f.message : `${f.file}: ${f.message}`}`));
  for (const s of skipped) err(terminalSafe(`log-hunt: skipped ${s.file}: ${s.reason}`));
  return fileCount === 0 || result.failures.length > 0 ? 2 : 0;
}
