/**
 * MITRE CAR-2020-09-002, Component Object Model Hijacking, from CAR's pseudocode. Sysmon names
 * HKCU\Software\Classes as HKU\<SID>_Classes, so `_Classes\CLSID\` is added beside CAR's
 * `\Software\Classes\CLSID\` to cover the per-user keys CAR's description targets.
 */
import type { CarAnalytic } from './analytic';

export const car_2020_09_002: CarAnalytic = {
  id: 'CAR-2020-09-002',
  title: 'Component Object Model Hijacking',
  description:
    'COM hijacking replaces the registry entries of a COM object under ' +
    'HKEY_CURRENT_USER\\Software\\Classes\\CLSID or HKEY_LOCAL_MACHINE\\SOFTWARE\\Classes\\CLSID so ' +
    'that a program loading it runs the adversary\'s code. Any registry key or value created, ' +
    'deleted, set or renamed under those keys.',
  level: 'informational',
  attack: [
    {
      id: 'T1546.015',
      name: 'Event Triggered Execution: Component Object Model Hijacking',
      tactics: ['Persistence', 'Privilege Escalation'],
    },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2020-09-002/'],
  falsepositives: ['Software installs and updates, which register COM classes all the time'],
  branches: [
    {
      logsource: { product: 'windows', category: 'registry_event', service: 'sysmon' },
      detection: {
        selection: { 'TargetObject|contains': ['\\Software\\Classes\\CLSID\\', '_Classes\\CLSID\\'] },
        condition: 'selection',
      },
    },
  ],
};
