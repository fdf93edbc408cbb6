/**
 * Field maps for the JSON shapes Sysmon logs come in. Each shape says how to recognise an object,
 * where its metadata lives, and how to list its EventData and System fields under their Windows
 * names. A new shape is a new entry here.
 */
import { recoverEcs } from './ecsRecover';
import { eventIdOf, Fields, get, isObject, Json, lostDigitsSeen, resetLostDigits, str } from './jsonFields';
import { JsonPath } from './jsonLocate';
import { JsonShape, LazyRecord, parseObject, quoteLongNumbers } from './jsonRecord';
import { ParsedRecord, RecordError, systemAttributeName, unnamedDataName } from './record';

/** An attribute written by evtx_dump: under `#attributes`, or `<Name>_attributes` with --separate-json-attributes. */
function attribute(parent: unknown, element: string, name: string): unknown {
  return get(parent, element, '#attributes', name) ?? get(parent, `${element}_attributes`, name);
}

/** An element's text in evtx_dump JSON: the value itself, or `#text` when it also has attributes. */
function text(value: unknown): unknown {
  return isObject(value) ? value['#text'] : value;
}

// --- evtx_dump ---------------------------------------------------------------------------------

const EVTX_SYSTEM: JsonPath = ['Event', 'System'];
const EVTX_DATA: JsonPath = ['Event', 'EventData'];
const EVTX_USER_DATA: JsonPath = ['Event', 'UserData'];

/** Unnamed `<Data>` as evtx_dump writes it: a string, an array, or either under `#text`. */
function putUnnamedData(out: Fields, value: unknown, base: JsonPath): void {
  if (isObject(value) && '#text' in value) return putUnnamedData(out, value['#text'], [...base, '#text']);
  if (!Array.isArray(value)) return out.put(unnamedDataName(1), value, base.slice(0, -1), base[base.length - 1]);
  value.forEach((item, i) => out.put(unnamedDataName(i + 1), item, base, i));
}

/** How deep UserData is read: Windows writes two or three levels; a forged record may nest without end. */
const USER_DATA_DEPTH = 16;

/** The leaves of UserData, under their element names. */
function putLeaves(out: Fields, obj: unknown, base: JsonPath, depth = 0): void {
  if (!isObject(obj) || depth > USER_DATA_DEPTH) return;
  for (const key in obj) {
    if (key === '#attributes' || key.endsWith('_attributes')) continue;
    const value = obj[key];
    if (isObject(value)) {
      if ('#text' in value) out.put(key, value['#text'], [...base, key], '#text');
      else putLeaves(out, value, [...base, key], depth + 1);
    } else out.put(key, value, base, key);
  }
}

/** The attributes of an element, under their System names. */
function putAttributes(out: Fields, element: string, attributes: unknown, base: JsonPath): void {
  if (!isObject(attributes)) return;
  for (const name in attributes) {
    if (!name.startsWith('xmlns')) out.put(systemAttributeName(element, name), attributes[name], base, name);
  }
}

const evtxDump: JsonShape = {
  name: 'evtx_dump JSON',
  test: (obj) => isObject(get(obj, 'Event', 'System')),
  meta(obj) {
    const system = get(obj, 'Event', 'System');
    return {
      eventId: eventIdOf(text(get(system, 'EventID'))),
      provider: str(attribute(system, 'Provider', 'Name')),
      channel: str(get(system, 'Channel')),
      computer: str(get(system, 'Computer')),
      recordId: str(get(system, 'EventRecordID')),
    };
  },
  data(obj, out) {
    const eventData = get(obj, ...EVTX_DATA);
    out.putAll(eventData, EVTX_DATA, (key) => key === 'Data');
    if (isObject(eventData) && eventData.Data !== undefined) putUnnamedData(out, eventData.Data, [...EVTX_DATA, 'Data']);
    putLeaves(out, get(obj, ...EVTX_USER_DATA), EVTX_USER_DATA);
  },
  system(obj, out) {
    const system = get(obj, ...EVTX_SYSTEM);
    if (!isObject(system)) return;
    for (const key in system) {
      const value = system[key];
      if (key.endsWith('_attributes')) putAttributes(out, key.slice(0, -'_attributes'.length), value, [...EVTX_SYSTEM, key]);
      else if (!isObject(value)) out.put(key, value, EVTX_SYSTEM, key);
      else {
        putAttributes(out, key, value['#attributes'], [...EVTX_SYSTEM, key, '#attributes']);
        if ('#text' in value) out.put(key, value['#text'], [...EVTX_SYSTEM, key], '#text');
      }
    }
  },
  time: (obj) => attribute(get(obj, ...EVTX_SYSTEM), 'TimeCreated', 'SystemTime'),
};

