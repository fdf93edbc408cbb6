/**
 * MITRE CAR-2020-09-004, Credentials in Files & Registry, from CAR's pseudocode. CAR anchors its
 * HKCU reg.exe pattern at both ends (`reg* query HKCU ... /s`) but not its HKLM twin; both are read
 * as `*...*`, since a command line rarely starts with a bare `reg` and the two differ only by hive.
 */
import type { CarAnalytic } from './analytic';

export const car_2020_09_004: CarAnalytic = {
  id: 'CAR-2020-09-004',
  title: 'Credentials in Files & Registry',
  description:
    'Searching for insecurely stored credentials: reg.exe querying HKLM or HKCU for REG_SZ values ' +
    'containing "password", or the PowerSploit functions that pull credentials from unattend files, ' +
    'web.config, applicationHost.config, McAfee SiteList, cached Group Policy Preferences and the ' +
    'AutoLogon registry values.',
  level: 'medium',
  attack: [
    { id: 'T1552.001', name: 'Unsecured Credentials: Credentials In Files', tactics: ['Credential Access'] },
    { id: 'T1552.002', name: 'Unsecured Credentials: Credentials in Registry', tactics: ['Credential Access'] },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2020-09-004/', 'https://powersploit.readthedocs.io/en/latest/'],
  falsepositives: ['Auditors and penetration testers running the same searches'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: {
          CommandLine: [
            '*reg* query HKLM /f password /t REG_SZ /s*',
            '*reg* query HKCU /f password /t REG_SZ /s*',
            '*Get-UnattendedInstallFile*',
            '*Get-Webconfig*',
            '*Get-ApplicationHost*',
            '*Get-SiteListPassword*',
            '*Get-CachedGPPPassword*',
            '*Get-RegistryAutoLogon*',
          ],
        },
        condition: 'selection',
      },
    },
  ],
};
