/** MITRE CAR-2020-09-003, Indicator Blocking - Driver Unloaded, from CAR's pseudocode. */
import type { CarAnalytic } from './analytic';

export const car_2020_09_003: CarAnalytic = {
  id: 'CAR-2020-09-003',
  title: 'Indicator Blocking - Driver Unloaded',
  description:
    'Unloading the minifilter driver of a host sensor such as Sysmon blinds it. A process create ' +
    'of fltmc.exe whose command line contains unload.',
  level: 'high',
  attack: [{ id: 'T1562.006', name: 'Impair Defenses: Indicator Blocking', tactics: ['Defense Evasion'] }],
  references: ['https://car.mitre.org/analytics/CAR-2020-09-003/'],
  falsepositives: ['Administrators or installers unloading a filter driver during an upgrade'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: { Image: ['fltmc.exe', '*\\fltmc.exe', '*/fltmc.exe'], 'CommandLine|contains': 'unload' },
        condition: 'selection',
      },
    },
  ],
};
