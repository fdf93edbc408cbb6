import type { CarAnalytic } from './analytic';

/** MITRE CAR-2013-08-001: schtasks.exe, which creates, changes and runs scheduled tasks. */
export const car_2013_08_001: CarAnalytic = {
  id: 'CAR-2013-08-001',
  title: 'Execution with schtasks',
  description:
    'A process create whose image is schtasks.exe, which creates, modifies, runs and deletes ' +
    'scheduled tasks on this host or, with /s, on a remote one: a means of persistence and, ' +
    'combined with lateral movement, of remote execution. The command line tells the operation ' +
    '(/create, /run, /query, /delete, /change, /end).',
  level: 'low',
  attack: [
    { id: 'T1053.005', name: 'Scheduled Task/Job: Scheduled Task', tactics: ['Persistence'] },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2013-08-001/'],
  falsepositives: ['Administrators, scripts and software that manage their scheduled tasks with schtasks.exe'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: { Image: ['schtasks.exe', '*\\schtasks.exe', '*/schtasks.exe'] },
        condition: 'selection',
      },
    },
  ],
};
