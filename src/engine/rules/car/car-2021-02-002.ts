/**
 * MITRE CAR-2021-02-002, Get System Elevation, from CAR's two pseudocodes ORed. The Meterpreter
 * pseudocode's first case (cmd.exe under services.exe echoing to a pipe) is a special case of the
 * Empire/PoshC2 one (cmd.exe or %COMSPEC% echoing to a pipe), so it needs no selection of its own.
 */
import type { CarAnalytic } from './analytic';

export const car_2021_02_002: CarAnalytic = {
  id: 'CAR-2021-02-002',
  title: 'Get System Elevation',
  description:
    'Meterpreter, Cobalt Strike, Empire and PoshC2 "get system" by having a SYSTEM service connect ' +
    'cmd.exe to a named pipe they impersonate, or by a DLL that steals a SYSTEM token. A cmd.exe ' +
    '(or a command line using %COMSPEC%) that echoes into \\pipe\\, or rundll32.exe run with `,a /p:`.',
  level: 'high',
  attack: [
    {
      id: 'T1548',
      name: 'Abuse Elevation Control Mechanism',
      tactics: ['Privilege Escalation', 'Defense Evasion'],
    },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2021-02-002/'],
  falsepositives: ['Scripts that write to a named pipe through cmd.exe echo (rare)'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        cmd_or_comspec: [{ Image: 'C:\\Windows\\System32\\cmd.exe' }, { 'CommandLine|contains': '%COMSPEC%' }],
        echo_to_pipe: { 'CommandLine|contains|all': ['echo', '\\pipe\\'] },
        rundll32_token_dll: { Image: 'C:\\Windows\\System32\\rundll32.exe', 'CommandLine|contains': ',a /p:' },
        condition: '(cmd_or_comspec and echo_to_pipe) or rundll32_token_dll',
      },
    },
  ],
};
