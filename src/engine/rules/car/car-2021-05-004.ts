/** MITRE CAR-2021-05-004, BITS Job Persistence, from CAR's pseudocode; bitsadmin.exe by file name. */
import type { CarAnalytic } from './analytic';

export const car_2021_05_004: CarAnalytic = {
  id: 'CAR-2021-05-004',
  title: 'BITS Job Persistence',
  description:
    'bitsadmin.exe scheduling a BITS job that persists on the host: its command line creates, adds ' +
    'a file to, resumes, or sets the notify flags, notify command line, retry delay or custom ' +
    'headers of a job. List jobs with `bitsadmin /list /verbose` when investigating.',
  level: 'medium',
  attack: [{ id: 'T1197', name: 'BITS Jobs', tactics: ['Defense Evasion', 'Persistence'] }],
  references: [
    'https://car.mitre.org/analytics/CAR-2021-05-004/',
    'https://github.com/redcanaryco/atomic-red-team/tree/master/atomics/T1197',
  ],
  falsepositives: ['Software updaters and administrators using bitsadmin.exe'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: {
          Image: ['bitsadmin.exe', '*\\bitsadmin.exe', '*/bitsadmin.exe'],
          'CommandLine|contains': [
            'create',
            'addfile',
            'setnotifyflags',
            'setnotifycmdline',
            'setminretrydelay',
            'setcustomheaders',
            'resume',
          ],
        },
        condition: 'selection',
      },
    },
  ],
};
