/**
 * MITRE CAR-2020-09-005, AppInit DLLs, from CAR's pseudocode. CAR's keys end `\Appinit_Dlls\*`, but
 * AppInit_DLLs is a value, which Sysmon names without a trailing backslash; the pattern is matched
 * as `contains ...\Windows\AppInit_DLLs`, which keeps CAR's subkeys and catches the value itself.
 */
import type { CarAnalytic } from './analytic';

export const car_2020_09_005: CarAnalytic = {
  id: 'CAR-2020-09-005',
  title: 'AppInit DLLs',
  description:
    'DLLs listed in the AppInit_DLLs value of HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Windows ' +
    '(or its Wow6432Node twin) are loaded by user32.dll into every process that loads user32.dll. ' +
    'Any registry create, delete, set or rename of AppInit_DLLs under either key.',
  level: 'high',
  attack: [
    {
      id: 'T1546.010',
      name: 'Event Triggered Execution: AppInit DLLs',
      tactics: ['Persistence', 'Privilege Escalation'],
    },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2020-09-005/'],
  falsepositives: ['Legacy software that still installs an AppInit DLL (some anti-virus, accessibility tools)'],
  branches: [
    {
      logsource: { product: 'windows', category: 'registry_event', service: 'sysmon' },
      detection: {
        selection: {
          'TargetObject|contains': [
            '\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Windows\\AppInit_DLLs',
            '\\SOFTWARE\\Wow6432Node\\Microsoft\\Windows NT\\CurrentVersion\\Windows\\AppInit_DLLs',
          ],
        },
        condition: 'selection',
      },
    },
  ],
};
