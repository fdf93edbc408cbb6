/**
 * MITRE CAR-2021-05-011, Create Remote Thread into LSASS, over Sysmon EventID 8. CAR's pseudocode
 * looks for "lsass" anywhere in the event and points to its Splunk search (`TargetImage=*lsass.exe`)
 * as the precise version; this is that search, with the file name bounded by a backslash.
 */
import type { CarAnalytic } from './analytic';

export const car_2021_05_011: CarAnalytic = {
  id: 'CAR-2021-05-011',
  title: 'Create Remote Thread into LSASS',
  description:
    'A remote thread created in lsass.exe, part of some credential dumping workflows.',
  level: 'high',
  attack: [{ id: 'T1003.001', name: 'OS Credential Dumping: LSASS Memory', tactics: ['Credential Access'] }],
  references: [
    'https://car.mitre.org/analytics/CAR-2021-05-011/',
    'https://github.com/redcanaryco/atomic-red-team/tree/master/atomics/T1003.001',
  ],
  falsepositives: ['Security products that inject into lsass.exe'],
  branches: [
    {
      logsource: { product: 'windows', category: 'create_remote_thread', service: 'sysmon' },
      detection: {
        selection: { 'TargetImage|endswith': '\\lsass.exe' },
        condition: 'selection',
      },
    },
  ],
};
