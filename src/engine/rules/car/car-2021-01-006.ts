/** MITRE CAR-2021-01-006, Unusual Child Process spawned using DDE exploit, from CAR's pseudocode. */
import type { CarAnalytic } from './analytic';

export const car_2021_01_006: CarAnalytic = {
  id: 'CAR-2021-01-006',
  title: 'Unusual Child Process spawned using DDE exploit',
  description:
    'Dynamic Data Exchange (DDE) in an Office document can run arbitrary commands. Any .exe ' +
    'started by a process whose image ends in excel.exe, word.exe (WINWORD.EXE) or outlook.exe.',
  level: 'medium',
  attack: [
    { id: 'T1559.002', name: 'Inter-Process Communication: Dynamic Data Exchange', tactics: ['Execution'] },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2021-01-006/'],
  falsepositives: ['Office opening links, add-ins and helper programs (browsers, Teams, printing tools)'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: {
          'ParentImage|endswith': ['excel.exe', 'word.exe', 'outlook.exe'],
          'Image|endswith': '.exe',
        },
        condition: 'selection',
      },
    },
  ],
};
