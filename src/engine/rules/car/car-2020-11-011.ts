/**
 * MITRE CAR-2020-11-011, Registry Edit from Screensaver, from CAR's pseudocode. Registry:add or
 * Registry:edit: EventIDs 12 to 14 without Sysmon's deletions (EventType DeleteKey / DeleteValue).
 */
import type { CarAnalytic } from './analytic';

export const car_2020_11_011: CarAnalytic = {
  id: 'CAR-2020-11-011',
  title: 'Registry Edit from Screensaver',
  description:
    'The screensaver runs the .scr file named in the SCRNSAVE.EXE value, so pointing it at a ' +
    'malicious file runs that file when the session idles. The policy value ' +
    '\\Software\\Policies\\Microsoft\\Windows\\Control Panel\\Desktop\\SCRNSAVE.EXE created, set or renamed.',
  level: 'medium',
  attack: [
    {
      id: 'T1546.002',
      name: 'Event Triggered Execution: Screensaver',
      tactics: ['Persistence', 'Privilege Escalation'],
    },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2020-11-011/'],
  falsepositives: ['Group Policy setting a corporate screensaver'],
  branches: [
    {
      logsource: { product: 'windows', category: 'registry_event', service: 'sysmon' },
      detection: {
        selection: {
          'TargetObject|endswith': '\\Software\\Policies\\Microsoft\\Windows\\Control Panel\\Desktop\\SCRNSAVE.EXE',
        },
        deletion: { EventType: ['DeleteKey', 'DeleteValue'] },
        condition: 'selection and not deletion',
      },
    },
  ],
};
