/**
 * MITRE CAR-2021-12-001, Scheduled Task Creation or Modification Containing Suspicious Scripts,
 * Extensions or User Writable Paths: the process-create part of CAR's pseudocode. Its Task:create
 * part reads Security 4698/4702, which Sysmon does not write. The pseudocode's doubled backslashes
 * are escapes for single ones, as in its Splunk version.
 */
import type { CarAnalytic } from './analytic';

export const car_2021_12_001: CarAnalytic = {
  id: 'CAR-2021-12-001',
  title:
    'Scheduled Task Creation or Modification Containing Suspicious Scripts, Extensions or User Writable Paths',
  description:
    'Scheduled tasks created or changed to run malicious code persistently. A command line with ' +
    'SCHTASKS and /CREATE or /CHANGE that mentions a script or executable extension (.cmd, .ps1, ' +
    '.vbs, .py, .js, .exe, .bat), a script host or LOLBin (powershell, wmic, rundll32, cmd, cscript, ' +
    'wscript, regsvr32, mshta, bitsadmin, certutil, msiexec, javaw, javascript), or a user-writable ' +
    'path (AppData, Public, ProgramData, Temp, and a few writable system folders).',
  level: 'medium',
  attack: [
    {
      id: 'T1053.005',
      name: 'Scheduled Task/Job: Scheduled Task',
      tactics: ['Execution', 'Persistence', 'Privilege Escalation'],
    },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2021-12-001/'],
  falsepositives: ['Software installers and administrators creating tasks that run scripts or executables (common)'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        schtasks: { 'CommandLine|contains': 'SCHTASKS' },
        create_or_change: { 'CommandLine|contains': ['/CREATE', '/CHANGE'] },
        suspicious_content: {
          'CommandLine|contains': [
            '.cmd',
            '.ps1',
            '.vbs',
            '.py',
            '.js',
            '.exe',
            '.bat',
            'javascript',
            'powershell',
            'wmic',
            'rundll32',
            'cmd',
            'cscript',
            'wscript',
            'regsvr32',
            'mshta',
            'bitsadmin',
            'certutil',
            'msiexec',
            'javaw',
            '%APPDATA%',
            '\\AppData\\Roaming',
            '%PUBLIC%',
            'C:\\Users\\Public',
            '%ProgramData%',
            'C:\\ProgramData',
            '%TEMP%',
            '\\AppData\\Local\\Temp',
            '\\Windows\\PLA\\System',
            '\\tasks',
            '\\Registration\\CRMLog',
            '\\FxsTmp',
            '\\spool\\drivers\\color',
            '\\tracing',
          ],
        },
        condition: 'schtasks and create_or_change and suspicious_content',
      },
    },
  ],
};
