/**
 * MITRE CAR-2019-08-001, Credential Dumping via Windows Task Manager, from CAR's pseudocode.
 * `file_name = "lsass*.dmp"` is the created file's name; `image_path = "C:\Windows\*\taskmgr.exe"`
 * is written with startswith/endswith, because in Sigma `\*` is a literal star.
 */
import type { CarAnalytic } from './analytic';

export const car_2019_08_001: CarAnalytic = {
  id: 'CAR-2019-08-001',
  title: 'Credential Dumping via Windows Task Manager',
  description:
    'Task Manager run as an administrator can dump lsass.exe ("Create dump file"), which writes a ' +
    'file named after the process. A file created by taskmgr.exe under C:\\Windows whose name ' +
    'matches lsass*.dmp.',
  level: 'high',
  attack: [{ id: 'T1003.001', name: 'OS Credential Dumping: LSASS Memory', tactics: ['Credential Access'] }],
  references: [
    'https://car.mitre.org/analytics/CAR-2019-08-001/',
    'https://github.com/hunters-forge/mordor/blob/master/small_datasets/windows/credential_access/credential_dumping_T1003/interactive_taskmngr_lsass_dump.md',
  ],
  falsepositives: ['An administrator dumping lsass.exe on purpose for troubleshooting'],
  branches: [
    {
      logsource: { product: 'windows', category: 'file_event', service: 'sysmon' },
      detection: {
        selection: {
          TargetFilename: ['lsass*.dmp', '*\\lsass*.dmp', '*/lsass*.dmp'],
          'Image|startswith': 'C:\\Windows\\',
          'Image|endswith': '\\taskmgr.exe',
        },
        condition: 'selection',
      },
    },
  ],
};
