/**
 * One pass over a text source: the window frames records, the fast path drops those no rule can
 * match, the reader parses the rest into events, and the rule stage turns them into matches.
 */
import { isAscii } from 'node:buffer';
import { TextSource } from './decode';
import { HuntOptions } from './huntTypes';
import { isProcessCreate, Position, SourceRange } from './model';
import { Findings } from './findings';
import { leanNoteIsAscii, NoteWhere, quickXmlProcessRecord, terminateHasGuid } from './lineage';
import { jsonProcessNote } from './lineageJson';
import { quickXmlCreateNote } from './lineageQuick';
import { Scan } from './scanTypes';
import { Detected, detectShape, framerFor, leadingBlankLines } from './readers/detect';
import { Framer, FrameSink } from './readers/framer';
import { parseJsonRecord } from './readers/jsonShapes';
import { PARSE, Prefilter, prefilterFor } from './readers/prefilter';
import { ParsedRecord, RecordError } from './readers/record';
import { nestedEventStart } from './readers/xmlFramer';
import { quickXmlRecord } from './readers/xmlQuick';
import { parseXmlRecord } from './readers/xmlRecord';
import { builtinRules, ruleSetOf } from './rules/load';
import { RawPicks, RuleSet } from './rules/ruleSet';
import { ByteWindow } from './window';

export { DEFAULT_MAX_STORED, MAX_STORED_MALFORMED } from './findings';
export { emptyScan } from './scanTypes';
export type { Scan } from './scanTypes';

/** Bytes the framer sees at a time: small enough for V8's young generation (see step). */
const FRAME_SEGMENT = 64 * 1024;

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

export function rangeIn(text: string, start: Position, from: number, to: number): SourceRange {
  return { start: positionIn(text, start, from), end: positionIn(text, start, to) };
}

/** One pass: frames, filters, reads and evaluates every record; `known` skips detection. */
export async function scanSource(source: TextSource, options: HuntOptions, known?: Detected): Promise<Scan> {
  const scanner = new Scanner(options, known);
  // Lineage may read a process create back from a UTF-8 file at its bytes (a worker's part: parallel.ts adds its start).
  scanner.fileBase = options.leanProcesses && source.encoding === 'utf-8' ? source.bomLength : undefined;
  for await (const chunk of source.chunks) {
    options.signal?.throwIfAborted();
    scanner.append(chunk);
    options.onProgress?.({ bytesDone: source.bytesRead(), bytesTotal: source.bytesTotal, events: scanner.scan.counts.events });
  }
  options.signal?.throwIfAborted();
  return scanner.finish();
}

class Scanner implements FrameSink {
  private readonly findings: Findings;
  private readonly window = new ByteWindow();
  private readonly rules: RuleSet;
  private framer?: Framer;
  private prefilter?: Prefilter;
  /** For lean process notes: where the window's offset 0 is in the file; undefined when not lean or its offsets are not the file's (UTF-16). */
  fileBase?: number;

  constructor(
    private readonly options: HuntOptions,
    known: Detected | undefined,
  ) {
    this.rules = ruleSetOf(options.rules ?? builtinRules());
    this.findings = new Findings(options, known);
  }

  get scan(): Scan {
    return this.findings.scan;
  }

  append(chunk: Buffer): void {
    this.window.append(chunk);
    this.step(false);
  }

  finish(): Scan {
    this.step(true);
    this.scan.end = this.window.positionOf(this.window.end);
    return this.scan;
  }

  malformed(at: number, message: string): void {
    this.findings.malformed({ position: this.window.positionOf(at), message });
  }

  private countEvent(eventId: number | undefined, processCreate: boolean): void {
    this.findings.countEvent(eventId, processCreate);
  }

  private decode(start: number, end: number): string {
    return this.window.bytes.toString('utf8', start - this.window.base, end - this.window.base);
  }

  private read(text: string): ParsedRecord {
    // Plain XML by string search, else SAX; the plain path reads with SAX only, so the equality tests compare the two.
    if (this.scan.detected!.family === 'xml') return (this.options.mode !== 'plain' && quickXmlRecord(text)) || parseXmlRecord(text);
    const { shape, record } = parseJsonRecord(text);
    this.scan.jsonShape ??= shape;
    return record;
  }

