/**
 * MITRE CAR-2021-05-003, BCDEdit Failure Recovery Modification, from CAR's pseudocode, which asks
 * only for recoveryenabled (its Splunk search also wants ` no`). bcdedit.exe is matched by file name.
 */
import type { CarAnalytic } from './analytic';

export const car_2021_05_003: CarAnalytic = {
  id: 'CAR-2021-05-003',
  title: 'BCDEdit Failure Recovery Modification',
  description:
    'Ransomware turns off Windows error recovery in the boot configuration to prevent recovery. ' +
    'bcdedit.exe run with recoveryenabled on its command line.',
  level: 'high',
  attack: [{ id: 'T1490', name: 'Inhibit System Recovery', tactics: ['Impact'] }],
  references: [
    'https://car.mitre.org/analytics/CAR-2021-05-003/',
    'https://github.com/redcanaryco/atomic-red-team/tree/master/atomics/T1490',
  ],
  falsepositives: ['Administrators changing boot recovery settings'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: {
          Image: ['bcdedit.exe', '*\\bcdedit.exe', '*/bcdedit.exe'],
          'CommandLine|contains': 'recoveryenabled',
        },
        condition: 'selection',
      },
    },
  ],
};
