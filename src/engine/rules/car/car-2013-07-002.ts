import type { CarAnalytic } from './analytic';

/** MITRE CAR-2013-07-002: network connections to the Remote Desktop port. */
export const car_2013_07_002: CarAnalytic = {
  id: 'CAR-2013-07-002',
  title: 'RDP Connection Detection',
  description:
    'A network connection to port 3389/tcp, the default port of the Remote Desktop Protocol, which ' +
    'gives interactive access to another host and a means of lateral movement. Sysmon logs it on ' +
    'the client (mstsc.exe) and on the target. CAR pairs each connection start with its end to ' +
    'report the session; Sysmon logs only the start, which is what this matches.',
  level: 'low',
  attack: [
    { id: 'T1021.001', name: 'Remote Services: Remote Desktop Protocol', tactics: ['Lateral Movement'] },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2013-07-002/'],
  falsepositives: ['Administrators, IT support and users who work over Remote Desktop'],
  branches: [
    {
      logsource: { product: 'windows', category: 'network_connection', service: 'sysmon' },
      detection: {
        selection: { DestinationPort: 3389 },
        condition: 'selection',
      },
    },
  ],
};
