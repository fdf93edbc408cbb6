/** The hunt's public contract, shared by the CLI, the extension, the bench and the tests. */
import type { LineageIndex, ProcessNote } from './lineage';
import { Malformed, Match } from './model';
import type { NearMissReport } from './nearMiss';
import type { LoadedRules } from './rules/load';

/** The log shapes the readers know; `auto` detects the shape from the content. */
export type FormatName =
  | 'xml'
  | 'json';

export interface HuntOptions {
  /** The rules to run (see loadRules); the built-in CAR library by default. */
  rules?: LoadedRules;
  /** Force a shape instead of detecting it. */
  format?: FormatName | 'auto';
  /** Bytes per read; tests vary it from 1 byte to 1 MB. */
  chunkSize?: number;
  /** Called now and then with bytes done of total and events read. */
  onProgress?: (progress: HuntProgress) => void;
  /** Called for each match as soon as it is found. */
  onMatch?: (match: Match) => void;
  /** Called for each malformed record as soon as it is found. */
  onMalformed?: (malformed: Malformed) => void;
  /** Cancels the hunt; the promise then rejects with an AbortError. */
  signal?: AbortSignal;
  /**
   * `fast` (the default) skips, from their raw bytes, records that cannot match; `plain` reads every
   * record with the full parser. Both give the same matches, positions and counts on well-formed logs.
   */
  mode?: 'fast' | 'plain';
  /** Matches beyond this many are counted, not stored. */
  maxStoredMatches?: number;
  /**
   * onMatch sees the first this many matches only (default: every one). Once both limits are
   * passed a match is only counted, its event never built: a worker's part can give a hunt with
   * no onMatch at most maxStoredMatches matches, wherever it lies in the file.
   */
  maxStreamedMatches?: number;
  /** Records larger than this many bytes are reported as malformed and skipped unread (default 128 MiB). */
  maxRecordBytes?: number;
  /** Process lineage on matches (see lineage.ts): off unless true (or a `lineageIndex` is given). */
  lineage?: boolean;
  /** Processes the lineage index keeps (DEFAULT_MAX_LINEAGE_PROCESSES); past it, a summary warning. */
  maxLineageProcesses?: number;
  /**
   * An index shared by several hunts (huntFiles does this): each hunt adds its file's processes,
   * and the caller attaches lineage (`index.attach(matches)`) once every file is in.
   */
  lineageIndex?: LineageIndex;
  /** Internal: receives each Sysmon process create/terminate, in file order (set by withLineage and workers). */
  onProcess?: (note: ProcessNote) => void;
  /** Internal: process notes may leave out what the index reads back from the file (a hunt of a file on disk into a deferring index). */
  leanProcesses?: boolean;
}

export interface HuntProgress {
  bytesDone: number;
  bytesTotal: number;
  events: number;
}

export interface HuntSummary {
  file: string;
  /** The detected (or forced) shape, in words, e.g. "xml: Event Viewer export". */
  format: string;
  /** All records, of any provider. */
  events: number;
  /** Sysmon EventID 1 records. */
  processCreates: number;
  matches: number;
  malformed: number;
  /** Rules the hunt ran. */
  rules: number;
  /** Matches per rule id, most first. */
  matchesByRule: Record<string, number>;
  bytes: number;
  seconds: number;
  /** Why the hunt found nothing, in words; undefined when it found something. */
  why?: string;
  /**
   * Which rules came closest, when a face asked for it after the hunt found nothing (nearMiss.ts:
   * a second pass; the hunt itself never gathers it).
   */
  nearMisses?: NearMissReport;
  /** Trouble with the file as a whole, such as "the file changed while it was hunted (...)". */
  warnings?: string[];
}

export interface HuntResult {
  summary: HuntSummary;
  /** Stored matches, at most `maxStoredMatches`. */
  matches: Match[];
  malformed: Malformed[];
}
