/** How the CLI prints matches and summaries, for people and as JSON Lines. */
import { baseName, HuntSummary, Lineage, LineageEntry, Malformed, Match, nearMissWords, RecordPlace } from '../engine';
import { safeJson, terminalSafe } from './terminalSafe';

/** Where a record of an `.evtx` is: `record 9804 (chunk 3, offset 0x31200)`. */
function placeText(recordId: string | undefined, place: RecordPlace): string {
  const record = recordId === undefined ? 'record' : `record ${recordId}`;
  return `${record} (chunk ${place.chunk}, offset 0x${place.offset.toString(16)}${place.recovered ? ', recovered from a damaged chunk' : ''})`;
}

/**
 * One match as the JSON object `--json` prints: 1-based lines, UTF-16 columns, as VS Code counts.
 * A match in an `.evtx` has no lines: its lines are null, and chunk and offset say where it is.
 */
export function matchJson(file: string, match: Match): Record<string, unknown> {
  const e = match.event;
  const binary = e.place !== undefined;
  const at = match.valueRange ?? e.range;
  const line = (n: number) => (binary ? null : n);
  const f = e.fields;
  return {
    analytic: match.analyticId,
    ruleId: match.rule.id,
    title: match.rule.title,
    level: match.rule.level,
    author: match.rule.author ?? null,
    source: match.rule.source,
    attack: match.rule.attack,
    field: match.field ?? null,
    file,
    line: line(at.start.line),
    column: line(at.start.column),
    endLine: line(at.end.line),
    endColumn: line(at.end.column),
    eventLine: line(e.range.start.line),
    eventColumn: line(e.range.start.column),
    eventEndLine: line(e.range.end.line),
    eventEndColumn: line(e.range.end.column),
    eventId: e.eventId ?? null,
    recordId: e.recordId ?? null,
    chunk: e.place?.chunk ?? null,
    offset: e.place?.offset ?? null,
    recovered: e.place?.recovered ?? false,
    host: e.computer ?? null,
    time: e.time ?? null,
    image: f.image_path ?? null,
    parentImage: f.parent_image_path ?? null,
    commandLine: f.command_line ?? null,
    parentCommandLine: f.parent_command_line ?? null,
    pid: f.pid ?? null,
    ppid: f.ppid ?? null,
    processGuid: f.guid ?? null,
    parentProcessGuid: f.parent_guid ?? null,
    user: f.user ?? null,
    integrityLevel: f.integrity_level ?? null,
    hashes: f.hashes ?? null,
    data: e.data,
  };
}

export function jsonLine(value: unknown): string {
  return safeJson(value);
}

/** What happened, in one phrase: `parent -> image  command line` for a process, else the image and the deciding value. */
function what(match: Match): string {
  const e = match.event;
  const f = e.fields;
  if (f.command_line !== undefined || f.parent_exe !== undefined) return `${f.parent_exe ?? '?'} -> ${f.exe ?? '?'}  ${f.command_line ?? ''}`;
  const image = e.data.Image ?? e.data.SourceImage;
  const value = match.field === undefined ? undefined : e.data[match.field];
  return [image === undefined ? undefined : baseName(image), value === undefined ? undefined : `${match.field}=${value}`].filter((x) => x !== undefined).join('  ');
}

/**
 * `file:line:col  RULE  host  time  what`, terminal-safe; RULE is a CAR id or a Sigma rule's title.
 * In an `.evtx`, `file: record 9804 (chunk 3, offset 0x31200)` stands where `file:line:col` does.
 */
export function matchLine(file: string, match: Match): string {
  const e = match.event;
  const at = (match.valueRange ?? e.range).start;
  const where = e.place ? `${file}: ${placeText(e.recordId, e.place)}` : `${file}:${at.line}:${at.column}`;
  // A CAR id reads as a name; a Sigma id is a UUID, so people get the title (JSON keeps both).
  const rule = match.rule.kind === 'car' ? match.rule.id : match.rule.title;
  const parts = [where, rule, e.computer ?? '-', e.time ?? '-', what(match)];
  return terminalSafe(parts.join('  '));
}

/** A malformed record's warning: `file:line:col: warning: ...`, or `file: warning: ...` in an `.evtx`, whose message says where. */
export function malformedLine(file: string, m: Malformed): string {
  const where = m.place ? file : `${file}:${m.position.line}:${m.position.column}`;
  return terminalSafe(`${where}: warning: ${m.message}`);
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(bytes < 1e6 ? 3 : 1);
}

/** The per-file summary for people, with the reason when nothing matched. */
export function summaryLines(s: HuntSummary, capped: number, titles: ReadonlyMap<string, string> = new Map()): string[] {
  const rate = s.seconds > 0 ? ` (${megabytes(s.bytes / s.seconds)} MB/s)` : '';
  const lines = [
    terminalSafe(
      `${s.file}: ${s.matches} match(es) in ${s.events} events, ${s.processCreates} process creates, ` +
        `${s.malformed} malformed; ${s.format}; ${megabytes(s.bytes)} MB in ${s.seconds.toFixed(2)} s${rate}`,
    ),
  ];
  const byRule = Object.entries(s.matchesByRule);
  if (byRule.length > 0) lines.push(terminalSafe(`  matches by rule (${s.rules} rules ran): ${byRule.map(([id, n]) => `${titles.get(id) ?? id} ×${n}`).join(', ')}`));
  if (capped > 0) lines.push(`  ${capped} further match(es) were counted but not printed (--max-matches).`);
  if (s.why) lines.push(terminalSafe(`  nothing found: ${s.why}`));
  if (s.nearMisses) {
    const { words } = s.nearMisses;
    // One line per rule: the sentences name values from the log, which can be long.
    if (s.nearMisses.rules.length === 0) lines.push(terminalSafe(`  ${nearMissWords(s.nearMisses)}`));
    else lines.push(`  closest rules (near misses: events one test short of a match):`, ...words.map((w) => terminalSafe(`    ${w}`)));
  }
  return lines;
}

/** Where a lineage entry's create is: `file:line:col`, or `file: record N (chunk C, offset 0x...)`. */
function entryWhere(entry: LineageEntry, matchFile: string): string {
  const file = entry.file === matchFile ? '' : entry.file;
  if (entry.place) return `${file}${file ? ': ' : ''}${placeText(entry.recordId ?? undefined, entry.place)}`;
  const line = entry.position?.line ?? '?';
  return file ? `${file}:${line}:${entry.position?.column ?? '?'}` : `line ${line}`;
}

function entryText(entry: LineageEntry, matchFile: string): string {
  return `${baseName(entry.image ?? '?')} (${entryWhere(entry, matchFile)})`;
}

/** A match's lineage under its line: ancestors up to the root, then children and further descendants. */
export function lineageLines(lineage: Lineage, file: string): string[] {
  const lines: string[] = [];
  if (lineage.ancestors.length > 0) lines.push(`    parents: ${lineage.ancestors.map((a) => entryText(a, file)).join(' < ')}`);
  if (lineage.children.length > 0) lines.push(`    children: ${lineage.children.map((c) => entryText(c, file)).join(', ')}`);
  const more = lineage.descendants.length - lineage.children.length;
  if (more > 0) lines.push(`    and ${more} further descendant(s)${lineage.truncated ? ' (list cut)' : ''}`);
  return lines.map((l) => terminalSafe(l));
}