// --- Splunk ------------------------------------------------------------------------------------

/** Splunk's own fields in a search export, beside the extracted EventData. */
const SPLUNK_FIELDS = new Set([
  'host', 'source', 'sourcetype', 'index', 'linecount', 'splunk_server', 'splunk_server_group', 'punct',
  'eventtype', 'tag', 'timestartpos', 'timeendpos', 'EventCode', 'Computer', 'ComputerName', 'RecordNumber', 'LogName', 'SourceName',
]);
const isSplunkField = (key: string) => key.startsWith('_') || key.startsWith('date_') || SPLUNK_FIELDS.has(key);
const SPLUNK: JsonPath = ['result'];
/** `source` reads "WinEventLog:<channel>" or "XmlWinEventLog:<channel>". */
const SPLUNK_SOURCE = /^(Xml)?WinEventLog:/i;

const splunk: JsonShape = {
  name: 'Splunk export',
  test: (obj) => isObject(obj.result),
  meta(obj) {
    const r = obj.result as Json;
    return {
      eventId: eventIdOf(r.EventCode ?? r.EventID),
      provider: str(r.SourceName),
      channel: str(r.LogName) ?? (str(r.source) ?? '').replace(SPLUNK_SOURCE, ''),
      computer: str(r.Computer ?? r.ComputerName ?? r.host),
      recordId: str(r.RecordNumber ?? r.EventRecordID),
    };
  },
  data: (obj, out) => out.putAll(obj.result, SPLUNK, isSplunkField),
  system(obj, out) {
    const r = obj.result as Json;
    const pick = (name: string, ...keys: string[]) => {
      const key = keys.find((k) => r[k] !== undefined && r[k] !== null);
      if (key !== undefined) out.put(name, r[key], SPLUNK, key);
    };
    pick('EventID', 'EventCode', 'EventID');
    pick('Provider_Name', 'SourceName');
    pick('Computer', 'Computer', 'ComputerName');
    pick('EventRecordID', 'RecordNumber', 'EventRecordID');
    if (r.LogName !== undefined) pick('Channel', 'LogName');
    else if (typeof r.source === 'string') out.put('Channel', r.source, SPLUNK, 'source', SPLUNK_SOURCE.exec(r.source)?.[0].length ?? 0);
  },
  time: (obj) => get(obj, 'result', 'UtcTime') ?? get(obj, 'result', '_time'),
};

// --- Winlogbeat and ECS ------------------------------------------------------------------------

/** System fields by the key-paths a Winlogbeat-style shape keeps them under. */
function putSystem(out: Fields, obj: Json, map: readonly (readonly [string, JsonPath])[]): void {
  for (const [name, path] of map) out.put(name, get(obj, ...path), path.slice(0, -1), path[path.length - 1]);
}

/** Winlogbeat 7+ `winlog.*`. Level, Task, Opcode and Keywords are left out: Winlogbeat writes their rendered names. */
const WINLOG_SYSTEM: readonly (readonly [string, JsonPath])[] = [
  ['Provider_Guid', ['winlog', 'provider_guid']],
  ['EventRecordID', ['winlog', 'record_id']],
  ['Version', ['winlog', 'version']],
  ['Execution_ProcessID', ['winlog', 'process', 'pid']],
  ['Execution_ThreadID', ['winlog', 'process', 'thread', 'id']],
  ['Security_UserID', ['winlog', 'user', 'identifier']],
  ['Correlation_ActivityID', ['winlog', 'activity_id']],
  ['Correlation_RelatedActivityID', ['winlog', 'related_activity_id']],
  ['TimeCreated', ['winlog', 'time_created']],
];

const EVENT_DATA: JsonPath = ['winlog', 'event_data'];

/** Winlogbeat 7+ raw events, and ECS after the Sysmon ingest pipeline (docs/ecs-fields.md). */
const winlogbeat: JsonShape = {
  name: 'Winlogbeat / ECS',
  test: (obj) => isObject(obj.winlog),
  meta(obj) {
    const w = obj.winlog as Json;
    return {
      eventId: eventIdOf(w.event_id ?? get(obj, 'event', 'code')),
      provider: str(w.provider_name ?? get(obj, 'event', 'provider')),
      channel: str(w.channel),
      computer: str(w.computer_name ?? get(obj, 'host', 'name')),
      recordId: str(w.record_id),
    };
  },
  data(obj, out, meta) {
    out.putAll(get(obj, ...EVENT_DATA), EVENT_DATA);
    recoverEcs(out, obj, meta);
  },
  system(obj, out) {
    const w = obj.winlog as Json;
    if (w.event_id !== undefined) out.put('EventID', w.event_id, ['winlog'], 'event_id');
    else out.put('EventID', get(obj, 'event', 'code'), ['event'], 'code');
    if (w.provider_name !== undefined) out.put('Provider_Name', w.provider_name, ['winlog'], 'provider_name');
    else out.put('Provider_Name', get(obj, 'event', 'provider'), ['event'], 'provider');
    out.put('Channel', w.channel, ['winlog'], 'channel');
    out.put('Computer', w.computer_name, ['winlog'], 'computer_name');
    putSystem(out, obj, WINLOG_SYSTEM);
  },
  time: (obj, data) => data().UtcTime ?? obj['@timestamp'],
};

