/**
 * The lean lineage note of a JSON process create (or terminate) no rule wants: the record is parsed
 * (as a hunt without lineage parses it too, to tell a Sysmon create by its metadata), but only the
 * ids lineage keeps are read from the parsed object, per shape, instead of building every field of
 * the record (putAll, the ECS moves) as processNoteOf does. Anything the shapes would read
 * otherwise (a long number, no UtcTime, evtx_dump's UserData) is left to the full reading, so the
 * notes are exactly processNoteOf's (lineageJson.test.ts compares them).
 *
 * (A reading of the raw text without JSON.parse, which checks the text is JSON as it goes, was
 * measured slower than JSON.parse itself: 6.8-9.4 µs against 4.2 µs per bench create.)
 */
import { leanNoteOf, NoteWhere, ProcessNote, processNoteKind } from './lineage';
import { ECS_BY_EVENT_ID } from './readers/ecsFields';
import { at, get, isObject, Json, lostDigitsSeen, resetLostDigits, str } from './readers/jsonFields';
import { JsonPath } from './readers/jsonLocate';
import { JsonShape, Meta, parseObject } from './readers/jsonRecord';
import { JSON_SHAPES } from './readers/jsonShapes';

/**
 * What the reading gives: the note (none for a terminate lineage does not need) and the record's
 * shape as parseJsonRecord names it, or why it gave up.
 */
export type JsonNoteResult = { note: ProcessNote | undefined; shape: string } | 'parse' | 'decode';

const IDS = ['ProcessGuid', 'ProcessId', 'ParentProcessGuid', 'ParentProcessId', 'UtcTime'] as const;
type Id = (typeof IDS)[number];

/**
 * Per shape (by name), the object whose members are the record's EventData, or undefined when the
 * shape builds its fields otherwise: the note is then left to the full reading.
 */
const EVENT_DATA: Record<string, ((obj: Json, meta: Meta) => unknown) | undefined> = {
  // evtx_dump: EventData's named members; UserData's leaves could add fields of the same names.
  'evtx_dump JSON': (obj) => (get(obj, 'Event', 'UserData') === undefined ? get(obj, 'Event', 'EventData') : undefined),
  // Splunk's own fields are never these names.
  'Splunk export': (obj) => obj.result,
  'Winlogbeat / ECS': (obj) => get(obj, 'winlog', 'event_data'),
  'Winlogbeat 6': (obj) => obj.event_data,
  'Azure Sentinel Event table': (_obj, meta) => meta.parsed,
  // Flat metadata names are never these.
  'flat (nxlog / OTRF)': (obj) => obj,
};

/** Where the ECS pipeline moved each id (ecsFields.ts), for creates and terminates. */
const ECS_MOVES: Record<1 | 5, Partial<Record<Id, JsonPath>>> = { 1: ecsMoves(1), 5: ecsMoves(5) };

function ecsMoves(eventId: number): Partial<Record<Id, JsonPath>> {
  const moves: Partial<Record<Id, JsonPath>> = {};
  for (const name of IDS) {
    const source = ECS_BY_EVENT_ID[eventId]?.[name];
    if (typeof source === 'string') moves[name] = source.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));
  }
  return moves;
}

const SYSMON = /sysmon/i;
const ASCII = /^[\x00-\x7f]*$/;
const ascii = (s: string | undefined) => s === undefined || ASCII.test(s);

/**
 * The lean note of a Sysmon create (EventID 1) or terminate (5) from a JSON record's text, as
 * processNoteOf gives it from parseJsonRecord's record at `where` (which can be read back), with
 * the record's shape; 'parse' when the full reading must read it (also for a
 * record that is not JSON, or not a Sysmon create or terminate), 'decode' when `asciiOnly` (the
 * text is the latin1 view of UTF-8 bytes) and a value read has other than ASCII.
 */
export function jsonProcessNote(text: string, eventId: 1 | 5, where: NoteWhere, asciiOnly: boolean): JsonNoteResult {
  let obj: Json;
  try {
    obj = parseObject(text);
  } catch {
    return 'parse';
  }
  const shape: JsonShape | undefined = JSON_SHAPES.find((s) => s.test(obj));
  const eventData = shape && EVENT_DATA[shape.name];
  if (!shape || !eventData) return 'parse';
  resetLostDigits();
  let meta: Meta;
  try {
    meta = shape.meta(obj); // Sentinel's parses its EventData string, and may find it broken
  } catch {
    return 'parse';
  }
  if (meta.eventId !== eventId || processNoteKind(meta) !== (eventId === 1 ? 'create' : 'exit')) return 'parse';
  const data = eventData(obj, meta);
  // The ECS pipeline's moves are taken back for Sysmon events only (ecsRecover).
  const moves = shape.name === 'Winlogbeat / ECS' && (SYSMON.test(meta.provider ?? '') || SYSMON.test(meta.channel ?? '')) ? ECS_MOVES[eventId] : undefined;
  const field = (name: Id): string | undefined => {
    const own = isObject(data) ? str(data[name]) : undefined;
    const moved = moves?.[name];
    return own ?? (moved && str(at(obj, moved)));
  };
  const guid = field('ProcessGuid');
  const pid = field('ProcessId');
  const parentGuid = eventId === 1 ? field('ParentProcessGuid') : undefined;
  const ppid = eventId === 1 ? field('ParentProcessId') : undefined;
  const utc = field('UtcTime');
  // A long number (the record is read again with it as text), or a time other than UtcTime: the full reading's.
  if (lostDigitsSeen() || utc === undefined) return 'parse';
  if (asciiOnly && !(ascii(guid) && ascii(pid) && ascii(parentGuid) && ascii(ppid) && ascii(utc) && ascii(meta.computer))) return 'decode';
  const value = (name: string) => (name === 'ProcessGuid' ? guid : name === 'ProcessId' ? pid : name === 'ParentProcessGuid' ? parentGuid : name === 'ParentProcessId' ? ppid : name === 'UtcTime' ? utc : name === 'Computer' ? meta.computer : undefined);
  // Undefined only for a terminate with a GUID (lineage follows pids only for processes without one).
  return { note: leanNoteOf(meta, value, where), shape: shape.name };
}
