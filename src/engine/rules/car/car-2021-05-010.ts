/**
 * MITRE CAR-2021-05-010, Create local admin accounts using net exe, from CAR's pseudocode, which
 * ORs its three arguments, so any net user / net localgroup command matches (hence the low level).
 * net.exe and net1.exe are matched by file name.
 */
import type { CarAnalytic } from './analytic';

export const car_2021_05_010: CarAnalytic = {
  id: 'CAR-2021-05-010',
  title: 'Create local admin accounts using net exe',
  description:
    'Creating local administrator accounts with net.exe. net.exe or net1.exe whose command line ' +
    'contains localgroup, /add or user; this also matches plain account listing.',
  level: 'low',
  attack: [{ id: 'T1136.001', name: 'Create Account: Local Account', tactics: ['Persistence'] }],
  references: [
    'https://car.mitre.org/analytics/CAR-2021-05-010/',
    'https://github.com/redcanaryco/atomic-red-team/tree/master/atomics/T1136.001',
  ],
  falsepositives: ['Administrators and scripts managing or listing accounts with net user / net localgroup'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: {
          Image: ['net.exe', '*\\net.exe', '*/net.exe', 'net1.exe', '*\\net1.exe', '*/net1.exe'],
          'CommandLine|contains': ['localgroup', '/add', 'user'],
        },
        condition: 'selection',
      },
    },
  ],
};
