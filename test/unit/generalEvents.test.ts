/**
 * General event records: every shape gives its System fields and every EventData field under the
 * Sysmon names, ECS fields come back under their Sysmon names per EventID, and locate() finds the
 * exact span of any field's value, on small records written here.
 */
import assert from 'node:assert/strict';
import { parseJsonRecord } from '../../src/engine/readers/jsonShapes';
import { ParsedRecord } from '../../src/engine/readers/record';
import { parseXmlRecord } from '../../src/engine/readers/xmlRecord';
import { assertLocated } from './readersSupport';

const NS = 'http://schemas.microsoft.com/win/2004/08/events/event';
const SYSMON = 'Microsoft-Windows-Sysmon';
const CHANNEL = 'Microsoft-Windows-Sysmon/Operational';
const GUID = '{5770385f-c22a-43e0-bf4c-06f5698ffbd9}';

/** One Sysmon process create, as EventData. Non-BMP, escapes and markup characters on purpose. */
const DATA: Record<string, string> = {
  RuleName: '-',
  UtcTime: '2024-01-02 03:04:05.678',
  ProcessGuid: '{aaaaaaaa-1111-2222-3333-444444444444}',
  ProcessId: '4242',
  Image: 'C:\\Users\\😀\\a&b<c>.exe',
  CommandLine: '"C:\\Users\\😀\\a&b<c>.exe" /q "x\'y"',
  CurrentDirectory: 'C:\\Users\\😀\\',
  User: 'CORP\\alice',
  Hashes: 'SHA1=0123,MD5=4567',
  ParentProcessGuid: '{bbbbbbbb-1111-2222-3333-444444444444}',
  ParentProcessId: '1000',
  ParentImage: 'C:\\Windows\\explorer.exe',
  ParentCommandLine: 'C:\\Windows\\explorer.exe',
};

const SYSTEM: Record<string, string> = {
  Provider_Name: SYSMON,
  Provider_Guid: GUID,
  EventID: '1',
  Version: '5',
  Level: '4',
  Task: '1',
  Opcode: '0',
  Keywords: '0x8000000000000000',
  TimeCreated: '2024-01-02T03:04:05.6789012Z',
  EventRecordID: '777',
  Correlation_ActivityID: '{cccccccc-1111-2222-3333-444444444444}',
  Execution_ProcessID: '3000',
  Execution_ThreadID: '3100',
  Channel: CHANNEL,
  Computer: 'WKS-1.corp.example',
  Security_UserID: 'S-1-5-18',
};

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;');
}

function xmlEvent(data: Record<string, string>, extra = ''): string {
  const a = (v: string) => `'${xmlEscape(v)}'`;
  return [
    `<Event xmlns=${a(NS)}><System><Provider Name=${a(SYSMON)} Guid=${a(GUID)}/>`,
    `<EventID>1</EventID><Version>5</Version><Level>4</Level><Task>1</Task><Opcode>0</Opcode>`,
    `<Keywords>0x8000000000000000</Keywords><TimeCreated SystemTime=${a(SYSTEM.TimeCreated)}/>`,
    `<EventRecordID>777</EventRecordID><Correlation ActivityID=${a(SYSTEM.Correlation_ActivityID)}/>`,
    `<Execution ProcessID='3000' ThreadID='3100'/><Channel>${CHANNEL}</Channel>`,
    `<Computer>WKS-1.corp.example</Computer><Security UserID='S-1-5-18'/></System>`,
    `<EventData>${Object.entries(data).map(([k, v]) => `<Data Name=${a(k)}>${xmlEscape(v)}</Data>`).join('')}</EventData>${extra}</Event>`,
  ].join('\n');
}

