/**
 * MITRE CAR-2021-12-002, Modification of Default Startup Folder in the Registry Key 'Common
 * Startup': a process-create branch and a registry branch (Sysmon EventID 13). The process
 * pseudocode's precedence is ambiguous; its Elastic version spells out the intent: (reg add /d, or
 * Set-ItemProperty -value) and "Common Startup". Security 4657 is not Sysmon and is left out.
 */
import type { CarAnalytic } from './analytic';

export const car_2021_12_002: CarAnalytic = {
  id: 'CAR-2021-12-002',
  title: "Modification of Default Startup Folder in the Registry Key 'Common Startup'",
  description:
    'Files in the all-users Startup folder run at every logon; the Common Startup value under ' +
    'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Explorer\\(User )Shell Folders names that ' +
    'folder, and pointing it elsewhere evades detections set on the default one. A reg add or ' +
    'Set-ItemProperty command line naming Common Startup, or the value being set.',
  level: 'high',
  attack: [
    {
      id: 'T1547.001',
      name: 'Boot or Logon Autostart Execution: Registry Run Keys / Startup Folder',
      tactics: ['Persistence', 'Privilege Escalation'],
    },
    { id: 'T1112', name: 'Modify Registry', tactics: ['Defense Evasion'] },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2021-12-002/'],
  falsepositives: ['Folder redirection set up by administrators'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        common_startup: { 'CommandLine|contains': 'Common Startup' },
        reg_add: { 'CommandLine|contains|all': ['reg', 'add', '/d'] },
        set_itemproperty: { 'CommandLine|contains|all': ['Set-ItemProperty', '-value'] },
        condition: 'common_startup and (reg_add or set_itemproperty)',
      },
    },
    {
      logsource: { product: 'windows', category: 'registry_set', service: 'sysmon' },
      detection: {
        selection: { 'TargetObject|endswith': '\\Common Startup' },
        condition: 'selection',
      },
    },
  ],
};
