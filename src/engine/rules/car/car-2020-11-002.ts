/**
 * MITRE CAR-2020-11-002, Local Network Sniffing, from CAR's pseudocode. `parent_exe exists` is read
 * as a known parent: ParentImage present and not empty, `-` or `?` (the last is what CAR's Splunk
 * search filters out).
 */
import type { CarAnalytic } from './analytic';

export const car_2020_11_002: CarAnalytic = {
  id: 'CAR-2020-11-002',
  title: 'Local Network Sniffing',
  description:
    'Common network sniffing and tracing tools run to see traffic, listening ports and services: ' +
    'tshark.exe, windump.exe, tcpdump.exe, wprui.exe and wpr.exe, and logman.exe when it has a known ' +
    'parent other than the Windows Event Reporting agent.',
  level: 'low',
  attack: [{ id: 'T1040', name: 'Network Sniffing', tactics: ['Credential Access', 'Discovery'] }],
  references: ['https://car.mitre.org/analytics/CAR-2020-11-002/'],
  falsepositives: ['Administrators and developers capturing traffic or performance traces'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        sniffer: {
          Image: [
            'tshark.exe',
            '*\\tshark.exe',
            '*/tshark.exe',
            'windump.exe',
            '*\\windump.exe',
            '*/windump.exe',
            'tcpdump.exe',
            '*\\tcpdump.exe',
            '*/tcpdump.exe',
            'wprui.exe',
            '*\\wprui.exe',
            '*/wprui.exe',
            'wpr.exe',
            '*\\wpr.exe',
            '*/wpr.exe',
          ],
        },
        logman: { Image: ['logman.exe', '*\\logman.exe', '*/logman.exe'] },
        logman_parent_excluded: [
          { ParentImage: null },
          {
            ParentImage: [
              '',
              '-',
              '\\?',
              'C:\\Program Files\\Windows Event Reporting\\Core\\EventReporting.AgentService.exe',
            ],
          },
        ],
        condition: 'sniffer or (logman and not logman_parent_excluded)',
      },
    },
  ],
};
