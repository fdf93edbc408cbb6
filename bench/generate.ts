/**
 * Deterministic generator of realistic Sysmon logs for the bench and the tests.
 *
 * One seed gives one stream of logical events (a few hosts with live process trees); the shape only
 * changes how each event is written. The ground truth is counted from what is written, with the
 * CAR-2014-05-002 rule applied to the written Image/ParentImage, not from what was intended.
 *
 * CLI: node out/bench/generate.js --shape eventviewer --mb 500 --seed 1 --out bench/data/x.xml
 *      [--match-every 1000] [--events N]
 */
import * as fs from 'fs';
import { once } from 'events';
import { PassThrough } from 'stream';
import { finished } from 'stream/promises';

export type Shape = 'eventviewer' | 'wevtutil' | 'ecs' | 'flat';
/**
 * production: a real host's EventID mix (about 12% process creates). incident: a log from an
 * incident, 80% or more process creates, most of them cmd.exe or powershell.exe with long command
 * lines that come near common rules (issue 11).
 */
export type Mix = 'production' | 'incident';
export const MIXES: readonly Mix[] = ['production', 'incident'];
/** flat: nxlog's im_msvistalog JSON as OTRF Security-Datasets ship it (EventData at the top level). */
export const SHAPES: readonly Shape[] = ['eventviewer', 'wevtutil', 'ecs', 'flat'];
export const SHAPE_EXT: Record<Shape, string> = { eventviewer: 'xml', wevtutil: 'xml', ecs: 'ndjson', flat: 'jsonl' };
/** Bump when the output for a given seed changes, so cached bench files are regenerated. */
export const GENERATOR_VERSION = 1;

export interface GenerateOptions {
  shape: Shape;
  /** Stop once at least this many bytes are written (the last event and closing tag may overshoot). */
  targetBytes: number;
  seed: number;
  /** One true match, and one of each near-miss kind, at random places in every block of this many events. */
  matchEvery?: number;
  /** Also stop after this many events (small fixtures). */
  maxEvents?: number;
  /** The event mix (default production; its output for a seed is what it always was). */
  mix?: Mix;
}

export interface GroundTruth {
  bytes: number;
  /** All records, of any provider. */
  events: number;
  /** Sysmon-provider EventID 1 records. */
  processCreates: number;
  /** processCreates whose Image file name is cmd.exe and ParentImage file name services.exe, case ignored. */
  matches: number;
}

