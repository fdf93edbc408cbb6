/**
 * Single records for the guard tests, in XML and in several JSON shapes, with the provider,
 * channel and EventID free to choose: the same process create can then be shown as Sysmon's
 * (a match) and as another provider's (not a process create at all).
 */

export const SYSMON = { provider: 'Microsoft-Windows-Sysmon', channel: 'Microsoft-Windows-Sysmon/Operational' } as const;
export const KERNEL_GENERAL = { provider: 'Microsoft-Windows-Kernel-General', channel: 'System' } as const;

export const CMD = 'C:\\Windows\\System32\\cmd.exe';
export const SERVICES = 'C:\\Windows\\System32\\services.exe';
export const EXPLORER = 'C:\\Windows\\explorer.exe';

export interface Rec {
  record: number;
  eventId?: number;
  /** Undefined leaves the provider out of the record. */
  provider?: string;
  /** Undefined leaves the channel out of the record. */
  channel?: string;
  image?: string;
  parent?: string;
  commandLine?: string;
  computer?: string;
  /** EventData fields written before Image (e.g. UtcTime, RuleName). */
  before?: Record<string, string>;
}

/** cmd.exe under services.exe, from Sysmon: a CAR-2014-05-002 match. */
export const match = (record: number, more: Partial<Rec> = {}): Rec => ({ record, ...SYSMON, image: CMD, parent: SERVICES, ...more });
/** cmd.exe under explorer.exe, from Sysmon: a process create that matches nothing. */
export const benign = (record: number, more: Partial<Rec> = {}): Rec => ({ record, ...SYSMON, image: CMD, parent: EXPLORER, ...more });
/** A Sysmon event of another EventID (3: network connection) with no process fields. */
export const other = (record: number, eventId: number): Rec => ({ record, eventId, ...SYSMON });

function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function eventData(r: Rec): Record<string, string> {
  const data: Record<string, string> = { ...r.before };
  if (r.image !== undefined) data.Image = r.image;
  if (r.commandLine !== undefined || r.image !== undefined) data.CommandLine = r.commandLine ?? 'cmd.exe /c echo x';
  if (r.parent !== undefined) data.ParentImage = r.parent;
  return data;
}

/** One `<Event>` on one line, in the shape `wevtutil qe /f:xml` and Event Viewer write. */
export function xmlEvent(r: Rec): string {
  const system = [
    r.provider === undefined ? '' : `<Provider Name="${xmlText(r.provider)}"/>`,
    `<EventID>${r.eventId ?? 1}</EventID>`,
    `<TimeCreated SystemTime="2024-01-02T03:04:05.0000000Z"/>`,
    `<EventRecordID>${r.record}</EventRecordID>`,
    r.channel === undefined ? '' : `<Channel>${xmlText(r.channel)}</Channel>`,
    `<Computer>${xmlText(r.computer ?? 'HOST-A')}</Computer>`,
  ].join('');
  const data = Object.entries(eventData(r))
    .map(([name, value]) => `<Data Name="${name}">${xmlText(value)}</Data>`)
    .join('');
  return `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System>${system}</System><EventData>${data}</EventData></Event>`;
}

/** Flat keys, as nxlog and OTRF Security-Datasets write them. */
export function flatJson(r: Rec): object {
  return {
    ...(r.provider === undefined ? {} : { SourceName: r.provider }),
    ...(r.channel === undefined ? {} : { Channel: r.channel }),
    EventID: r.eventId ?? 1,
    Hostname: r.computer ?? 'HOST-A',
    RecordNumber: r.record,
    ...eventData(r),
  };
}

/** Winlogbeat 7+ raw: `winlog.*`, the data under `winlog.event_data`. */
export function winlogbeatJson(r: Rec): object {
  return {
    '@timestamp': '2024-01-02T03:04:05.000Z',
    event: { code: String(r.eventId ?? 1) },
    winlog: {
      ...(r.provider === undefined ? {} : { provider_name: r.provider }),
      ...(r.channel === undefined ? {} : { channel: r.channel }),
      event_id: String(r.eventId ?? 1),
      computer_name: r.computer ?? 'HOST-A',
      record_id: String(r.record),
      event_data: eventData(r),
    },
  };
}

/** `evtx_dump -o json`: `Event.System` with `#attributes`, `Event.EventData`. */
export function evtxDumpJson(r: Rec): object {
  return {
    Event: {
      '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
      System: {
        ...(r.provider === undefined ? {} : { Provider: { '#attributes': { Name: r.provider } } }),
        EventID: r.eventId ?? 1,
        TimeCreated: { '#attributes': { SystemTime: '2024-01-02T03:04:05.000000Z' } },
        EventRecordID: r.record,
        ...(r.channel === undefined ? {} : { Channel: r.channel }),
        Computer: r.computer ?? 'HOST-A',
      },
      EventData: eventData(r),
    },
  };
}

/** A log in one shape: its name (with an extension for the reader to ignore) and its text. */
export interface Shape {
  name: string;
  family: 'xml' | 'json';
  write(records: readonly Rec[]): string;
}

export const SHAPES: readonly Shape[] = [
  { name: 'wevtutil.xml', family: 'xml', write: (rs) => rs.map(xmlEvent).join('\r\n') + '\r\n' },
  {
    name: 'eventviewer-one-line.xml',
    family: 'xml',
    write: (rs) => `<?xml version="1.0" encoding="UTF-8"?><Events>${rs.map(xmlEvent).join('')}</Events>`,
  },
  { name: 'flat.ndjson', family: 'json', write: (rs) => rs.map((r) => JSON.stringify(flatJson(r))).join('\n') + '\n' },
  { name: 'winlogbeat.ndjson', family: 'json', write: (rs) => rs.map((r) => JSON.stringify(winlogbeatJson(r))).join('\n') + '\n' },
  { name: 'evtxdump.json', family: 'json', write: (rs) => rs.map((r) => JSON.stringify(evtxDumpJson(r), null, 2)).join('\n') + '\n' },
  { name: 'array-one-line.json', family: 'json', write: (rs) => JSON.stringify(rs.map(flatJson)) },
];
