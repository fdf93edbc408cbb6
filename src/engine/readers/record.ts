import { baseName, ProcessFields } from '../model';

/** What a reader extracts from one record, before positions are attached. */
export interface ParsedRecord {
  eventId?: number;
  provider?: string;
  channel?: string;
  recordId?: string;
  time?: string;
  computer?: string;
  /** EventData values under their Sysmon names (Image, ParentImage, CommandLine, ...). */
  data: Record<string, string>;
  /** UTF-16 offsets [start, end) of the Image value in the record's text, found on demand. */
  locateImage(): [number, number] | undefined;
}

/** A record that could not be read; the reader's words say why. */
export class RecordError extends Error {}

/** EventID as a number, from a number or a string of digits; anything else is undefined. */
export function toEventId(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*\d{1,10}\s*$/.test(value)) return Number(value);
  return undefined;
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
