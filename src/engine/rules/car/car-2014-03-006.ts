import type { CarAnalytic } from './analytic';

/** MITRE CAR-2014-03-006: every rundll32.exe start, whose command line names the DLL and export run. */
export const car_2014_03_006: CarAnalytic = {
  id: 'CAR-2014-03-006',
  title: 'RunDLL32.exe monitoring',
  description:
    'A process create whose image is rundll32.exe, the built-in utility that runs an exported ' +
    'function of a DLL: a way for adversaries to execute code from a DLL and evade defenses. ' +
    'Windows itself uses it, so it needs a baseline; the command line gives the DLL, entry point ' +
    'and arguments.',
  level: 'low',
  attack: [
    { id: 'T1218.011', name: 'System Binary Proxy Execution: Rundll32', tactics: ['Defense Evasion'] },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2014-03-006/'],
  falsepositives: ['Windows and installed software run control panel items and DLL exports with rundll32.exe'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: { Image: ['rundll32.exe', '*\\rundll32.exe', '*/rundll32.exe'] },
        condition: 'selection',
      },
    },
  ],
};