  record(start: number, end: number, latin1: string): void {
    // Without the fast path, every record is evaluated.
    let candidate = true;
    if (this.prefilter) {
      const id = this.prefilter.classify(latin1);
      if (id !== PARSE) {
        // Lineage reads every Sysmon create and terminate, even those no rule can match.
        const lineage = this.findings.wantsProcesses && ((id === 1 && this.prefilter.processCreate) || (id === 5 && !terminateHasGuid(latin1)));
        if (!lineage || this.quickProcess(id, start, end, latin1)) return this.countEvent(id, this.prefilter.processCreate);
        candidate = false;
      } else {
        candidate = this.prefilter.candidate;
        // JSON with EventID 1 that no rule wants: a Sysmon create gives lineage its ids without every field built.
        if (!candidate && this.fileBase !== undefined && this.findings.wantsProcesses && this.scan.detected!.family === 'json' && this.jsonProcess(1, start, end, latin1)) return this.countEvent(1, true);
      }
    }
    // A record no rule can match is read from its latin1 view, without decoding UTF-8: its
    // EventID, provider and channel are ASCII, and compare the same either way.
    let text = candidate ? this.decode(start, end) : latin1;
    let record: ParsedRecord;
    for (;;) {
      try {
        record = this.read(text);
        break;
      } catch (err) {
        if (!(err instanceof RecordError)) throw err;
        if (!candidate) {
          // Judge a broken record on its decoded text, so its message is the plain path's.
          candidate = true;
          text = this.decode(start, end);
          continue;
        }
        const xml = this.scan.detected!.family === 'xml';
        const nested = xml ? nestedEventStart(latin1) : -1;
        if (nested >= 0) {
          this.malformed(start, 'event is not closed before the next event starts; skipped');
          return this.record(start + nested, end, latin1.substring(nested));
        }
        return this.malformed(start, `${xml ? 'XML' : 'JSON'} event not readable: ${err.message}`);
      }
    }
    const processCreate = isProcessCreate(record);
    this.countEvent(record.eventId, processCreate);
    if (this.findings.wantsProcesses && (processCreate || record.eventId === 5)) {
      // Read from latin1, a record with UTF-8 in it is read again decoded, so its names are right
      // (not for a lean note whose strings are all ASCII: the decoded text gives the same).
      const where = this.noteWhere(start, end);
      let note = this.findings.noteOf(record, where);
      if (!candidate && !isAscii(this.window.bytes.subarray(start - this.window.base, end - this.window.base)) && !leanNoteIsAscii(record, note)) {
        text = this.decode(start, end);
        record = this.read(text);
        note = this.findings.noteOf(record, where);
      }
      if (note) this.findings.processNote(note);
    }
    if (candidate) this.evaluate(record, text, start, this.prefilter?.picks);
  }

  /**
   * Lineage's fields of an XML create or terminate no rule wants, read from the raw text without
   * the parser (5 times faster on XML; JSON: lineageJson.ts). False when the text needs the parser: the caller parses.
   */
  private quickProcess(id: number, start: number, end: number, latin1: string): boolean {
    if (this.scan.detected!.family !== 'xml') return this.fileBase !== undefined && this.jsonProcess(id === 1 ? 1 : 5, start, end, latin1);
    if (id === 1 && this.fileBase !== undefined) {
      // Only the ids (the rest is read back for the processes a lineage names), from the latin1
      // view; ids or a host with other than ASCII in them are read again from the decoded text.
      const where = this.noteWhere(start, end);
      const note = quickXmlCreateNote(latin1, where, true, this.prefilter?.found) ?? quickXmlCreateNote(this.decode(start, end), where, false);
      if (note) this.findings.processNote(note);
      return note !== undefined;
    }
    const ascii = isAscii(this.window.bytes.subarray(start - this.window.base, end - this.window.base));
    const text = ascii ? latin1 : this.decode(start, end);
    const record = quickXmlProcessRecord(text, id);
    if (!record) return false;
    this.findings.process(record, this.noteWhere(start, end));
    return true;
  }

  /** A lean note of a JSON create or terminate (from its latin1 view, else decoded), only its ids read; false: the caller reads it. */
  private jsonProcess(id: 1 | 5, start: number, end: number, latin1: string): boolean {
    const where = this.noteWhere(start, end);
    let read = jsonProcessNote(latin1, id, where, true);
    if (read === 'decode') read = jsonProcessNote(this.decode(start, end), id, where, false);
    if (read === 'parse' || read === 'decode') return false;
    this.scan.jsonShape ??= read.shape;
    if (read.note) this.findings.processNote(read.note);
    return true;
  }

  /** Where a process note's record is: its position, and its bytes in the file when they can be read back. */
  private noteWhere(start: number, end: number): NoteWhere {
    const position = this.window.positionOf(start);
    return this.fileBase === undefined ? { position } : { position, byteOffset: this.fileBase + start, byteLength: end - start };
  }

  /** Runs the rules on a parsed record and stores what matched. */
  private evaluate(record: ParsedRecord, text: string, start: number, picks?: RawPicks): void {
    const hits = this.rules.evaluate(record, this.options.mode === 'plain', picks);
    if (hits.length === 0) return;
    const startPos = this.window.positionOf(start);
    this.findings.matched(hits, record, rangeIn(text, startPos, 0, text.length), (from, to) => rangeIn(text, startPos, from, to));
  }

  private step(eof: boolean): void {
    const { window, options } = this;
    if (!this.framer) {
      const forced = options.format && options.format !== 'auto' ? options.format : undefined;
      this.scan.detected ??= forced ? { family: forced, framing: 'forced' } : detectShape(window.bytes, eof);
      if (!this.scan.detected) {
        // Nothing but white space yet: drop its lines, so a file of blanks is never held (nor rescanned).
        window.discardBefore(window.base + leadingBlankLines(window.bytes));
        return;
      }
      const { family } = this.scan.detected;
      if (family === 'evtx') throw new Error('an .evtx file is read by scanEvtxFile, not as text');
      this.framer = framerFor(family, options.maxRecordBytes, window.base);
      if (options.mode !== 'plain') this.prefilter = prefilterFor(family, this.rules);
    }
    // The framer sees the window in segments, as if the bytes had come in small chunks (the
    // framing does not depend on chunk sizes): its latin1 text of each segment is then a small
    // string that dies young, where one string per 1 MB chunk lived in V8's large-object space
    // until a full collection, holding tens of MB of dead text (peak RSS 145 -> 80 MB on JSON lines).
    const bytes = window.bytes;
    let keep: number;
    for (let limit = Math.min(bytes.length, FRAME_SEGMENT); ; limit = Math.min(bytes.length, limit + FRAME_SEGMENT)) {
      const last = limit === bytes.length;
      keep = this.framer.frame({ bytes: last ? bytes : bytes.subarray(0, limit), base: window.base }, eof && last, this);
      if (last) break;
    }
    window.discardBefore(keep);
  }
}
