/** MITRE CAR-2019-08-002, Active Directory Dumping via NTDSUtil, from CAR's pseudocode. */
import type { CarAnalytic } from './analytic';

export const car_2019_08_002: CarAnalytic = {
  id: 'CAR-2019-08-002',
  title: 'Active Directory Dumping via NTDSUtil',
  description:
    'ntdsutil.exe can create install-from-media (IFM) copies of the Active Directory database, ' +
    'which credential tools then read offline. A file named ntds.dit created by a process whose ' +
    'image ends in ntdsutil.exe.',
  level: 'high',
  attack: [{ id: 'T1003.003', name: 'OS Credential Dumping: NTDS', tactics: ['Credential Access'] }],
  references: ['https://car.mitre.org/analytics/CAR-2019-08-002/'],
  falsepositives: ['Administrators creating IFM media to promote a new domain controller'],
  branches: [
    {
      logsource: { product: 'windows', category: 'file_event', service: 'sysmon' },
      detection: {
        selection: {
          TargetFilename: ['ntds.dit', '*\\ntds.dit', '*/ntds.dit'],
          'Image|endswith': 'ntdsutil.exe',
        },
        condition: 'selection',
      },
    },
  ],
};
