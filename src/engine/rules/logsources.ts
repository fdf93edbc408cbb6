/**
 * Sigma logsource -> where a rule runs, as a data table: SigmaHQ's thor.yml (the table its own
 * CI uses) for product windows, completed by the spec's taxonomy appendix for the services
 * thor.yml leaves out. Kept here rather than read from thor.yml, which the product does not ship.
 */
import { Scope } from './rule';

interface Service {
  /** In words, for labels. */
  name: string;
  channels: string[];
  /** Providers that write only to these channels: an event matches on its provider or its channel. */
  providers?: string[];
}

/** `service:` values of product windows, with their event log channels. */
const SERVICES: Record<string, Service> = {
  sysmon: { name: 'Sysmon', channels: ['Microsoft-Windows-Sysmon/Operational'], providers: ['Microsoft-Windows-Sysmon'] },
  security: { name: 'Security', channels: ['Security'], providers: ['Microsoft-Windows-Security-Auditing'] },
  system: { name: 'System', channels: ['System'] },
  application: { name: 'Application', channels: ['Application'] },
  powershell: {
    name: 'PowerShell',
    channels: ['Microsoft-Windows-PowerShell/Operational', 'PowerShellCore/Operational'],
    providers: ['Microsoft-Windows-PowerShell', 'PowerShellCore'],
  },
  'powershell-classic': { name: 'Windows PowerShell', channels: ['Windows PowerShell'], providers: ['PowerShell'] },
  ntlm: { name: 'NTLM', channels: ['Microsoft-Windows-NTLM/Operational'] },
  taskscheduler: { name: 'Task Scheduler', channels: ['Microsoft-Windows-TaskScheduler/Operational'] },
  wmi: { name: 'WMI-Activity', channels: ['Microsoft-Windows-WMI-Activity/Operational'] },
  dhcp: { name: 'DHCP Server', channels: ['Microsoft-Windows-DHCP-Server/Operational'] },
  'printservice-admin': { name: 'PrintService Admin', channels: ['Microsoft-Windows-PrintService/Admin'] },
  'printservice-operational': { name: 'PrintService', channels: ['Microsoft-Windows-PrintService/Operational'] },
  'smbclient-security': { name: 'SmbClient Security', channels: ['Microsoft-Windows-SmbClient/Security'] },
  'smbclient-connectivity': { name: 'SmbClient Connectivity', channels: ['Microsoft-Windows-SmbClient/Connectivity'] },
  'smbserver-connectivity': { name: 'SMBServer Connectivity', channels: ['Microsoft-Windows-SMBServer/Connectivity'] },
  'terminalservices-localsessionmanager': {
    name: 'TerminalServices LocalSessionManager',
    channels: ['Microsoft-Windows-TerminalServices-LocalSessionManager/Operational'],
  },
  'codeintegrity-operational': { name: 'CodeIntegrity', channels: ['Microsoft-Windows-CodeIntegrity/Operational'] },
  applocker: {
    name: 'AppLocker',
    channels: [
      'Microsoft-Windows-AppLocker/MSI and Script',
      'Microsoft-Windows-AppLocker/EXE and DLL',
      'Microsoft-Windows-AppLocker/Packaged app-Deployment',
      'Microsoft-Windows-AppLocker/Packaged app-Execution',
    ],
  },
  'msexchange-management': { name: 'MSExchange Management', channels: ['MSExchange Management'] },
  windefend: { name: 'Windows Defender', channels: ['Microsoft-Windows-Windows Defender/Operational'] },
  'firewall-as': { name: 'Windows Firewall', channels: ['Microsoft-Windows-Windows Firewall With Advanced Security/Firewall'] },
  'bits-client': { name: 'BITS Client', channels: ['Microsoft-Windows-Bits-Client/Operational'] },
  'security-mitigations': {
    name: 'Security-Mitigations',
    channels: ['Microsoft-Windows-Security-Mitigations/Kernel Mode', 'Microsoft-Windows-Security-Mitigations/User Mode'],
  },
  'diagnosis-scripted': { name: 'Diagnosis-Scripted', channels: ['Microsoft-Windows-Diagnosis-Scripted/Operational'] },
  'shell-core': { name: 'Shell-Core', channels: ['Microsoft-Windows-Shell-Core/Operational'] },
  openssh: { name: 'OpenSSH', channels: ['OpenSSH/Operational'] },
  ldap: { name: 'LDAP Client', channels: ['Microsoft-Windows-LDAP-Client/Debug'] },
  bitlocker: { name: 'BitLocker', channels: ['Microsoft-Windows-BitLocker/BitLocker Management'] },
  vhdmp: { name: 'VHDMP', channels: ['Microsoft-Windows-VHDMP/Operational'] },
  'appxdeployment-server': { name: 'AppXDeploymentServer', channels: ['Microsoft-Windows-AppXDeploymentServer/Operational'] },
  'lsa-server': { name: 'LSA', channels: ['Microsoft-Windows-LSA/Operational'] },
  'appxpackaging-om': { name: 'AppxPackaging', channels: ['Microsoft-Windows-AppxPackaging/Operational'] },
  'dns-client': { name: 'DNS Client', channels: ['Microsoft-Windows-DNS Client Events/Operational'] },
  'appmodel-runtime': { name: 'AppModel-Runtime', channels: ['Microsoft-Windows-AppModel-Runtime/Admin'] },
  capi2: { name: 'CAPI2', channels: ['Microsoft-Windows-CAPI2/Operational'] },
  'certificateservicesclient-lifecycle-system': {
    name: 'CertificateServicesClient-Lifecycle-System',
    channels: ['Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational'],
  },
  'kernel-shimengine': {
    name: 'Kernel-ShimEngine',
    channels: ['Microsoft-Windows-Kernel-ShimEngine/Operational', 'Microsoft-Windows-Kernel-ShimEngine/Diagnostic'],
  },
  'application-experience': {
    name: 'Application-Experience',
    channels: [
      'Microsoft-Windows-Application-Experience/Program-Telemetry',
      'Microsoft-Windows-Application-Experience/Program-Compatibility-Assistant',
    ],
  },
  ntfs: { name: 'Ntfs', channels: ['Microsoft-Windows-Ntfs/Operational'] },
  'hyper-v-worker': { name: 'Hyper-V-Worker', channels: ['Microsoft-Windows-Hyper-V-Worker'] },
  'kernel-event-tracing': { name: 'Kernel-EventTracing', channels: ['Microsoft-Windows-Kernel-EventTracing'] },
  sense: { name: 'SENSE', channels: ['Microsoft-Windows-SENSE/Operational'] },
  'servicebus-client': {
    name: 'ServiceBus-Client',
    channels: ['Microsoft-ServiceBus-Client/Admin', 'Microsoft-ServiceBus-Client/Operational'],
  },
  'iis-configuration': { name: 'IIS-Configuration', channels: ['Microsoft-IIS-Configuration/Operational'] },
  // The taxonomy appendix's services that thor.yml does not list.
  'dns-server': { name: 'DNS Server', channels: ['DNS Server'] },
  'dns-server-analytic': { name: 'DNS-Server Analytical', channels: ['Microsoft-Windows-DNS-Server/Analytical'] },
  'dns-server-audit': { name: 'DNS-Server Audit', channels: ['Microsoft-Windows-DNS-Server/Audit'] },
  'driver-framework': { name: 'DriverFrameworks-UserMode', channels: ['Microsoft-Windows-DriverFrameworks-UserMode/Operational'] },
};

