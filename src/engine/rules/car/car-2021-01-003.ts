/**
 * MITRE CAR-2021-01-003, Clearing Windows Logs with Wevtutil. CAR gives only a Splunk search; this
 * is it as written, including its loose `*cl*`, which also matches `clear-log` and any other word
 * containing cl.
 */
import type { CarAnalytic } from './analytic';

export const car_2021_01_003: CarAnalytic = {
  id: 'CAR-2021-01-003',
  title: 'Clearing Windows Logs with Wevtutil',
  description:
    'Clearing Windows event logs removes traces of a compromise. A process whose image contains ' +
    'wevtutil and whose command line contains cl (cl, clear-log) and names the System, Security, ' +
    'Setup or Application log.',
  level: 'high',
  attack: [{ id: 'T1070.001', name: 'Indicator Removal: Clear Windows Event Logs', tactics: ['Defense Evasion'] }],
  references: ['https://car.mitre.org/analytics/CAR-2021-01-003/'],
  falsepositives: ['Administrators clearing logs during maintenance'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        wevtutil_cl: { 'Image|contains': 'wevtutil', 'CommandLine|contains': 'cl' },
        log_name: { 'CommandLine|contains': ['System', 'Security', 'Setup', 'Application'] },
        condition: 'wevtutil_cl and log_name',
      },
    },
  ],
};
