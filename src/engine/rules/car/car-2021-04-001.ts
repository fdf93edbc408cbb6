/**
 * MITRE CAR-2021-04-001, Common Windows Process Masquerading, from CAR's pseudocode, with readings:
 * - svchost's `image_path != A OR process_path != B` is always true; it means neither path, as in
 *   the Splunk search; `lasass.exe` is lsass.exe;
 * - `search Process:*` is taken as Sysmon's process create and terminate events, which both name
 *   the process's own Image; process access (EventID 10) names two processes and is left out.
 */
import type { CarAnalytic, CarBranch } from './analytic';

/** The well-known name outside its Windows path: one pair per process, as CAR lists them. */
const detection: CarBranch['detection'] = {
  svchost: { Image: ['svchost.exe', '*\\svchost.exe', '*/svchost.exe'] },
  svchost_path: { Image: ['C:\\Windows\\System32\\svchost.exe', 'C:\\Windows\\SysWow64\\svchost.exe'] },
  smss: { Image: ['smss.exe', '*\\smss.exe', '*/smss.exe'] },
  smss_path: { Image: 'C:\\Windows\\System32\\smss.exe' },
  wininit: { Image: ['wininit.exe', '*\\wininit.exe', '*/wininit.exe'] },
  wininit_path: { Image: 'C:\\Windows\\System32\\wininit.exe' },
  taskhost: { Image: ['taskhost.exe', '*\\taskhost.exe', '*/taskhost.exe'] },
  taskhost_path: { Image: 'C:\\Windows\\System32\\taskhost.exe' },
  lsass: { Image: ['lsass.exe', '*\\lsass.exe', '*/lsass.exe'] },
  lsass_path: { Image: 'C:\\Windows\\System32\\lsass.exe' },
  winlogon: { Image: ['winlogon.exe', '*\\winlogon.exe', '*/winlogon.exe'] },
  winlogon_path: { Image: 'C:\\Windows\\System32\\winlogon.exe' },
  csrss: { Image: ['csrss.exe', '*\\csrss.exe', '*/csrss.exe'] },
  csrss_path: { Image: 'C:\\Windows\\System32\\csrss.exe' },
  services: { Image: ['services.exe', '*\\services.exe', '*/services.exe'] },
  services_path: { Image: 'C:\\Windows\\System32\\services.exe' },
  lsm: { Image: ['lsm.exe', '*\\lsm.exe', '*/lsm.exe'] },
  lsm_path: { Image: 'C:\\Windows\\System32\\lsm.exe' },
  explorer: { Image: ['explorer.exe', '*\\explorer.exe', '*/explorer.exe'] },
  explorer_path: { Image: 'C:\\Windows\\explorer.exe' },
  condition:
    '(svchost and not svchost_path) or (smss and not smss_path) or (wininit and not wininit_path)' +
    ' or (taskhost and not taskhost_path) or (lsass and not lsass_path) or (winlogon and not winlogon_path)' +
    ' or (csrss and not csrss_path) or (services and not services_path) or (lsm and not lsm_path)' +
    ' or (explorer and not explorer_path)',
};

export const car_2021_04_001: CarAnalytic = {
  id: 'CAR-2021-04-001',
  title: 'Common Windows Process Masquerading',
  description:
    'Malware hides behind the names of Windows processes. A process named svchost.exe, smss.exe, ' +
    'wininit.exe, taskhost.exe, lsass.exe, winlogon.exe, csrss.exe, services.exe, lsm.exe or ' +
    'explorer.exe whose image is not that name\'s path under C:\\Windows\\System32 (svchost.exe also ' +
    'SysWOW64; explorer.exe C:\\Windows). The whole path is compared, so C:\\Windows\\System32\\srv\\svchost.exe ' +
    'counts too.',
  level: 'high',
  attack: [
    { id: 'T1036.005', name: 'Masquerading: Match Legitimate Name or Location', tactics: ['Defense Evasion'] },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2021-04-001/', 'https://attack.mitre.org/techniques/T1036/005/'],
  falsepositives: ['Windows installed outside C:\\Windows, and the 32-bit C:\\Windows\\SysWOW64\\explorer.exe'],
  branches: [
    { logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' }, detection },
    { logsource: { product: 'windows', category: 'process_termination', service: 'sysmon' }, detection },
  ],
};
