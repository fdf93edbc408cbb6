/**
 * MITRE CAR-2022-03-001, Disable Windows Event Logging: a process-create branch and a registry
 * branch (Sysmon EventID 13). Readings:
 * - the pseudocode's first clause `(New-Item or reg add) or MiniNt` would match any reg add; its
 *   Splunk version, description and unit tests make it `(New-Item or reg add) and MiniNt`;
 * - auditpol's `/revove` is `/remove`.
 * Security 4719 and 4657 are not Sysmon and are left out.
 */
import type { CarAnalytic } from './analytic';

export const car_2022_03_001: CarAnalytic = {
  id: 'CAR-2022-03-001',
  title: 'Disable Windows Event Logging',
  description:
    'Adversaries disable Windows event logging to starve detections: creating the ' +
    'HKLM\\SYSTEM\\CurrentControlSet\\Control\\MiniNt key, stopping or disabling the EventLog service ' +
    '(Stop-Service, Set-Service, sc config, reg add / Set-ItemProperty / New-ItemProperty on EventLog), ' +
    'changing the audit policy with auditpol /set, /clear or /remove, or moving a log with wevtutil sl. ' +
    'Also the Start, File or MaxSize value of an EventLog key being set.',
  level: 'high',
  attack: [{ id: 'T1562.002', name: 'Impair Defenses: Disable Windows Event Logging', tactics: ['Defense Evasion'] }],
  references: ['https://car.mitre.org/analytics/CAR-2022-03-001/', 'https://ptylu.github.io/content/report/report.html?report=25'],
  falsepositives: ['Administrators resizing logs or changing the audit policy'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        minint: { 'CommandLine|contains': 'MiniNt' },
        minint_create: { 'CommandLine|contains': ['New-Item', 'reg add'] },
        stop_eventlog: { 'CommandLine|contains|all': ['Stop-Service', 'EventLog'] },
        eventlog: { 'CommandLine|contains': 'EventLog' },
        eventlog_change: {
          'CommandLine|contains': ['Set-Service', 'reg add', 'Set-ItemProperty', 'New-ItemProperty', 'sc config'],
        },
        auditpol: { 'CommandLine|contains': 'auditpol' },
        auditpol_change: { 'CommandLine|contains': ['/set', '/clear', '/remove'] },
        wevtutil: { 'CommandLine|contains': 'wevtutil' },
        wevtutil_set_log: { 'CommandLine|contains': ['sl', 'set-log'] },
        condition:
          '(minint and minint_create) or stop_eventlog or (eventlog and eventlog_change)' +
          ' or (auditpol and auditpol_change) or (wevtutil and wevtutil_set_log)',
      },
    },
    {
      logsource: { product: 'windows', category: 'registry_set', service: 'sysmon' },
      detection: {
        selection: {
          'TargetObject|contains': 'EventLog',
          'TargetObject|endswith': ['\\Start', '\\File', '\\MaxSize'],
        },
        condition: 'selection',
      },
    },
  ],
};
