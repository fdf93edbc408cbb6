/**
 * MITRE CAR-2021-01-004, Unusual Child Process for Spoolsv.Exe or Connhost.Exe. CAR gives only a
 * Splunk search, and it contradicts its own title and description: it asks for spoolsv.exe or
 * conhost.exe started by cmd.exe, while it says it looks for processes spawned BY spoolsv.exe or
 * conhost.exe. As written it would fire on every console window (Windows starts conhost.exe for each
 * cmd.exe), so parent and child are swapped to follow the title: cmd.exe started by spoolsv.exe or
 * conhost.exe. The paths are the search's, keeping its trailing wildcard on spoolsv.exe.
 */
import type { CarAnalytic } from './analytic';

export const car_2021_01_004: CarAnalytic = {
  id: 'CAR-2021-01-004',
  title: 'Unusual Child Process for Spoolsv.Exe or Connhost.Exe',
  description:
    'Exploiting the print spooler (spoolsv.exe) or the console host (conhost.exe), both legitimate ' +
    'Windows processes, gives an adversary their privileges. cmd.exe started by ' +
    'C:\\Windows\\System32\\spoolsv.exe or C:\\Windows\\System32\\conhost.exe.',
  level: 'high',
  attack: [{ id: 'T1068', name: 'Exploitation for Privilege Escalation', tactics: ['Privilege Escalation'] }],
  references: ['https://car.mitre.org/analytics/CAR-2021-01-004/'],
  falsepositives: ['Printer drivers or vendor tools that run batch scripts from the spooler'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: {
          ParentImage: ['C:\\Windows\\System32\\spoolsv.exe*', 'C:\\Windows\\System32\\conhost.exe'],
          Image: 'C:\\Windows\\System32\\cmd.exe',
        },
        condition: 'selection',
      },
    },
  ],
};
