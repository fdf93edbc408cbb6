/**
 * MITRE CAR-2021-01-009, Detecting Shadow Copy Deletion or Resize: the process-create part of CAR's
 * search (Sysmon EventID 1). Its WMI-Activity 5857/5858 part reads a log Sysmon does not write.
 */
import type { CarAnalytic } from './analytic';

export const car_2021_01_009: CarAnalytic = {
  id: 'CAR-2021-01-009',
  title: 'Detecting Shadow Copy Deletion or Resize',
  description:
    'Ransomware deletes or shrinks Volume Shadow Copies so that systems cannot be restored. A ' +
    'command line with vssadmin ... delete ... shadows, wmic ... shadowcopy ... delete, or vssadmin ' +
    '... resize ... shadowstorage.',
  level: 'high',
  attack: [{ id: 'T1490', name: 'Inhibit System Recovery', tactics: ['Impact'] }],
  references: ['https://car.mitre.org/analytics/CAR-2021-01-009/'],
  falsepositives: ['Backup software or administrators managing shadow storage'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: {
          CommandLine: [
            '*vssadmin* *delete* *shadows*',
            '*wmic* *shadowcopy* *delete*',
            '*vssadmin* *resize* *shadowstorage*',
          ],
        },
        condition: 'selection',
      },
    },
  ],
};
