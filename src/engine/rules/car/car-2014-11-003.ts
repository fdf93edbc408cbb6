import type { CarAnalytic } from './analytic';

/** MITRE CAR-2014-11-003: an accessibility program's name passed as an argument, as a Debugger does. */
export const car_2014_11_003: CarAnalytic = {
  id: 'CAR-2014-11-003',
  title: 'Debuggers for Accessibility Applications',
  description:
    'A process create whose command line names an accessibility program (sethc.exe, utilman.exe, ' +
    'osk.exe, narrator.exe, magnify.exe) after a space, that is as an argument rather than as the ' +
    'program run. When a Debugger is set for the program under Image File Execution Options, ' +
    'Windows launches the Debugger with the original command line appended, which adversaries use ' +
    'to get a SYSTEM shell from the logon screen.',
  level: 'high',
  attack: [
    {
      id: 'T1546.008',
      name: 'Event Triggered Execution: Accessibility Features',
      tactics: ['Privilege Escalation', 'Persistence'],
    },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2014-11-003/'],
  falsepositives: ['A program that passes an accessibility program\'s name as an argument, such as a launcher'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        // CAR's regex `$.* .*(sethc|utilman|osk|narrator|magnify)\.exe` (its `$` read as the start,
        // its unit test `cmd.exe Magnify.exe` requiring no case): a space, then the name later on.
        selection: {
          CommandLine: ['* *sethc.exe*', '* *utilman.exe*', '* *osk.exe*', '* *narrator.exe*', '* *magnify.exe*'],
        },
        condition: 'selection',
      },
    },
  ],
};