/** Names SigmaHQ rules use for a service the tables name otherwise. */
const SERVICE_ALIASES: Record<string, string> = { 'microsoft-servicebus-client': 'servicebus-client' };

/** One way a category is logged: a service, its EventIDs, more field conditions, field renames. */
interface CategorySource {
  service: string;
  eventIds: number[];
  where?: Record<string, string[]>;
  renames?: Record<string, string>;
}

const sysmon = (...eventIds: number[]): CategorySource => ({ service: 'sysmon', eventIds });

/** `category:` values of product windows (thor.yml's logsources). */
const CATEGORIES: Record<string, CategorySource[]> = {
  process_creation: [
    sysmon(1),
    { service: 'security', eventIds: [4688], renames: { Image: 'NewProcessName', ParentImage: 'ParentProcessName' } },
  ],
  file_change: [sysmon(2)],
  network_connection: [sysmon(3)],
  sysmon_status: [sysmon(4, 16)],
  process_termination: [sysmon(5)],
  driver_load: [sysmon(6)],
  image_load: [sysmon(7)],
  create_remote_thread: [sysmon(8)],
  raw_access_thread: [sysmon(9)],
  process_access: [sysmon(10)],
  file_event: [sysmon(11)],
  registry_event: [sysmon(12, 13, 14)],
  registry_add: [{ service: 'sysmon', eventIds: [12], where: { EventType: ['CreateKey'] } }],
  registry_delete: [{ service: 'sysmon', eventIds: [12], where: { EventType: ['DeleteKey', 'DeleteValue'] } }],
  registry_set: [sysmon(13)],
  registry_rename: [sysmon(14)],
  create_stream_hash: [sysmon(15)],
  pipe_created: [sysmon(17, 18)],
  wmi_event: [sysmon(19, 20, 21)],
  dns_query: [sysmon(22)],
  file_delete: [sysmon(23)],
  // thor.yml names it clipboard_change; the taxonomy appendix, clipboard_capture.
  clipboard_change: [sysmon(24)],
  clipboard_capture: [sysmon(24)],
  process_tampering: [sysmon(25)],
  file_delete_detected: [sysmon(26)],
  file_block_executable: [sysmon(27)],
  file_block_shredding: [sysmon(28)],
  file_executable_detected: [sysmon(29)],
  sysmon_error: [sysmon(255)],
  ps_module: [{ service: 'powershell', eventIds: [4103] }],
  ps_script: [{ service: 'powershell', eventIds: [4104] }],
  ps_classic_start: [{ service: 'powershell-classic', eventIds: [400] }],
  ps_classic_provider_start: [{ service: 'powershell-classic', eventIds: [600] }],
  ps_classic_script: [{ service: 'powershell-classic', eventIds: [800] }],
  antivirus: [
    {
      service: 'windefend',
      eventIds: [1006, 1007, 1008, 1009, 1010, 1011, 1012, 1017, 1018, 1019, 1115, 1116],
      renames: { Signature: 'ThreatName', Filename: 'Path' },
    },
  ],
};

