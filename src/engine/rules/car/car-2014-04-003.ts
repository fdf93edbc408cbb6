import type { CarAnalytic } from './analytic';

/** MITRE CAR-2014-04-003: PowerShell not started interactively from explorer.exe. */
export const car_2014_04_003: CarAnalytic = {
  id: 'CAR-2014-04-003',
  title: 'Powershell Execution',
  description:
    'A process create whose image is powershell.exe and whose parent is not explorer.exe, that is ' +
    'PowerShell not launched interactively by a user. Attackers use PowerShell to run scripts that ' +
    'antivirus rarely inspects and to hide commands such as net use or sc start.',
  level: 'low',
  attack: [
    {
      id: 'T1059.001',
      name: 'Command and Scripting Interpreter: PowerShell',
      tactics: ['Execution', 'Defense Evasion'],
    },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2014-04-003/'],
  falsepositives: ['Administrative scripts, logon scripts, management agents and software that run PowerShell'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: { Image: ['powershell.exe', '*\\powershell.exe', '*/powershell.exe'] },
        filter_interactive: { ParentImage: ['explorer.exe', '*\\explorer.exe', '*/explorer.exe'] },
        condition: 'selection and not filter_interactive',
      },
    },
  ],
};
