import type { CarAnalytic } from './analytic';

/** MITRE CAR-2014-11-004: wsmprovhost.exe started by svchost.exe, the host of a remote PowerShell session. */
export const car_2014_11_004: CarAnalytic = {
  id: 'CAR-2014-11-004',
  title: 'Remote PowerShell Sessions',
  description:
    'A process create whose image is wsmprovhost.exe and whose parent is svchost.exe: on the target ' +
    'of a remote PowerShell session over WinRM (Enter-PSSession -ComputerName <host>), svchost.exe ' +
    'starts wsmprovhost.exe to run the remote commands.',
  level: 'medium',
  attack: [
    {
      id: 'T1059.001',
      name: 'Command and Scripting Interpreter: PowerShell',
      tactics: ['Execution'],
    },
    {
      id: 'T1021.006',
      name: 'Remote Services: Windows Remote Management',
      tactics: ['Lateral Movement'],
    },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2014-11-004/'],
  falsepositives: ['Administrators and management tools that use PowerShell remoting'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: {
          Image: ['wsmprovhost.exe', '*\\wsmprovhost.exe', '*/wsmprovhost.exe'],
          ParentImage: ['svchost.exe', '*\\svchost.exe', '*/svchost.exe'],
        },
        condition: 'selection',
      },
    },
  ],
};
