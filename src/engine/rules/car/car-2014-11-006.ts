import type { CarAnalytic } from './analytic';

/** MITRE CAR-2014-11-006: network connections to the WinRM ports. */
export const car_2014_11_006: CarAnalytic = {
  id: 'CAR-2014-11-006',
  title: 'Windows Remote Management (WinRM)',
  description:
    'A network connection to port 5985 (HTTP) or 5986 (HTTPS), where a Windows Remote Management ' +
    'client sends its requests to /wsman. This sees remote PowerShell and every other use of WinRM, ' +
    'and gives the client executable and the target host.',
  level: 'informational',
  attack: [
    {
      id: 'T1021.006',
      name: 'Remote Services: Windows Remote Management',
      tactics: ['Lateral Movement'],
    },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2014-11-006/'],
  falsepositives: ['Administration and management tools that use WinRM'],
  branches: [
    {
      logsource: { product: 'windows', category: 'network_connection', service: 'sysmon' },
      detection: {
        selection: { DestinationPort: [5985, 5986] },
        condition: 'selection',
      },
    },
  ],
};
