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
  read(obj: Json, text: string): ParsedRecord;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return undefined;
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

const evtxDump: JsonShape = {
  name: 'evtx_dump JSON',
  test: (obj) => isObject(get(obj, 'Event', 'System')),
  read(obj, raw) {
    const system = get(obj, 'Event', 'System');
    return {
      eventId: toEventId(text(get(system, 'EventID'))),
      provider: str(attribute(system, 'Provider', 'Name')),
      channel: str(get(system, 'Channel')),
      computer: str(get(system, 'Computer')),
      recordId: str(get(system, 'EventRecordID')),
      time: str(attribute(system, 'TimeCreated', 'SystemTime')),
      data: stringFields(get(obj, 'Event', 'EventData')),
      locateImage: () => locateJsonString(raw, ['Event', 'EventData', 'Image']),
    };
  },
};

const splunk: JsonShape = {
  name: 'Splunk export',
  test: (obj) => isObject(obj.result),
  read(obj, raw) {
    const r = obj.result as Json;
    const source = str(r.source) ?? '';
    return {
      eventId: toEventId(r.EventCode ?? r.EventID),
      provider: str(r.SourceName),
      // source reads "WinEventLog:<channel>" or "XmlWinEventLog:<channel>"
      channel: str(r.LogName) ?? source.replace(/^(Xml)?WinEventLog:/i, ''),
      computer: str(r.Computer ?? r.ComputerName ?? r.host),
      recordId: str(r.RecordNumber ?? r.EventRecordID),
      time: str(r.UtcTime ?? r._time),
      data: stringFields(r),
      locateImage: () => locateJsonString(raw, ['result', 'Image']),
    };
  },
};

/** Winlogbeat 7+ raw events and ECS after the ingest pipeline, which moves Image and friends out of event_data. */
const winlogbeat: JsonShape = {
  name: 'Winlogbeat / ECS',
  test: (obj) => isObject(obj.winlog),
  read(obj, raw) {
    const w = obj.winlog as Json;
    const data = stringFields(w.event_data);
    const ecs: [string, unknown][] = [
      ['Image', get(obj, 'process', 'executable')],
      ['ParentImage', get(obj, 'process', 'parent', 'executable')],
      ['CommandLine', get(obj, 'process', 'command_line')],
      ['ParentCommandLine', get(obj, 'process', 'parent', 'command_line')],
      ['ProcessId', get(obj, 'process', 'pid')],
      ['ParentProcessId', get(obj, 'process', 'parent', 'pid')],
      ['ProcessGuid', get(obj, 'process', 'entity_id')],
      ['ParentProcessGuid', get(obj, 'process', 'parent', 'entity_id')],
      ['CurrentDirectory', get(obj, 'process', 'working_directory')],
    ];
    for (const [name, value] of ecs) {
      const s = str(value);
      if (data[name] === undefined && s !== undefined) data[name] = s;
    }
    const inEventData = isObject(w.event_data) && typeof w.event_data.Image === 'string';
    return {
      eventId: toEventId(w.event_id ?? get(obj, 'event', 'code')),
      provider: str(w.provider_name ?? get(obj, 'event', 'provider')),
      channel: str(w.channel),
      computer: str(w.computer_name ?? get(obj, 'host', 'name')),
      recordId: str(w.record_id),
      time: str(data.UtcTime ?? obj['@timestamp']),
      data,
      locateImage: () =>
        inEventData
          ? locateJsonString(raw, ['winlog', 'event_data', 'Image'])
          : locateJsonString(raw, ['process', 'executable']),
    };
  },
};

const winlogbeat6: JsonShape = {
  name: 'Winlogbeat 6',
  test: (obj) => isObject(obj.event_data) && (obj.log_name !== undefined || obj.source_name !== undefined),
  read(obj, raw) {
    return {
      eventId: toEventId(obj.event_id),
      provider: str(obj.source_name),
      channel: str(obj.log_name),
      computer: str(obj.computer_name),
      recordId: str(obj.record_number),
      time: str(get(obj, 'event_data', 'UtcTime') ?? obj['@timestamp']),
      data: stringFields(obj.event_data),
      locateImage: () => locateJsonString(raw, ['event_data', 'Image']),
    };
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
    const data = stringFields(inner);
    return {
      eventId: toEventId(obj.EventID),
      provider: str(obj.Provider ?? obj.Source),
      channel: str(obj.Channel ?? obj.EventLog),
      computer: str(obj.Computer),
      recordId: str(obj.EventRecordId ?? obj.EventRecordID),
      time: str(data.UtcTime ?? obj.TimeGenerated),
      data,
      locateImage: () => locateNestedJsonString(raw, ['EventData'], ['Image']),
    };
  },
};

/** nxlog, OTRF Security-Datasets (Mordor) and other flat exports: EventData fields at the top level. */
const flat: JsonShape = {
  name: 'flat (nxlog / OTRF)',
  test: (obj) => obj.EventID !== undefined || obj.EventCode !== undefined,
  read(obj, raw) {
    return {
      eventId: toEventId(obj.EventID ?? obj.EventCode),
      provider: str(obj.SourceName ?? obj.ProviderName ?? obj.Provider),
      channel: str(obj.Channel ?? obj.LogName),
      computer: str(obj.Hostname ?? obj.Computer ?? obj.ComputerName),
      recordId: str(obj.RecordNumber ?? obj.EventRecordID),
      time: str(obj.UtcTime ?? obj.TimeCreated ?? obj.EventTime ?? obj['@timestamp']),
      data: stringFields(obj),
      locateImage: () => locateJsonString(raw, ['Image']),
    };
  },
};

/** Every key any shape above reads an EventID from; the fast path checks them all before skipping a record. */
export const EVENT_ID_KEYS: readonly string[] = ['EventID', 'EventCode', 'event_id', 'code'];

/** Shapes in the order they are tried: the most specific first. */
export const JSON_SHAPES: readonly JsonShape[] = [evtxDump, splunk, winlogbeat, winlogbeat6, sentinel, flat];

/** Parses one JSON record. Throws RecordError when it is not JSON or has no known shape. */
export function parseJsonRecord(text: string): { shape: string; record: ParsedRecord } {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (err) {
    throw new RecordError(`not valid JSON: ${(err as Error).message}`);
  }
  if (!isObject(obj)) throw new RecordError('not a JSON object');
  const shape = JSON_SHAPES.find((s) => s.test(obj as Json));
  if (!shape) throw new RecordError('a JSON object of no known event shape (no EventID, winlog, Event.System or result)');
  const record = shape.read(obj, text);
  if (record.time === undefined && record.data.UtcTime !== undefined) record.time = record.data.UtcTime;
  return { shape: shape.name, record };
}
