/**
 * MITRE CAR-2019-04-004, Credential Dumping via Mimikatz. CAR has no pseudocode (its data model
 * lacks process access); this is its first Splunk search over Sysmon EventID 10. The "Outliers"
 * variant needs a baseline over past days, which a single-event rule cannot do.
 */
import type { CarAnalytic } from './analytic';

export const car_2019_04_004: CarAnalytic = {
  id: 'CAR-2019-04-004',
  title: 'Credential Dumping via Mimikatz',
  description:
    'Credential dumpers such as Mimikatz read the memory of lsass.exe. A process access to ' +
    'C:\\Windows\\system32\\lsass.exe with one of the access masks Mimikatz requests (0x1410, 0x1010, ' +
    '0x1438, 0x143a, 0x1418) and the call trace its default build leaves (ntdll.dll, ' +
    'KERNELBASE.dll+20edd, then unknown code). Tuned to current Mimikatz: other builds, settings or ' +
    'Windows versions change the call trace.',
  level: 'high',
  attack: [{ id: 'T1003.001', name: 'OS Credential Dumping: LSASS Memory', tactics: ['Credential Access'] }],
  references: [
    'https://car.mitre.org/analytics/CAR-2019-04-004/',
    'https://github.com/Cyb3rWard0g/ThreatHunter-Playbook/blob/master/playbooks/windows/06_credential_access/credential_dumping_T1003/credentials_from_memory/mimikatz_logonpasswords.md',
  ],
  falsepositives: ['Security or backup software that opens lsass.exe with the same rights from unbacked code'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_access', service: 'sysmon' },
      detection: {
        selection: {
          TargetImage: 'C:\\WINDOWS\\system32\\lsass.exe',
          GrantedAccess: ['0x1410', '0x1010', '0x1438', '0x143a', '0x1418'],
          CallTrace: 'C:\\windows\\SYSTEM32\\ntdll.dll+*|C:\\windows\\System32\\KERNELBASE.dll+20edd|UNKNOWN(*)',
        },
        condition: 'selection',
      },
    },
  ],
};
