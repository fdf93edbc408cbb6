/**
 * True positives and near misses of the CAR 2019-2022 analytics that run on other Sysmon events
 * (process access, file create, registry, remote thread, network) or on several kinds at once.
 */
import { access, Case, CMD, fileCreate, net, proc, PS, regObject, regSet, SYS32, terminate, thread, USER_SID } from './car-2019-2022-samples';

const LSASS_MIMIKATZ_TRACE = 'C:\\windows\\SYSTEM32\\ntdll.dll+a5314|C:\\windows\\System32\\KERNELBASE.dll+20edd|UNKNOWN(00000000001A91F2)';
const MINIDUMP_TRACE =
  'C:\\Windows\\SYSTEM32\\ntdll.dll+9d234|C:\\Windows\\System32\\KERNELBASE.dll+2c13e|C:\\Windows\\SYSTEM32\\dbgcore.DLL+6dc0|C:\\Windows\\SYSTEM32\\dbgcore.DLL+6e89|UNKNOWN(00000000004A1B3C)';
const HKU = `HKU\\${USER_SID}`;
const WINLOGON = 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon';
const SHELL_FOLDERS = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Explorer\\User Shell Folders';
const SESSION_MANAGER = 'HKLM\\System\\CurrentControlSet\\Control\\Session Manager';
const REG = `${SYS32}\\reg.exe`;
/** CAR's unit tests run their PowerShell commands through powershell.exe. */
const psc = (command: string) => proc({ Image: PS, CommandLine: `powershell.exe -c "${command}"` });

