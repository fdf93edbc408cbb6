/**
 * MITRE CAR-2019-07-002, Lsass Process Dump via Procdump, from CAR's pseudocode (process create).
 * CAR's related Splunk search over process access events is a different search and is not
 * translated. `exe = "procdump*.exe"` is the image's file name; the `*\procdump*.exe` form can also
 * match a file under a folder whose name starts with procdump, which is harmless here.
 */
import type { CarAnalytic } from './analytic';

export const car_2019_07_002: CarAnalytic = {
  id: 'CAR-2019-07-002',
  title: 'Lsass Process Dump via Procdump',
  description:
    'Sysinternals ProcDump can dump the memory of lsass.exe to a file for offline credential ' +
    'extraction with a tool such as Mimikatz. A process whose file name matches procdump*.exe ' +
    '(procdump.exe, procdump64.exe, ...) and whose command line mentions lsass.',
  level: 'high',
  attack: [{ id: 'T1003.001', name: 'OS Credential Dumping: LSASS Memory', tactics: ['Credential Access'] }],
  references: [
    'https://car.mitre.org/analytics/CAR-2019-07-002/',
    'https://docs.microsoft.com/en-us/sysinternals/downloads/procdump',
    'https://eqllib.readthedocs.io/en/latest/analytics/1e1ef6be-12fc-11e9-8d76-4d6bb837cda4.html',
  ],
  falsepositives: ['Support staff capturing an lsass.exe dump for Microsoft support'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: {
          Image: ['procdump*.exe', '*\\procdump*.exe', '*/procdump*.exe'],
          'CommandLine|contains': 'lsass',
        },
        condition: 'selection',
      },
    },
  ],
};
