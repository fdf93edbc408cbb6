/**
 * Field maps for the JSON shapes Sysmon logs come in. Each shape says how to recognise an object
 * and where its metadata, EventData and Image value live. A new shape is a new entry here.
 */
import { locateJsonString, locateNestedJsonString } from './jsonLocate';
import { ParsedRecord, RecordError, toEventId } from './record';

type Json = Record<string, unknown>;

export interface JsonShape {
  name: string;
  /** Does this object have this shape? Shapes are tried in order. */
  test(obj: Json): boolean;
  read(obj: Json, text: string): LazyRecord;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * JSON.parse rounds numbers past 2^53 (a forged record number 123456789012345678901234567890 would
 * read 1.2345678901234568e+29). Rather than scan every record for long numbers before parsing it,
 * the readers note here when a number they turn into a value could have lost digits; the record is
 * then read again from a parse that keeps long numbers as text (see parseJsonRecord).
 */
let lostDigits = false;

function noteNumber(value: number): void {
  if (!Number.isSafeInteger(value) || Math.abs(value) >= 1e15) lostDigits = true;
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') noteNumber(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function eventIdOf(value: unknown): number | undefined {
  if (typeof value === 'number') noteNumber(value);
  return toEventId(value);
}

/** Object values that are strings or numbers, as strings: the EventData of most shapes. */
function stringFields(obj: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(obj)) return out;
  for (const [key, value] of Object.entries(obj)) {
    const s = str(value);
    if (s !== undefined) out[key] = s;
  }
  return out;
}

