/**
 * ECS after Winlogbeat's Sysmon ingest pipeline: the Sysmon names come back per EventID from where
 * the pipeline moved them, located at the ECS path, and nothing the pipeline rewrote is made up.
 * The documents are written here in the pipeline's output form (8.x, and 7.x where it differs).
 */
import assert from 'node:assert/strict';
import { parseJsonRecord } from '../../src/engine/readers/jsonShapes';
import { ParsedRecord } from '../../src/engine/readers/record';
import { assertLocated } from './readersSupport';

const SYSMON = 'Microsoft-Windows-Sysmon';

/** An ECS document of a Sysmon event: the envelope the pipeline leaves, plus `fields`. */
function ecs(eventId: number, fields: object, eventData: Record<string, string> = {}): object {
  return {
    // A non-BMP character, raw and escaped, before every value.
    agent: { name: '😀 \ud83d\ude00' },
    '@timestamp': '2024-01-02T03:04:05.678Z',
    event: { code: String(eventId), provider: SYSMON, module: 'sysmon', kind: 'event' },
    host: { name: 'wks-1' },
    log: { level: 'information' },
    ...fields,
    winlog: {
      channel: `${SYSMON}/Operational`,
      computer_name: 'WKS-1.corp.example',
      event_id: String(eventId),
      provider_name: SYSMON,
      record_id: '10',
      process: { pid: 3000, thread: { id: 3100 } },
      user: { identifier: 'S-1-5-18', name: 'SYSTEM', domain: 'NT AUTHORITY' },
      task: 'whatever Winlogbeat rendered',
      ...(Object.keys(eventData).length > 0 ? { event_data: eventData } : {}),
    },
  };
}

function read(doc: object): { record: ParsedRecord; text: string } {
  const text = JSON.stringify(doc).replace('😀 😀', '😀 \\ud83d\\ude00');
  return { record: parseJsonRecord(text).record, text };
}

const PROC = { entity_id: '{aaaaaaaa-1111-2222-3333-444444444444}', pid: 4242, executable: 'C:\\Tools\\😀\\x.exe', name: 'x.exe' };
const PROC_DATA = { ProcessGuid: PROC.entity_id, ProcessId: '4242', Image: PROC.executable };
const USER = { user: { domain: 'CORP', name: 'alice', id: 'S-1-5-21-1' } };
const RULE = { rule: { name: 'technique_id=T1059,technique_name=Command' } };

