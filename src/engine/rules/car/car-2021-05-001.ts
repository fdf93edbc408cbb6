/**
 * MITRE CAR-2021-05-001, Attempt To Add Certificate To Untrusted Store, from CAR's pseudocode.
 * certutil takes `/addstore` as well as `-addstore`, so the switch is matched with `windash`.
 * CAR's `exe = "C:\Windows\System32\certutil.exe"` is matched by file name, like its Splunk search.
 */
import type { CarAnalytic } from './analytic';

export const car_2021_05_001: CarAnalytic = {
  id: 'CAR-2021-05-001',
  title: 'Attempt To Add Certificate To Untrusted Store',
  description:
    'Adding an adversary\'s root certificate to a certificate store makes the browser trust it ' +
    'without warning, often a step before further malicious activity. certutil.exe run with -addstore.',
  level: 'medium',
  attack: [
    { id: 'T1553.004', name: 'Subvert Trust Controls: Install Root Certificate', tactics: ['Defense Evasion'] },
  ],
  references: [
    'https://car.mitre.org/analytics/CAR-2021-05-001/',
    'https://github.com/redcanaryco/atomic-red-team/tree/master/atomics/T1553.004',
  ],
  falsepositives: ['Administrators and software installers adding certificates'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: {
          Image: ['certutil.exe', '*\\certutil.exe', '*/certutil.exe'],
          'CommandLine|contains|windash': '-addstore',
        },
        condition: 'selection',
      },
    },
  ],
};
