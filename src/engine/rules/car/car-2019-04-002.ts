/**
 * MITRE CAR-2019-04-002, Generic Regsvr32, from CAR's "Main Pattern" pseudocode. CAR's other
 * variants (children other than WerFault.exe/wevtutil.exe; unsigned module loads) are alternative
 * searches, not parts of this one, so they are not translated; the children they leave out are
 * listed as false positives.
 */
import type { CarAnalytic } from './analytic';

export const car_2019_04_002: CarAnalytic = {
  id: 'CAR-2019-04-002',
  title: 'Generic Regsvr32',
  description:
    'Regsvr32 can run arbitrary code in the context of a signed Windows binary, bypassing ' +
    'application allow-listing. A process whose parent image ends in regsvr32.exe and whose own ' +
    'image is not regsvr32.exe. This does occur in normal activity, so it is a hunting lead that ' +
    'needs baselining rather than an alert.',
  level: 'low',
  attack: [
    { id: 'T1218.010', name: 'System Binary Proxy Execution: Regsvr32', tactics: ['Defense Evasion'] },
  ],
  references: [
    'https://car.mitre.org/analytics/CAR-2019-04-002/',
    'https://github.com/redcanaryco/atomic-red-team/blob/master/atomics/T1218.010/T1218.010.md',
  ],
  falsepositives: [
    'WerFault.exe and wevtutil.exe started by regsvr32.exe (excluded by CAR\'s "spawning child processes" variant)',
    'Installers whose DLL registration starts helper processes',
  ],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        parent_regsvr32: { 'ParentImage|endswith': 'regsvr32.exe' },
        image_regsvr32: { 'Image|contains': 'regsvr32.exe' },
        condition: 'parent_regsvr32 and not image_regsvr32',
      },
    },
  ],
};