const CASES: { title: string; id: number; doc: object; data: Record<string, string>; located?: Record<string, string> }[] = [
  {
    title: 'EventID 1: process, parent, working directory, original file name, User and RuleName',
    id: 1,
    doc: ecs(
      1,
      {
        process: {
          ...PROC,
          command_line: '"C:\\Tools\\😀\\x.exe" -a "b c"',
          args: ['C:\\Tools\\😀\\x.exe', '-a', 'b c'],
          args_count: 3,
          working_directory: 'C:\\Tools\\',
          pe: { original_file_name: 'X.EXE', company: 'Acme', description: 'X', file_version: '1.0', product: 'X' },
          hash: { sha1: '0123abcd', md5: '4567ef01' },
          parent: { entity_id: '{bbbbbbbb-1111-2222-3333-444444444444}', pid: 1000, executable: 'C:\\Windows\\explorer.exe', command_line: 'C:\\Windows\\Explorer.EXE', name: 'explorer.exe' },
        },
        related: { hash: ['0123abcd', '4567ef01'], user: ['alice'] },
        ...USER,
        ...RULE,
      },
      { Company: 'Acme', Description: 'X', FileVersion: '1.0', Product: 'X', IntegrityLevel: 'High', LogonGuid: '{cccccccc-0000-0000-0000-000000000000}', LogonId: '0x3e7', TerminalSessionId: '1', ParentUser: 'CORP\\alice' },
    ),
    data: {
      ...PROC_DATA,
      CommandLine: '"C:\\Tools\\😀\\x.exe" -a "b c"',
      CurrentDirectory: 'C:\\Tools\\',
      ParentProcessGuid: '{bbbbbbbb-1111-2222-3333-444444444444}',
      ParentProcessId: '1000',
      ParentImage: 'C:\\Windows\\explorer.exe',
      ParentCommandLine: 'C:\\Windows\\Explorer.EXE',
      OriginalFileName: 'X.EXE',
      User: 'CORP\\alice',
      RuleName: 'technique_id=T1059,technique_name=Command',
      Company: 'Acme',
      Description: 'X',
      FileVersion: '1.0',
      Product: 'X',
      IntegrityLevel: 'High',
      LogonGuid: '{cccccccc-0000-0000-0000-000000000000}',
      LogonId: '0x3e7',
      TerminalSessionId: '1',
      ParentUser: 'CORP\\alice',
    },
    located: { Image: PROC.executable, ProcessId: '4242', User: 'alice', ParentImage: 'C:\\Windows\\explorer.exe' },
  },
  {
    title: 'EventID 3: network fields back from source.*, destination.*, network.transport',
    id: 3,
    doc: ecs(3, {
      process: PROC,
      network: { transport: 'tcp', protocol: 'https', direction: 'egress', type: 'ipv4', community_id: '1:x' },
      source: { ip: '10.0.0.5', port: 49152, domain: 'wks-1.corp.example' },
      destination: { ip: '203.0.113.7', port: 443, domain: 'evil.example' },
      related: { ip: ['10.0.0.5', '203.0.113.7'] },
      ...USER,
    }),
    data: {
      ...PROC_DATA,
      Protocol: 'tcp',
      SourceIp: '10.0.0.5',
      SourcePort: '49152',
      SourceHostname: 'wks-1.corp.example',
      DestinationIp: '203.0.113.7',
      DestinationPort: '443',
      DestinationHostname: 'evil.example',
      User: 'CORP\\alice',
    },
    located: { DestinationPort: '443', DestinationIp: '203.0.113.7' },
  },
  {
    title: 'EventID 7: file.path is ImageLoaded, file.pe.original_file_name is OriginalFileName',
    id: 7,
    doc: ecs(
      7,
      {
        process: PROC,
        file: { path: 'C:\\Windows\\System32\\evil.dll', name: 'evil.dll', directory: 'C:\\Windows\\System32', extension: 'dll', pe: { original_file_name: 'EVIL.DLL', company: 'Acme' }, code_signature: { subject_name: 'Acme', status: 'Valid', signed: true, valid: true }, hash: { sha256: 'ab' } },
      },
      { Signed: 'true', Signature: 'Acme', SignatureStatus: 'Valid', Company: 'Acme' },
    ),
    data: { ...PROC_DATA, ImageLoaded: 'C:\\Windows\\System32\\evil.dll', OriginalFileName: 'EVIL.DLL', Signed: 'true', Signature: 'Acme', SignatureStatus: 'Valid', Company: 'Acme' },
    located: { ImageLoaded: 'C:\\Windows\\System32\\evil.dll' },
  },
  {
    title: 'EventID 8: process.* is the Source process; TargetProcessGUID is TargetProcessGuid again',
    id: 8,
    doc: ecs(8, { process: PROC }, { TargetProcessGUID: '{dddddddd-0000-0000-0000-000000000000}', TargetProcessId: '500', TargetImage: 'C:\\Windows\\System32\\lsass.exe', NewThreadId: '77', StartAddress: '0x1000', StartModule: '-', StartFunction: '-' }),
    data: {
      SourceProcessGuid: PROC.entity_id,
      SourceProcessId: '4242',
      SourceImage: PROC.executable,
      TargetProcessGuid: '{dddddddd-0000-0000-0000-000000000000}',
      TargetProcessId: '500',
      TargetImage: 'C:\\Windows\\System32\\lsass.exe',
      NewThreadId: '77',
      StartAddress: '0x1000',
      StartModule: '-',
      StartFunction: '-',
    },
    located: { TargetProcessGuid: '{dddddddd-0000-0000-0000-000000000000}' },
  },
  {
    title: 'EventID 10: process.executable is SourceImage, process.thread.id is SourceThreadId',
    id: 10,
    doc: ecs(10, { process: { ...PROC, thread: { id: 4243 } } }, { TargetProcessGUID: '{dddddddd-0000-0000-0000-000000000000}', TargetProcessId: '500', TargetImage: 'C:\\Windows\\System32\\lsass.exe', GrantedAccess: '0x1010', CallTrace: 'C:\\Windows\\SYSTEM32\\ntdll.dll+9c584', SourceUser: 'CORP\\alice', TargetUser: 'NT AUTHORITY\\SYSTEM' }),
    data: {
      SourceProcessGUID: PROC.entity_id,
      SourceProcessId: '4242',
      SourceThreadId: '4243',
      SourceImage: PROC.executable,
      TargetProcessGUID: '{dddddddd-0000-0000-0000-000000000000}',
      TargetProcessId: '500',
      TargetImage: 'C:\\Windows\\System32\\lsass.exe',
      GrantedAccess: '0x1010',
      CallTrace: 'C:\\Windows\\SYSTEM32\\ntdll.dll+9c584',
      SourceUser: 'CORP\\alice',
      TargetUser: 'NT AUTHORITY\\SYSTEM',
    },
    located: { SourceImage: PROC.executable, SourceThreadId: '4243' },
  },
  {
    title: 'EventID 11: file.path is TargetFilename',
    id: 11,
    doc: ecs(11, { process: PROC, file: { path: 'C:\\Users\\alice\\AppData\\x.ps1', name: 'x.ps1', directory: 'C:\\Users\\alice\\AppData', extension: 'ps1' }, ...USER }, { CreationUtcTime: '2024-01-02 03:04:05.000' }),
    data: { ...PROC_DATA, TargetFilename: 'C:\\Users\\alice\\AppData\\x.ps1', CreationUtcTime: '2024-01-02 03:04:05.000', User: 'CORP\\alice' },
    located: { TargetFilename: 'C:\\Users\\alice\\AppData\\x.ps1' },
  },
  {
    title: 'EventID 13, a REG_SZ: registry.path is TargetObject, registry.data.strings[0] is Details',
    id: 13,
    doc: ecs(13, { process: PROC, registry: { path: 'HKLM\\Software\\Run\\x', hive: 'HKLM', key: 'Software\\Run\\x', value: 'x', data: { strings: ['C:\\x.exe -a'], type: 'REG_SZ' } } }, { EventType: 'SetValue' }),
    data: { ...PROC_DATA, TargetObject: 'HKLM\\Software\\Run\\x', Details: 'C:\\x.exe -a', EventType: 'SetValue' },
    located: { Details: 'C:\\x.exe -a', TargetObject: 'HKLM\\Software\\Run\\x' },
  },
  {
    title: 'EventID 13, a DWORD: the decimal rewrite is not taken for Details',
    id: 13,
    doc: ecs(13, { process: PROC, registry: { path: 'HKLM\\Software\\x\\Start', hive: 'HKLM', key: 'Software\\x\\Start', value: 'Start', data: { strings: ['3'], type: 'SZ_DWORD' } } }, { EventType: 'SetValue' }),
    data: { ...PROC_DATA, TargetObject: 'HKLM\\Software\\x\\Start', EventType: 'SetValue' },
  },
  {
    title: 'EventID 13 from Winlogbeat 7 (the JavaScript processor kept TargetObject and Details)',
    id: 13,
    doc: ecs(13, { process: PROC, registry: { path: 'HKLM\\Software\\x\\Start', value: 'Start', data: { strings: ['3'], type: 'SZ_DWORD' } } }, { EventType: 'SetValue', TargetObject: 'HKLM\\Software\\x\\Start', Details: 'DWORD (0x00000003)' }),
    data: { ...PROC_DATA, TargetObject: 'HKLM\\Software\\x\\Start', Details: 'DWORD (0x00000003)', EventType: 'SetValue' },
    located: { Details: 'DWORD (0x00000003)' },
  },
  {
    title: 'EventID 22: dns.question.name is QueryName; the translated status and split results are not taken',
    id: 22,
    doc: ecs(22, { process: PROC, network: { protocol: 'dns' }, dns: { question: { name: 'evil.example', registered_domain: 'evil.example' }, resolved_ip: ['203.0.113.7'], answers: [{ type: 'A', data: '203.0.113.7' }] }, sysmon: { dns: { status: 'SUCCESS' } }, ...USER }),
    data: { ...PROC_DATA, QueryName: 'evil.example', User: 'CORP\\alice' },
    located: { QueryName: 'evil.example' },
  },
  {
    title: 'EventID 23: Archived and IsExecutable from the booleans sysmon.file.*',
    id: 23,
    doc: ecs(23, { process: PROC, file: { path: 'C:\\x.txt', name: 'x.txt' }, sysmon: { file: { archived: true, is_executable: false } } }),
    data: { ...PROC_DATA, TargetFilename: 'C:\\x.txt', Archived: 'true', IsExecutable: 'false' },
  },
  {
    title: 'EventID 20: process.executable is Destination, not Image',
    id: 20,
    doc: ecs(20, { process: { executable: 'powershell.exe -enc AAAA', name: 'powershell.exe -enc AAAA' }, ...USER }, { Operation: 'Created', Name: '"x"', Type: 'Command Line', EventType: 'WmiConsumerEvent' }),
    data: { Destination: 'powershell.exe -enc AAAA', Operation: 'Created', Name: '"x"', Type: 'Command Line', EventType: 'WmiConsumerEvent', User: 'CORP\\alice' },
  },
  {
    title: 'EventID 25: message is Type',
    id: 25,
    doc: ecs(25, { process: PROC, message: 'Image is replaced' }),
    data: { ...PROC_DATA, Type: 'Image is replaced' },
  },
];

