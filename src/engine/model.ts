/** The event model: what readers produce and rules consume. No I/O, no vscode. */
import type { RuleInfo } from './rules/rule';

/** A 1-based line and a 1-based column counted in UTF-16 code units, as VS Code counts them. */
export interface Position {
  line: number;
  column: number;
}

/** A span of the source file; `end` is exclusive. */
export interface SourceRange {
  start: Position;
  end: Position;
}

/** The CAR data model's `process/create` fields; absent fields are undefined. */
export interface ProcessFields {
  exe?: string;
  parent_exe?: string;
  image_path?: string;
  parent_image_path?: string;
  command_line?: string;
  parent_command_line?: string;
  pid?: string;
  ppid?: string;
  guid?: string;
  parent_guid?: string;
  hostname?: string;
  user?: string;
  integrity_level?: string;
  hashes?: string;
  current_working_directory?: string;
}

export type FieldName = keyof ProcessFields;

/** The data-model fields an analytic may name. */
export const FIELD_NAMES: readonly FieldName[] = [
  'exe', 'parent_exe', 'image_path', 'parent_image_path', 'command_line', 'parent_command_line',
  'pid', 'ppid', 'guid', 'parent_guid', 'hostname', 'user', 'integrity_level', 'hashes',
  'current_working_directory',
];

/** Where a record sits in a binary `.evtx` file, which has no lines or columns. */
export interface RecordPlace {
  /** The chunk's number in the file: 0 for the first 64 KiB chunk after the 4 KiB header. */
  chunk: number;
  /** The record's byte offset in the file. */
  offset: number;
  /** Read from a chunk that failed a check, where the record's own framing still held. */
  recovered?: boolean;
}

/** One log record of any provider, with every field it holds and where it sits in the file. */
export interface SysmonEvent {
  eventId?: number;
  provider?: string;
  channel?: string;
  recordId?: string;
  time?: string;
  computer?: string;
  /** EventData (and UserData) values under their Sysmon / Windows names. */
  data: Record<string, string>;
  /**
   * Every System field under the rules' names (Provider_Name, Level, Keywords, Execution_ProcessID,
   * Security_UserID, ...): kept for matched events only, so the faces can show the whole event.
   */
  system?: Record<string, string>;
  /** The CAR process/create fields, derived from `data` (empty for events that are not process creates). */
  fields: ProcessFields;
  /**
   * The whole record. For an `.evtx` record (`place` set) this and a match's `valueRange` are
   * positions in the record's XML rendering (one line, as renderRecordXml gives it), not in the file.
   */
  range: SourceRange;
  /** Set for a record of a binary `.evtx` file. */
  place?: RecordPlace;
}

/** A Sysmon process create: Sysmon provider (or channel) and EventID 1. */
export function isProcessCreate(event: Pick<SysmonEvent, 'eventId' | 'provider' | 'channel'>): boolean {
  if (event.eventId !== 1) return false;
  const provider = (event.provider ?? '').toLowerCase();
  const channel = (event.channel ?? '').toLowerCase();
  return provider === 'microsoft-windows-sysmon' || channel === 'microsoft-windows-sysmon/operational';
}

/** The file name of a Windows or POSIX path: `C:\Windows\System32\cmd.exe` gives `cmd.exe`. */
export function baseName(path: string): string {
  const cut = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return cut < 0 ? path : path.slice(cut + 1);
}

/** A malformed record: reported with its position, never fatal. */
export interface Malformed {
  /** In a binary `.evtx` file, line 1 column 1: `place` says where. */
  position: Position;
  message: string;
  /** Set for a problem in a binary `.evtx` file: its offset, and its chunk and record when it has them. */
  place?: { offset: number; chunk?: number; recordId?: string };
}

/** A process of a match's lineage: its create event, as far as lineage keeps it (see lineage.ts). */
export interface LineageEntry {
  processGuid: string | null;
  processId: string | null;
  image: string | null;
  /** Cut at 4096 characters (ending in `…`). */
  commandLine: string | null;
  time: string | null;
  user: string | null;
  host: string | null;
  /** The file of the create event, and where it starts: `position` in a text log, `place` (and recordId) in an `.evtx`. */
  file: string;
  recordId: string | null;
  position?: Position;
  place?: RecordPlace;
}

/**
 * Where a match's process comes from and what it started. `ancestors` runs from the parent
 * (`ancestors[0]`, also `parent`) up as far as the log goes; `descendants` holds the children and
 * all theirs, breadth first. `process` is the match's own process create, for a match on another
 * event (a network connection, a file write). Lists stop at 1000 entries (`truncated` then set).
 */
export interface Lineage {
  process?: LineageEntry;
  parent: LineageEntry | null;
  ancestors: LineageEntry[];
  children: LineageEntry[];
  descendants: LineageEntry[];
  truncated?: boolean;
}

/** A rule's hit on one event. */
export interface Match {
  /** The rule's id (Sigma id or CAR id): the same value as `rule.id`. */
  analyticId: string;
  rule: RuleInfo;
  event: SysmonEvent;
  /** The field the position points at (the event's name for it), when the rule named one. */
  field?: string;
  /** The value of that field in the file, where the shape lets it be found. */
  valueRange?: SourceRange;
  /** The process's lineage, set after the hunt's pass (unless lineage is off); not yet set when onMatch sees the match. */
  lineage?: Lineage;
}