/** Categories that are Windows's own but have no event log source here (ETW Kernel-File). */
const UNMAPPED_WINDOWS: Record<string, string> = {
  file_access: 'comes from the ETW provider Microsoft-Windows-Kernel-File, not from Sysmon or an event log',
  file_rename: 'comes from the ETW provider Microsoft-Windows-Kernel-File, not from Sysmon or an event log',
};

const lowerAll = (xs: string[] | undefined): string[] | undefined => xs?.map((x) => x.toLowerCase());

function serviceScope(key: string, eventIds?: number[]): Scope {
  const s = SERVICES[key];
  const ids = eventIds?.join(', ');
  const label = !ids ? s.name : key === 'sysmon' ? `Sysmon EventID ${ids}` : `${s.name} ${ids}`;
  return { eventIds: eventIds ? [...eventIds] : undefined, providers: lowerAll(s.providers), channels: lowerAll(s.channels), label };
}

function categoryScope(src: CategorySource): Scope {
  const scope = serviceScope(src.service, src.eventIds);
  if (src.renames) scope.renames = { ...src.renames };
  if (src.where) {
    scope.where = Object.fromEntries(Object.entries(src.where).map(([k, v]) => [k, [...v]]));
    scope.label += ` (${Object.entries(src.where).map(([k, v]) => `${k} ${v.join(' or ')}`).join(', ')})`;
  }
  return scope;
}

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/**
 * Scopes by category and service (or service alone): rules of one logsource share them, frozen, as
 * nothing changes a rule's scopes (SigmaHQ's 2,476 loaded rules then hold 70 scope objects, not one
 * or two per rule, each with its own arrays and lower-cased names).
 */
