/**
 * MITRE CAR-2019-04-001, UAC Bypass, from CAR's pseudocode (a version of its Splunk search).
 *
 * Interpretations:
 * - The pseudocode reads `integrity_level == "High" and A or B or ...`; the level is taken to bind
 *   every method, as in the Splunk and LogPoint versions it transcribes (literally it would bind
 *   only the fodhelper.exe method).
 * - The dism parent command line `"c:\windows\system32\dism.exe"*""*.xml"` is read as the quoted
 *   dism path, anything, then `.xml"`: the `""` is left over from Splunk's string quoting.
 * - Path patterns with a wildcard right after a backslash are written with startswith / contains /
 *   endswith, because in Sigma `\*` is a literal star.
 */
import type { CarAnalytic } from './analytic';

export const car_2019_04_001: CarAnalytic = {
  id: 'CAR-2019-04-001',
  title: 'UAC Bypass',
  description:
    'Bypassing User Account Control by piggybacking on a system binary that auto-elevates, as the ' +
    'open-source UACME tool does. A process created at High integrity that fits one of the UACME ' +
    'methods CAR lists: a child of fodhelper.exe (#33) or slui.exe (#45), osk.exe run from the ' +
    'Windows Media Player folder (#32), cleanmgr.exe /autoclean launched by another .exe (#34), a ' +
    'child of dism.exe run with an XML unattend file other than its own dismhost.exe (#23), a quiet ' +
    'wusa.exe run from System32 (#36), or a child of dccw.exe other than cttune.exe (#37).',
  level: 'high',
  attack: [
    {
      id: 'T1548.002',
      name: 'Abuse Elevation Control Mechanism: Bypass User Account Control',
      tactics: ['Defense Evasion'],
    },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2019-04-001/', 'https://github.com/hfiref0x/UACME'],
  falsepositives: [
    'Elevated administrative use of fodhelper.exe (optional features), slui.exe (activation) or dccw.exe (colour calibration) that starts a child process',
  ],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        high_integrity: { IntegrityLevel: 'High' },
        parent_fodhelper: { ParentImage: 'c:\\windows\\system32\\fodhelper.exe' },
        cleanmgr_autoclean: { CommandLine: '*.exe"*cleanmgr.exe /autoclean*' },
        osk_media_player: { Image: 'c:\\program files\\windows media player\\osk.exe' },
        parent_slui: { ParentImage: 'c:\\windows\\system32\\slui.exe' },
        dism_unattend: { ParentCommandLine: '"c:\\windows\\system32\\dism.exe"*.xml"' },
        dism_own_dismhost: {
          'Image|startswith': 'c:\\users\\',
          'Image|contains': '\\appdata\\local\\temp\\',
          'Image|endswith': '\\dismhost.exe',
        },
        wusa_quiet: {
          CommandLine: '"c:\\windows\\system32\\wusa.exe"*/quiet*',
          CurrentDirectory: 'c:\\windows\\system32\\',
        },
        wusa_untranslated_user: { User: 'NOT_TRANSLATED' },
        wusa_from_explorer: { ParentImage: 'c:\\windows\\explorer.exe' },
        parent_dccw: { 'ParentImage|startswith': 'c:\\windows\\', 'ParentImage|endswith': 'dccw.exe' },
        dccw_cttune: { Image: 'c:\\windows\\system32\\cttune.exe' },
        condition:
          'high_integrity and (parent_fodhelper or cleanmgr_autoclean or osk_media_player or parent_slui' +
          ' or (dism_unattend and not dism_own_dismhost)' +
          ' or (wusa_quiet and not wusa_untranslated_user and not wusa_from_explorer)' +
          ' or (parent_dccw and not dccw_cttune))',
      },
    },
  ],
};
