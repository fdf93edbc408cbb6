import type { CarAnalytic } from './analytic';

/** MITRE CAR-2013-02-003: every cmd.exe start, for an analyst to review by its parent. */
export const car_2013_02_003: CarAnalytic = {
  id: 'CAR-2013-02-003',
  title: 'Processes Spawning cmd.exe',
  description:
    'A process create whose image is cmd.exe. A user-started prompt usually has explorer.exe or ' +
    'another cmd.exe as its parent; cmd.exe started by a document reader or a mail client (Adobe ' +
    'Reader, Outlook) suggests a malicious document. CAR filters on the image only and leaves the ' +
    'parent to the analyst.',
  level: 'informational',
  attack: [
    {
      id: 'T1059.003',
      name: 'Command and Scripting Interpreter: Windows Command Shell',
      tactics: ['Execution'],
    },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2013-02-003/'],
  falsepositives: ['Interactive prompts, logon scripts, installers and administrative tools that run batch files'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: { Image: ['cmd.exe', '*\\cmd.exe', '*/cmd.exe'] },
        condition: 'selection',
      },
    },
  ],
};