/** The same event in each JSON shape: what it must give in `system` (the shape's share of SYSTEM). */
const JSON_SHAPES: {
  name: string;
  shape: string;
  record: object;
  system: string[];
  /** System fields the shape has beyond SYSTEM. */
  moreSystem?: Record<string, string>;
  /** Top-level names a flat shape cannot tell from EventData. */
  moreData?: Record<string, string>;
  nested?: boolean;
}[] = [
  {
    name: 'evtx_dump (#attributes)',
    shape: 'evtx_dump JSON',
    record: {
      Event: {
        '#attributes': { xmlns: NS },
        System: {
          Provider: { '#attributes': { Name: SYSMON, Guid: GUID } },
          EventID: 1, Version: 5, Level: 4, Task: 1, Opcode: 0, Keywords: SYSTEM.Keywords,
          TimeCreated: { '#attributes': { SystemTime: SYSTEM.TimeCreated } },
          EventRecordID: 777,
          Correlation: { '#attributes': { ActivityID: SYSTEM.Correlation_ActivityID } },
          Execution: { '#attributes': { ProcessID: 3000, ThreadID: 3100 } },
          Channel: CHANNEL, Computer: SYSTEM.Computer,
          Security: { '#attributes': { UserID: 'S-1-5-18' } },
        },
        EventData: { ...DATA, ProcessId: 4242, ParentProcessId: 1000 },
      },
    },
    system: Object.keys(SYSTEM),
  },
  {
    name: 'evtx_dump (--separate-json-attributes)',
    shape: 'evtx_dump JSON',
    record: {
      Event: {
        Event_attributes: { xmlns: NS },
        System: {
          Provider_attributes: { Name: SYSMON, Guid: GUID },
          EventID: { '#attributes': { Qualifiers: '' }, '#text': 1 }, Version: 5, Level: 4, Task: 1, Opcode: 0, Keywords: SYSTEM.Keywords,
          TimeCreated_attributes: { SystemTime: SYSTEM.TimeCreated },
          EventRecordID: 777,
          Correlation_attributes: { ActivityID: SYSTEM.Correlation_ActivityID },
          Execution_attributes: { ProcessID: 3000, ThreadID: 3100 },
          Channel: CHANNEL, Computer: SYSTEM.Computer,
          Security_attributes: { UserID: 'S-1-5-18' },
        },
        EventData: DATA,
      },
    },
    system: Object.keys(SYSTEM),
    moreSystem: { EventID_Qualifiers: '' },
  },
  {
    name: 'Winlogbeat raw',
    shape: 'Winlogbeat / ECS',
    record: {
      '@timestamp': '2024-01-02T03:04:05.678Z',
      event: { code: '1', provider: SYSMON },
      winlog: {
        channel: CHANNEL, computer_name: SYSTEM.Computer, event_id: '1', provider_name: SYSMON, provider_guid: GUID,
        record_id: '777', version: 5, activity_id: SYSTEM.Correlation_ActivityID, process: { pid: 3000, thread: { id: 3100 } },
        user: { identifier: 'S-1-5-18', name: 'SYSTEM' }, time_created: SYSTEM.TimeCreated, task: 'Process Create', opcode: 'Info',
        event_data: DATA,
      },
    },
    system: ['Provider_Name', 'Provider_Guid', 'EventID', 'Version', 'TimeCreated', 'EventRecordID', 'Correlation_ActivityID', 'Execution_ProcessID', 'Execution_ThreadID', 'Channel', 'Computer', 'Security_UserID'],
  },
  {
    name: 'Winlogbeat 6',
    shape: 'Winlogbeat 6',
    record: {
      '@timestamp': '2024-01-02T03:04:05.678Z', source_name: SYSMON, log_name: CHANNEL, event_id: 1, computer_name: SYSTEM.Computer,
      record_number: '777', provider_guid: GUID, version: 5, process_id: 3000, thread_id: 3100, activity_id: SYSTEM.Correlation_ActivityID,
      user: { identifier: 'S-1-5-18' }, level: 'Information', opcode: 'Info', event_data: DATA,
    },
    system: ['Provider_Name', 'Provider_Guid', 'EventID', 'Version', 'EventRecordID', 'Correlation_ActivityID', 'Execution_ProcessID', 'Execution_ThreadID', 'Channel', 'Computer', 'Security_UserID'],
  },
  {
    name: 'Azure Sentinel',
    shape: 'Azure Sentinel Event table',
    record: { TimeGenerated: '2024-01-02T03:04:06Z', Provider: SYSMON, Channel: CHANNEL, Computer: SYSTEM.Computer, EventID: 1, EventLevel: 4, EventRecordId: '777', Task: 1, EventData: JSON.stringify(DATA) },
    system: ['Provider_Name', 'EventID', 'Level', 'EventRecordID', 'Channel', 'Computer'],
    nested: true,
  },
  {
    name: 'Splunk',
    shape: 'Splunk export',
    record: { preview: false, result: { EventCode: '1', Computer: SYSTEM.Computer, source: `XmlWinEventLog:${CHANNEL}`, sourcetype: 'XmlWinEventLog', RecordNumber: '777', SourceName: SYSMON, ...DATA, _raw: '<Event/>', _time: '2024-01-02T03:04:05.000+00:00' } },
    system: ['Provider_Name', 'EventID', 'EventRecordID', 'Channel', 'Computer'],
  },
  {
    name: 'nxlog / OTRF',
    shape: 'flat (nxlog / OTRF)',
    record: {
      '@timestamp': '2024-01-02T03:04:06.000Z', EventTime: '2024-01-02 03:04:05', SourceName: SYSMON, ProviderGuid: GUID.toUpperCase(), EventID: 1, Version: 5, Task: 1,
      OpcodeValue: 0, RecordNumber: 777, ActivityID: SYSTEM.Correlation_ActivityID, ExecutionProcessID: 3000, ThreadID: 3100, Channel: CHANNEL,
      Hostname: SYSTEM.Computer, UserID: 'S-1-5-18', Keywords: -9223372036854775808, EventType: 'INFO', Severity: 'INFO', SeverityValue: 2,
      SourceModuleName: 'eventlog', SourceModuleType: 'im_msvistalog', ...DATA,
    },
    system: ['Provider_Name', 'EventID', 'Version', 'Task', 'Opcode', 'EventRecordID', 'Correlation_ActivityID', 'Execution_ProcessID', 'Execution_ThreadID', 'Channel', 'Computer', 'Security_UserID'],
    moreSystem: { Provider_Guid: GUID.toUpperCase() },
    // Names that are EventData in some events (Sysmon 4's Version, 5156's ThreadID...) stay in data.
    moreData: { Version: '5', Task: '1', ActivityID: SYSTEM.Correlation_ActivityID, ThreadID: '3100', UserID: 'S-1-5-18' },
  },
];

