import { Analytic } from './analytic';

/** MITRE CAR-2014-05-002, from ../shared/seeds/000_19137d4107267b7c.txt. */
export const car_2014_05_002: Analytic = {
  id: 'CAR-2014-05-002',
  title: 'Services launching Cmd',
  description:
    'A process create whose image is cmd.exe and whose parent is services.exe: a service whose ' +
    'binPath runs `cmd.exe /c` to survive the service-start timeout. Children of services.exe run ' +
    'as SYSTEM, so this gives persistence and privilege escalation.',
  object: 'process',
  action: 'create',
  attack: [
    {
      id: 'T1543.003',
      name: 'Create or Modify System Process: Windows Service',
      tactics: ['Persistence', 'Privilege Escalation'],
    },
  ],
  references: [
    'https://car.mitre.org/analytics/CAR-2014-05-002/',
    'https://attack.mitre.org/techniques/T1543/003/',
  ],
  logic: {
    op: 'and',
    args: [
      { op: '==', field: 'exe', value: 'cmd.exe' },
      { op: '==', field: 'parent_exe', value: 'services.exe' },
    ],
  },
};