// ---------------------------------------------------------------- randomness (mulberry32; no Math.random)
class Rng {
  private a: number;
  constructor(seed: number) { this.a = (seed ^ 0x9e3779b9) >>> 0; }
  next(): number {
    let t = (this.a = (this.a + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number { return Math.floor(this.next() * n); }
  range(lo: number, hi: number): number { return lo + this.int(hi - lo + 1); }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]; }
  chance(p: number): boolean { return this.next() < p; }
  hex(digits: number): string {
    let s = '';
    while (s.length < digits) s += ((this.next() * 4294967296) >>> 0).toString(16).padStart(8, '0');
    return s.slice(0, digits);
  }
  /** A weighted choice from [weight, value] pairs. */
  weighted<T>(table: readonly (readonly [number, T])[]): T {
    let total = 0;
    for (const [w] of table) total += w;
    let r = this.next() * total;
    for (const [w, v] of table) if ((r -= w) < 0) return v;
    return table[table.length - 1][1];
  }
}

// ---------------------------------------------------------------- binaries (version info as Sysmon reports it)
const WIN = 'Microsoft® Windows® Operating System', MS = 'Microsoft Corporation';
const V = '10.0.19041.3636 (WinBuild.160101.0800)';
interface Bin { path: string; desc: string; orig: string; ver: string; product: string; company: string; hashes: string }
const BIN_TABLE: [string, string, string, string?, string?, string?][] = [
  ['System', 'NT Kernel & System', 'ntoskrnl.exe'],
  ['C:\\Windows\\System32\\services.exe', 'Services and Controller app', 'services.exe'],
  ['C:\\Windows\\System32\\svchost.exe', 'Host Process for Windows Services', 'svchost.exe'],
  ['C:\\Windows\\System32\\cmd.exe', 'Windows Command Processor', 'Cmd.Exe'],
  ['C:\\Windows\\System32\\conhost.exe', 'Console Window Host', 'CONHOST.EXE'],
  ['C:\\Windows\\explorer.exe', 'Windows Explorer', 'EXPLORER.EXE'],
  ['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'Windows PowerShell', 'PowerShell.EXE'],
  ['C:\\Windows\\System32\\taskhostw.exe', 'Host Process for Windows Tasks', 'taskhostw.exe'],
  ['C:\\Windows\\System32\\RuntimeBroker.exe', 'Runtime Broker', 'RuntimeBroker.exe'],
  ['C:\\Windows\\System32\\backgroundTaskHost.exe', 'Background Task Host', 'backgroundTaskHost.exe'],
  ['C:\\Windows\\System32\\SearchProtocolHost.exe', 'Microsoft Windows Search Protocol Host', 'SearchProtocolHost.exe'],
  ['C:\\Windows\\System32\\wbem\\WmiPrvSE.exe', 'WMI Provider Host', 'Wmiprvse.exe'],
  ['C:\\Windows\\System32\\dllhost.exe', 'COM Surrogate', 'dllhost.exe'],
  ['C:\\Windows\\System32\\msiexec.exe', 'Windows® installer', 'msiexec.exe', '5.0.19041.3636 (WinBuild.160101.0800)'],
  ['C:\\Windows\\servicing\\TrustedInstaller.exe', 'Windows Modules Installer', 'TrustedInstaller.exe'],
  ['C:\\Windows\\System32\\sppsvc.exe', 'Microsoft Software Protection Platform Service', 'sppsvc.exe'],
  ['C:\\Windows\\System32\\whoami.exe', 'whoami - displays logged on user information', 'whoami.exe'],
  ['C:\\Windows\\System32\\ipconfig.exe', 'IP Configuration Utility', 'ipconfig.exe'],
  ['C:\\Windows\\System32\\findstr.exe', 'Find String (QGREP) Utility', 'FINDSTR.EXE'],
  ['C:\\Windows\\System32\\reg.exe', 'Registry Console Tool', 'reg.exe'],
  ['C:\\Windows\\System32\\sc.exe', 'Service Control Manager Configuration Tool', 'sc.exe'],
  ['C:\\Windows\\System32\\schtasks.exe', 'Task Scheduler Configuration Tool', 'schtasks.exe'],
  ['C:\\Windows\\System32\\notepad.exe', 'Notepad', 'NOTEPAD.EXE'],
  ['C:\\Windows\\System32\\lsass.exe', 'Local Security Authority Process', 'lsass.exe'],
  ['C:\\Windows\\System32\\csrss.exe', 'Client Server Runtime Process', 'CSRSS.Exe'],
  ['C:\\Windows\\System32\\wininit.exe', 'Windows Start-Up Application', 'wininit.exe'],
  ['C:\\Windows\\Sysmon64.exe', 'System activity monitor', 'Sysmon.exe', '15.14', 'Sysinternals Sysmon', 'Sysinternals - www.sysinternals.com'],
  ['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', 'Google Chrome', 'chrome.exe', '120.0.6099.217', 'Google Chrome', 'Google LLC'],
  ['C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe', 'Microsoft Edge', 'msedge.exe', '120.0.2210.133', 'Microsoft Edge', MS],
  ['C:\\Users\\{u}\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe', 'Visual Studio Code', 'electron.exe', '1.85.2', 'Visual Studio Code', MS],
  ['C:\\Users\\{u}\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe', 'Microsoft OneDrive', 'OneDrive.exe', '23.246.1127.0002', 'Microsoft OneDrive', MS],
  ['C:\\Program Files\\Git\\cmd\\git.exe', 'Git for Windows', 'git.exe', '2.43.0.windows.1', 'Git', 'The Git Development Community'],
  ['C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', 'Microsoft Outlook', 'Outlook.exe', '16.0.17126.20132', 'Microsoft Outlook', MS],
  ['C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.23110.3-0\\MsMpEng.exe', 'Antimalware Service Executable', 'MsMpEng.exe', '4.18.23110.3 (WinBuild.160101.0800)'],
  ['C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.23110.3-0\\MpCmdRun.exe', 'Microsoft Malware Protection Command Line Utility', 'MpCmdRun.exe', '4.18.23110.3 (WinBuild.160101.0800)'],
  // Near-miss names: unsigned tools whose names end in cmd.exe / services.exe.
  ['C:\\ProgramData\\Updater\\notcmd.exe', '-', '-', '-', '-', '-'],
  ['C:\\Users\\Public\\Tools\\notservices.exe', '-', '-', '-', '-', '-'],
];
const DLLS: [string, string][] = [
  ['C:\\Windows\\System32\\ntdll.dll', 'NT Layer DLL'], ['C:\\Windows\\System32\\kernel32.dll', 'Windows NT BASE API Client DLL'],
  ['C:\\Windows\\System32\\KernelBase.dll', 'Windows NT BASE API Client DLL'], ['C:\\Windows\\System32\\advapi32.dll', 'Advanced Windows 32 Base API'],
  ['C:\\Windows\\System32\\combase.dll', 'Microsoft COM for Windows'], ['C:\\Windows\\System32\\rpcrt4.dll', 'Remote Procedure Call Runtime'],
  ['C:\\Windows\\System32\\ws2_32.dll', 'Windows Socket 2.0 32-Bit DLL'], ['C:\\Windows\\System32\\crypt32.dll', 'Crypto API32'],
  ['C:\\Windows\\System32\\bcrypt.dll', 'Windows Cryptographic Primitives Library'], ['C:\\Windows\\System32\\amsi.dll', 'Anti-Malware Scan Interface'],
  ['C:\\Windows\\System32\\dnsapi.dll', 'DNS Client API DLL'], ['C:\\Windows\\System32\\user32.dll', 'Multi-User Windows USER API Client DLL'],
  ['C:\\Windows\\System32\\shell32.dll', 'Windows Shell Common Dll'], ['C:\\Windows\\System32\\wininet.dll', 'Internet Extensions for Win32'],
  ['C:\\Windows\\System32\\uxtheme.dll', 'Microsoft UxTheme Library'], ['C:\\Windows\\System32\\wldp.dll', 'Windows Lockdown Policy'],
  ['C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\clr.dll', 'Microsoft .NET Runtime Common Language Runtime - WorkStation'],
];

// ---------------------------------------------------------------- hosts and processes
interface Logon { guid: string; id: string; session: string; user: string; il: string }
interface Proc { bin: Bin; image: string; /** lower-case file name, for lookups */ base: string; cmd: string; guid: string; pid: number; logon: Logon; cwd: string; parent?: Proc }
interface Host {
  name: string; ip: string; gp: string; user: string; userShort: string; sid: string; sysmonPid: number; lsassPid: number;
  system: Logon; netsvc: Logon; interactive: Logon; servicesImage: string;
  core: Proc[]; live: Proc[]; rec: { sysmon: number; system: number; security: number }; guidSeq: number;
}
const HOSTS: [string, string][] = [
  ['WKS-FIN-014', 'j.okafor'], ['WKS-DEV-207', 'm.lindqvist'], ['WKS-HR-033', 'a.tanaka'],
  ['SRV-FILE-02', 'svc_backup'], ['WKS-OPS-118', 'r.mendes'], ['SRV-APP-07', 'adm.kowalski'],
];
const DOMAIN = 'ACMELAB', FQDN = 'corp.acmelab.test';
const LIVE_CAP = 120;

// ---------------------------------------------------------------- one written record
interface Provider { name: string; guid: string; channel: 'sysmon' | 'system' | 'security' }
const SYSMON: Provider = { name: 'Microsoft-Windows-Sysmon', guid: '{5770385f-c22a-43e0-bf4c-06f5698ffbd9}', channel: 'sysmon' };
const KERNEL: Provider = { name: 'Microsoft-Windows-Kernel-General', guid: '{a68ca8b7-004f-d7b6-a698-07e2de0f1f5d}', channel: 'system' };
const SECURITY: Provider = { name: 'Microsoft-Windows-Security-Auditing', guid: '{54849625-5478-4994-a5ba-3e3b0328c30d}', channel: 'security' };
const CHANNEL = { sysmon: 'Microsoft-Windows-Sysmon/Operational', system: 'System', security: 'Security' };
const SYSMON_VERSION: Record<number, number> = { 1: 5, 3: 5, 5: 3, 7: 3, 10: 3, 11: 2, 12: 2, 13: 2, 22: 5 };
const SYSMON_TITLE: Record<number, [string, string]> = {
  1: ['Process Create', 'ProcessCreate'], 3: ['Network connection detected', 'NetworkConnect'],
  5: ['Process terminated', 'ProcessTerminate'], 7: ['Image loaded', 'ImageLoad'], 10: ['Process accessed', 'ProcessAccess'],
  11: ['File created', 'FileCreate'], 12: ['Registry object added or deleted', 'RegistryEvent'],
  13: ['Registry value set', 'RegistryEvent'], 22: ['Dns query', 'DnsQuery'],
};
interface Rec { eid: number; prov: Provider; host: Host; rec: number; t: number; data: string[]; tid: number; message?: string }

/** Real hosts: image loads dominate, then process access, create/terminate, files, network, registry, DNS. */
const MIX: [number, number][] = [[34, 7], [12, 10], [12, 1], [11, 5], [8, 3], [8, 11], [7, 13], [4, 12], [4, 22]];
/** An incident: the shells are busy. Exited processes are dropped unlogged, so the creates stay above 80%. */
const INCIDENT_MIX: [number, number][] = [[86, 1], [4, 3], [3, 7], [3, 11], [2, 13], [2, 22]];
type Injection =
  | 'match' | 'explorerCmd' | 'servicesSvchost' | 'kernelGeneral' | 'notcmd' | 'notservices'
  | 'security4688' | 'imagePath13' | 'cmdCmd' | 'wmiCmd' | 'unknownParent';
const INJECTIONS: Injection[] = [
  'match', 'explorerCmd', 'servicesSvchost', 'kernelGeneral', 'notcmd', 'notservices',
  'security4688', 'imagePath13', 'cmdCmd', 'wmiCmd', 'unknownParent',
];

const baseLower = (p: string) => p.slice(Math.max(p.lastIndexOf('\\'), p.lastIndexOf('/')) + 1).toLowerCase();

class Model {
  private rng: Rng;
  private bins = new Map<string, Bin>();
  private hosts: Host[] = [];
  private t: number;
  private index = 0;
  private schedule = new Map<number, Injection[]>();
  private queue: Injection[] = [];
  private dllHashes: string[];
  intendedMatches = 0;

  constructor(seed: number, private matchEvery: number, private readonly mix: Mix = 'production') {
    this.rng = new Rng(seed);
    // Start on a fixed day, at a seed-dependent hour, so different seeds do not overlap exactly.
    this.t = Date.UTC(2024, 2, 11, 7, 0, 0) + (seed % 24) * 3_600_000 + this.rng.int(3_600_000);
    for (const [p, desc, orig, ver, product, company] of BIN_TABLE) {
      const r = this.rng;
      const hashes = `SHA1=${r.hex(40)},MD5=${r.hex(32)},SHA256=${r.hex(64)},IMPHASH=${r.hex(32)}`.toUpperCase();
      this.bins.set(baseLower(p), { path: p, desc, orig, ver: ver ?? V, product: product ?? WIN, company: company ?? MS, hashes });
    }
    // A DLL has one hash everywhere, as in real logs (and hashing per event would dominate the run time).
    this.dllHashes = DLLS.map(() => `SHA1=${this.rng.hex(40)},MD5=${this.rng.hex(32)},SHA256=${this.rng.hex(64)},IMPHASH=${this.rng.hex(32)}`.toUpperCase());
    const n = 3 + this.rng.int(HOSTS.length - 2);
    for (let i = 0; i < n; i++) this.hosts.push(this.makeHost(HOSTS[i][0], HOSTS[i][1], i));
  }

  private bin(base: string): Bin { return this.bins.get(base.toLowerCase())!; }

  private makeHost(short: string, userShort: string, i: number): Host {
    const r = this.rng;
    const gp = r.hex(8), boot = `${r.hex(4)}-${r.hex(4)}`;
    const logon = (id: number, user: string, il: string, session: string): Logon => ({
      id: '0x' + id.toString(16),
      // Sysmon 10+ LogonGuid: machine part, boot time, then the logon id little-endian.
      guid: `{${gp}-${boot}-${(id & 0xffff).toString(16).padStart(4, '0').replace(/(..)(..)/, '$2$1')}-${(id >>> 16).toString(16).padStart(4, '0')}00000000}`,
      user, il, session,
    });
    const user = `${DOMAIN}\\${userShort}`;
    const h: Host = {
      name: `${short}.${FQDN}`, ip: `10.20.${10 + i}.${r.range(20, 240)}`, gp, user, userShort,
      sid: `S-1-5-21-${r.range(1e9, 4e9)}-${r.range(1e9, 4e9)}-${r.range(1e9, 4e9)}-${r.range(1100, 4999)}`,
      sysmonPid: 4 * r.range(400, 1200), lsassPid: 4 * r.range(150, 250),
      system: logon(0x3e7, 'NT AUTHORITY\\SYSTEM', 'System', '0'),
      netsvc: logon(0x3e4, 'NT AUTHORITY\\NETWORK SERVICE', 'System', '0'),
      interactive: logon(r.range(0x100000, 0xffffff), user, 'Medium', String(r.range(1, 3))),
      // Upgraded machines report C:\WINDOWS; Sysmon keeps whatever case the loader saw.
      servicesImage: r.pick(['C:\\Windows\\System32\\services.exe', 'C:\\WINDOWS\\system32\\services.exe', 'C:\\Windows\\system32\\SERVICES.EXE']),
      core: [], live: [], rec: { sysmon: r.range(100_000, 9_000_000), system: r.range(10_000, 90_000), security: r.range(1e6, 9e6) }, guidSeq: r.range(0x100, 0x4000),
    };
    // The processes that exist before the log starts and never exit.
    const core = (base: string, cmd: string, logon: Logon, parent?: Proc, image?: string) => {
      const p = this.newProc(h, this.bin(base), cmd, logon, parent, image);
      if (h.core.length < 5) p.pid = 4 * this.rng.range(100, 250); // session 0 processes start first: low pids
      h.core.push(p);
      return p;
    };
    core('system', '', h.system).pid = 4; // the kernel: writes bam registry values
    const wininit = core('wininit.exe', 'wininit.exe', h.system);
    core('csrss.exe', '%SystemRoot%\\system32\\csrss.exe ObjectDirectory=\\Windows SharedSection=1024,20480,768 Windows=On SubSystemType=Windows ServerDll=basesrv,1 ServerDll=winsrv:UserServerDllInitialization,3 ServerDll=sxssrv,4 ProfileControl=Off MaxRequestThreads=16', h.system);
    const services = core('services.exe', 'C:\\Windows\\system32\\services.exe', h.system, wininit, h.servicesImage);
    const lsass = core('lsass.exe', 'C:\\Windows\\system32\\lsass.exe', h.system, wininit);
    lsass.pid = h.lsassPid;
    const sysmon = core('sysmon64.exe', 'C:\\Windows\\Sysmon64.exe', h.system, services);
    sysmon.pid = h.sysmonPid;
    for (let k = 0; k < 6; k++) core('svchost.exe', this.svchostCmd(), k % 3 ? h.system : h.netsvc, services);
    core('msmpeng.exe', `"${this.bin('msmpeng.exe').path}"`, h.system, services);
    const explorer = core('explorer.exe', 'C:\\Windows\\Explorer.EXE', h.interactive);
    core('chrome.exe', `"${this.bin('chrome.exe').path}" `, h.interactive, explorer);
    core('msedge.exe', `"${this.bin('msedge.exe').path}" --no-startup-window --win-session-start`, h.interactive, explorer);
    return h;
  }

  private newProc(h: Host, bin: Bin, cmd: string, logon: Logon, parent?: Proc, image?: string): Proc {
    const r = this.rng;
    const seq = (h.guidSeq += r.range(1, 40));
    const epoch = Math.floor(this.t / 1000) - this.rng.int(600);
    image ??= bin.path.replace('{u}', h.userShort);
    return {
      bin, image, base: baseLower(image), cmd: cmd.replace(/\{u\}/g, h.userShort),
      guid: `{${h.gp}-${(epoch & 0xffff).toString(16).padStart(4, '0')}-${((epoch >>> 16) & 0xffff).toString(16).padStart(4, '0')}-${r.hex(2)}00-0000${seq.toString(16).padStart(6, '0')}00}`,
      pid: 4 * r.range(250, 6000), logon, parent,
      cwd: logon.il === 'System' ? 'C:\\Windows\\system32\\' : `C:\\Users\\${h.userShort}\\`,
    };
  }

  // ------------------------------------------------------------ command lines
  private svchostCmd(): string {
    const [g, s] = this.rng.pick([
      ['netsvcs', 'Schedule'], ['netsvcs', 'gpsvc'], ['LocalServiceNetworkRestricted', 'Dhcp'], ['NetworkService', 'Dnscache'],
      ['LocalSystemNetworkRestricted', 'SysMain'], ['wsappx', 'AppXSvc'], ['UnistackSvcGroup', 'CDPUserSvc'],
      ['DcomLaunch', 'BrokerInfrastructure'], ['LocalService', 'EventSystem'], ['netsvcs', 'BITS'], ['wusvcs', 'WaaSMedicSvc'],
    ]);
    return `C:\\Windows\\system32\\svchost.exe -k ${g} -p -s ${s}`;
  }

  /** Ordinary command lines; several carry &, >, < and quotes, which the XML shapes must escape. */
  private cmdFor(base: string, h: Host): string {
    const r = this.rng, n = () => r.range(1, 99999);
    const bin = this.bin(base);
    switch (base) {
      case 'svchost.exe': return this.svchostCmd();
      case 'chrome.exe': case 'msedge.exe':
        return `"${bin.path}" --type=${r.pick(['renderer', 'utility', 'gpu-process'])} --string-annotations --lang=en-US --device-scale-factor=1 --num-raster-threads=4 --enable-main-frame-before-activation --renderer-client-id=${r.range(5, 400)} --time-ticks-at-unix-epoch=-${r.range(1e15, 9e15)} --launch-time-ticks=${r.range(1e9, 9e10)} --field-trial-handle=${r.range(1000, 9999)},i,${r.range(1e15, 9e15)},${r.range(1e15, 9e15)},262144 --variations-seed-version=20240110-180031.233000 --mojo-platform-channel-handle=${r.range(1000, 9999)} /prefetch:${r.range(1, 8)}`;
      case 'conhost.exe': return '\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1';
      case 'cmd.exe': return r.pick([
        `"C:\\Windows\\system32\\cmd.exe" /c dir /s /b "C:\\Users\\{u}\\Documents\\*.xlsx" > "C:\\Users\\{u}\\AppData\\Local\\Temp\\files.txt" 2>&1`,
        'C:\\Windows\\system32\\cmd.exe /k "cd /d C:\\src\\billing-api && git status"',
        `"C:\\Windows\\System32\\cmd.exe" /c ping -n 4 fileserver02 | findstr /i "TTL" && echo reachable`,
        `cmd.exe /c "C:\\ProgramData\\acme\\scripts\\map-drives.cmd" < nul`,
        '"C:\\Windows\\system32\\cmd.exe" ',
      ]);
      case 'powershell.exe': return r.pick([
        `"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" -NoProfile -ExecutionPolicy Bypass -Command "Get-ChildItem -Path 'C:\\Users\\{u}\\Downloads' -Recurse | Where-Object { $_.Length -gt 10MB } | Select-Object FullName, Length > 'C:\\Users\\{u}\\big-files.txt'"`,
        `powershell.exe -NoLogo -NonInteractive -File "C:\\ProgramData\\acme\\inventory.ps1" -Target ${h.name} -Since (Get-Date).AddDays(-1)`,
        '"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" ',
      ]);
      case 'taskhostw.exe': return r.pick(['taskhostw.exe {222A245B-E637-4AE9-A93F-A59CA119A75E}', 'taskhostw.exe Install $(Arg0)', 'taskhostw.exe -RegisterDevice -ProtectionStateChanged -FreeNetworkOnly']);
      case 'backgroundtaskhost.exe': return '"C:\\Windows\\system32\\backgroundTaskHost.exe" -ServerName:BackgroundTaskHost.WebAccountProvider';
      case 'runtimebroker.exe': return 'C:\\Windows\\System32\\RuntimeBroker.exe -Embedding';
      case 'dllhost.exe': return `C:\\Windows\\system32\\DllHost.exe /Processid:{${`${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}`.toUpperCase()}}`;
      case 'wmiprvse.exe': return 'C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding';
      case 'searchprotocolhost.exe': { const k = n(); return `"C:\\Windows\\system32\\SearchProtocolHost.exe" Global\\UsGthrFltPipeMssGthrPipe${k}_ Global\\UsGthrCtrlFltPipeMssGthrPipe${k} 1 -2147483646 "Software\\Microsoft\\Windows Search" "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT; MS Search 4.0 Robot)" "C:\\ProgramData\\Microsoft\\Search\\Data\\Temp\\usgthrsvc" "DownLevelDaemon" `; }
      case 'git.exe': return r.pick([
        'git.exe status --porcelain=v2 --untracked-files=all', '"C:\\Program Files\\Git\\cmd\\git.exe" -c core.quotepath=false fetch --prune origin',
        'git log --format="%H %an <%ae>" -n 20',
      ]);
      case 'whoami.exe': return r.pick(['whoami /all', 'whoami  /groups /fo csv']);
      case 'ipconfig.exe': return r.pick(['ipconfig /all', 'ipconfig /flushdns']);
      case 'findstr.exe': return 'findstr /i /c:"error" "C:\\ProgramData\\acme\\logs\\agent.log"';
      case 'reg.exe': return 'reg query "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion" /v ProductName';
      case 'sc.exe': return 'sc query state= all';
      case 'schtasks.exe': return 'schtasks /query /fo LIST /v';
      case 'notepad.exe': return '"C:\\Windows\\system32\\NOTEPAD.EXE" C:\\Users\\{u}\\Desktop\\notes & todo.txt';
      case 'code.exe': return `"${bin.path}" "C:\\src\\billing-api"`;
      case 'onedrive.exe': return `"${bin.path}" /background`;
      case 'outlook.exe': return `"${bin.path}" `;
      case 'mpcmdrun.exe': return `"${bin.path}" ${r.pick(['SignaturesUpdateService -ScheduleJob -UnmanagedUpdate', '-wdenable', 'GetDeviceTicket -AccessKey ' + r.hex(8).toUpperCase()])}`;
      case 'msiexec.exe': return 'C:\\Windows\\system32\\msiexec.exe /V';
      case 'sppsvc.exe': return 'C:\\Windows\\system32\\sppsvc.exe';
      case 'trustedinstaller.exe': return 'C:\\Windows\\servicing\\TrustedInstaller.exe';
      default: return `"${bin.path}"`;
    }
  }

  /** The service command lines behind real CAR-2014-05-002 hits: PsExec-likes, getsystem, smbexec, persistence. */
  private matchCmd(cmdImage: string): string {
    const r = this.rng;
    const b64 = () => { let s = ''; const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'; for (let i = r.range(300, 1400); i > 0; i--) s += A[r.int(64)]; return s + '=='; };
    const pipe = r.hex(6);
    return r.pick([
      `${cmdImage} /c echo ${pipe} > \\\\.\\pipe\\${pipe}`,
      `${cmdImage} /b /c start /b /min powershell.exe -nop -w hidden -noni -c "if([IntPtr]::Size -eq 4){$b='powershell.exe'}else{$b=$env:windir+'\\syswow64\\WindowsPowerShell\\v1.0\\powershell.exe'};$s=New-Object System.Diagnostics.ProcessStartInfo;$s.FileName=$b;$s.Arguments='-noni -nop -w hidden -c &([scriptblock]::create((New-Object System.IO.StreamReader(New-Object System.IO.Compression.GzipStream((New-Object System.IO.MemoryStream(,[System.Convert]::FromBase64String(''${b64()}''))),[System.IO.Compression.CompressionMode]::Decompress))).ReadToEnd()))';$s.UseShellExecute=$false;$p=[System.Diagnostics.Process]::Start($s);"`,
      `${cmdImage} /Q /c echo cd  ^> \\\\127.0.0.1\\C$\\__output 2^>^&1 > C:\\Windows\\TEMP\\execute.bat & ${cmdImage} /Q /c C:\\Windows\\TEMP\\execute.bat & del C:\\Windows\\TEMP\\execute.bat`,
      `"${cmdImage}" /c "C:\\ProgramData\\svcupd\\run.bat"`,
      `${cmdImage} /c net user svc_sync "W1nter&Sun<24>" /add && net localgroup administrators svc_sync /add`,
      `${cmdImage} /c malwr.vbs`,
      'cmd.exe',
    ]);
  }

  // ------------------------------------------------------------ events
  /** The next logical record: an injected one when due, otherwise a weighted ordinary one. */
  next(): Rec {
    const r = this.rng, M = this.matchEvery;
    if (this.index % M === 0) {
      this.schedule.clear();
      // Near misses only where they fit, so a tiny matchEvery cannot grow the queue without bound.
      for (const kind of M >= 2 * INJECTIONS.length ? INJECTIONS : INJECTIONS.slice(0, 1)) {
        const at = this.index + r.int(M);
        const list = this.schedule.get(at);
        if (list) list.push(kind); else this.schedule.set(at, [kind]);
      }
    }
    const due = this.schedule.get(this.index);
    if (due) this.queue.push(...due);
    this.index++;
    // Milliseconds with 100 ns resolution (SystemTime has 7 digits); strictly increasing.
    this.t += (1 + r.int(120_000) + (r.chance(0.02) ? r.int(4_000_000) : 0)) / 10_000;
    const h = r.pick(this.hosts);
    const injected = this.queue.shift();
    return injected ? this.inject(injected, h) : this.ordinary(h);
  }

  private rec(h: Host, prov: Provider, eid: number, data: string[], message?: string): Rec {
    const rec = ++h.rec[prov.channel];
    return { eid, prov, host: h, rec, t: this.t, data, tid: 4 * this.rng.range(300, 2000), message };
  }

  private anyProc(h: Host): Proc {
    // core[0] is the kernel ("System"), which loads no DLLs and creates no files.
    return h.live.length && this.rng.chance(0.6) ? this.rng.pick(h.live) : h.core[1 + this.rng.int(h.core.length - 1)];
  }

  /** A running process by file name: services run as SYSTEM under services.exe, the rest as the user under explorer. */
  private proc(h: Host, base: string): Proc {
    const service = base === 'svchost.exe' || base === 'msmpeng.exe';
    return this.findOrMake(h, base, service ? 'services.exe' : 'explorer.exe', service ? h.system : h.interactive);
  }

  /** Network connections and DNS queries come from browsers, services and a few tools, not from csrss. */
  private netProc(h: Host): Proc {
    return this.proc(h, this.rng.weighted([[5, 'chrome.exe'], [2, 'msedge.exe'], [4, 'svchost.exe'], [1, 'msmpeng.exe'], [1, 'onedrive.exe'], [1, 'outlook.exe'], [1, 'powershell.exe'], [1, 'git.exe']]));
  }

  private findOrMake(h: Host, base: string, parentBase: string, logon: Logon): Proc {
    const all = h.live.filter((p) => p.base === base);
    for (const p of h.core) if (p.base === base) all.push(p);
    if (all.length) return this.rng.pick(all);
    // Started before the log began: exists, but without a create event.
    const parent = this.findOrMake(h, parentBase, parentBase === 'services.exe' ? 'services.exe' : 'explorer.exe', logon);
    const p = this.newProc(h, this.bin(base), this.cmdFor(base, h), logon, parent);
    h.live.push(p);
    return p;
  }

  private utc(t: number): string { return iso(t).replace('T', ' '); }

  private create(h: Host, parent: Proc | undefined, base: string, opts: { cmd?: string; image?: string; logon?: Logon; parentImage?: string } = {}): Rec {
    const r = this.rng;
    const logon = opts.logon ?? parent?.logon ?? h.interactive;
    const bin = this.bin(base);
    const p = this.newProc(h, bin, opts.cmd ?? this.cmdFor(base, h), logon, parent, opts.image);
    h.live.push(p);
    const rule = base === 'cmd.exe' || base === 'powershell.exe' ? r.pick(['-', 'technique_id=T1059,technique_name=Command-Line Interface']) : '-';
    return this.rec(h, SYSMON, 1, [
      'RuleName', rule, 'UtcTime', this.utc(this.t), 'ProcessGuid', p.guid, 'ProcessId', String(p.pid), 'Image', p.image,
      'FileVersion', bin.ver, 'Description', bin.desc, 'Product', bin.product, 'Company', bin.company, 'OriginalFileName', bin.orig,
      'CommandLine', p.cmd, 'CurrentDirectory', p.cwd, 'User', logon.user, 'LogonGuid', logon.guid, 'LogonId', logon.id,
      'TerminalSessionId', logon.session, 'IntegrityLevel', logon.il, 'Hashes', bin.hashes,
      'ParentProcessGuid', parent ? parent.guid : '{00000000-0000-0000-0000-000000000000}', 'ParentProcessId', String(parent ? parent.pid : 4 * r.range(250, 6000)),
      'ParentImage', opts.parentImage ?? parent?.image ?? '?', 'ParentCommandLine', parent ? parent.cmd : '?', 'ParentUser', parent ? parent.logon.user : '-',
    ]);
  }

  private inject(kind: Injection, h: Host): Rec {
    const r = this.rng;
    const services = h.core.find((p) => p.base === 'services.exe')!;
    const explorer = h.core.find((p) => p.base === 'explorer.exe')!;
    switch (kind) {
      case 'match': {
        this.intendedMatches++;
        const image = r.pick(['C:\\Windows\\system32\\cmd.exe', 'C:\\Windows\\System32\\CMD.EXE', 'C:\\WINDOWS\\system32\\cmd.exe', 'C:\\Windows\\SysWOW64\\cmd.exe', 'c:\\windows\\system32\\Cmd.exe']);
        return this.create(h, services, 'cmd.exe', { image, cmd: this.matchCmd(image), logon: h.system });
      }
      case 'explorerCmd': return this.create(h, explorer, 'cmd.exe');
      case 'servicesSvchost': return this.create(h, services, 'svchost.exe', { logon: r.chance(0.5) ? h.system : h.netsvc });
      case 'notcmd': return this.create(h, services, 'notcmd.exe', { cmd: '"C:\\ProgramData\\Updater\\notcmd.exe" /service', logon: h.system });
      case 'notservices': return this.create(h, this.findOrMake(h, 'notservices.exe', 'explorer.exe', h.interactive), 'cmd.exe', { cmd: 'cmd.exe /c "echo services.exe && exit"' });
      case 'cmdCmd': return this.create(h, this.findOrMake(h, 'cmd.exe', 'explorer.exe', h.interactive), 'cmd.exe', { cmd: 'C:\\Windows\\system32\\cmd.exe /c sc query | findstr /i "services.exe" > "%TEMP%\\svc.txt"' });
      case 'wmiCmd': return this.create(h, this.findOrMake(h, 'wmiprvse.exe', 'svchost.exe', h.netsvc), 'cmd.exe', { cmd: `cmd.exe /Q /c cd \\ 1> \\\\127.0.0.1\\ADMIN$\\__${r.range(1e9, 2e9)}.${r.range(1, 9)} 2>&1`, logon: h.interactive });
      case 'unknownParent': return this.create(h, undefined, 'cmd.exe', { cmd: 'C:\\Windows\\system32\\cmd.exe /c whoami' });
      case 'imagePath13': return this.rec(h, SYSMON, 13, [
        'RuleName', 'technique_id=T1031,technique_name=Modify Existing Service', 'EventType', 'SetValue', 'UtcTime', this.utc(this.t),
        'ProcessGuid', services.guid, 'ProcessId', String(services.pid), 'Image', services.image,
        'TargetObject', `HKLM\\System\\CurrentControlSet\\Services\\${r.pick(['UpdSvc', 'PSEXESVC', 'BTOBTO', 'hello'])}\\ImagePath`,
        'Details', '%COMSPEC% /C "C:\\ProgramData\\svcupd\\run.bat > nul 2>&1"', 'User', 'NT AUTHORITY\\SYSTEM',
      ]);
      case 'kernelGeneral': {
        // The system time change event: EventID 1 too, but not Sysmon and not a process create.
        const old = iso(this.t - r.range(1000, 90_000)) + '000000Z', now = iso(this.t) + '000000Z';
        const lrm = (s: string) => s.replace(/-/g, '\u200e-\u200e'), pid = String(4 * r.range(300, 700));
        return this.rec(h, KERNEL, 1, [
          'NewTime', now, 'OldTime', old, 'Reason', '2', 'ProcessName', '\\Device\\HarddiskVolume3\\Windows\\System32\\svchost.exe', 'ProcessID', pid,
        ], `The system time has changed to \u200e${lrm(now)} from \u200e${lrm(old)}.\r\n\r\nChange Reason: System time synchronized with the hardware clock.\r\nProcess: '\\Device\\HarddiskVolume3\\Windows\\System32\\svchost.exe' (PID ${pid}).`);
      }
      case 'security4688': {
        // Windows' own process-creation audit of the same shape of event: not Sysmon, must not count.
        const pid = 4 * r.range(250, 6000);
        return this.rec(h, SECURITY, 4688, [
          'SubjectUserSid', 'S-1-5-18', 'SubjectUserName', `${h.name.split('.')[0]}$`, 'SubjectDomainName', DOMAIN, 'SubjectLogonId', '0x3e7',
          'NewProcessId', '0x' + pid.toString(16), 'NewProcessName', 'C:\\Windows\\System32\\cmd.exe', 'TokenElevationType', '%%1936',
          'ProcessId', '0x' + services.pid.toString(16), 'CommandLine', 'C:\\Windows\\system32\\cmd.exe /c "C:\\ProgramData\\svcupd\\run.bat"',
          'TargetUserSid', 'S-1-0-0', 'TargetUserName', '-', 'TargetDomainName', '-', 'TargetLogonId', '0x0',
          'ParentProcessName', services.image, 'MandatoryLabel', 'S-1-16-16384',
        ], 'A new process has been created.');
      }
    }
  }

  /**
   * An incident's process create: cmd.exe and powershell.exe under the shell, WMI and each other,
   * with long command lines near what rules look for (never under services.exe: that is the
   * analytic's match, which only the scheduled injections write).
   */
  private incidentCreate(h: Host): Rec {
    const r = this.rng;
    const [parentBase, childBase] = r.weighted<[string, string]>([
      [30, ['explorer.exe', 'cmd.exe']], [20, ['cmd.exe', 'powershell.exe']], [15, ['powershell.exe', 'cmd.exe']],
      [10, ['wmiprvse.exe', 'cmd.exe']], [8, ['explorer.exe', 'powershell.exe']], [6, ['cmd.exe', 'cmd.exe']],
      [4, ['cmd.exe', 'whoami.exe']], [3, ['cmd.exe', 'ipconfig.exe']], [2, ['powershell.exe', 'reg.exe']], [2, ['cmd.exe', 'conhost.exe']],
    ]);
    const shell = parentBase === 'cmd.exe' || parentBase === 'powershell.exe';
    const parent = this.findOrMake(h, parentBase, shell ? 'explorer.exe' : parentBase === 'wmiprvse.exe' ? 'svchost.exe' : 'services.exe', parentBase === 'wmiprvse.exe' ? h.netsvc : h.interactive);
    const cmd = childBase === 'cmd.exe' || childBase === 'powershell.exe' ? this.incidentCmd(childBase, h) : undefined;
    return this.create(h, parent, childBase, { cmd, logon: h.interactive });
  }

  /** Long shell command lines of an intrusion and its clean-up: many come close to Sigma rules' literals. */
  private incidentCmd(base: string, h: Host): string {
    const r = this.rng;
    const share = `\\\\${r.pick(['fileserver02', 'dc01', '10.20.11.5'])}\\${r.pick(['C$', 'ADMIN$', 'share'])}`;
    const tmp = `C:\\Users\\{u}\\AppData\\Local\\Temp\\${r.hex(8)}`;
    if (base === 'cmd.exe') {
      return r.pick([
        `"C:\\Windows\\system32\\cmd.exe" /c net group "domain admins" /domain > ${tmp}.txt 2>&1 && type ${tmp}.txt | findstr /i "admin" && del ${tmp}.txt`,
        `C:\\Windows\\system32\\cmd.exe /Q /c cd \\ 1> ${share}\\__${r.range(1e9, 2e9)}.${r.range(1, 9)} 2>&1`,
        `cmd.exe /c "tasklist /v /fo csv | findstr /i "lsass sysmon msmpeng" > ${tmp}.csv"`,
        `cmd.exe /c copy /y "${share}\\tools\\update-${r.hex(4)}.bat" "C:\\ProgramData\\acme\\scripts\\" && "C:\\ProgramData\\acme\\scripts\\update-${r.hex(4)}.bat" /quiet /norestart`,
        `"C:\\Windows\\System32\\cmd.exe" /c for /f "tokens=1,2 delims=," %a in ('wmic process get name^,processid /format:csv') do @echo %a %b >> ${tmp}.log`,
        `cmd.exe /c schtasks /query /tn "\\Microsoft\\Windows\\UpdateOrchestrator\\Schedule Scan" /fo LIST /v & sc qc WinDefend & reg query "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows Defender" /s`,
        `C:\\Windows\\system32\\cmd.exe /c ping -n 1 ${r.pick(['dc01', 'fileserver02', 'backup01'])} && net use Z: ${share} /persistent:no && dir Z:\\ /s /b > ${tmp}.lst`,
      ]);
    }
    return r.pick([
      `"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" -NoProfile -NonInteractive -Command "Get-WmiObject Win32_Process | Where-Object { $_.Name -match 'sql|backup|veeam' } | Select-Object Name, ProcessId, CommandLine | Export-Csv -NoTypeInformation '${tmp}.csv'"`,
      `powershell.exe -NoLogo -ExecutionPolicy RemoteSigned -File "C:\\ProgramData\\acme\\inventory.ps1" -Target ${h.name} -Since (Get-Date).AddDays(-${r.range(1, 30)}) -Verbose`,
      `"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" -Command "Get-ChildItem -Path '${share}\\finance' -Recurse -Include *.xlsx,*.docx,*.pdf -ErrorAction SilentlyContinue | Measure-Object -Property Length -Sum"`,
      `powershell.exe -Command "Get-Service | Where-Object { $_.Status -eq 'Running' -and $_.Name -like 'Win*' } | Format-Table -AutoSize | Out-File -Encoding utf8 '${tmp}.txt'"`,
      `"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" -NoProfile -Command "Test-NetConnection -ComputerName ${r.pick(['dc01', 'fileserver02', 'mail01'])} -Port ${r.pick([445, 3389, 5985, 443])} -InformationLevel Detailed; Resolve-DnsName ${r.pick(['update.acme.example', 'cdn.acme.example'])}"`,
    ]);
  }

  private ordinary(h: Host): Rec {
    const r = this.rng;
    const incident = this.mix === 'incident';
    let eid = r.weighted(incident ? INCIDENT_MIX : MIX);
    if (eid === 1 && h.live.length >= LIVE_CAP) {
      if (incident) h.live.splice(r.int(h.live.length), 1);
      else eid = 5;
    }
    if (eid === 5 && h.live.length === 0) eid = 1;
    const utc = this.utc(this.t);
    switch (eid) {
      case 1: {
        if (incident) return this.incidentCreate(h);
        const [parentBase, childBase] = r.weighted<[string, string]>([
          [20, ['chrome.exe', 'chrome.exe']], [6, ['explorer.exe', 'chrome.exe']], [4, ['msedge.exe', 'msedge.exe']],
          [8, ['services.exe', 'svchost.exe']], [3, ['svchost.exe', 'taskhostw.exe']], [3, ['svchost.exe', 'backgroundtaskhost.exe']],
          [3, ['svchost.exe', 'runtimebroker.exe']], [3, ['svchost.exe', 'dllhost.exe']], [2, ['svchost.exe', 'searchprotocolhost.exe']],
          [1, ['svchost.exe', 'wmiprvse.exe']], [5, ['cmd.exe', 'conhost.exe']], [2, ['powershell.exe', 'conhost.exe']],
          [4, ['explorer.exe', 'cmd.exe']], [2, ['explorer.exe', 'powershell.exe']], [1, ['svchost.exe', 'cmd.exe']],
          [2, ['cmd.exe', 'git.exe']], [1, ['cmd.exe', 'whoami.exe']], [1, ['cmd.exe', 'ipconfig.exe']], [1, ['cmd.exe', 'findstr.exe']],
          [1, ['powershell.exe', 'reg.exe']], [1, ['powershell.exe', 'sc.exe']], [1, ['cmd.exe', 'schtasks.exe']],
          [1, ['explorer.exe', 'code.exe']], [1, ['explorer.exe', 'outlook.exe']], [1, ['explorer.exe', 'notepad.exe']],
          [1, ['explorer.exe', 'onedrive.exe']], [3, ['msmpeng.exe', 'mpcmdrun.exe']],
          [1, ['services.exe', 'msiexec.exe']], [1, ['services.exe', 'trustedinstaller.exe']], [1, ['services.exe', 'sppsvc.exe']],
        ]);
        const parent = this.findOrMake(h, parentBase, parentBase === 'cmd.exe' || parentBase === 'powershell.exe' ? 'explorer.exe' : 'services.exe', parentBase === 'svchost.exe' || parentBase === 'services.exe' ? h.system : h.interactive);
        const logon = parentBase === 'services.exe' ? (childBase === 'svchost.exe' && r.chance(0.4) ? h.netsvc : h.system) : childBase === 'wmiprvse.exe' ? h.netsvc : parentBase === 'svchost.exe' ? h.interactive : undefined;
        // A browser started from the shell is the main process, without --type.
        const cmd = parentBase === 'explorer.exe' && (childBase === 'chrome.exe' || childBase === 'msedge.exe') ? `"${this.bin(childBase).path}" ` : undefined;
        return this.create(h, parent, childBase, { logon, cmd });
      }
      case 5: {
        const p = h.live.splice(r.int(h.live.length), 1)[0];
        return this.rec(h, SYSMON, 5, ['RuleName', '-', 'UtcTime', utc, 'ProcessGuid', p.guid, 'ProcessId', String(p.pid), 'Image', p.image, 'User', p.logon.user]);
      }
      case 7: {
        const p = this.anyProc(h);
        const k = r.int(DLLS.length), [dll, desc] = DLLS[k];
        return this.rec(h, SYSMON, 7, [
          'RuleName', '-', 'UtcTime', utc, 'ProcessGuid', p.guid, 'ProcessId', String(p.pid), 'Image', p.image, 'ImageLoaded', dll,
          'FileVersion', V, 'Description', desc, 'Product', WIN, 'Company', MS, 'OriginalFileName', baseLower(dll),
          'Hashes', this.dllHashes[k], 'Signed', 'true', 'Signature', 'Microsoft Windows', 'SignatureStatus', 'Valid', 'User', p.logon.user,
        ]);
      }
      case 10: {
        const src = this.findOrMake(h, r.weighted([[3, 'msmpeng.exe'], [2, 'svchost.exe'], [1, 'csrss.exe']]), 'services.exe', h.system);
        const dst = r.chance(0.3) ? h.core.find((p) => p.pid === h.lsassPid)! : this.anyProc(h);
        const frame = (dll: string) => `${dll}+${r.hex(5)}`;
        return this.rec(h, SYSMON, 10, [
          'RuleName', '-', 'UtcTime', utc, 'SourceProcessGUID', src.guid, 'SourceProcessId', String(src.pid), 'SourceThreadId', String(4 * r.range(100, 3000)),
          'SourceImage', src.image, 'TargetProcessGUID', dst.guid, 'TargetProcessId', String(dst.pid), 'TargetImage', dst.image,
          'GrantedAccess', r.pick(['0x1000', '0x1400', '0x1410', '0x101000', '0x1fffff', '0x3000']),
          'CallTrace', [frame('C:\\Windows\\SYSTEM32\\ntdll.dll'), frame('C:\\Windows\\System32\\KERNELBASE.dll'), frame(src.base === 'msmpeng.exe' ? 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.23110.3-0\\MpSvc.dll' : 'C:\\Windows\\system32\\sechost.dll'), frame('C:\\Windows\\System32\\KERNEL32.DLL'), frame('C:\\Windows\\SYSTEM32\\ntdll.dll')].join('|'),
          'SourceUser', src.logon.user, 'TargetUser', dst.logon.user,
        ]);
      }
      case 3: {
        const p = this.netProc(h);
        const [port, name] = r.pick([[443, 'https'], [443, 'https'], [80, 'http'], [445, 'microsoft-ds'], [135, 'epmap'], [53, 'domain']] as const);
        return this.rec(h, SYSMON, 3, [
          'RuleName', '-', 'UtcTime', utc, 'ProcessGuid', p.guid, 'ProcessId', String(p.pid), 'Image', p.image, 'User', p.logon.user,
          'Protocol', port === 53 ? 'udp' : 'tcp', 'Initiated', 'true', 'SourceIsIpv6', 'false', 'SourceIp', h.ip, 'SourceHostname', h.name,
          'SourcePort', String(r.range(49152, 65535)), 'SourcePortName', '-', 'DestinationIsIpv6', 'false',
          'DestinationIp', port === 445 || port === 135 || port === 53 ? `10.20.0.${r.range(2, 30)}` : `${r.pick([13, 20, 40, 52, 142, 151, 172])}.${r.int(256)}.${r.int(256)}.${r.range(1, 254)}`,
          'DestinationHostname', port === 445 ? `fileserver02.${FQDN}` : port === 53 || port === 135 ? `dc01.${FQDN}` : '-',
          'DestinationPort', String(port), 'DestinationPortName', name,
        ]);
      }
      case 11: {
        // The writer fits the file: browsers write caches and downloads, SysMain prefetch, Defender its log.
        const u = h.userShort;
        const [base, target] = r.pick<[string, () => string]>([
          ['chrome.exe', () => `C:\\Users\\${u}\\AppData\\Local\\Google\\Chrome\\User Data\\Default\\Cache\\Cache_Data\\f_${r.hex(6)}`],
          ['msedge.exe', () => `C:\\Users\\${u}\\Downloads\\Q${r.range(1, 4)} report & forecast (final).xlsx`],
          ['outlook.exe', () => `C:\\Users\\${u}\\AppData\\Local\\Temp\\Outlook Temp\\${r.hex(8)}.tmp`],
          ['explorer.exe', () => `C:\\Users\\${u}\\AppData\\Roaming\\Microsoft\\Windows\\Recent\\AutomaticDestinations\\${r.hex(16)}.automaticDestinations-ms`],
          ['svchost.exe', () => `C:\\Windows\\Prefetch\\${this.anyProc(h).base.toUpperCase()}-${r.hex(8).toUpperCase()}.pf`],
          ['msmpeng.exe', () => 'C:\\Windows\\Temp\\MpCmdRun.log'],
          ['svchost.exe', () => `C:\\ProgramData\\Microsoft\\Windows\\WER\\Temp\\WER${r.hex(4).toUpperCase()}.tmp.WERInternalMetadata.xml`],
        ]);
        const p = this.proc(h, base);
        return this.rec(h, SYSMON, 11, ['RuleName', '-', 'UtcTime', utc, 'ProcessGuid', p.guid, 'ProcessId', String(p.pid), 'Image', p.image, 'TargetFilename', target(), 'CreationUtcTime', r.chance(0.8) ? utc : '2023-11-02 09:14:51.201', 'User', p.logon.user]);
      }
      case 12: case 13: {
        const sid = h.sid;
        const qword = () => `QWORD (0x01da${r.hex(4)}-0x${r.hex(8)})`;
        const [base, obj, details] = eid === 12
          ? r.pick<[string, string, string]>([
            ['explorer.exe', `HKU\\${sid}\\Software\\Classes\\Local Settings\\MuiCache\\${r.hex(3)}\\${r.hex(8).toUpperCase()}`, ''],
            ['svchost.exe', `HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache\\Tree\\Microsoft\\Windows\\UpdateOrchestrator\\Schedule Scan`, ''],
          ])
          : r.pick<[string, string, string]>([
            ['system', `HKLM\\System\\CurrentControlSet\\Services\\bam\\State\\UserSettings\\${sid}\\\\Device\\HarddiskVolume3\\${this.anyProc(h).image.slice(3)}`, 'Binary Data'],
            ['explorer.exe', `HKU\\${sid}\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\UserAssist\\{CEBFF5CD-ACE2-4F4F-9178-9926F41749EA}\\Count\\HRZR_PGYFRFFVBA`, 'Binary Data'],
            ['msmpeng.exe', 'HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Signature Updates\\SignaturesLastUpdated', qword()],
            ['onedrive.exe', `HKU\\${sid}\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\OneDrive`, `"C:\\Users\\${h.userShort}\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe" /background`],
            ['svchost.exe', 'HKLM\\System\\CurrentControlSet\\Services\\W32Time\\Config\\LastKnownGoodTime', qword()],
            ['svchost.exe', 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Group Policy\\State\\Machine\\Extension-List\\{00000000-0000-0000-0000-000000000000}\\EndTimeLow', `DWORD (0x${r.hex(8)})`],
          ]);
        const p = this.proc(h, base);
        return this.rec(h, SYSMON, eid, [
          'RuleName', '-', 'EventType', eid === 13 ? 'SetValue' : r.pick(['CreateKey', 'DeleteKey']), 'UtcTime', utc, 'ProcessGuid', p.guid, 'ProcessId', String(p.pid),
          'Image', p.image, 'TargetObject', obj, ...(eid === 13 ? ['Details', details] : []), 'User', p.logon.user,
        ]);
      }
      default: {
        const p = this.netProc(h);
        const [q, cname] = r.pick([
          ['www.google.com', ''], ['login.microsoftonline.com', 'type:  5 login.mso.msidentity.com;type:  5 ak.privatelink.msidentity.com;'],
          ['settings-win.data.microsoft.com', 'type:  5 atm-settingsfe-prod-geo2.trafficmanager.net;'], ['github.com', ''], ['api.github.com', ''],
          ['outlook.office365.com', 'type:  5 outlook.ha.office365.com;'], [`fileserver02.${FQDN}`, ''], [`dc01.${FQDN}`, ''], ['wpad', ''],
          ['ctldl.windowsupdate.com', 'type:  5 wu-bg-shim.trafficmanager.net;'], ['update.code.visualstudio.com', ''],
        ]);
        const status = q === 'wpad' ? '9003' : '0';
        const results = status === '0' ? `${cname}::ffff:${r.range(13, 200)}.${r.int(256)}.${r.int(256)}.${r.range(1, 254)};` : '-';
        return this.rec(h, SYSMON, 22, ['RuleName', '-', 'UtcTime', utc, 'ProcessGuid', p.guid, 'ProcessId', String(p.pid), 'QueryName', q, 'QueryStatus', status, 'QueryResults', results, 'Image', p.image, 'User', p.logon.user]);
      }
    }
  }
}

// ---------------------------------------------------------------- time formatting (cached per second: it is hot)
let isoSec = -1, isoPrefix = '';
/** `2024-03-11T07:15:02.123` for epoch milliseconds (fraction dropped). */
function iso(t: number): string {
  const ms = Math.floor(t), sec = Math.floor(ms / 1000);
  if (sec !== isoSec) { isoSec = sec; isoPrefix = new Date(sec * 1000).toISOString().slice(0, 19); }
  return `${isoPrefix}.${String(ms - sec * 1000).padStart(3, '0')}`;
}
/** The four sub-millisecond digits of SystemTime. */
const ticks = (t: number) => String(Math.floor((t - Math.floor(t)) * 10_000)).padStart(4, '0');

// ---------------------------------------------------------------- renderers
const ENT: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const HAS5 = /[&<>"']/, ALL5 = /[&<>"']/g, HAS3 = /[&<>]/, ALL3 = /[&<>]/g;
/** Event Viewer's serializer escapes quotes too; wevtutil leaves them raw in text (both are valid XML). */
const esc5 = (s: string) => (HAS5.test(s) ? s.replace(ALL5, (c) => ENT[c]) : s);
const esc3 = (s: string) => (HAS3.test(s) ? s.replace(ALL3, (c) => ENT[c]) : s);

function system(e: Rec, esc: (s: string) => string): string {
  const sysmon = e.prov === SYSMON, sec = e.prov === SECURITY;
  const version = sysmon ? SYSMON_VERSION[e.eid] : 2;
  const level = sec ? 0 : 4, task = sysmon ? e.eid : sec ? 13312 : 5;
  const keywords = sysmon ? '0x8000000000000000' : sec ? '0x8020000000000000' : '0x8000000000000010';
  const pid = sysmon ? e.host.sysmonPid : sec ? e.host.lsassPid : 4;
  const user = sysmon ? "<Security UserID='S-1-5-18'/>" : sec ? '<Security/>' : "<Security UserID='S-1-5-19'/>";
  return `<System><Provider Name='${e.prov.name}' Guid='${e.prov.guid}'/><EventID>${e.eid}</EventID><Version>${version}</Version><Level>${level}</Level><Task>${task}</Task><Opcode>0</Opcode><Keywords>${keywords}</Keywords><TimeCreated SystemTime='${iso(e.t)}${ticks(e.t)}Z'/><EventRecordID>${e.rec}</EventRecordID><Correlation/><Execution ProcessID='${pid}' ThreadID='${e.tid}'/><Channel>${CHANNEL[e.prov.channel]}</Channel><Computer>${esc(e.host.name)}</Computer>${user}</System>`;
}

function eventData(e: Rec, esc: (s: string) => string): string {
  let s = '<EventData>';
  for (let i = 0; i < e.data.length; i += 2) s += `<Data Name='${e.data[i]}'>${esc(e.data[i + 1])}</Data>`;
  return s + '</EventData>';
}

function renderingInfo(e: Rec): string {
  let msg: string, task: string, keywords = '';
  if (e.prov === SYSMON) {
    const [title, rule] = SYSMON_TITLE[e.eid];
    msg = `${title}:`;
    for (let i = 0; i < e.data.length; i += 2) msg += `\r\n${e.data[i]}: ${e.data[i + 1]}`;
    task = `${title} (rule: ${rule})`;
  } else {
    msg = e.message ?? '';
    task = e.prov === SECURITY ? 'Process Creation' : '';
    keywords = e.prov === SECURITY ? '<Keyword>Audit Success</Keyword>' : '<Keyword>Time</Keyword>';
  }
  return `<RenderingInfo Culture='en-US'><Message>${esc5(msg)}</Message><Level>Information</Level><Task>${task}</Task><Opcode>Info</Opcode><Channel>${CHANNEL[e.prov.channel]}</Channel><Provider>${e.prov.name}</Provider><Keywords>${keywords}</Keywords></RenderingInfo>`;
}

const EVENT_OPEN = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>";
function renderXml(e: Rec, eventViewer: boolean): string {
  const esc = eventViewer ? esc5 : esc3;
  return EVENT_OPEN + system(e, esc) + eventData(e, esc) + (eventViewer ? renderingInfo(e) + '</Event>' : '</Event>\r\n');
}

/** ECS after the ingest pipeline: process fields move out of winlog.event_data (as in the corpus ECS shape). */
const ECS_MOVED = new Set(['Image', 'ParentImage', 'CommandLine', 'ProcessGuid', 'ProcessId', 'CurrentDirectory', 'ParentProcessGuid', 'ParentProcessId', 'ParentCommandLine', 'NewProcessName', 'ParentProcessName']);
function renderEcs(e: Rec): string {
  const d: Record<string, string> = {};
  const sysmonCreate = e.prov === SYSMON && e.eid === 1, audit = e.prov === SECURITY;
  const moves = sysmonCreate || audit;
  for (let i = 0; i < e.data.length; i += 2) if (!moves || !ECS_MOVED.has(e.data[i])) d[e.data[i]] = e.data[i + 1];
  const get = (k: string) => { const i = e.data.indexOf(k); return i >= 0 ? e.data[i + 1] : ''; };
  const ts = `${iso(e.t)}000Z`;
  const o: Record<string, unknown> = {
    '@timestamp': ts,
    event: moves ? { code: String(e.eid), provider: e.prov.name, kind: 'event', category: ['process'], type: ['start'] } : { code: String(e.eid), provider: e.prov.name, kind: 'event' },
    host: { name: e.host.name },
    log: { level: 'information' },
    winlog: { channel: CHANNEL[e.prov.channel], computer_name: e.host.name, event_id: String(e.eid), provider_name: e.prov.name, record_id: String(e.rec), event_data: d },
  };
  if (sysmonCreate) {
    const exe = get('Image'), pexe = get('ParentImage');
    o.process = {
      executable: exe, name: exe.slice(exe.lastIndexOf('\\') + 1), command_line: get('CommandLine'), entity_id: get('ProcessGuid'),
      pid: Number(get('ProcessId')), working_directory: get('CurrentDirectory'),
      parent: { executable: pexe, name: pexe.slice(pexe.lastIndexOf('\\') + 1), command_line: get('ParentCommandLine'), entity_id: get('ParentProcessGuid'), pid: Number(get('ParentProcessId')) },
    };
  } else if (audit) {
    // A trap for hunts that key on process.* alone: Windows audit 4688 is ECS-mapped the same way.
    const exe = get('NewProcessName'), pexe = get('ParentProcessName');
    o.process = {
      executable: exe, name: exe.slice(exe.lastIndexOf('\\') + 1), command_line: get('CommandLine'), pid: parseInt(get('NewProcessId'), 16),
      parent: { executable: pexe, name: pexe.slice(pexe.lastIndexOf('\\') + 1), pid: parseInt(get('ProcessId'), 16) },
    };
  }
  return JSON.stringify(o) + '\n';
}

/**
 * nxlog (im_msvistalog, to_json) shipped through Logstash, as in OTRF Security-Datasets: one flat object
 * per line, nxlog's System fields, then EventData under Sysmon's names (values as strings), then the
 * shipper's. Keywords is signed decimal, past 2^53, so the line is built as text, not with JSON.stringify.
 */
const NXLOG_KEYWORDS: Record<string, string> = {};
const NXLOG_ACCOUNT: Record<Provider['channel'], string[] | undefined> = {
  // What nxlog resolves the System Security UserID to: Domain, AccountName, UserID, AccountType.
  sysmon: ['NT AUTHORITY', 'SYSTEM', 'S-1-5-18', 'User'],
  system: ['NT AUTHORITY', 'LOCAL SERVICE', 'S-1-5-19', 'Well Known Group'],
  security: undefined,
};
function renderFlat(e: Rec): string {
  const sysmon = e.prov === SYSMON, sec = e.prov === SECURITY;
  const hex = sysmon ? '0x8000000000000000' : sec ? '0x8020000000000000' : '0x8000000000000010';
  const keywords = (NXLOG_KEYWORDS[hex] ??= BigInt.asIntN(64, BigInt(hex)).toString());
  const q = JSON.stringify;
  const time = iso(e.t).replace('T', ' ').slice(0, 19);
  const hasType = e.data.some((name, i) => i % 2 === 0 && name === 'EventType');
  let s = `{"EventTime":"${time}","Hostname":${q(e.host.name)},"Keywords":${keywords}` +
    (hasType ? '' : `,"EventType":"${sec ? 'AUDIT_SUCCESS' : 'INFO'}"`) +
    `,"SeverityValue":2,"Severity":"INFO","EventID":${e.eid},"SourceName":"${e.prov.name}","ProviderGuid":"${e.prov.guid.toUpperCase()}"` +
    `,"Version":${sysmon ? SYSMON_VERSION[e.eid] : 2},"Task":${sysmon ? e.eid : sec ? 13312 : 5},"OpcodeValue":0,"RecordNumber":${e.rec}` +
    `,"ExecutionProcessID":${sysmon ? e.host.sysmonPid : sec ? e.host.lsassPid : 4},"ThreadID":${e.tid},"Channel":"${CHANNEL[e.prov.channel]}"`;
  const account = NXLOG_ACCOUNT[e.prov.channel];
  if (account) s += `,"Domain":"${account[0]}","AccountName":"${account[1]}","UserID":"${account[2]}","AccountType":"${account[3]}"`;
  const category = sysmon ? `${SYSMON_TITLE[e.eid][0]} (rule: ${SYSMON_TITLE[e.eid][1]})` : sec ? 'Process Creation' : '';
  if (category) s += `,"Category":"${category}"`;
  s += ',"Opcode":"Info"';
  for (let i = 0; i < e.data.length; i += 2) s += `,"${e.data[i]}":${q(e.data[i + 1])}`;
  // The collector receives a second or two later; Logstash stamps its own time and the collector's address.
  const received = e.t + 1000 + (e.rec % 2000);
  return s + `,"EventReceivedTime":"${iso(received).replace('T', ' ').slice(0, 19)}","SourceModuleName":"eventlog","SourceModuleType":"im_msvistalog"` +
    `,"@version":"1","@timestamp":"${iso(received + 120)}Z","host":"wec.${FQDN}","port":64545}\n`;
}

// ---------------------------------------------------------------- the streaming writer
const BATCH_CHARS = 4 << 20;

/**
 * Writes a log to `out` (a path, or a stream the caller owns and ends) and returns the exact ground truth.
 * Memory stays constant: events are rendered into ~4 MB strings, and writing waits on 'drain'.
 */
export async function generateLog(opts: GenerateOptions, out: NodeJS.WritableStream | string): Promise<GroundTruth> {
  const matchEvery = Math.max(1, Math.floor(opts.matchEvery ?? 1000));
  const maxEvents = opts.maxEvents ?? Infinity;
  const model = new Model(opts.seed, matchEvery, opts.mix);
  const file = typeof out === 'string' ? fs.createWriteStream(out, { highWaterMark: 1 << 22 }) : undefined;
  const stream: NodeJS.WritableStream = file ?? (out as NodeJS.WritableStream);
  const truth: GroundTruth = { bytes: 0, events: 0, processCreates: 0, matches: 0 };
  const [head, tail] = opts.shape === 'eventviewer'
    ? ['<?xml version="1.0" encoding="utf-8" standalone="yes"?><Events>', '</Events>']
    : ['', ''];
  let parts: string[] = [head], chars = head.length;
  const flush = async () => {
    const s = parts.join('');
    parts = [];
    chars = 0;
    const buf = Buffer.from(s, 'utf8');
    truth.bytes += buf.length;
    if (!stream.write(buf)) await once(stream, 'drain');
  };
  // chars <= bytes, so stopping on chars never stops short of targetBytes.
  while (truth.bytes + chars < opts.targetBytes && truth.events < maxEvents) {
    const e = model.next();
    const s = opts.shape === 'ecs' ? renderEcs(e) : opts.shape === 'flat' ? renderFlat(e) : renderXml(e, opts.shape === 'eventviewer');
    truth.events++;
    if (e.prov === SYSMON && e.eid === 1) {
      truth.processCreates++;
      const image = e.data[e.data.indexOf('Image') + 1], parent = e.data[e.data.indexOf('ParentImage') + 1];
      if (baseLower(image) === 'cmd.exe' && baseLower(parent) === 'services.exe') truth.matches++;
    }
    parts.push(s);
    if ((chars += s.length) >= BATCH_CHARS) await flush();
  }
  parts.push(tail);
  await flush();
  if (file) {
    file.end();
    await finished(file);
  }
  if (model.intendedMatches !== truth.matches) throw new Error(`generator bug: intended ${model.intendedMatches} matches, wrote ${truth.matches}`);
  return truth;
}

/** generateLog into memory (small logs, for tests and the fuzzer): the log's bytes and its ground truth. */
export async function generateLogInMemory(opts: GenerateOptions): Promise<{ bytes: Buffer; truth: GroundTruth }> {
  const sink = new PassThrough();
  const parts: Buffer[] = [];
  sink.on('data', (b: Buffer) => parts.push(b));
  const truth = await generateLog(opts, sink);
  return { bytes: Buffer.concat(parts), truth };
}

// ---------------------------------------------------------------- CLI
function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv: string[]): Promise<void> {
  const shape = arg(argv, 'shape') as Shape;
  const outPath = arg(argv, 'out');
  if (!SHAPES.includes(shape) || !outPath) {
    console.error('usage: generate --shape eventviewer|wevtutil|ecs|flat --mb N --seed N --out FILE [--match-every N] [--events N]');
    process.exit(2);
  }
  const mb = Number(arg(argv, 'mb') ?? 50);
  const started = process.hrtime.bigint();
  const truth = await generateLog({
    shape, targetBytes: mb * 1024 * 1024, seed: Number(arg(argv, 'seed') ?? 1),
    matchEvery: arg(argv, 'match-every') ? Number(arg(argv, 'match-every')) : undefined,
    maxEvents: arg(argv, 'events') ? Number(arg(argv, 'events')) : undefined,
  }, outPath);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(JSON.stringify({ shape, out: outPath, ...truth, seconds: +seconds.toFixed(2), mbPerSec: +(truth.bytes / 1048576 / seconds).toFixed(1) }));
}

if (require.main === module) main(process.argv.slice(2)).catch((err) => { console.error(err); process.exit(1); });
