/** What one pass over a log found, before it is summarised or merged with other parts. */
import { Malformed, Match, Position } from './model';
import { Detected } from './readers/detect';

export interface Scan {
  detected?: Detected;
  jsonShape?: string;
  counts: { events: number; processCreates: number; matches: number; malformed: number };
  /** Records per EventID ('?' when unknown), for explanations. */
  eventIds: Map<string, number>;
  /** Matches per rule id. */
  ruleCounts: Map<string, number>;
  matches: Match[];
  malformed: Malformed[];
  /** The position just past the last byte: lines and columns a following part starts from (line 1 column 1 for `.evtx`). */
  end: Position;
}

/** A scan that has found nothing yet: where a pass, or the merge of several, starts. */
export function emptyScan(detected: Detected | undefined): Scan {
  return {
    detected,
    counts: { events: 0, processCreates: 0, matches: 0, malformed: 0 },
    eventIds: new Map(),
    ruleCounts: new Map(),
    matches: [],
    malformed: [],
    end: { line: 1, column: 1 },
  };
}
