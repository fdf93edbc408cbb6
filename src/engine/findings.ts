/**
 * What a pass over a log keeps: counts, stored matches and malformed records, and the callbacks
 * that stream them. Shared by the text scanner and the EVTX scanner, so both count and store alike.
 */
import { HuntOptions } from './huntTypes';
import { NoteWhere, processNoteOf, ProcessNote } from './lineage';
import { Malformed, Match, SourceRange, SysmonEvent } from './model';
import { Detected } from './readers/detect';
import { ParsedRecord, toProcessFields } from './readers/record';
import { RuleHit } from './rules/ruleSet';
import { emptyScan, Scan } from './scanTypes';

/** Matches and malformed-record warnings kept in a result; beyond these they are only counted. */
export const DEFAULT_MAX_STORED = 100_000;
export const MAX_STORED_MALFORMED = 1_000;

export class Findings {
  readonly scan: Scan;
  private readonly maxStored: number;
  /** How many matches onMatch is to see (0 without one), and has seen. */
  private readonly maxStreamed: number;
  private streamed = 0;

  constructor(
    private readonly options: HuntOptions,
    detected: Detected | undefined,
  ) {
    this.maxStored = options.maxStoredMatches ?? DEFAULT_MAX_STORED;
    this.maxStreamed = options.onMatch ? (options.maxStreamedMatches ?? Infinity) : 0;
    this.scan = emptyScan(detected);
  }

  countEvent(eventId: number | undefined, processCreate: boolean): void {
    const { counts, eventIds } = this.scan;
    counts.events++;
    const key = eventId === undefined ? '?' : String(eventId);
    eventIds.set(key, (eventIds.get(key) ?? 0) + 1);
    if (processCreate) counts.processCreates++;
  }

  /** Does the hunt want process creates and terminates (for lineage)? */
  get wantsProcesses(): boolean {
    return this.options.onProcess !== undefined;
  }

  /**
   * Reports a parsed record to lineage if it is a Sysmon process create or terminate: a lean note
   * (ids and place) when the hunt's index reads details back and `where` says where the record is.
   */
  process(record: ParsedRecord, where: NoteWhere): void {
    const note = this.noteOf(record, where);
    if (note) this.options.onProcess!(note);
  }

  /** The note process() would report, not reported yet. */
  noteOf(record: ParsedRecord, where: NoteWhere): ProcessNote | undefined {
    return processNoteOf(record, where, this.leanProcesses);
  }

  /** May process notes leave out what the index reads back from the file? */
  get leanProcesses(): boolean {
    return this.options.leanProcesses === true;
  }

  /** Reports a note read without the parser (lineageQuick.ts, an `.evtx` record's plan). */
  processNote(note: ProcessNote): void {
    this.options.onProcess!(note);
  }

  malformed(entry: Malformed): void {
    this.scan.counts.malformed++;
    if (this.scan.malformed.length < MAX_STORED_MALFORMED) this.scan.malformed.push(entry);
    this.options.onMalformed?.(entry);
  }

  /**
   * Stores a record's rule hits as matches on one event. `range` is the whole record; `rangeOf`
   * turns a [from, to) span of the record's text (from `record.locate`) into a range.
   */
  matched(hits: RuleHit[], record: ParsedRecord, range: SourceRange, rangeOf: (from: number, to: number) => SourceRange, place?: SysmonEvent['place']): void {
    const { matches } = this.scan;
    if (matches.length >= this.maxStored && this.streamed >= this.maxStreamed) {
      // Past both caps: only counted, so the event is not built (an incident's log with every rule
      // reaches the cap within 100 MB, and building the events cost up to a third of the hunt).
      for (const hit of hits) this.count(hit);
      return;
    }
    const event: SysmonEvent = {
      eventId: record.eventId,
      provider: record.provider,
      channel: record.channel,
      recordId: record.recordId,
      time: record.time,
      computer: record.computer,
      // Copies: a reader adds fields one by one, which leaves V8 a dictionary-mode object; a copy
      // by spread is a fast one, a quarter to a fifth smaller per stored event on the incident mix.
      data: { ...record.data },
      fields: toProcessFields(record),
      range,
    };
    if (place) event.place = place;
    const system = record.system;
    if (Object.keys(system).length > 0) event.system = { ...system };
    for (const hit of hits) {
      const at = hit.field === undefined ? undefined : record.locate(hit.field);
      const match: Match = {
        analyticId: hit.rule.id,
        rule: hit.rule,
        event,
        field: hit.field,
        valueRange: at && rangeOf(at[0], at[1]),
      };
      this.count(hit);
      if (matches.length < this.maxStored) matches.push(match);
      if (this.streamed < this.maxStreamed) {
        this.streamed++;
        this.options.onMatch!(match);
      }
    }
  }

  private count(hit: RuleHit): void {
    this.scan.counts.matches++;
    this.scan.ruleCounts.set(hit.rule.id, (this.scan.ruleCounts.get(hit.rule.id) ?? 0) + 1);
  }
}
