/**
 * The hunt loop: bytes from disk, framed into records, read into events, run through the
 * analytics, into matches and a summary that says why when nothing was found.
 */
import { ANALYTICS } from './analytics';
import { Analytic } from './analytics/analytic';
import { evaluate } from './analytics/evaluate';
import { openTextSource, TextSource, UnreadableInputError } from './decode';
import { explainEmpty } from './explain';
import { HuntOptions, HuntResult, HuntSummary } from './huntTypes';
import { isProcessCreate, Malformed, Match, Position, SourceRange, SysmonEvent } from './model';
import { detectShape, Detected, framerFor, leadingBlankLines } from './readers/detect';
import { FrameSink } from './readers/framer';
import { parseJsonRecord } from './readers/jsonShapes';
import { PARSE, Prefilter, prefilterFor } from './readers/prefilter';
import { ParsedRecord, RecordError, toProcessFields } from './readers/record';
import { nestedEventStart } from './readers/xmlFramer';
import { parseXmlRecord } from './readers/xmlRecord';
import { ByteWindow } from './window';

/** Matches and malformed-record warnings kept in a result; beyond these they are only counted. */
export const DEFAULT_MAX_STORED = 100_000;
export const MAX_STORED_MALFORMED = 1_000;
/** Bytes the framer sees at a time: small enough for V8's young generation (see step). */
const FRAME_SEGMENT = 64 * 1024;

/** Hunts one log file on disk with the given analytics (all registered ones by default). */
export async function huntFile(path: string, options: HuntOptions = {}): Promise<HuntResult> {
  const source = await openTextSource(path, options.chunkSize);
  return withChangeWarning(source, await huntSource(source, path, options));
}

/** Adds the source's warning, if the file changed, was replaced or deleted while it was hunted. */
export async function withChangeWarning(source: TextSource, result: HuntResult): Promise<HuntResult> {
  const changed = await source.changed?.();
  if (changed) (result.summary.warnings ??= []).push(changed);
  return result;
}

/** Hunts text already in memory, such as an unsaved editor; `name` labels it in the summary. */
export async function huntText(text: string, name: string, options: HuntOptions = {}): Promise<HuntResult> {
  const bytes = Buffer.from(text, 'utf8');
  const chunkSize = options.chunkSize ?? 1 << 20;
  let done = 0;
  async function* chunks(): AsyncGenerator<Buffer> {
    for (; done < bytes.length; done += chunkSize) yield bytes.subarray(done, done + chunkSize);
  }
  const source: TextSource = {
    encoding: 'utf-8',
    bomLength: 0,
    bytesTotal: bytes.length,
    chunks: chunks(),
    bytesRead: () => Math.min(done, bytes.length),
    close: async () => undefined,
  };
  return huntSource(source, name, options);
}

/** Turns UTF-16 offsets of a record's text into file positions, given where the record starts. */
function positionIn(text: string, start: Position, offset: number): Position {
  let line = start.line;
  let lineStart = -1;
  for (let nl = text.indexOf('\n'); nl >= 0 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
    line++;
    lineStart = nl;
  }
  return lineStart < 0 ? { line, column: start.column + offset } : { line, column: offset - lineStart };
}

function rangeIn(text: string, start: Position, from: number, to: number): SourceRange {
  return { start: positionIn(text, start, from), end: positionIn(text, start, to) };
}

/** Hunts a text source: the loop behind huntFile, huntText and each worker's part of a file. */
export async function huntSource(source: TextSource, file: string, options: HuntOptions = {}): Promise<HuntResult> {
  const started = performance.now();
  const analytics: readonly Analytic[] = options.analytics ?? ANALYTICS;
  const scan = await scanSource(source, options);
  return summarize(file, scan, source.bytesTotal, (performance.now() - started) / 1000, analytics);
}

/** What one pass over a text source found, before it is summarised (or merged with other parts). */
export interface Scan {
  detected?: Detected;
  jsonShape?: string;
  counts: { events: number; processCreates: number; matches: number; malformed: number };
  /** Records per EventID ('?' when unknown), for explanations. */
  eventIds: Map<string, number>;
  matches: Match[];
  malformed: Malformed[];
  /** The position just past the last byte: lines and columns a following part starts from. */
  end: Position;
}

/** Builds the summary, with the explanation when nothing matched. */
export function summarize(file: string, scan: Scan, bytes: number, seconds: number, analytics: readonly Analytic[]): HuntResult {
  const summary: HuntSummary = {
    file,
    format: describeFormat(scan.detected, scan.jsonShape),
    ...scan.counts,
    bytes,
    seconds,
  };
  summary.why = explainEmpty(summary, scan.eventIds, analytics);
  return { summary, matches: scan.matches, malformed: scan.malformed };
}