export const OTHER_CASES: Case[] = [
  {
    id: 'CAR-2019-04-004',
    hits: [['Mimikatz reading lsass.exe', access({ SourceImage: 'C:\\Users\\alice\\Downloads\\mimikatz.exe', GrantedAccess: '0x1010', CallTrace: LSASS_MIMIKATZ_TRACE })]],
    misses: [
      ['an access mask Mimikatz does not use', access({ SourceImage: 'C:\\Users\\alice\\Downloads\\mimikatz.exe', GrantedAccess: '0x1000', CallTrace: LSASS_MIMIKATZ_TRACE })],
      ['another call path', access({ SourceImage: 'C:\\Program Files\\Agent\\agent.exe', GrantedAccess: '0x1010', CallTrace: 'C:\\windows\\SYSTEM32\\ntdll.dll+a5314|C:\\windows\\System32\\KERNELBASE.dll+2b9cf|C:\\Program Files\\Agent\\agent.exe+1a2b' })],
    ],
  },
  {
    id: 'CAR-2019-08-001',
    hits: [['Task Manager writing lsass.DMP', fileCreate('C:\\Windows\\system32\\Taskmgr.exe', 'C:\\Users\\admin\\AppData\\Local\\Temp\\lsass.DMP')]],
    misses: [
      ['Task Manager dumping another process', fileCreate('C:\\Windows\\system32\\Taskmgr.exe', 'C:\\Users\\admin\\AppData\\Local\\Temp\\explorer.DMP')],
      ['a taskmgr.exe outside C:\\Windows', fileCreate('C:\\Users\\Public\\taskmgr.exe', 'C:\\Users\\Public\\lsass.dmp')],
    ],
  },
  {
    id: 'CAR-2019-08-002',
    hits: [['ntdsutil IFM writing ntds.dit', fileCreate(`${SYS32}\\ntdsutil.exe`, 'C:\\temp\\Active Directory\\ntds.dit')]],
    misses: [
      ['ntdsutil writing the SYSTEM hive', fileCreate(`${SYS32}\\ntdsutil.exe`, 'C:\\temp\\registry\\SYSTEM')],
      ['another tool writing ntds.dit', fileCreate(`${SYS32}\\esentutl.exe`, 'C:\\temp\\ntds.dit')],
    ],
  },
  {
    id: 'CAR-2020-05-001',
    hits: [['a MiniDumpWriteDump of lsass.exe', access({ SourceImage: 'C:\\Users\\alice\\SafetyKatz.exe', GrantedAccess: '0x1fffff', CallTrace: MINIDUMP_TRACE })]],
    misses: [
      ['the same call trace on another process', access({ SourceImage: 'C:\\Users\\alice\\SafetyKatz.exe', TargetImage: `${SYS32}\\svchost.exe`, GrantedAccess: '0x1fffff', CallTrace: MINIDUMP_TRACE })],
      ['an lsass.exe access without the dump DLLs', access({ SourceImage: 'C:\\Program Files\\Agent\\agent.exe', GrantedAccess: '0x1410', CallTrace: 'C:\\Windows\\SYSTEM32\\ntdll.dll+9d234|C:\\Windows\\System32\\KERNELBASE.dll+2c13e|C:\\Program Files\\Agent\\agent.exe+1a2b' })],
    ],
  },
  {
    id: 'CAR-2020-09-001',
    hits: [['a program dropping a task file', fileCreate('C:\\Users\\alice\\AppData\\Local\\Temp\\dropper.exe', `${SYS32}\\Tasks\\Updater`)]],
    misses: [
      ['the Task Scheduler service writing it', fileCreate('C:\\WINDOWS\\system32\\svchost.exe', `${SYS32}\\Tasks\\Updater`)],
      ['a file in Tasks_Migrated', fileCreate('C:\\Users\\alice\\AppData\\Local\\Temp\\dropper.exe', `${SYS32}\\Tasks_Migrated\\Updater`)],
    ],
  },
  {
    id: 'CAR-2020-09-002',
    hits: [
      ['a per-user InprocServer32 set (HKU\\<SID>_Classes)', regSet(`${HKU}_Classes\\CLSID\\{0358B920-0AC7-461F-98F4-58E32CD89148}\\InprocServer32\\(Default)`, 'C:\\Users\\alice\\AppData\\Local\\Temp\\evil.dll')],
      ['a machine CLSID key created', regObject('CreateKey', 'HKLM\\SOFTWARE\\Classes\\CLSID\\{0358B920-0AC7-461F-98F4-58E32CD89148}\\InprocServer32')],
    ],
    misses: [['an Interface key naming a ProxyStubClsid32', regSet('HKLM\\SOFTWARE\\Classes\\Interface\\{00000000-0000-0000-C000-000000000046}\\ProxyStubClsid32\\(Default)', '{00000320-0000-0000-C000-000000000046}')]],
  },
  {
    id: 'CAR-2020-09-005',
    hits: [
      ['AppInit_DLLs set', regSet('HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Windows\\AppInit_DLLs', 'C:\\Users\\Public\\evil.dll')],
      ['the Wow6432Node AppInit_DLLs set', regSet('HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\Windows NT\\CurrentVersion\\Windows\\AppInit_DLLs', 'C:\\Users\\Public\\evil32.dll')],
    ],
    misses: [['LoadAppInit_DLLs set', regSet('HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Windows\\LoadAppInit_DLLs', 'DWORD (0x00000001)')]],
  },
  {
    id: 'CAR-2020-11-001',
    hits: [
      ['reg add of UserInitMprLogonScript (Atomic Red Team)', proc({ Image: REG, CommandLine: 'REG.exe ADD HKCU\\Environment /v UserInitMprLogonScript /t REG_SZ /d "C:\\Users\\Public\\logon.bat" /f' })],
      ['the UserInitMprLogonScript value set', regSet(`${HKU}\\Environment\\UserInitMprLogonScript`, 'C:\\Users\\Public\\logon.bat')],
    ],
    misses: [
      ['reg add of another Environment value', proc({ Image: REG, CommandLine: 'REG.exe ADD HKCU\\Environment /v TEMP /t REG_SZ /d "C:\\Temp" /f' })],
      ['the UserInitMprLogonScript value deleted', regObject('DeleteValue', `${HKU}\\Environment\\UserInitMprLogonScript`)],
    ],
  },
  {
    id: 'CAR-2020-11-010',
    hits: [
      ['cmstp.exe connecting out to the internet', net({ Image: `${SYS32}\\cmstp.exe`, DestinationIp: '93.184.216.34' })],
      ['cmstp.exe accepting a connection from the internet', net({ Image: `${SYS32}\\cmstp.exe`, Initiated: 'false', SourceIp: '203.0.113.7', DestinationIp: '10.0.0.15' })],
    ],
    misses: [
      ['cmstp.exe connecting inside the network', net({ Image: `${SYS32}\\cmstp.exe`, DestinationIp: '172.20.1.5' })],
      ['another program connecting out', net({ Image: `${SYS32}\\rundll32.exe`, DestinationIp: '93.184.216.34' })],
    ],
  },
  {
    id: 'CAR-2020-11-011',
    hits: [['the screensaver policy pointed at a file', regSet(`${HKU}\\Software\\Policies\\Microsoft\\Windows\\Control Panel\\Desktop\\SCRNSAVE.EXE`, 'C:\\Users\\Public\\evil.scr')]],
    misses: [
      ['another screensaver policy value', regSet(`${HKU}\\Software\\Policies\\Microsoft\\Windows\\Control Panel\\Desktop\\ScreenSaveTimeOut`, '600')],
      ['the policy value deleted', regObject('DeleteValue', `${HKU}\\Software\\Policies\\Microsoft\\Windows\\Control Panel\\Desktop\\SCRNSAVE.EXE`)],
    ],
  },
  {
    id: 'CAR-2021-04-001',
    hits: [
      ['svchost.exe in a user folder (CAR\'s example)', proc({ Image: 'C:\\Users\\administrator\\svchost.exe', CommandLine: 'svchost.exe' })],
      ['svchost.exe in a subfolder of System32 (CAR\'s example)', proc({ Image: `${SYS32}\\srv\\svchost.exe`, CommandLine: 'svchost.exe -k netsvcs' })],
      ['a fake lsass.exe terminating', terminate({ Image: 'C:\\Users\\Public\\lsass.exe' })],
    ],
    misses: [
      ['the real svchost.exe', proc({ Image: `${SYS32}\\svchost.exe`, CommandLine: 'svchost.exe -k netsvcs' })],
      ['the 32-bit svchost.exe', proc({ Image: 'C:\\Windows\\SysWOW64\\svchost.exe', CommandLine: 'svchost.exe -k netsvcs' })],
      ['the real explorer.exe', proc({ Image: 'C:\\Windows\\explorer.exe', CommandLine: 'explorer.exe' })],
      ['a name that only ends in svchost.exe', proc({ Image: 'C:\\Tools\\mysvchost.exe', CommandLine: 'mysvchost.exe' })],
    ],
  },
  {
    id: 'CAR-2021-05-002',
    hits: [['a batch file written to System32', fileCreate(CMD, `${SYS32}\\update.bat`)]],
    misses: [
      ['a text file written to System32', fileCreate(CMD, `${SYS32}\\update.txt`)],
      ['a batch file written elsewhere', fileCreate(CMD, 'C:\\Users\\Public\\update.bat')],
    ],
  },
  {
    id: 'CAR-2021-05-011',
    hits: [['a remote thread in lsass.exe', thread({ SourceImage: 'C:\\Users\\alice\\inject.exe', TargetImage: 'C:\\Windows\\system32\\lsass.exe', StartAddress: '0x00000216A3B20000' })]],
    misses: [
      ['a remote thread in another process', thread({ SourceImage: 'C:\\Users\\alice\\inject.exe', TargetImage: `${SYS32}\\svchost.exe`, StartAddress: '0x00000216A3B20000' })],
      ['a process whose name only ends in lsass.exe', thread({ SourceImage: 'C:\\Users\\alice\\inject.exe', TargetImage: 'C:\\Tools\\notlsass.exe', StartAddress: '0x00000216A3B20000' })],
    ],
  },
  {
    id: 'CAR-2021-11-001',
    hits: [
      ['reg add SafeDllSearchMode /d 0 (CAR\'s unit test)', proc({ Image: REG, CommandLine: `reg  add "${SESSION_MANAGER.replace('HKLM', 'HKEY_LOCAL_MACHINE')}" /v SafeDllSearchMode /d 0` })],
      ['Set-ItemProperty SafeDllSearchMode 0 (CAR\'s unit test)', psc('Set-ItemProperty -Path \'HKLM:\\System\\CurrentControlSet\\Control\\Session Manager\' -Name SafeDllSearchMode -Value 0')],
      ['the value set to DWORD 0', regSet(`${SESSION_MANAGER}\\SafeDllSearchMode`, 'DWORD (0x00000000)')],
    ],
    misses: [
      ['reg add SafeDllSearchMode /d 1', proc({ Image: REG, CommandLine: `reg  add "${SESSION_MANAGER.replace('HKLM', 'HKEY_LOCAL_MACHINE')}" /v SafeDllSearchMode /d 1` })],
      ['the value set to DWORD 1', regSet(`${SESSION_MANAGER}\\SafeDllSearchMode`, 'DWORD (0x00000001)')],
    ],
  },
  {
    id: 'CAR-2021-11-002',
    hits: [
      ['reg add Userinit with calc.exe (CAR\'s unit test)', proc({ Image: REG, CommandLine: 'reg  add "HKEY_CURRENT_USER\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon" /v Userinit /d C:\\Windows\\system32\\userinit.exe,C:\\Windows\\system32\\calc.exe' })],
      ['Set-ItemProperty Userinit (CAR\'s unit test)', psc('Set-ItemProperty -Path \'HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\' -Name Userinit -Value C:\\Windows\\system32\\userinit.exe,C:\\Windows\\system32\\calc.exe')],
      ['the Userinit value set', regSet(`${WINLOGON}\\Userinit`, 'C:\\Windows\\system32\\userinit.exe,C:\\Windows\\system32\\calc.exe')],
      ['the per-user Shell value set', regSet(`${HKU}\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\Shell`, 'explorer.exe,C:\\Users\\Public\\evil.exe')],
    ],
    misses: [
      ['reg query of the Shell value', proc({ Image: REG, CommandLine: 'reg  query "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon" /v Shell' })],
      ['another Winlogon value set', regSet(`${WINLOGON}\\AutoAdminLogon`, '1')],
      ['a Shell value outside Winlogon', regSet('HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\IniFileMapping\\system.ini\\boot\\Shell', 'SYS:Microsoft\\Windows NT\\CurrentVersion\\Winlogon')],
    ],
  },
  {
    id: 'CAR-2021-12-002',
    hits: [
      ['reg add Common Startup (CAR\'s unit test)', proc({ Image: REG, CommandLine: `reg  add "${SHELL_FOLDERS.replace('HKLM', 'HKEY_LOCAL_MACHINE')}" /v "Common Startup" /d "C:\\Users\\Lucas\\Documents\\new_malicious_startup_folder" /f` })],
      ['Set-ItemProperty Common Startup (CAR\'s unit test)', psc(`Set-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Explorer\\User Shell Folders' -Name 'Common Startup' -Value C:\\Users\\Lucas\\Documents\\new_malicious_startup_folder`)],
      ['the Common Startup value set', regSet(`${SHELL_FOLDERS}\\Common Startup`, 'C:\\Users\\Lucas\\Documents\\new_malicious_startup_folder')],
    ],
    misses: [
      ['reg query of Common Startup', proc({ Image: REG, CommandLine: `reg  query "${SHELL_FOLDERS}" /v "Common Startup"` })],
      ['another shell folder set', regSet(`${SHELL_FOLDERS}\\Common Programs`, '%ProgramData%\\Microsoft\\Windows\\Start Menu\\Programs')],
    ],
  },
  {
    id: 'CAR-2022-03-001',
    hits: [
      ['reg add of the MiniNt key (CAR\'s unit test)', proc({ Image: REG, CommandLine: 'reg add "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\MiniNt"' })],
      ['New-Item of the MiniNt key (CAR\'s unit test)', psc('New-Item -Path \'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\MiniNt\'')],
      ['Set-Service EventLog Disabled (CAR\'s unit test)', psc('Set-Service -Name EventLog -StartupType Disabled')],
      ['reg add of the EventLog start value (CAR\'s unit test)', proc({ Image: REG, CommandLine: 'reg add "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\EventLog" /v start /t REG_DWORD /d 0x00000004 /f' })],
      ['Stop-Service EventLog (CAR\'s unit test)', psc('Stop-Service -Name EventLog -Force')],
      ['auditpol /set disabling process creation (CAR\'s unit test)', proc({ Image: `${SYS32}\\auditpol.exe`, CommandLine: 'auditpol.exe /set /subcategory:"Process Creation" /success:Disable /failure:Disable' })],
      ['wevtutil sl moving the Security log (CAR\'s unit test)', proc({ Image: `${SYS32}\\wevtutil.exe`, CommandLine: 'wevtutil.exe sl Security /logfilename:"C:\\Windows\\System32\\winevt\\Not-Important-Log.evtx"' })],
      ['the EventLog service Start value set', regSet('HKLM\\System\\CurrentControlSet\\Services\\EventLog\\Start', 'DWORD (0x00000004)')],
      ['the Security log File value set', regSet('HKLM\\System\\CurrentControlSet\\Services\\EventLog\\Security\\File', 'C:\\Windows\\System32\\winevt\\Not-Important-Log.evtx')],
    ],
    misses: [
      ['a reg add unrelated to logging', proc({ Image: REG, CommandLine: 'reg add "HKLM\\SOFTWARE\\Vendor\\App" /v Setting /d 1' })],
      ['Get-Service EventLog', psc('Get-Service -Name EventLog')],
      ['auditpol /get', proc({ Image: `${SYS32}\\auditpol.exe`, CommandLine: 'auditpol.exe /get /category:*' })],
      ['an event source registering its message file', regSet('HKLM\\System\\CurrentControlSet\\Services\\EventLog\\Application\\MyApp\\EventMessageFile', 'C:\\Program Files\\MyApp\\msg.dll')],
    ],
  },
];
