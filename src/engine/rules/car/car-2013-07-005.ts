import type { CarAnalytic } from './analytic';

/** MITRE CAR-2013-07-005: the `a` (add to archive) argument of RAR and 7-Zip, before exfiltration. */
export const car_2013_07_005: CarAnalytic = {
  id: 'CAR-2013-07-005',
  title: 'Command Line Usage of Archiving Software',
  description:
    'A process create whose command line holds the argument a between spaces, the command with ' +
    'which RAR and 7-Zip add files to an archive (7z.exe a test.zip test.txt). Adversaries ' +
    'compress collected data before exfiltrating it, and the argument gives the archiver away even ' +
    'when it was renamed.',
  level: 'low',
  attack: [
    { id: 'T1560.001', name: 'Archive Collected Data: Archive via Utility', tactics: ['Exfiltration'] },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2013-07-005/'],
  falsepositives: ['Legitimate archiving, and other programs with a word "a" in their command line'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: { 'CommandLine|contains': ' a ' },
        condition: 'selection',
      },
    },
  ],
};
