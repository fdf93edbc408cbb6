import type { CarAnalytic } from './analytic';

/** MITRE CAR-2013-05-002: processes whose image sits in a directory nothing should run from. */
export const car_2013_05_002: CarAnalytic = {
  id: 'CAR-2013-05-002',
  title: 'Suspicious Run Locations',
  description:
    'A process create whose image lies in a directory that holds files but should never run them: ' +
    'RECYCLER or System Volume Information on any drive, %windir%\\Tasks or %systemroot%\\debug. ' +
    'Defenders who ignore these directories give adversaries a place to hide.',
  level: 'medium',
  attack: [{ id: 'T1036', name: 'Masquerading', tactics: ['Defense Evasion'] }],
  references: ['https://car.mitre.org/analytics/CAR-2013-05-002/'],
  falsepositives: ['Software that installs or updates itself through these directories'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: {
          // CAR writes `*:\SystemVolumeInformation\*`; the real directory has spaces, so both
          // spellings are kept. %windir% and %systemroot% are taken as the default `\Windows` on any
          // drive, as CAR asks to substitute the configured paths.
          'Image|contains': [
            ':\\RECYCLER\\',
            ':\\SystemVolumeInformation\\',
            ':\\System Volume Information\\',
            ':\\Windows\\Tasks\\',
            ':\\Windows\\debug\\',
          ],
        },
        condition: 'selection',
      },
    },
  ],
};
