import type { CarAnalytic } from './analytic';

/** MITRE CAR-2014-11-008: cmd.exe started by winlogon.exe, a shell from the logon screen. */
export const car_2014_11_008: CarAnalytic = {
  id: 'CAR-2014-11-008',
  title: 'Command Launched from WinLogon',
  description:
    'A process create whose image is cmd.exe and whose parent is winlogon.exe. An adversary who set ' +
    'a Debugger for an accessibility program (StickyKeys, Utilman, ...) launches it from the logon ' +
    'screen, over Remote Desktop, and gets a SYSTEM shell. Use it with CAR-2014-11-003. CAR\'s ' +
    'text also names powershell.exe, but its pseudocode and every implementation match cmd.exe ' +
    'only, as this does.',
  level: 'high',
  attack: [
    {
      id: 'T1546.008',
      name: 'Event Triggered Execution: Accessibility Features',
      tactics: ['Privilege Escalation', 'Persistence'],
    },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2014-11-008/'],
  falsepositives: ['Unlikely'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: {
          Image: ['cmd.exe', '*\\cmd.exe', '*/cmd.exe'],
          ParentImage: ['winlogon.exe', '*\\winlogon.exe', '*/winlogon.exe'],
        },
        condition: 'selection',
      },
    },
  ],
};
