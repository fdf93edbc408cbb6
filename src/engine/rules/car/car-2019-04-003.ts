/**
 * MITRE CAR-2019-04-003, Squiblydoo, from CAR's pseudocode: the command line ends with scrobj.dll
 * (as in its EQL version; the Splunk search only asks for the word anywhere in the event).
 */
import type { CarAnalytic } from './analytic';

export const car_2019_04_003: CarAnalytic = {
  id: 'CAR-2019-04-003',
  title: 'Squiblydoo',
  description:
    'Squiblydoo uses regsvr32.exe to load a COM scriptlet, often straight from the internet, through ' +
    'scrobj.dll, which bypasses application allow-listing. A regsvr32.exe process whose command line ' +
    'ends with scrobj.dll, whether the scriptlet comes from the network or from disk.',
  level: 'high',
  attack: [
    { id: 'T1218.010', name: 'System Binary Proxy Execution: Regsvr32', tactics: ['Defense Evasion'] },
  ],
  references: [
    'https://car.mitre.org/analytics/CAR-2019-04-003/',
    'https://github.com/Cyb3rWard0g/ThreatHunter-Playbook/blob/master/playbooks/platforms/windows/05_defense_evasion/regsvr32/variants/bypass_whitelisting_regsvr32.md',
    'https://github.com/redcanaryco/atomic-red-team/blob/master/atomics/T1218.010/T1218.010.md',
  ],
  falsepositives: ['Very few: CAR rates it suitable for alerting'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: { 'Image|endswith': 'regsvr32.exe', 'CommandLine|endswith': 'scrobj.dll' },
        condition: 'selection',
      },
    },
  ],
};
