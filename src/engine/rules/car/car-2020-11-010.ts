/**
 * MITRE CAR-2020-11-010, CMSTP, over Sysmon network connections (EventID 3) as in CAR's Splunk
 * search; its pseudocode names Process:Create with a src_ip, which only a flow has. CAR asks for a
 * source outside its private ranges, but for the outbound connection of CMSTP fetching a payload
 * Sysmon's source is the host itself; CAR's stated aim is "an external connection", so the rule
 * fires when either end is outside CAR's ranges (10/8, 192.168/16, 172.16/12). CAR's
 * `exe = "C:\Windows\System32\CMSTP.exe"` is matched by file name.
 */
import type { CarAnalytic } from './analytic';

export const car_2020_11_010: CarAnalytic = {
  id: 'CAR-2020-11-010',
  title: 'CMSTP',
  description:
    'CMSTP.exe, the Connection Manager Profile Installer, can be made to fetch and install malware ' +
    'from a remote source under a trusted binary. A network connection by cmstp.exe whose source ' +
    'or destination lies outside the private ranges 10.0.0.0/8, 192.168.0.0/16 and 172.16.0.0/12.',
  level: 'high',
  attack: [{ id: 'T1218.003', name: 'System Binary Proxy Execution: CMSTP', tactics: ['Defense Evasion'] }],
  references: ['https://car.mitre.org/analytics/CAR-2020-11-010/'],
  falsepositives: ['Connection Manager profiles that legitimately contact an external server'],
  branches: [
    {
      logsource: { product: 'windows', category: 'network_connection', service: 'sysmon' },
      detection: {
        cmstp: { Image: ['cmstp.exe', '*\\cmstp.exe', '*/cmstp.exe'] },
        source_private: { 'SourceIp|cidr': ['10.0.0.0/8', '192.168.0.0/16', '172.16.0.0/12'] },
        destination_private: { 'DestinationIp|cidr': ['10.0.0.0/8', '192.168.0.0/16', '172.16.0.0/12'] },
        condition: 'cmstp and not (source_private and destination_private)',
      },
    },
  ],
};