function pick(from: Record<string, string>, keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.map((k) => [k, from[k]]));
}

describe('general events: XML', () => {
  const text = xmlEvent(DATA);
  const record = parseXmlRecord(text);

  it('gives every System field and every EventData field', () => {
    assert.deepEqual(record.system, SYSTEM);
    assert.deepEqual(record.data, DATA);
    assert.deepEqual(
      { eventId: record.eventId, provider: record.provider, channel: record.channel, computer: record.computer, recordId: record.recordId, time: record.time },
      { eventId: 1, provider: SYSMON, channel: CHANNEL, computer: SYSTEM.Computer, recordId: '777', time: SYSTEM.TimeCreated },
    );
  });

  it('locates every field: data, System text, System attributes, after a non-BMP character and entities', () => {
    assertLocated(record, text, 'xml');
    assert.equal(text.slice(...record.locate('Image')!), 'C:\\Users\\😀\\a&amp;b&lt;c&gt;.exe');
    assert.equal(text.slice(...record.locate('Execution_ThreadID')!), '3100');
    assert.equal(text.slice(...record.locate('TimeCreated')!), SYSTEM.TimeCreated);
    assert.equal(text.slice(...record.locate('EventID')!), '1');
    assert.equal(record.locate('NoSuchField'), undefined);
  });

  it('names unnamed <Data> Data, Data_2, ...; keeps Binary; reads UserData leaves', () => {
    const classic = `<Event xmlns='${NS}'><System><Provider Name='MSSQLSERVER'/><EventID Qualifiers='16384'>18456</EventID><Channel>Application</Channel><Computer>db</Computer><Correlation/></System><EventData><Data>sa</Data><Data> Reason: bad 😀 password</Data><Data></Data><Binary>0A0B</Binary></EventData></Event>`;
    const r = parseXmlRecord(classic);
    assert.deepEqual(r.data, { Data: 'sa', Data_2: ' Reason: bad 😀 password', Data_3: '', Binary: '0A0B' });
    assert.deepEqual(r.system, { Provider_Name: 'MSSQLSERVER', EventID: '18456', EventID_Qualifiers: '16384', Channel: 'Application', Computer: 'db' });
    assert.equal(r.eventId, 18456);
    assertLocated(r, classic, 'xml');

    const cleared = `<Event xmlns='${NS}'><System><Provider Name='Microsoft-Windows-Eventlog'/><EventID>104</EventID><Channel>System</Channel></System><UserData><LogFileCleared xmlns='http://manifests.microsoft.com/win/2004/08/windows/eventlog'><SubjectUserName>alice</SubjectUserName><SubjectDomainName>CORP</SubjectDomainName><Channel>Security</Channel><BackupPath></BackupPath></LogFileCleared></UserData></Event>`;
    const u = parseXmlRecord(cleared);
    assert.deepEqual(u.data, { SubjectUserName: 'alice', SubjectDomainName: 'CORP', Channel: 'Security', BackupPath: '' });
    assert.equal(u.channel, 'System', 'the System channel is not the UserData one');
    assert.equal(cleared.slice(...u.locate('Channel')!), 'Security', 'data names come first');
    assertLocated(u, cleared, 'xml');
  });

  it('ignores RenderingInfo', () => {
    const r = parseXmlRecord(xmlEvent({ Image: 'a.exe' }, `<RenderingInfo Culture='en-US'><Message>m</Message><Level>Information</Level></RenderingInfo>`));
    assert.deepEqual(r.data, { Image: 'a.exe' });
    assert.equal(r.system.Level, '4');
  });
});

