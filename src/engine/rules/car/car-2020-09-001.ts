/** MITRE CAR-2020-09-001, Scheduled Task - FileAccess, from CAR's pseudocode. */
import type { CarAnalytic } from './analytic';

export const car_2020_09_001: CarAnalytic = {
  id: 'CAR-2020-09-001',
  title: 'Scheduled Task - FileAccess',
  description:
    'The Task Scheduler keeps tasks as files under C:\\Windows\\System32\\Tasks (and the legacy ' +
    'C:\\Windows\\Tasks), and writes them from its svchost.exe service. A file created under either ' +
    'folder by any other process: a task dropped straight to disk for persistence, privilege ' +
    'escalation or remote execution.',
  level: 'low',
  attack: [
    {
      id: 'T1053.005',
      name: 'Scheduled Task/Job: Scheduled Task',
      tactics: ['Execution', 'Persistence', 'Privilege Escalation'],
    },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2020-09-001/'],
  falsepositives: ['Installers, updaters and management agents that write task files themselves'],
  branches: [
    {
      logsource: { product: 'windows', category: 'file_event', service: 'sysmon' },
      detection: {
        task_folders: {
          'TargetFilename|startswith': ['C:\\Windows\\System32\\Tasks\\', 'C:\\Windows\\Tasks\\'],
        },
        task_scheduler: { Image: 'C:\\WINDOWS\\system32\\svchost.exe' },
        condition: 'task_folders and not task_scheduler',
      },
    },
  ],
};
