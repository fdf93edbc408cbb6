/**
 * MITRE CAR-2020-11-007, Network Share Connection Removal, from CAR's pseudocode. Its `exe` is given
 * the path C:\Windows\System32\net.exe; CAR's `exe` is a file name, so net.exe is matched by name
 * (which adds the SysWOW64 copy).
 */
import type { CarAnalytic } from './analytic';

export const car_2020_11_007: CarAnalytic = {
  id: 'CAR-2020-11-007',
  title: 'Network Share Connection Removal',
  description:
    'Adversaries remove the network shares they used, for example to exfiltrate data, to cover ' +
    'their tracks. net.exe with delete on its command line (net use ... /delete, net share ... ' +
    '/delete), or the PowerShell cmdlets Remove-SmbShare and Remove-FileShare.',
  level: 'medium',
  attack: [
    { id: 'T1070.005', name: 'Indicator Removal: Network Share Connection Removal', tactics: ['Defense Evasion'] },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2020-11-007/'],
  falsepositives: ['Logon scripts and users disconnecting mapped drives with net use /delete'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        net_delete: { Image: ['net.exe', '*\\net.exe', '*/net.exe'], 'CommandLine|contains': 'delete' },
        powershell_cmdlets: { 'CommandLine|contains': ['Remove-SmbShare', 'Remove-FileShare'] },
        condition: 'net_delete or powershell_cmdlets',
      },
    },
  ],
};
