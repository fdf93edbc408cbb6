import type { CarAnalytic } from './analytic';

/**
 * MITRE CAR-2020-08-002, NTFS Alternate Data Stream Execution - LOLBAS. CAR's pseudocode is
 * `exe in (...) and command_line.matches(__some_regex__)`, the regexes being its Splunk searches
 * per binary, taken as they are except:
 * - matched ignoring case (`re|i`), as Windows reads command lines; Splunk's regex is case-sensitive;
 * - bitsadmin's regex required /create, /addfile and /SetNotifyCmdLine in one command line, but one
 *   bitsadmin.exe process takes one verb, so only `/SetNotifyCmdLine ... file:stream` is kept.
 * The image is matched by file name (CAR's `exe`); this also repairs the Splunk searches for bash,
 * mavinject and bitsadmin, whose second image path lost its field name.
 */
export const car_2020_08_002: CarAnalytic = {
  id: 'CAR-2020-08-002',
  title: 'NTFS Alternate Data Stream Execution - LOLBAS',
  description:
    'Alternate data streams (ADS) hide data or binaries in NTFS file metadata, and several ' +
    'living-off-the-land binaries can run them directly. A process create of control.exe, ' +
    'appvlp.exe, cmd.exe, ftp.exe, bash.exe, mavinject.exe or bitsadmin.exe whose command line ' +
    'refers to a `file:stream` in the way that binary runs one (a DLL stream for control.exe, input ' +
    'redirection for cmd.exe, ftp -s:, bash -c, mavinject /INJECTRUNNING, bitsadmin /SetNotifyCmdLine).',
  level: 'medium',
  attack: [{ id: 'T1564.004', name: 'Hide Artifacts: NTFS File Attributes', tactics: ['Defense Evasion'] }],
  references: [
    'https://car.mitre.org/analytics/CAR-2020-08-002/',
    'https://lolbas-project.github.io/',
    'https://gist.github.com/api0cradle/cdd2d0d0ec9abb686f0e89306e277b8f',
  ],
  falsepositives: [
    'appvlp.exe with App-V switches such as /appvve:<GUID>, which read as word:word',
    'Command lines with `name:value` arguments that look like file:stream',
  ],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        control: {
          Image: ['control.exe', '*\\control.exe', '*/control.exe'],
          'CommandLine|re|i': String.raw`(\w+(\.\w+)?):(\w+\.dll)`,
        },
        appvlp: {
          Image: ['appvlp.exe', '*\\appvlp.exe', '*/appvlp.exe'],
          'CommandLine|re|i': String.raw`(\w+(\.\w+)?):(\w+(\.\w+)?)`,
        },
        cmd: {
          Image: ['cmd.exe', '*\\cmd.exe', '*/cmd.exe'],
          'CommandLine|re|i': String.raw`-\s+<.*\b(\w+(\.\w+)?):(\w+(\.\w+)?)`,
        },
        ftp: {
          Image: ['ftp.exe', '*\\ftp.exe', '*/ftp.exe'],
          'CommandLine|re|i': String.raw`-s:(\w+(\.\w+)?):(\w+(\.\w+)?)`,
        },
        bash: {
          Image: ['bash.exe', '*\\bash.exe', '*/bash.exe'],
          'CommandLine|re|i': String.raw`-c.*(\w+(\.\w+)?):(\w+(\.\w+)?)`,
        },
        mavinject: {
          Image: ['mavinject.exe', '*\\mavinject.exe', '*/mavinject.exe'],
          'CommandLine|re|i': String.raw`\d+\s+\/INJECTRUNNING.*\b(\w+(\.\w+)?):(\w+(\.\w+)?)`,
        },
        bitsadmin: {
          Image: ['bitsadmin.exe', '*\\bitsadmin.exe', '*/bitsadmin.exe'],
          'CommandLine|re|i': String.raw`\/SetNotifyCmdLine.*\b(\w+\.\w+):(\w+(\.\w+)?)`,
        },
        condition: 'control or appvlp or cmd or ftp or bash or mavinject or bitsadmin',
      },
    },
  ],
};
