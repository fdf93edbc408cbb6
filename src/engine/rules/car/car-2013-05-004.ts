import type { CarAnalytic } from './analytic';

/** MITRE CAR-2013-05-004: at.exe, which queries or schedules jobs, locally or on another host. */
export const car_2013_05_004: CarAnalytic = {
  id: 'CAR-2013-05-004',
  title: 'Execution with AT',
  description:
    'A process create whose image is at.exe: the built-in AT command schedules a command to run at ' +
    'a given time, on this host or a remote one, for persistence, privilege escalation or remote ' +
    'execution. Administrators mostly use schtasks.exe instead, so at.exe stands out; its command ' +
    'line shows the job scheduled.',
  level: 'medium',
  attack: [
    {
      id: 'T1053.002',
      name: 'Scheduled Task/Job: At',
      tactics: ['Execution', 'Persistence', 'Privilege Escalation'],
    },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2013-05-004/'],
  falsepositives: ['Administrators and legacy scripts that still schedule jobs with at.exe'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: { Image: ['at.exe', '*\\at.exe', '*/at.exe'] },
        condition: 'selection',
      },
    },
  ],
};