/** Winlogbeat 6's top-level names. Level, Task, Opcode and Keywords are rendered names there too. */
const WINLOGBEAT6_SYSTEM: readonly (readonly [string, JsonPath])[] = [
  ['EventID', ['event_id']],
  ['Provider_Name', ['source_name']],
  ['Provider_Guid', ['provider_guid']],
  ['Channel', ['log_name']],
  ['Computer', ['computer_name']],
  ['EventRecordID', ['record_number']],
  ['Version', ['version']],
  ['Execution_ProcessID', ['process_id']],
  ['Execution_ThreadID', ['thread_id']],
  ['Security_UserID', ['user', 'identifier']],
  ['Correlation_ActivityID', ['activity_id']],
  ['Correlation_RelatedActivityID', ['related_activity_id']],
];

const winlogbeat6: JsonShape = {
  name: 'Winlogbeat 6',
  test: (obj) => isObject(obj.event_data) && (obj.log_name !== undefined || obj.source_name !== undefined),
  meta: (obj) => ({
    eventId: eventIdOf(obj.event_id),
    provider: str(obj.source_name),
    channel: str(obj.log_name),
    computer: str(obj.computer_name),
    recordId: str(obj.record_number),
  }),
  data: (obj, out) => out.putAll(obj.event_data, ['event_data']),
  system: (obj, out) => putSystem(out, obj, WINLOGBEAT6_SYSTEM),
  time: (obj) => get(obj, 'event_data', 'UtcTime') ?? obj['@timestamp'],
};

// --- Azure Sentinel ----------------------------------------------------------------------------

/** The Event / WindowsEvent tables' columns. Task is left out: these exports hold 1 for every event. */
const SENTINEL_SYSTEM: readonly (readonly [string, readonly string[]])[] = [
  ['EventID', ['EventID']],
  ['Provider_Name', ['Provider', 'Source']],
  ['Channel', ['Channel', 'EventLog']],
  ['Computer', ['Computer']],
  ['EventRecordID', ['EventRecordId', 'EventRecordID']],
  ['Level', ['EventLevel']],
  ['Version', ['Version']],
  ['Opcode', ['Opcode']],
  ['Keywords', ['Keywords']],
  ['Execution_ProcessID', ['SystemProcessId']],
  ['Execution_ThreadID', ['SystemThreadId']],
  ['Security_UserID', ['SystemUserId']],
  ['TimeCreated', ['TimeCreated']],
];

/** EventData is a JSON string, parsed with the metadata: a broken one is a broken record. */
function sentinelEventData(obj: Json): unknown {
  try {
    return JSON.parse(obj.EventData as string);
  } catch (err) {
    throw new RecordError(`EventData is not valid JSON: ${(err as Error).message}`);
  }
}

/** Azure Sentinel's Event table: EventData is a JSON string. */
const sentinel: JsonShape = {
  name: 'Azure Sentinel Event table',
  test: (obj) => typeof obj.EventData === 'string' && obj.EventData.trimStart().startsWith('{'),
  meta: (obj) => ({
    eventId: eventIdOf(obj.EventID),
    provider: str(obj.Provider ?? obj.Source),
    channel: str(obj.Channel ?? obj.EventLog),
    computer: str(obj.Computer),
    recordId: str(obj.EventRecordId ?? obj.EventRecordID),
    parsed: sentinelEventData(obj),
  }),
  data(obj, out, meta) {
    const inner = new Fields(out.where && new Map(), ['EventData']);
    inner.putAll(meta.parsed, []);
    Object.assign(out.values, inner.values);
    if (out.where) for (const [name, where] of inner.where!) out.where.set(name, where);
  },
  system(obj, out) {
    for (const [name, keys] of SENTINEL_SYSTEM) {
      const key = keys.find((k) => obj[k] !== undefined && obj[k] !== null);
      if (key !== undefined) out.put(name, obj[key], [], key);
    }
  },
  time: (obj, data) => data().UtcTime ?? obj.TimeGenerated,
};

// --- flat: nxlog, OTRF Security-Datasets -------------------------------------------------------