describe('general events: JSON shapes', () => {
  for (const { name, shape, record: obj, system, moreSystem, moreData, nested } of JSON_SHAPES) {
    it(`${name}: System fields, every EventData field, exact spans`, () => {
      // A non-BMP character escaped and raw earlier on the line, before every value.
      const text = JSON.stringify({ Z: '\ud83d\ude00 😀', ...obj }).replace('"Z":"😀', '"Z":"\\ud83d\\ude00');
      const parsed = parseJsonRecord(text);
      assert.equal(parsed.shape, shape);
      const r = parsed.record;
      const flatExtras = moreData ? { Z: '😀 😀', ...moreData } : {};
      assert.deepEqual(r.data, { ...DATA, ...flatExtras });
      assert.deepEqual(r.system, { ...pick(SYSTEM, system), ...moreSystem });
      assert.equal(r.eventId, 1);
      assertLocated(r, text, 'json', { nestedData: nested });
    });
  }

  it('keeps every digit of long numbers, in data and in system', () => {
    const text = '{"EventID":1,"SourceName":"Microsoft-Windows-Sysmon","RecordNumber":123456789012345678901234567890,"ProcessId":98765432109876543210}';
    const r = parseJsonRecord(text).record;
    assert.equal(r.data.ProcessId, '98765432109876543210');
    assert.equal(r.system.EventRecordID, '123456789012345678901234567890');
    assert.equal(r.recordId, '123456789012345678901234567890');
    assert.equal(text.slice(...r.locate('ProcessId')!), '98765432109876543210');
  });

  it('builds data and system only when asked', () => {
    const r = parseJsonRecord(JSON.stringify(JSON_SHAPES[0].record)).record as ParsedRecord & Record<string, unknown>;
    assert.equal(r.builtData, undefined);
    assert.equal(r.builtSystem, undefined);
    assert.equal(r.data.Image, DATA.Image);
    assert.equal(r.builtSystem, undefined);
  });

  it('reads unnamed Data and UserData from evtx_dump JSON', () => {
    const text = JSON.stringify({
      Event: {
        System: { Provider: { '#attributes': { Name: 'MSSQLSERVER' } }, EventID: 18456, Channel: 'Application' },
        EventData: { Data: { '#text': ['sa', ' Reason: bad password'] }, Binary: '0A0B' },
      },
    });
    const r = parseJsonRecord(text).record;
    assert.deepEqual(r.data, { Data: 'sa', Data_2: ' Reason: bad password', Binary: '0A0B' });
    assertLocated(r, text, 'json');
    const one = parseJsonRecord(JSON.stringify({ Event: { System: { EventID: 1 }, EventData: { Data: 'only' } } })).record;
    assert.deepEqual(one.data, { Data: 'only' });
    const cleared = JSON.stringify({ Event: { System: { EventID: 104, Channel: 'System' }, UserData: { LogFileCleared: { '#attributes': { xmlns: 'x' }, SubjectUserName: 'alice', Channel: 'Security' } } } });
    const u = parseJsonRecord(cleared).record;
    assert.deepEqual(u.data, { SubjectUserName: 'alice', Channel: 'Security' });
    assertLocated(u, cleared, 'json');
  });

  it('reads a forged, endlessly nested UserData without running out of stack', () => {
    const depth = 100_000;
    const text = `{"Event":{"System":{"EventID":1},"UserData":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}}`;
    assert.deepEqual(parseJsonRecord(text).record.data, {});
  });

  it('keeps Splunk and nxlog bookkeeping out of data', () => {
    const splunk = parseJsonRecord(JSON.stringify(JSON_SHAPES.find((s) => s.name === 'Splunk')!.record)).record;
    assert.equal(splunk.data._raw, undefined);
    assert.equal(splunk.data.sourcetype, undefined);
    const flat = parseJsonRecord(JSON.stringify({ EventID: 13, SourceModuleType: 'im_msvistalog', EventType: 'SetValue', Severity: 'INFO' })).record;
    assert.deepEqual(flat.data, { EventType: 'SetValue' }, "Sysmon's EventType stays; nxlog's INFO would not");
  });
});
