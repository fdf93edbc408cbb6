/**
 * MITRE CAR-2020-11-003, DLL Injection with Mavinject, from CAR's pseudocode. Its `exe` is given
 * the System32 and SysWOW64 paths; CAR's `exe` is a file name, so mavinject.exe is matched by name
 * wherever it sits. The argument is `/INJECTRUNNING` (the Splunk search's `\INJECTRUNNING` is a typo).
 */
import type { CarAnalytic } from './analytic';

export const car_2020_11_003: CarAnalytic = {
  id: 'CAR-2020-11-003',
  title: 'DLL Injection with Mavinject',
  description:
    'mavinject.exe, part of Windows, injects a DLL into a running process in one step. Any run of ' +
    'mavinject.exe, or of any image whose command line carries its /INJECTRUNNING argument, which ' +
    'catches a renamed copy.',
  level: 'medium',
  attack: [
    {
      id: 'T1055.001',
      name: 'Process Injection: Dynamic-link Library Injection',
      tactics: ['Privilege Escalation', 'Defense Evasion'],
    },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2020-11-003/'],
  falsepositives: ['Microsoft App-V, which uses mavinject.exe to inject its own DLLs'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        mavinject: { Image: ['mavinject.exe', '*\\mavinject.exe', '*/mavinject.exe'] },
        injectrunning: { 'CommandLine|contains': '/INJECTRUNNING' },
        condition: 'mavinject or injectrunning',
      },
    },
  ],
};