describe('general events: ECS after the Sysmon ingest pipeline', () => {
  for (const { title, id, doc, data, located } of CASES) {
    it(title, () => {
      const { record, text } = read(doc);
      assert.equal(record.eventId, id);
      assert.deepEqual(record.data, data);
      assertLocated(record, text, 'json', { joined: ['User'] });
      for (const [field, raw] of Object.entries(located ?? {})) {
        assert.equal(JSON.parse(`"${text.slice(...record.locate(field)!)}"`), raw, `${field} is located at its ECS value`);
      }
    });
  }

  it('locates a recovered field at its ECS path, not at a look-alike elsewhere', () => {
    const { record, text } = read(CASES[0].doc);
    const span = record.locate('Image')!;
    assert.equal(text.slice(span[0] - '"executable":"'.length, span[0]), '"executable":"');
    assert.ok(text.lastIndexOf('"process":{', span[0]) > text.lastIndexOf('"parent":{', span[0]), 'the child process, not the parent');
    const user = record.locate('User')!;
    assert.equal(text.slice(user[0] - '"name":"'.length, user[1]), '"name":"alice');
  });

  it('keeps what event_data still holds over an ECS copy', () => {
    const { record } = read(ecs(1, { process: { executable: 'C:\\ecs.exe' } }, { Image: 'C:\\raw.exe', User: 'A\\b' }));
    assert.equal(record.data.Image, 'C:\\raw.exe');
    assert.equal(record.data.User, 'A\\b');
  });

  it('leaves a User that did not split in two, and a lone user.name, alone', () => {
    assert.equal(read(ecs(1, { user: { name: 'SYSTEM', id: 'S-1-5-18' } })).record.data.User, undefined);
  });

  it('does not apply the Sysmon renames to other providers', () => {
    const kernel = read({ event: { code: '1', provider: 'Microsoft-Windows-Kernel-General' }, process: { executable: 'C:\\x.exe', pid: 4 }, winlog: { channel: 'System', event_id: '1', provider_name: 'Microsoft-Windows-Kernel-General' } });
    assert.deepEqual(kernel.record.data, {});
    const security = read({ event: { code: '4688', provider: 'Microsoft-Windows-Security-Auditing' }, process: { executable: 'C:\\x.exe' }, user: { domain: 'CORP', name: 'bob' }, winlog: { channel: 'Security', event_id: '4688', event_data: { NewProcessName: 'C:\\x.exe' } } });
    assert.deepEqual(security.record.data, { NewProcessName: 'C:\\x.exe' });
  });

  it('System fields from winlog.*, leaving out the rendered Level, Task, Opcode and Keywords', () => {
    const { record, text } = read(CASES[1].doc);
    assert.deepEqual(record.system, {
      EventID: '3',
      Provider_Name: SYSMON,
      Channel: `${SYSMON}/Operational`,
      Computer: 'WKS-1.corp.example',
      EventRecordID: '10',
      Execution_ProcessID: '3000',
      Execution_ThreadID: '3100',
      Security_UserID: 'S-1-5-18',
    });
    assert.equal(text.slice(...record.locate('Execution_ThreadID')!), '3100');
  });
});
