/** MITRE CAR-2021-05-005, BITSAdmin Download File, from CAR's pseudocode; bitsadmin.exe by file name. */
import type { CarAnalytic } from './analytic';

export const car_2021_05_005: CarAnalytic = {
  id: 'CAR-2021-05-005',
  title: 'BITSAdmin Download File',
  description:
    'bitsadmin.exe run with transfer to download (or upload) a remote object. The transfer itself ' +
    'happens in the BITS service (svchost.exe -k netsvcs -s BITS), not in bitsadmin.exe, so look ' +
    'there for the network and file events.',
  level: 'medium',
  attack: [
    { id: 'T1197', name: 'BITS Jobs', tactics: ['Defense Evasion', 'Persistence'] },
    { id: 'T1105', name: 'Ingress Tool Transfer', tactics: ['Command and Control'] },
  ],
  references: [
    'https://car.mitre.org/analytics/CAR-2021-05-005/',
    'https://github.com/redcanaryco/atomic-red-team/tree/master/atomics/T1105',
  ],
  falsepositives: ['Scripts that download with bitsadmin /transfer'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: {
          Image: ['bitsadmin.exe', '*\\bitsadmin.exe', '*/bitsadmin.exe'],
          'CommandLine|contains': 'transfer',
        },
        condition: 'selection',
      },
    },
  ],
};
