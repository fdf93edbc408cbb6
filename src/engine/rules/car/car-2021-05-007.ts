/** MITRE CAR-2021-05-007, CertUtil Download With VerifyCtl and Split Arguments, from CAR's pseudocode. */
import type { CarAnalytic } from './analytic';

export const car_2021_05_007: CarAnalytic = {
  id: 'CAR-2021-05-007',
  title: 'CertUtil Download With VerifyCtl and Split Arguments',
  description:
    'certutil.exe can download a file with -VerifyCtl, usually with -f and -split; the file lands in ' +
    'the working directory or the CryptnetUrlCache. certutil.exe whose command line contains both ' +
    'verifyctl and split.',
  level: 'high',
  attack: [{ id: 'T1105', name: 'Ingress Tool Transfer', tactics: ['Command and Control'] }],
  references: [
    'https://car.mitre.org/analytics/CAR-2021-05-007/',
    'https://github.com/redcanaryco/atomic-red-team/tree/master/atomics/T1105',
  ],
  falsepositives: ['Rare administrative use of certutil.exe -verifyctl'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: {
          Image: ['certutil.exe', '*\\certutil.exe', '*/certutil.exe'],
          'CommandLine|contains|all': ['verifyctl', 'split'],
        },
        condition: 'selection',
      },
    },
  ],
};
