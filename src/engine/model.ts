/** The event model: what readers produce and analytics consume. No I/O, no vscode. */

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

/** One log record of any provider, with its metadata and where it sits in the file. */
export interface SysmonEvent {
  eventId?: number;
  provider?: string;
  channel?: string;
  recordId?: string;
  time?: string;
  fields: ProcessFields;
  /** The whole record. */
  range: SourceRange;
  /** The Image value, where the shape has one. */
  imageRange?: SourceRange;
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
  position: Position;
  message: string;
}

/** An analytic's hit on one event. */
export interface Match {
  analyticId: string;
  event: SysmonEvent;
}
