/**
 * MITRE CAR-2020-11-006, Local Permission Group Discovery, from CAR's pseudocode, with one reading:
 * it ANDs net.exe with every command-line pattern, including the PowerShell cmdlets
 * Get-LocalGroup and Get-ADPrincipalGroupMembership, which net.exe never runs; those two are taken
 * on any process, so that they can match at all.
 */
import type { CarAnalytic } from './analytic';

export const car_2020_11_006: CarAnalytic = {
  id: 'CAR-2020-11-006',
  title: 'Local Permission Group Discovery',
  description:
    'Enumeration of local or domain permission groups: net.exe with user, group or localgroup ' +
    'arguments, or the PowerShell cmdlets Get-LocalGroup* and Get-ADPrincipalGroupMembership on a ' +
    'command line.',
  level: 'low',
  attack: [
    { id: 'T1069.001', name: 'Permission Groups Discovery: Local Groups', tactics: ['Discovery'] },
    { id: 'T1069.002', name: 'Permission Groups Discovery: Domain Groups', tactics: ['Discovery'] },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2020-11-006/'],
  falsepositives: ['Administrators, logon scripts and inventory tools listing users and groups (common)'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        net: {
          Image: ['net.exe', '*\\net.exe', '*/net.exe'],
          CommandLine: ['*net* user*', '*net* group*', '*net* localgroup*'],
        },
        powershell_cmdlets: { 'CommandLine|contains': ['get-localgroup', 'get-ADPrincipalGroupMembership'] },
        condition: 'net or powershell_cmdlets',
      },
    },
  ],
};
