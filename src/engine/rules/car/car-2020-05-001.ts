/**
 * MITRE CAR-2020-05-001, MiniDump of LSASS. CAR has no pseudocode (its data model lacks process
 * access); this is its Splunk search over Sysmon EventID 10. The ATT&CK mapping is CAR's own
 * (T1003.003, NTDS), although the behaviour is LSASS memory dumping.
 */
import type { CarAnalytic } from './analytic';

export const car_2020_05_001: CarAnalytic = {
  id: 'CAR-2020-05-001',
  title: 'MiniDump of LSASS',
  description:
    'The MiniDumpWriteDump variant of credential dumping, the default of SafetyKatz, SafetyDump and ' +
    'Dumpert, and of Task Manager\'s "Create dump file": a process access to ' +
    'C:\\Windows\\system32\\lsass.exe whose call trace passes through dbghelp.dll or dbgcore.dll, ' +
    'which export the dump functions. No GrantedAccess filter, as in CAR, since it removed no false ' +
    'positives and invites evasion.',
  level: 'high',
  attack: [{ id: 'T1003.003', name: 'OS Credential Dumping: NTDS', tactics: ['Credential Access'] }],
  references: [
    'https://car.mitre.org/analytics/CAR-2020-05-001/',
    'https://github.com/NVISO-BE/sigma-public/blob/master/rules/windows/sysmon/sysmon_lsass_memdump.yml',
    'https://blog.menasec.net/2019/02/threat-hunting-21-procdump-or-taskmgr.html',
  ],
  falsepositives: ['werfault.exe and tasklist.exe, which CAR saw repeatedly in production'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_access', service: 'sysmon' },
      detection: {
        selection: {
          TargetImage: 'C:\\windows\\system32\\lsass.exe',
          'CallTrace|contains': ['dbghelp.dll', 'dbgcore.dll'],
        },
        condition: 'selection',
      },
    },
  ],
};
