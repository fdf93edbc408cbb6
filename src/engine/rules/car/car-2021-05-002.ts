/** MITRE CAR-2021-05-002, Batch File Write to System32, from CAR's pseudocode. */
import type { CarAnalytic } from './analytic';

export const car_2021_05_002: CarAnalytic = {
  id: 'CAR-2021-05-002',
  title: 'Batch File Write to System32',
  description:
    'Batch files are rarely created in the Windows directory after installation. A file whose ' +
    'name ends in .bat created under C:\\Windows\\System32.',
  level: 'medium',
  attack: [{ id: 'T1204.002', name: 'User Execution: Malicious File', tactics: ['Execution'] }],
  references: [
    'https://car.mitre.org/analytics/CAR-2021-05-002/',
    'https://github.com/redcanaryco/atomic-red-team/tree/master/atomics/T1204.002',
  ],
  falsepositives: ['Occasional administrator actions'],
  branches: [
    {
      logsource: { product: 'windows', category: 'file_event', service: 'sysmon' },
      detection: {
        selection: { 'TargetFilename|startswith': 'C:\\Windows\\system32', 'TargetFilename|endswith': '.bat' },
        condition: 'selection',
      },
    },
  ],
};
