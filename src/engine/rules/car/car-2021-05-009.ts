/** MITRE CAR-2021-05-009, CertUtil With Decode Argument, from CAR's pseudocode (also catches decodehex). */
import type { CarAnalytic } from './analytic';

export const car_2021_05_009: CarAnalytic = {
  id: 'CAR-2021-05-009',
  title: 'CertUtil With Decode Argument',
  description:
    'certutil.exe can decode base64 (-decode) or hex (-decodehex) files, which adversaries use to ' +
    'unpack a downloaded payload for another process to run. certutil.exe whose command line ' +
    'contains decode; find where the decoded file came from.',
  level: 'medium',
  attack: [{ id: 'T1140', name: 'Deobfuscate/Decode Files or Information', tactics: ['Defense Evasion'] }],
  references: [
    'https://car.mitre.org/analytics/CAR-2021-05-009/',
    'https://github.com/redcanaryco/atomic-red-team/tree/master/atomics/T1140',
  ],
  falsepositives: ['Administrators decoding certificates'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: {
          Image: ['certutil.exe', '*\\certutil.exe', '*/certutil.exe'],
          'CommandLine|contains': 'decode',
        },
        condition: 'selection',
      },
    },
  ],
};
