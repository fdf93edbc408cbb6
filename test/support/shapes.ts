/**
 * Small hand-made logs in every shape the readers must read. Each holds the same three records:
 * a CAR-2014-05-002 match, a benign Sysmon process create, and a Sysmon network event; plus a
 * Kernel-General EventID 1, which is not a process create.
 */
export interface Proc {
  id: number;
  image: string;
  parent: string;
  cmd: string;
}

export const MATCH: Proc = { id: 1, image: 'C:\\Windows\\System32\\CMD.EXE', parent: 'C:\\Windows\\System32\\services.exe', cmd: 'cmd.exe /c "echo a&b" > c:\\x.txt' };
export const BENIGN: Proc = { id: 1, image: 'C:\\Windows\\System32\\cmd.exe', parent: 'C:\\Windows\\explorer.exe', cmd: 'cmd.exe' };
export const NETWORK: Proc = { id: 3, image: 'C:\\Windows\\System32\\svchost.exe', parent: '', cmd: '' };
export const EXPECTED = { events: 4, processCreates: 2, matches: 1 };

const NS = 'http://schemas.microsoft.com/win/2004/08/events/event';

function xmlEscape(s: string, quote: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(quote === "'" ? /'/g : /"/g, quote === "'" ? '&apos;' : '&quot;');
}

function xmlEvent(p: Proc, record: number, q: string, nl: string, ns: boolean): string {
  const a = (v: string) => `${q}${xmlEscape(v, q)}${q}`;
  const data = (name: string, v: string) => `<Data Name=${a(name)}>${xmlEscape(v, q)}</Data>`;
  const fields = p.id === 1
    ? [data('Image', p.image), data('CommandLine', p.cmd), data('ParentImage', p.parent), data('User', 'NT AUTHORITY\\SYSTEM')]
    : [data('Image', p.image), data('DestinationPort', '443')];
  return [
    `<Event${ns ? ` xmlns=${a(NS)}` : ''}><System><Provider Name=${a('Microsoft-Windows-Sysmon')}/>`,
    `<EventID>${p.id}</EventID><TimeCreated SystemTime=${a('2024-01-02T03:04:05.0000000Z')}/>`,
    `<EventRecordID>${record}</EventRecordID><Channel>Microsoft-Windows-Sysmon/Operational</Channel>`,
    `<Computer>HOST-A</Computer></System>`,
    `<EventData>${fields.join(nl)}</EventData></Event>`,
  ].join(nl);
}

function xmlKernel(q: string, _nl: string): string {
  return `<Event xmlns=${q}${NS}${q}><System><Provider Name=${q}Microsoft-Windows-Kernel-General${q}/><EventID>1</EventID><Channel>System</Channel><Computer>HOST-A</Computer></System><EventData><Data Name=${q}Image${q}>C:\\Windows\\System32\\cmd.exe</Data></EventData></Event>`;
}

const RECORDS: Proc[] = [BENIGN, MATCH, NETWORK];

function xmlEvents(q: string, nl: string, ns = true): string[] {
  return [...RECORDS.map((p, i) => xmlEvent(p, 100 + i, q, nl, ns)), xmlKernel(q, nl)];
}

function dataOf(p: Proc): Record<string, string> {
  return p.id === 1
    ? { Image: p.image, CommandLine: p.cmd, ParentImage: p.parent, User: 'NT AUTHORITY\\SYSTEM' }
    : { Image: p.image, DestinationPort: '443' };
}

function jsonRecords(map: (p: Proc, i: number) => object, kernel: object): object[] {
  return [...RECORDS.map(map), kernel];
}

const flat = jsonRecords(
  (p, i) => ({ SourceName: 'Microsoft-Windows-Sysmon', Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: p.id, Hostname: 'HOST-A', RecordNumber: 100 + i, ...dataOf(p) }),
  { SourceName: 'Microsoft-Windows-Kernel-General', Channel: 'System', EventID: 1, Hostname: 'HOST-A', Image: 'C:\\Windows\\System32\\cmd.exe' },
);

function evtxDumpObject(p: Proc | undefined, i: number, separate = false): object {
  const provider = p ? 'Microsoft-Windows-Sysmon' : 'Microsoft-Windows-Kernel-General';
  const attrs = (name: string, value: object) => (separate ? { [`${name}_attributes`]: value } : { [name]: { '#attributes': value } });
  return {
    Event: {
      ...(separate ? { Event_attributes: { xmlns: NS } } : { '#attributes': { xmlns: NS } }),
      System: {
        ...attrs('Provider', { Name: provider }),
        EventID: p ? (p.id === 3 ? { '#attributes': { Qualifiers: '' }, '#text': 3 } : p.id) : 1,
        ...attrs('TimeCreated', { SystemTime: '2024-01-02T03:04:05.000000Z' }),
        EventRecordID: 100 + i,
        Channel: p ? 'Microsoft-Windows-Sysmon/Operational' : 'System',
        Computer: 'HOST-A',
      },
      EventData: p ? dataOf(p) : { Image: 'C:\\Windows\\System32\\cmd.exe' },
    },
  };
}

const evtxDump = [...RECORDS.map((p, i) => evtxDumpObject(p, i)), evtxDumpObject(undefined, 9)];
const evtxDumpSeparate = [...RECORDS.map((p, i) => evtxDumpObject(p, i, true)), evtxDumpObject(undefined, 9, true)];

const winlogbeat = jsonRecords(
  (p, i) => ({ '@timestamp': '2024-01-02T03:04:05.000Z', event: { code: String(p.id) }, winlog: { channel: 'Microsoft-Windows-Sysmon/Operational', provider_name: 'Microsoft-Windows-Sysmon', event_id: String(p.id), computer_name: 'HOST-A', record_id: String(100 + i), event_data: dataOf(p) } }),
  { event: { code: '1' }, winlog: { channel: 'System', provider_name: 'Microsoft-Windows-Kernel-General', event_id: '1', event_data: { Image: 'C:\\Windows\\System32\\cmd.exe' } } },
);

const ecs = jsonRecords(
  (p, i) => {
    const { Image, ParentImage, CommandLine, ...rest } = dataOf(p);
    return {
      '@timestamp': '2024-01-02T03:04:05.000Z',
      event: { code: String(p.id), provider: 'Microsoft-Windows-Sysmon' },
      host: { name: 'HOST-A' },
      // ECS puts the parent first here on purpose: the Image range must still be the child's.
      process: { parent: ParentImage === undefined ? undefined : { executable: ParentImage }, executable: Image, command_line: CommandLine },
      winlog: { channel: 'Microsoft-Windows-Sysmon/Operational', provider_name: 'Microsoft-Windows-Sysmon', event_id: String(p.id), record_id: String(100 + i), event_data: rest },
    };
  },
  { event: { code: '1', provider: 'Microsoft-Windows-Kernel-General' }, process: { executable: 'C:\\Windows\\System32\\cmd.exe' }, winlog: { channel: 'System', event_id: '1', event_data: {} } },
);

const winlogbeat6 = jsonRecords(
  (p, i) => ({ '@timestamp': '2024-01-02T03:04:05.000Z', source_name: 'Microsoft-Windows-Sysmon', log_name: 'Microsoft-Windows-Sysmon/Operational', event_id: p.id, computer_name: 'HOST-A', record_number: String(100 + i), event_data: dataOf(p) }),
  { source_name: 'Microsoft-Windows-Kernel-General', log_name: 'System', event_id: 1, event_data: { Image: 'C:\\Windows\\System32\\cmd.exe' } },
);

const sentinel = jsonRecords(
  (p) => ({ TimeGenerated: '2024-01-02T03:04:05Z', Provider: 'Microsoft-Windows-Sysmon', Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'HOST-A', EventData: JSON.stringify(dataOf(p)), EventID: p.id }),
  { Provider: 'Microsoft-Windows-Kernel-General', Channel: 'System', Computer: 'HOST-A', EventData: JSON.stringify({ Image: 'C:\\Windows\\System32\\cmd.exe' }), EventID: 1 },
);

const splunk = jsonRecords(
  (p, i) => ({ preview: false, result: { EventCode: String(p.id), Computer: 'HOST-A', source: 'WinEventLog:Microsoft-Windows-Sysmon/Operational', RecordNumber: String(100 + i), ...dataOf(p), _raw: '<Event/>' } }),
  { preview: false, result: { EventCode: '1', Computer: 'HOST-A', source: 'WinEventLog:System', Image: 'C:\\Windows\\System32\\cmd.exe' } },
);

function ndjson(objs: object[], nl = '\n'): string {
  return objs.map((o) => JSON.stringify(o)).join(nl) + nl;
}

/** name -> file bytes. */
export function shapeFixtures(): Record<string, Buffer> {
  const utf8 = (s: string) => Buffer.from(s, 'utf8');
  const eventViewer = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Events>${xmlEvents("'", '').join('')}</Events>`;
  const wevtutil = xmlEvents('"', '\r\n').join('\r\n') + '\r\n';
  const bom = (b: Buffer) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]);
  const utf16le = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
  const utf16be = (s: string) => {
    const le = Buffer.from(s, 'utf16le');
    return Buffer.concat([Buffer.from([0xfe, 0xff]), le.swap16()]);
  };
  return {
    'eventviewer.xml': utf8(eventViewer),
    'eventviewer-bom.xml': bom(utf8(eventViewer)),
    'wevtutil-crlf.xml': utf8(wevtutil),
    'wevtutil-utf16le.xml': utf16le(wevtutil),
    'wevtutil-utf16be.xml': utf16be(wevtutil),
    'wevtutil-rooted.xml': utf8(`<Events>\r\n${wevtutil}</Events>\r\n`),
    'getwinevent.xml': utf8(xmlEvents('"', '').join('\n') + '\n'),
    'no-namespace.xml': utf8(xmlEvents('"', '\n', false).join('\n')),
    'evtxdump.xml': utf8(xmlEvents('"', '\n  ').map((e, i) => `Record ${i + 1}\n<?xml version="1.0" encoding="utf-8"?>\n${e}\n`).join('')),
    'python-evtx.xml': utf8(`<?xml version="1.1" encoding="utf-8" standalone="yes" ?>\n\n<Events>\n${xmlEvents('"', '\n').join('\n\n')}\n\n</Events>\n`),
    'flat.ndjson': utf8(ndjson(flat)),
    'flat-crlf-bom.ndjson': bom(utf8(ndjson(flat, '\r\n'))),
    'flat-utf16le.ndjson': utf16le(ndjson(flat, '\r\n')),
    'pretty-concatenated.json': utf8(flat.map((o) => JSON.stringify(o, null, 2)).join('\n')),
    'array-pretty.json': utf8(JSON.stringify(flat, null, 2)),
    'array-one-line.json': utf8(JSON.stringify(flat)),
    'evtxdump-records.json': utf8(evtxDump.map((o, i) => `Record ${i + 1}\n${JSON.stringify(o, null, 2)}\n`).join('')),
    'evtxdump-jsonl.json': utf8(ndjson(evtxDump)),
    'evtxdump-separate-attributes.json': utf8(ndjson(evtxDumpSeparate)),
    'winlogbeat.ndjson': utf8(ndjson(winlogbeat)),
    'ecs.ndjson': utf8(ndjson(ecs)),
    'winlogbeat6.ndjson': utf8(ndjson(winlogbeat6)),
    'sentinel.ndjson': utf8(ndjson(sentinel)),
    'splunk.ndjson': utf8(ndjson(splunk)),
  };
}
