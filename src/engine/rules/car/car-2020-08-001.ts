import type { CarAnalytic } from './analytic';

/**
 * MITRE CAR-2020-08-001, NTFS Alternate Data Stream Execution - System Utilities. CAR's pseudocode
 * is `exe in (...) and command_line.matches(__some_regex__)`, the regexes being its Splunk searches
 * per utility, taken as they are except:
 * - matched ignoring case (`re|i`), as Windows reads command lines; Splunk's regex is case-sensitive;
 * - wscript/cscript's lookbehind `(?<!\/)\b` is rewritten as `(?:^|[^/\w])`, the same condition in a
 *   form RE2 runs (Sigma regexes run in linear time here);
 * - wmic's `"` before `file:stream` is read as a word boundary, as in the powershell regex: with the
 *   quote, the canonical `wmic process call create "c:\ads\file.txt:program.exe"` never matched.
 * The image is matched by file name (CAR's `exe`), not by the Splunk searches' C:\Windows paths.
 */
export const car_2020_08_001: CarAnalytic = {
  id: 'CAR-2020-08-001',
  title: 'NTFS Alternate Data Stream Execution - System Utilities',
  description:
    'Alternate data streams (ADS) hide data or binaries in NTFS file metadata, and several built-in ' +
    'tools can run them directly. A process create of powershell.exe, wmic.exe, rundll32.exe, ' +
    'wscript.exe or cscript.exe whose command line runs a `file:stream` in the way that tool does ' +
    '(Invoke-CimMethod Win32_Process Create, input redirection, Get-Content -Stream; process call ' +
    'create; a DLL entry point, advpack RegisterOCX or shdocvw OpenURL; a script given as file:stream).',
  level: 'medium',
  attack: [{ id: 'T1564.004', name: 'Hide Artifacts: NTFS File Attributes', tactics: ['Defense Evasion'] }],
  references: [
    'https://car.mitre.org/analytics/CAR-2020-08-001/',
    'https://gist.github.com/api0cradle/cdd2d0d0ec9abb686f0e89306e277b8f',
    'https://lolbas-project.github.io/',
  ],
  falsepositives: ['Scripts that pass `name:value` arguments that look like file:stream'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        powershell: {
          Image: ['powershell.exe', '*\\powershell.exe', '*/powershell.exe'],
          'CommandLine|re|i': String.raw`Invoke-CimMethod\s+-ClassName\s+Win32_Process\s+-MethodName\s+Create.*\b(\w+(\.\w+)?):(\w+(\.\w+)?)|-ep bypass\s+-\s+<.*\b(\w+(\.\w+)?):(\w+(\.\w+)?)|-command.*Get-Content.*-Stream.*Set-Content.*start-process .*(\w+(\.\w+)?)`,
        },
        wmic: {
          Image: ['wmic.exe', '*\\wmic.exe', '*/wmic.exe'],
          'CommandLine|re|i': String.raw`process call create.*\b(\w+(\.\w+)?):(\w+(\.\w+)?)`,
        },
        rundll32: {
          Image: ['rundll32.exe', '*\\rundll32.exe', '*/rundll32.exe'],
          'CommandLine|re|i': String.raw`"?(\w+(\.\w+)?):(\w+(\.\w+)?)?"?,\w+|(advpack\.dll|ieadvpack\.dll),RegisterOCX\s+(\w+\.\w+):(\w+(\.\w+)?)|(shdocvw\.dll|ieframe\.dll),OpenURL.*(\w+\.\w+):(\w+(\.\w+)?)`,
        },
        script_host: {
          Image: ['wscript.exe', '*\\wscript.exe', '*/wscript.exe', 'cscript.exe', '*\\cscript.exe', '*/cscript.exe'],
          'CommandLine|re|i': String.raw`(?:^|[^/\w])\w+(\.\w+)?:\w+(\.\w+)?$`,
        },
        condition: 'powershell or wmic or rundll32 or script_host',
      },
    },
  ],
};
