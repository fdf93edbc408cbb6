/**
 * MITRE CAR-2021-11-002, Registry Edit with Modification of Userinit, Shell or Notify: a
 * process-create branch and a registry branch (Sysmon EventID 13). Readings:
 * - the process pseudocode ORs `reg`, `add` and `/d` (and the PowerShell words), which would match a
 *   mere `reg query`; its Splunk, Elastic and LogPoint versions, and the same author's sibling
 *   analytics, AND them: (reg add /d) or ((Set-|New-ItemProperty) -value);
 * - the registry pseudocode tests only the value name; its description places the values under
 *   ...\Windows NT\CurrentVersion\Winlogon\, which is required here (Shell is a common value name).
 * Security 4657 is not Sysmon and is left out.
 */
import type { CarAnalytic } from './analytic';

export const car_2021_11_002: CarAnalytic = {
  id: 'CAR-2021-11-002',
  title: 'Registry Edit with Modification of Userinit, Shell or Notify',
  description:
    'Winlogon starts the programs named by the Userinit, Shell and Notify values of ' +
    'Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon (HKLM or HKCU) at logon, and ' +
    'adversaries append their payload to them. A reg add or Set-/New-ItemProperty command line ' +
    'naming the Winlogon key and one of the values, or one of the values being set under that key.',
  level: 'high',
  attack: [
    {
      id: 'T1547.004',
      name: 'Boot or Logon Autostart Execution: Winlogon Helper DLL',
      tactics: ['Persistence', 'Privilege Escalation'],
    },
    { id: 'T1112', name: 'Modify Registry', tactics: ['Defense Evasion'] },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2021-11-002/'],
  falsepositives: [
    'PowerShell command lines that set another Winlogon value (for example AutoAdminLogon): "Shell" occurs in "powershell"',
    'Shell replacements in kiosk setups',
  ],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        winlogon_key: { 'CommandLine|contains': '\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon' },
        winlogon_value: { 'CommandLine|contains': ['Userinit', 'Shell', 'Notify'] },
        reg_add: { 'CommandLine|contains|all': ['reg', 'add', '/d'] },
        itemproperty: { 'CommandLine|contains': ['Set-ItemProperty', 'New-ItemProperty'] },
        itemproperty_value: { 'CommandLine|contains': '-value' },
        condition: 'winlogon_key and winlogon_value and (reg_add or (itemproperty and itemproperty_value))',
      },
    },
    {
      logsource: { product: 'windows', category: 'registry_set', service: 'sysmon' },
      detection: {
        selection: {
          'TargetObject|contains': '\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\',
          'TargetObject|endswith': ['\\Userinit', '\\Shell', '\\Notify'],
        },
        condition: 'selection',
      },
    },
  ],
};
