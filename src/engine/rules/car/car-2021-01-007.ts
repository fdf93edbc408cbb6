/**
 * MITRE CAR-2021-01-007, Detecting Tampering of Windows Defender Command Prompt, from CAR's
 * pseudocode with two readings:
 * - the pseudocode lost the service name its title and Splunk regex (`...\sWinDefend$`) target, so
 *   WinDefend is required; otherwise any `sc stop` or `sc query` would match;
 * - `sc *config*` anchors at the start, which misses `sc.exe ...` and quoted full paths; since the
 *   image is already sc.exe (CAR's exe, by file name), the verbs are matched anywhere.
 */
import type { CarAnalytic } from './analytic';

export const car_2021_01_007: CarAnalytic = {
  id: 'CAR-2021-01-007',
  title: 'Detecting Tampering of Windows Defender Command Prompt',
  description:
    'Adversaries disable Windows Defender with the service control tool. sc.exe run with config, ' +
    'stop or query against the WinDefend service.',
  level: 'medium',
  attack: [{ id: 'T1562.001', name: 'Impair Defenses: Disable or Modify Tools', tactics: ['Defense Evasion'] }],
  references: ['https://car.mitre.org/analytics/CAR-2021-01-007/'],
  falsepositives: ['Administrators or monitoring scripts querying the WinDefend service state'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        sc_verb: {
          Image: ['sc.exe', '*\\sc.exe', '*/sc.exe'],
          'CommandLine|contains': ['config', 'stop', 'query'],
        },
        windefend: { 'CommandLine|contains': 'WinDefend' },
        condition: 'sc_verb and windefend',
      },
    },
  ],
};
