/**
 * MITRE CAR-2021-01-008, Disable UAC, from CAR's pseudocode. Its SQL LIKE pattern (`%` wildcards,
 * anchored at the start) becomes the same Sigma pattern with `*`.
 */
import type { CarAnalytic } from './analytic';

export const car_2021_01_008: CarAnalytic = {
  id: 'CAR-2021-01-008',
  title: 'Disable UAC',
  description:
    'Disabling User Account Control by setting a policy value such as EnableLUA to 0. reg.exe run ' +
    'from cmd.exe with a command line that starts with reg.exe and writes a REG_DWORD 0 under ' +
    'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System.',
  level: 'high',
  attack: [
    {
      id: 'T1548.002',
      name: 'Abuse Elevation Control Mechanism: Bypass User Account Control',
      tactics: ['Privilege Escalation'],
    },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2021-01-008/'],
  falsepositives: ['Administrators scripting UAC policy; the pattern also matches /d values starting with 0'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: {
          ParentImage: 'C:\\Windows\\System32\\cmd.exe',
          CommandLine: 'reg.exe*HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System*REG_DWORD /d 0*',
        },
        condition: 'selection',
      },
    },
  ],
};
