/**
 * MITRE CAR-2020-11-009, Compiled HTML Access, from CAR's pseudocode. Its `exe` is given the paths
 * C:\Windows\syswow64\hh.exe and C:\Windows\system32\hh.exe, but the 64-bit hh.exe is
 * C:\Windows\hh.exe; CAR's `exe` is a file name, so hh.exe is matched by name.
 */
import type { CarAnalytic } from './analytic';

export const car_2020_11_009: CarAnalytic = {
  id: 'CAR-2020-11-009',
  title: 'Compiled HTML Access',
  description:
    'Malicious code hidden in a compiled HTML (.chm) file runs when the file is opened with the ' +
    'HTML Help executable. Any run of hh.exe.',
  level: 'medium',
  attack: [
    { id: 'T1218.001', name: 'System Binary Proxy Execution: Compiled HTML File', tactics: ['Defense Evasion'] },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2020-11-009/'],
  falsepositives: ['Users opening the .chm help of installed software'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: { Image: ['hh.exe', '*\\hh.exe', '*/hh.exe'] },
        condition: 'selection',
      },
    },
  ],
};