/** Top-level names of nxlog and its shippers that are never EventData; they are not put in data. */
const FLAT_METADATA = new Set([
  '@timestamp', '@version', 'host', 'port', 'tags', 'EventTime', 'EventReceivedTime', 'SourceModuleName', 'SourceModuleType',
  'SeverityValue', 'Severity', 'OpcodeValue', 'ExecutionProcessID', 'ExecutionThreadID', 'ProviderGuid', 'SourceName',
  'EventID', 'EventCode', 'RecordNumber', 'Channel', 'Hostname', 'Keywords', 'EventTypeOrignal',
]);
/** nxlog's own EventType (a severity), which takes the place of Sysmon's where an event has none. */
const NXLOG_EVENT_TYPES = new Set(['INFO', 'WARNING', 'ERROR', 'CRITICAL', 'VERBOSE', 'AUDIT_SUCCESS', 'AUDIT_FAILURE']);

function isFlatMetadata(key: string, value: unknown, obj: Json): boolean {
  if (FLAT_METADATA.has(key)) return true;
  return key === 'EventType' && obj.SourceModuleType !== undefined && NXLOG_EVENT_TYPES.has(value as string);
}

/** nxlog's names for System fields. Keywords is left out: nxlog writes it in signed decimal, not the XML's hex. */
const FLAT_SYSTEM: readonly (readonly [string, readonly string[]])[] = [
  ['EventID', ['EventID', 'EventCode']],
  ['Provider_Name', ['SourceName', 'ProviderName', 'Provider']],
  ['Provider_Guid', ['ProviderGuid']],
  ['Channel', ['Channel', 'LogName']],
  ['Computer', ['Hostname', 'Computer', 'ComputerName']],
  ['EventRecordID', ['RecordNumber', 'EventRecordID']],
  ['Version', ['Version']],
  ['Task', ['Task']],
  ['Opcode', ['OpcodeValue']],
  ['Execution_ProcessID', ['ExecutionProcessID']],
  ['Execution_ThreadID', ['ExecutionThreadID', 'ThreadID']],
  ['Security_UserID', ['UserID']],
  ['Correlation_ActivityID', ['ActivityID']],
  ['Correlation_RelatedActivityID', ['RelatedActivityID']],
  ['TimeCreated', ['TimeCreated']],
];

/** nxlog, OTRF Security-Datasets (Mordor) and other flat exports: EventData fields at the top level. */
const flat: JsonShape = {
  name: 'flat (nxlog / OTRF)',
  test: (obj) => obj.EventID !== undefined || obj.EventCode !== undefined,
  meta: (obj) => ({
    eventId: eventIdOf(obj.EventID ?? obj.EventCode),
    provider: str(obj.SourceName ?? obj.ProviderName ?? obj.Provider),
    channel: str(obj.Channel ?? obj.LogName),
    computer: str(obj.Hostname ?? obj.Computer ?? obj.ComputerName),
    recordId: str(obj.RecordNumber ?? obj.EventRecordID),
  }),
  data: (obj, out) => out.putAll(obj, [], (key, value) => isFlatMetadata(key, value, obj)),
  system(obj, out) {
    for (const [name, keys] of FLAT_SYSTEM) {
      const key = keys.find((k) => obj[k] !== undefined && obj[k] !== null);
      if (key !== undefined) out.put(name, obj[key], [], key);
    }
  },
  time: (obj) => obj.UtcTime ?? obj.TimeCreated ?? obj.EventTime ?? obj['@timestamp'],
};

/** Every key any shape above reads an EventID from; the fast path checks them all before skipping a record. */
export const EVENT_ID_KEYS: readonly string[] = ['EventID', 'EventCode', 'event_id', 'code'];

/** Shapes in the order they are tried: the most specific first. */
export const JSON_SHAPES: readonly JsonShape[] = [evtxDump, splunk, winlogbeat, winlogbeat6, sentinel, flat];

/** Parses one JSON record. Throws RecordError when it is not JSON or has no known shape. */
export function parseJsonRecord(text: string): { shape: string; record: ParsedRecord } {
  const obj = parseObject(text);
  const shape = JSON_SHAPES.find((s) => s.test(obj));
  if (!shape) throw new RecordError('a JSON object of no known event shape (no EventID, winlog, Event.System or result)');
  // Long numbers are rare: parse as is, and again with them quoted only when one was read.
  const read = (o: Json) => new LazyRecord(shape.meta(o), shape, o, text);
  const exact = () => read(parseObject(quoteLongNumbers(text)));
  resetLostDigits();
  const record = read(obj);
  if (lostDigitsSeen()) return { shape: shape.name, record: exact() };
  record.exact = exact;
  return { shape: shape.name, record };
}
