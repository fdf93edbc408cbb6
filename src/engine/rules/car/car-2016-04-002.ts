import type { CarAnalytic } from './analytic';

/** MITRE CAR-2016-04-002: commands that clear, delete, unregister or cap the Windows event logs. */
export const car_2016_04_002: CarAnalytic = {
  id: 'CAR-2016-04-002',
  title: 'User Activity from Clearing Event Logs',
  description:
    'A process create that clears or disables Windows event logs to cover tracks: wevtutil ' +
    'clearing the System, Security, Setup or Application log, or the PowerShell cmdlets ' +
    'Clear-EventLog, Limit-EventLog (-OverflowAction DoNotOverwrite drops new events once the log ' +
    'is full) and Remove-EventLog, or Remove-Item on an .evtx file. CAR\'s pseudocode watches the ' +
    'Security (1100, 1102, 1104) and System (104) events that Sysmon does not produce; this is ' +
    'CAR\'s own Sysmon implementation, over process creation.',
  level: 'high',
  attack: [
    { id: 'T1070.001', name: 'Indicator Removal: Clear Windows Event Logs', tactics: ['Defense Evasion'] },
  ],
  references: [
    'https://car.mitre.org/analytics/CAR-2016-04-002/',
    'https://ptylu.github.io/content/report/report.html?report=26',
  ],
  falsepositives: ['Administrators clearing or resizing event logs, and lab or image-build scripts'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        // From CAR's Splunk search over Sysmon EventCode 1: read with the grouping its text means
        // (wevtutil ... cl <log>, or any of the cmdlets), and its fieldless terms as CommandLine.
        selection_wevtutil: { 'Image|contains': 'wevtutil', 'CommandLine|contains': 'cl' },
        selection_wevtutil_log: { 'CommandLine|contains': ['System', 'Security', 'Setup', 'Application'] },
        selection_cmdlet: { 'CommandLine|contains': ['Clear-EventLog', 'Limit-EventLog', 'Remove-EventLog'] },
        selection_remove_evtx: { 'CommandLine|contains|all': ['Remove-Item', '.evtx'] },
        condition: '(selection_wevtutil and selection_wevtutil_log) or selection_cmdlet or selection_remove_evtx',
      },
    },
  ],
};
