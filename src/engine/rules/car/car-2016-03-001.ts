import type { CarAnalytic } from './analytic';

/** MITRE CAR-2016-03-001: the built-in commands an adversary runs to learn about a host. */
export const car_2016_03_001: CarAnalytic = {
  id: 'CAR-2016-03-001',
  title: 'Host Discovery Commands',
  description:
    'A process create of a built-in Windows command that reports on the host: hostname, ipconfig, ' +
    'net, quser, qwinsta, systeminfo, tasklist, whoami, or sc querying services (query, queryex, ' +
    'qc). An adversary new on a host runs these to learn its configuration, users, administrators ' +
    'and network before persisting, escalating or moving on. CAR\'s text also lists dsquery, but ' +
    'its pseudocode and every implementation leave it out, as this does.',
  level: 'low',
  attack: [
    { id: 'T1087.001', name: 'Account Discovery: Local Account', tactics: ['Discovery'] },
    { id: 'T1087.002', name: 'Account Discovery: Domain Account', tactics: ['Discovery'] },
    { id: 'T1069.001', name: 'Permission Groups Discovery: Local Groups', tactics: ['Discovery'] },
    { id: 'T1069.002', name: 'Permission Groups Discovery: Domain Groups', tactics: ['Discovery'] },
    { id: 'T1016', name: 'System Network Configuration Discovery', tactics: ['Discovery'] },
    { id: 'T1082', name: 'System Information Discovery', tactics: ['Discovery'] },
    { id: 'T1033', name: 'System Owner/User Discovery', tactics: ['Discovery'] },
    { id: 'T1057', name: 'Process Discovery', tactics: ['Discovery'] },
    { id: 'T1007', name: 'System Service Discovery', tactics: ['Discovery'] },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2016-03-001/'],
  falsepositives: ['Power users, administrators, scripts and inventory tools run these commands routinely'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection_command: {
          Image: [
            'hostname.exe', '*\\hostname.exe', '*/hostname.exe',
            'ipconfig.exe', '*\\ipconfig.exe', '*/ipconfig.exe',
            'net.exe', '*\\net.exe', '*/net.exe',
            'quser.exe', '*\\quser.exe', '*/quser.exe',
            'qwinsta.exe', '*\\qwinsta.exe', '*/qwinsta.exe',
            'systeminfo.exe', '*\\systeminfo.exe', '*/systeminfo.exe',
            'tasklist.exe', '*\\tasklist.exe', '*/tasklist.exe',
            'whoami.exe', '*\\whoami.exe', '*/whoami.exe',
          ],
        },
        // CAR's `exe == "sc"` means sc.exe; its ` query` also covers ` queryex`, as its text says.
        selection_sc_query: {
          Image: ['sc.exe', '*\\sc.exe', '*/sc.exe'],
          'CommandLine|contains': [' query', ' qc'],
        },
        condition: '1 of selection_*',
      },
    },
  ],
};