const shared = new Map<string, Scope[]>();

function share(key: string, scopes: Scope[]): Scope[] {
  for (const scope of scopes) {
    for (const part of [scope.eventIds, scope.providers, scope.channels, scope.renames]) if (part) Object.freeze(part);
    if (scope.where) for (const values of Object.values(scope.where)) Object.freeze(values);
    Object.freeze(scope.where);
    Object.freeze(scope);
  }
  Object.freeze(scopes);
  shared.set(key, scopes);
  return scopes;
}

const ANY_WINDOWS_EVENT: Scope[] = Object.freeze([Object.freeze({ label: 'any Windows event' })]) as Scope[];

/**
 * Where a rule with this logsource runs: one scope per event source (Sysmon EventID 1, and
 * Security 4688 with renamed fields, for process_creation), or why it cannot run here (the logsource
 * is described in words only then: every rule of a load comes through here).
 */
export function scopesFor(logsource: {
  product?: string;
  category?: string;
  service?: string;
}): Scope[] | { category: string; reason: string } {
  const product = text(logsource.product);
  const category = text(logsource.category);
  const rawService = text(logsource.service);
  const service = rawService && has(SERVICE_ALIASES, rawService) ? SERVICE_ALIASES[rawService] : rawService;
  // Antivirus rules are generic (no product); thor.yml runs them on Windows Defender's events.
  if (product !== undefined && product !== 'windows') {
    return { category: 'not windows', reason: `logsource ${describe(logsource)} is not a Windows event log` };
  }
  if (category !== undefined) {
    if (has(UNMAPPED_WINDOWS, category)) {
      return { category: 'unknown logsource', reason: `logsource ${describe(logsource)} ${UNMAPPED_WINDOWS[category]}` };
    }
    if (product === undefined && category !== 'antivirus') {
      // As in pySigma's pipelines, a category without product windows is not taken for Windows's.
      const why = has(CATEGORIES, category) ? 'names no product (Windows rules say product: windows)' : 'is not a Windows event log';
      return { category: 'not windows', reason: `logsource ${describe(logsource)} ${why}` };
    }
    if (!has(CATEGORIES, category)) {
      return { category: 'unknown logsource', reason: `logsource ${describe(logsource)}: no Windows event source is known for this category` };
    }
    const key = `${category}\u0000${service ?? '\u0001'}`;
    const known = shared.get(key);
    if (known) return known;
    const sources = CATEGORIES[category].filter((c) => service === undefined || c.service === service);
    if (sources.length === 0) {
      return { category: 'unknown logsource', reason: `logsource ${describe(logsource)}: category ${category} is not logged by service ${rawService}` };
    }
    return share(key, sources.map(categoryScope));
  }
  if (service !== undefined) {
    if (!has(SERVICES, service)) {
      return product === undefined
        ? { category: 'not windows', reason: `logsource ${describe(logsource)} is not a Windows event log` }
        : { category: 'unknown logsource', reason: `logsource ${describe(logsource)}: no Windows event log channel is known for this service` };
    }
    return shared.get(service) ?? share(service, [serviceScope(service)]);
  }
  if (product === 'windows') return ANY_WINDOWS_EVENT;
  return { category: 'unknown logsource', reason: 'logsource names no product, category or service' };
}

function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const s = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  return s.trim().toLowerCase();
}

function describe(logsource: Record<string, unknown>): string {
  const parts = ['product', 'category', 'service'].filter((k) => logsource[k] != null).map((k) => `${k}: ${String(logsource[k])}`);
  return parts.length ? `{${parts.join(', ')}}` : '{}';
}