/** One pass: frames, filters, reads and evaluates every record; `detected` skips detection. */
export async function scanSource(source: TextSource, options: HuntOptions, known?: Detected): Promise<Scan> {
  const analytics: readonly Analytic[] = options.analytics ?? ANALYTICS;
  const maxStored = options.maxStoredMatches ?? DEFAULT_MAX_STORED;
  const window = new ByteWindow();
  const matches: Match[] = [];
  const malformed: Malformed[] = [];
  const counts = { events: 0, processCreates: 0, matches: 0, malformed: 0 };
  const eventIds = new Map<string, number>();
  let detected: Detected | undefined = known;
  let jsonShape: string | undefined;

  const reportMalformed = (at: number, message: string) => {
    counts.malformed++;
    const entry: Malformed = { position: window.positionOf(at), message };
    if (malformed.length < MAX_STORED_MALFORMED) malformed.push(entry);
    options.onMalformed?.(entry);
  };

  const readRecord = (text: string): ParsedRecord => {
    if (detected!.family === 'xml') return parseXmlRecord(text);
    const { shape, record } = parseJsonRecord(text);
    jsonShape ??= shape;
    return record;
  };

  let prefilter: Prefilter | undefined;
  const countEvent = (eventId: number | undefined, processCreate: boolean) => {
    counts.events++;
    const idKey = eventId === undefined ? '?' : String(eventId);
    eventIds.set(idKey, (eventIds.get(idKey) ?? 0) + 1);
    if (processCreate) counts.processCreates++;
  };

  const sink: FrameSink = {
    malformed: reportMalformed,
    record(start, end, latin1) {
      // Without the fast path, every process create is evaluated.
      let evaluateFields = true;
      if (prefilter) {
        const id = prefilter.classify(latin1);
        if (id !== PARSE) {
          countEvent(id, prefilter.processCreate);
          return;
        }
        evaluateFields = prefilter.mayMatch(latin1);
      }
      // A record that cannot match is read from its latin1 view, without decoding UTF-8: its
      // EventID, provider and channel are ASCII, and compare the same either way.
      let text = evaluateFields ? window.bytes.toString('utf8', start - window.base, end - window.base) : latin1;
      let record: ParsedRecord;
      for (;;) {
        try {
          record = readRecord(text);
          break;
        } catch (err) {
          if (!(err instanceof RecordError)) throw err;
          if (!evaluateFields) {
            // Judge a broken record on its decoded text, so its message is the plain path's.
            evaluateFields = true;
            text = window.bytes.toString('utf8', start - window.base, end - window.base);
            continue;
          }
          const nested = detected!.family === 'xml' ? nestedEventStart(latin1) : -1;
          if (nested >= 0) {
            reportMalformed(start, 'event is not closed before the next event starts; skipped');
            sink.record(start + nested, end, latin1.substring(nested));
            return;
          }
          reportMalformed(start, `${detected!.family === 'xml' ? 'XML' : 'JSON'} event not readable: ${err.message}`);
          return;
        }
      }
      const meta = { eventId: record.eventId, provider: record.provider, channel: record.channel };
      const processCreate = isProcessCreate(meta);
      countEvent(record.eventId, processCreate);
      if (!processCreate || !evaluateFields) return;
      const fields = toProcessFields(record);
      let event: SysmonEvent | undefined;
      for (const analytic of analytics) {
        if (!evaluate(analytic.logic, fields)) continue;
        if (!event) {
          const startPos = window.positionOf(start);
          const image = record.locateImage();
          event = {
            ...meta,
            recordId: record.recordId,
            time: record.time,
            fields,
            range: rangeIn(text, startPos, 0, text.length),
            imageRange: image && rangeIn(text, startPos, image[0], image[1]),
          };
        }
        const match: Match = { analyticId: analytic.id, event };
        counts.matches++;
        if (matches.length < maxStored) matches.push(match);
        options.onMatch?.(match);
      }
    },
  };

  let framer: ReturnType<typeof framerFor> | undefined;
  const forced = options.format && options.format !== 'auto' ? options.format : undefined;
  const step = (eof: boolean) => {
    if (!framer) {
      detected ??= forced ? { family: forced, framing: 'forced' } : detectShape(window.bytes, eof);
      if (!detected) {
        // Nothing but white space yet: drop its lines, so a file of blanks is never held (nor rescanned).
        window.discardBefore(window.base + leadingBlankLines(window.bytes));
        return;
      }
      framer = framerFor(detected.family, options.maxRecordBytes, window.base);
      if (options.mode !== 'plain') prefilter = prefilterFor(detected.family, analytics);
    }
    // The framer sees the window in segments, as if the bytes had come in small chunks (the
    // framing does not depend on chunk sizes): its latin1 text of each segment is then a small
    // string that dies young, where one string per 1 MB chunk lived in V8's large-object space
    // until a full collection, holding tens of MB of dead text (peak RSS 145 -> 80 MB on JSON lines).
    const bytes = window.bytes;
    let keep = window.base;
    for (let limit = Math.min(bytes.length, FRAME_SEGMENT); ; limit = Math.min(bytes.length, limit + FRAME_SEGMENT)) {
      const last = limit === bytes.length;
      keep = framer.frame({ bytes: last ? bytes : bytes.subarray(0, limit), base: window.base }, eof && last, sink);
      if (last) break;
    }
    window.discardBefore(keep);
  };

  for await (const chunk of source.chunks) {
    options.signal?.throwIfAborted();
    window.append(chunk);
    step(false);
    options.onProgress?.({ bytesDone: source.bytesRead(), bytesTotal: source.bytesTotal, events: counts.events });
  }
  options.signal?.throwIfAborted();
  step(true);
  return { detected, jsonShape, counts, eventIds, matches, malformed, end: window.positionOf(window.end) };
}

function describeFormat(detected: Detected | undefined, jsonShape: string | undefined): string {
  if (!detected) return 'empty';
  const shape = jsonShape ? `, ${jsonShape}` : '';
  return `${detected.family} (${detected.framing}${shape})`;
}

export { UnreadableInputError };
