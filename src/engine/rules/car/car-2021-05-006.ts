/** MITRE CAR-2021-05-006, CertUtil Download With URLCache and Split Arguments, from CAR's pseudocode. */
import type { CarAnalytic } from './analytic';

export const car_2021_05_006: CarAnalytic = {
  id: 'CAR-2021-05-006',
  title: 'CertUtil Download With URLCache and Split Arguments',
  description:
    'certutil.exe can download a file with -urlcache, usually with -f and -split. certutil.exe ' +
    'whose command line contains both urlcache and split.',
  level: 'high',
  attack: [{ id: 'T1105', name: 'Ingress Tool Transfer', tactics: ['Command and Control'] }],
  references: [
    'https://car.mitre.org/analytics/CAR-2021-05-006/',
    'https://github.com/redcanaryco/atomic-red-team/tree/master/atomics/T1105',
  ],
  falsepositives: ['Rare administrative downloads with certutil.exe'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: {
          Image: ['certutil.exe', '*\\certutil.exe', '*/certutil.exe'],
          'CommandLine|contains|all': ['urlcache', 'split'],
        },
        condition: 'selection',
      },
    },
  ],
};
