import type { CarAnalytic } from './analytic';

/** MITRE CAR-2016-03-002: wmic.exe creating a process on another host. */
export const car_2016_03_002: CarAnalytic = {
  id: 'CAR-2016-03-002',
  title: 'Create Remote Process via WMIC',
  description:
    'A process create whose image is wmic.exe and whose command line holds both "process call ' +
    'create" and "/node:", as in wmic.exe /node:"<host>" process call create "<command line>": ' +
    'Windows Management Instrumentation launching a program on a remote host, seen on the source ' +
    'host. See CAR-2014-12-001 for the target side.',
  level: 'medium',
  attack: [{ id: 'T1047', name: 'Windows Management Instrumentation', tactics: ['Execution'] }],
  references: ['https://car.mitre.org/analytics/CAR-2016-03-002/'],
  falsepositives: ['Administrators who start processes on remote hosts with wmic.exe'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: {
          Image: ['wmic.exe', '*\\wmic.exe', '*/wmic.exe'],
          'CommandLine|contains|all': [' process call create ', ' /node:'],
        },
        condition: 'selection',
      },
    },
  ],
};
