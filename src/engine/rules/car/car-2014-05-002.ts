import { CarAnalytic } from './analytic';

/**
 * MITRE CAR-2014-05-002, from ../shared/seeds/000_19137d4107267b7c.txt. CAR's `exe` is the file
 * name of the image, so `exe == "cmd.exe"` is the whole path being `cmd.exe` or ending in
 * `\cmd.exe` or `/cmd.exe`, case ignored. Sysmon-only, as CAR defines it (not Security 4688).
 */
export const car_2014_05_002: CarAnalytic = {
  id: 'CAR-2014-05-002',
  title: 'Services launching Cmd',
  description:
    'A process create whose image is cmd.exe and whose parent is services.exe: a service whose ' +
    'binPath runs `cmd.exe /c` to survive the service-start timeout. Children of services.exe run ' +
    'as SYSTEM, so this gives persistence and privilege escalation.',
  level: 'high',
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
  falsepositives: ['None expected: services.exe should never start cmd.exe directly.'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: {
          Image: ['cmd.exe', '*\\cmd.exe', '*/cmd.exe'],
          ParentImage: ['services.exe', '*\\services.exe', '*/services.exe'],
        },
        condition: 'selection',
      },
    },
  ],
  logic: {
    op: 'and',
    args: [
      { op: '==', field: 'exe', value: 'cmd.exe' },
      { op: '==', field: 'parent_exe', value: 'services.exe' },
    ],
  },
};
