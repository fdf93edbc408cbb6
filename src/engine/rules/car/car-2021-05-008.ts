/**
 * MITRE CAR-2021-05-008, Certutil exe certificate extraction, from CAR's pseudocode
 * (`* -exportPFX *`). certutil takes `/exportPFX` as well, so the switch is matched with `windash`.
 */
import type { CarAnalytic } from './analytic';

export const car_2021_05_008: CarAnalytic = {
  id: 'CAR-2021-05-008',
  title: 'Certutil exe certificate extraction',
  description:
    'certutil.exe exporting a certificate with its private key (-exportPFX); in federated ' +
    'environments such as AD FS such a certificate can sign forged authentication tokens.',
  level: 'high',
  attack: [{ id: 'T1606.002', name: 'Forge Web Credentials: SAML Tokens', tactics: ['Credential Access'] }],
  references: [
    'https://car.mitre.org/analytics/CAR-2021-05-008/',
    'https://github.com/redcanaryco/atomic-red-team/tree/master/atomics/T1606.002',
  ],
  falsepositives: ['Administrators backing up or migrating certificates'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: {
          Image: ['certutil.exe', '*\\certutil.exe', '*/certutil.exe'],
          'CommandLine|contains|windash': ' -exportPFX ',
        },
        condition: 'selection',
      },
    },
  ],
};
