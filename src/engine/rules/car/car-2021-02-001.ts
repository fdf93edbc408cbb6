/** MITRE CAR-2021-02-001, Webshell-Indicative Process Tree, from CAR's pseudocode, by file name. */
import type { CarAnalytic } from './analytic';

export const car_2021_02_001: CarAnalytic = {
  id: 'CAR-2021-02-001',
  title: 'Webshell-Indicative Process Tree',
  description:
    'A web shell runs operating-system commands from inside a web server. A shell or host ' +
    'enumeration tool (cmd.exe, powershell.exe, net.exe, whoami.exe, hostname.exe, systeminfo.exe, ' +
    'ipconfig.exe) started by a web server process (w3wp.exe, httpd.exe, tomcat*.exe, nginx.exe).',
  level: 'high',
  attack: [{ id: 'T1505.003', name: 'Server Software Component: Web Shell', tactics: ['Persistence'] }],
  references: ['https://car.mitre.org/analytics/CAR-2021-02-001/'],
  falsepositives: ['Web applications that legitimately shell out (rare; allow-list them by command line)'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: {
          ParentImage: [
            'w3wp.exe',
            '*\\w3wp.exe',
            '*/w3wp.exe',
            'httpd.exe',
            '*\\httpd.exe',
            '*/httpd.exe',
            'tomcat*.exe',
            '*\\tomcat*.exe',
            '*/tomcat*.exe',
            'nginx.exe',
            '*\\nginx.exe',
            '*/nginx.exe',
          ],
          Image: [
            'cmd.exe',
            '*\\cmd.exe',
            '*/cmd.exe',
            'powershell.exe',
            '*\\powershell.exe',
            '*/powershell.exe',
            'net.exe',
            '*\\net.exe',
            '*/net.exe',
            'whoami.exe',
            '*\\whoami.exe',
            '*/whoami.exe',
            'hostname.exe',
            '*\\hostname.exe',
            '*/hostname.exe',
            'systeminfo.exe',
            '*\\systeminfo.exe',
            '*/systeminfo.exe',
            'ipconfig.exe',
            '*\\ipconfig.exe',
            '*/ipconfig.exe',
          ],
        },
        condition: 'selection',
      },
    },
  ],
};
