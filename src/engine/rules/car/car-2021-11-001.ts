/**
 * MITRE CAR-2021-11-001, Registry Edit with Creation of SafeDllSearchMode Key Set to 0: a
 * process-create branch and a registry branch (Sysmon EventID 13).
 * - The process pseudocode's parentheses do not balance; the process branch follows its Splunk,
 *   Elastic and LogPoint versions, which agree: (reg add /d, or Set-ItemProperty -value) and a 0 in
 *   the command line and SafeDllSearchMode. (`*0*` already covers `*00000000*`; both are kept.)
 * - `value = "SafeDllSearchMode" and value_data = "0"` is Sysmon's TargetObject ending in the value
 *   name and Details `DWORD (0x00000000)`, as in the Splunk search. Security 4657 is not Sysmon.
 */
import type { CarAnalytic } from './analytic';

export const car_2021_11_001: CarAnalytic = {
  id: 'CAR-2021-11-001',
  title: 'Registry Edit with Creation of SafeDllSearchMode Key Set to 0',
  description:
    'SafeDllSearchMode set to 0 under HKLM\\System\\CurrentControlSet\\Control\\Session Manager puts ' +
    'the current directory ahead of the system folders in the DLL search order, so an adversary\'s ' +
    'DLL can load instead. A reg add or Set-ItemProperty command line setting it to 0, or the value ' +
    'being set to DWORD 0.',
  level: 'high',
  attack: [
    {
      id: 'T1574.001',
      name: 'Hijack Execution Flow: DLL Search Order Hijacking',
      tactics: ['Persistence', 'Privilege Escalation', 'Defense Evasion'],
    },
    { id: 'T1112', name: 'Modify Registry', tactics: ['Defense Evasion'] },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2021-11-001/'],
  falsepositives: ['None expected: Windows keeps SafeDllSearchMode on by default'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        safe_dll_search_mode: { 'CommandLine|contains': 'SafeDllSearchMode' },
        reg_add: { 'CommandLine|contains|all': ['reg', 'add', '/d'] },
        set_itemproperty: { 'CommandLine|contains|all': ['Set-ItemProperty', '-value'] },
        zero: { 'CommandLine|contains': ['00000000', '0'] },
        condition: 'safe_dll_search_mode and (reg_add or set_itemproperty) and zero',
      },
    },
    {
      logsource: { product: 'windows', category: 'registry_set', service: 'sysmon' },
      detection: {
        selection: { 'TargetObject|endswith': '\\SafeDllSearchMode', Details: 'DWORD (0x00000000)' },
        condition: 'selection',
      },
    },
  ],
};