function get(obj: unknown, ...path: string[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** An attribute written by evtx_dump: under `#attributes`, or `<Name>_attributes` with --separate-json-attributes. */
function attribute(parent: unknown, element: string, name: string): unknown {
  return get(parent, element, '#attributes', name) ?? get(parent, `${element}_attributes`, name);
}

/** An element's text in evtx_dump JSON: the value itself, or `#text` when it also has attributes. */
function text(value: unknown): unknown {
  return isObject(value) ? value['#text'] : value;
}

type Meta = Omit<ParsedRecord, 'data' | 'time'>;

/**
 * A record whose EventData (and the time, which may live in it) are built only when asked for:
 * most process creates cannot match, and the hunt then needs only the metadata. (A class, not an
 * object literal with getters: one is built per process create, and this shape is cheaper to make.)
 */
class LazyRecord implements ParsedRecord {
  eventId?: number;
  provider?: string;
  channel?: string;
  recordId?: string;
  computer?: string;
  locateImage: () => [number, number] | undefined;
  /** The record read again from a parse that keeps long numbers, used once building data or time met one. */
  exact?: () => ParsedRecord;
  private reread?: ParsedRecord;
  private builtData?: Record<string, string>;
  private builtTime: string | undefined | null = null;

  constructor(
    meta: Meta,
    private readonly makeData: () => Record<string, string>,
    private readonly makeTime: (data: () => Record<string, string>) => unknown,
  ) {
    this.eventId = meta.eventId;
    this.provider = meta.provider;
    this.channel = meta.channel;
    this.recordId = meta.recordId;
    this.computer = meta.computer;
    this.locateImage = meta.locateImage;
  }

  get data(): Record<string, string> {
    if (this.reread) return this.reread.data;
    if (this.builtData === undefined) {
      lostDigits = false;
      const data = this.makeData();
      if (lostDigits && this.exact) return (this.reread = this.exact()).data;
      this.builtData = data;
    }
    return this.builtData;
  }

  get time(): string | undefined {
    if (this.reread) return this.reread.time;
    if (this.builtTime === null) {
      const data = () => this.data;
      lostDigits = false;
      const time = str(this.makeTime(data)) ?? data().UtcTime;
      const reread = this.reread as ParsedRecord | undefined; // building data may have set it
      if (reread) return reread.time;
      if (lostDigits && this.exact) return (this.reread = this.exact()).time;
      this.builtTime = time;
    }
    return this.builtTime;
  }
}

const evtxDump: JsonShape = {
  name: 'evtx_dump JSON',
  test: (obj) => isObject(get(obj, 'Event', 'System')),
  read(obj, raw) {
    const system = get(obj, 'Event', 'System');
    const meta: Meta = {
      eventId: eventIdOf(text(get(system, 'EventID'))),
      provider: str(attribute(system, 'Provider', 'Name')),
      channel: str(get(system, 'Channel')),
      computer: str(get(system, 'Computer')),
      recordId: str(get(system, 'EventRecordID')),
      locateImage: () => locateJsonString(raw, ['Event', 'EventData', 'Image']),
    };
    return new LazyRecord(meta, () => stringFields(get(obj, 'Event', 'EventData')), () => attribute(system, 'TimeCreated', 'SystemTime'));
  },
};

const splunk: JsonShape = {
  name: 'Splunk export',
  test: (obj) => isObject(obj.result),
  read(obj, raw) {
    const r = obj.result as Json;
    const source = str(r.source) ?? '';
    const meta: Meta = {
      eventId: eventIdOf(r.EventCode ?? r.EventID),
      provider: str(r.SourceName),
      // source reads "WinEventLog:<channel>" or "XmlWinEventLog:<channel>"
      channel: str(r.LogName) ?? source.replace(/^(Xml)?WinEventLog:/i, ''),
      computer: str(r.Computer ?? r.ComputerName ?? r.host),
      recordId: str(r.RecordNumber ?? r.EventRecordID),
      locateImage: () => locateJsonString(raw, ['result', 'Image']),
    };
    return new LazyRecord(meta, () => stringFields(r), () => r.UtcTime ?? r._time);
  },
};

/** Where ECS keeps the Sysmon fields that its ingest pipeline moves out of event_data. */
const ECS_FIELDS: [string, string[]][] = [
  ['Image', ['process', 'executable']],
  ['ParentImage', ['process', 'parent', 'executable']],
  ['CommandLine', ['process', 'command_line']],
  ['ParentCommandLine', ['process', 'parent', 'command_line']],
  ['ProcessId', ['process', 'pid']],
  ['ParentProcessId', ['process', 'parent', 'pid']],
  ['ProcessGuid', ['process', 'entity_id']],
  ['ParentProcessGuid', ['process', 'parent', 'entity_id']],
  ['CurrentDirectory', ['process', 'working_directory']],
];

/** Winlogbeat 7+ raw events and ECS after the ingest pipeline, which moves Image and friends out of event_data. */
const winlogbeat: JsonShape = {
  name: 'Winlogbeat / ECS',
  test: (obj) => isObject(obj.winlog),
  read(obj, raw) {
    const w = obj.winlog as Json;
    const meta: Meta = {
      eventId: eventIdOf(w.event_id ?? get(obj, 'event', 'code')),
      provider: str(w.provider_name ?? get(obj, 'event', 'provider')),
      channel: str(w.channel),
      computer: str(w.computer_name ?? get(obj, 'host', 'name')),
      recordId: str(w.record_id),
      locateImage: () =>
        isObject(w.event_data) && typeof w.event_data.Image === 'string'
          ? locateJsonString(raw, ['winlog', 'event_data', 'Image'])
          : locateJsonString(raw, ['process', 'executable']),
    };
    const data = () => {
      const fields = stringFields(w.event_data);
      for (const [name, path] of ECS_FIELDS) {
        const s = str(get(obj, ...path));
        if (fields[name] === undefined && s !== undefined) fields[name] = s;
      }
      return fields;
    };
    return new LazyRecord(meta, data, (fields) => fields().UtcTime ?? obj['@timestamp']);
  },
};

const winlogbeat6: JsonShape = {
  name: 'Winlogbeat 6',
  test: (obj) => isObject(obj.event_data) && (obj.log_name !== undefined || obj.source_name !== undefined),
  read(obj, raw) {
    const meta: Meta = {
      eventId: eventIdOf(obj.event_id),
      provider: str(obj.source_name),
      channel: str(obj.log_name),
      computer: str(obj.computer_name),
      recordId: str(obj.record_number),
      locateImage: () => locateJsonString(raw, ['event_data', 'Image']),
    };
    return new LazyRecord(meta, () => stringFields(obj.event_data), () => get(obj, 'event_data', 'UtcTime') ?? obj['@timestamp']);
  },
};

/** Azure Sentinel's Event table: EventData is a JSON string. */
const sentinel: JsonShape = {
  name: 'Azure Sentinel Event table',
  test: (obj) => typeof obj.EventData === 'string' && (obj.EventData as string).trimStart().startsWith('{'),
  read(obj, raw) {
    let inner: unknown;
    try {
      inner = JSON.parse(obj.EventData as string);
    } catch (err) {
      throw new RecordError(`EventData is not valid JSON: ${(err as Error).message}`);
    }
    const meta: Meta = {
      eventId: eventIdOf(obj.EventID),
      provider: str(obj.Provider ?? obj.Source),
      channel: str(obj.Channel ?? obj.EventLog),
      computer: str(obj.Computer),
      recordId: str(obj.EventRecordId ?? obj.EventRecordID),
      locateImage: () => locateNestedJsonString(raw, ['EventData'], ['Image']),
    };
    return new LazyRecord(meta, () => stringFields(inner), (data) => data().UtcTime ?? obj.TimeGenerated);
  },
};

/** nxlog, OTRF Security-Datasets (Mordor) and other flat exports: EventData fields at the top level. */
const flat: JsonShape = {
  name: 'flat (nxlog / OTRF)',
  test: (obj) => obj.EventID !== undefined || obj.EventCode !== undefined,
  read(obj, raw) {
    const meta: Meta = {
      eventId: eventIdOf(obj.EventID ?? obj.EventCode),
      provider: str(obj.SourceName ?? obj.ProviderName ?? obj.Provider),
      channel: str(obj.Channel ?? obj.LogName),
      computer: str(obj.Hostname ?? obj.Computer ?? obj.ComputerName),
      recordId: str(obj.RecordNumber ?? obj.EventRecordID),
      locateImage: () => locateJsonString(raw, ['Image']),
    };
    return new LazyRecord(meta, () => stringFields(obj), () => obj.UtcTime ?? obj.TimeCreated ?? obj.EventTime ?? obj['@timestamp']);
  },
};

/** Every key any shape above reads an EventID from; the fast path checks them all before skipping a record. */
export const EVENT_ID_KEYS: readonly string[] = ['EventID', 'EventCode', 'event_id', 'code'];

/** Shapes in the order they are tried: the most specific first. */
export const JSON_SHAPES: readonly JsonShape[] = [evtxDump, splunk, winlogbeat, winlogbeat6, sentinel, flat];

const LONG_NUMBER = /\d{16}/;
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * Quotes number tokens of 16 digits or more, so that they keep every digit as text. Only valid
 * number tokens outside strings are touched: what was invalid JSON stays invalid.
 */
function quoteLongNumbers(text: string): string {
  let out = '';
  let copied = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1;
      while (j < text.length && /[\d.eE+-]/.test(text[j])) j++;
      const token = text.slice(i, j);
      if (LONG_NUMBER.test(token) && JSON_NUMBER.test(token)) {
        out += `${text.slice(copied, i)}"${token}"`;
        copied = j;
      }
      i = j - 1;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function parseObject(text: string): Json {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (err) {
    throw new RecordError(`not valid JSON: ${(err as Error).message}`);
  }
  if (!isObject(obj)) throw new RecordError('not a JSON object');
  return obj;
}

/** Parses one JSON record. Throws RecordError when it is not JSON or has no known shape. */
export function parseJsonRecord(text: string): { shape: string; record: ParsedRecord } {
  const obj = parseObject(text);
  const shape = JSON_SHAPES.find((s) => s.test(obj));
  if (!shape) throw new RecordError('a JSON object of no known event shape (no EventID, winlog, Event.System or result)');
  // Long numbers are rare: parse as is, and again with them quoted only when one was read.
  const exact = () => shape.read(parseObject(quoteLongNumbers(text)), text);
  lostDigits = false;
  const record = shape.read(obj, text);
  if (lostDigits) return { shape: shape.name, record: exact() };
  record.exact = exact;
  return { shape: shape.name, record };
}
