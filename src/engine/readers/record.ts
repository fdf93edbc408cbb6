import { baseName, ProcessFields } from '../model';

/** What a reader extracts from one record, before positions are attached. */
export interface ParsedRecord {
  eventId?: number;
  provider?: string;
  channel?: string;
  recordId?: string;
  time?: string;
  computer?: string;
  /** EventData (and UserData leaves) under their Sysmon / Windows names (Image, ParentImage, CommandLine, ...). */
  data: Record<string, string>;
  /**
   * System fields under the names Sigma rules use: EventID, Provider_Name, Provider_Guid, Channel,
   * Computer, EventRecordID, TimeCreated (its SystemTime), Version, Level, Task, Opcode, Keywords,
   * Execution_ProcessID, Execution_ThreadID, Security_UserID, Correlation_ActivityID, ... as far as
   * the shape has them (see docs/ecs-fields.md).
   */
  system: Record<string, string>;
  /** UTF-16 offsets [start, end) in the record's text of the value of this field (a data name first, then a system name). */
  locate(field: string): [number, number] | undefined;
}

/** A record that could not be read; the reader's words say why. */
export class RecordError extends Error {}

/** EventID as a number, from a number or a string of digits; anything else is undefined. */
export function toEventId(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*\d{1,10}\s*$/.test(value)) return Number(value);
  return undefined;
}

/**
 * The name of the n-th (1-based) unnamed `<Data>` of an EventData: `Data`, then `Data_2`, `Data_3`, ...
 * Classic providers write their EventData this way; Sigma rules on such events name the field `Data`.
 */
export function unnamedDataName(n: number): string {
  return n === 1 ? 'Data' : `Data_${n}`;
}

/** The System field name of an attribute: `Provider_Name`, `Execution_ProcessID`; TimeCreated's SystemTime is `TimeCreated`. */
export function systemAttributeName(element: string, attribute: string): string {
  return element === 'TimeCreated' && attribute === 'SystemTime' ? 'TimeCreated' : `${element}_${attribute}`;
}

/** The CAR process/create fields from Sysmon's EventData names. */
export function toProcessFields(record: ParsedRecord): ProcessFields {
  const d = record.data;
  const image = d.Image;
  const parentImage = d.ParentImage;
  return {
    exe: image === undefined ? undefined : baseName(image),
    parent_exe: parentImage === undefined ? undefined : baseName(parentImage),
    image_path: image,
    parent_image_path: parentImage,
    command_line: d.CommandLine,
    parent_command_line: d.ParentCommandLine,
    pid: d.ProcessId,
    ppid: d.ParentProcessId,
    guid: d.ProcessGuid,
    parent_guid: d.ParentProcessGuid,
    hostname: record.computer,
    user: d.User,
    integrity_level: d.IntegrityLevel,
    hashes: d.Hashes,
    current_working_directory: d.CurrentDirectory,
  };
}
