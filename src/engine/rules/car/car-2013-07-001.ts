import type { CarAnalytic } from './analytic';

/** MITRE CAR-2013-07-001: command-line arguments of known tools, whatever the tool's file is named. */
export const car_2013_07_001: CarAnalytic = {
  id: 'CAR-2013-07-001',
  title: 'Suspicious Arguments',
  description:
    'A process create whose command line carries the arguments of a known tool, which reveal the ' +
    'tool even when it was renamed to blend in: PuTTY/plink remote port forwarding (-R ... -pw), ' +
    'scp with a password (-pw ... user@host), mimikatz (sekurlsa), RAR with an encrypted header ' +
    '(-hp), an archiver adding files ( a ), or an IPv4 address.',
  level: 'low',
  attack: [
    { id: 'T1003.001', name: 'OS Credential Dumping: LSASS Memory', tactics: ['Credential Access'] },
    { id: 'T1021', name: 'Remote Services', tactics: ['Lateral Movement'] },
    { id: 'T1105', name: 'Ingress Tool Transfer', tactics: ['Command and Control', 'Lateral Movement'] },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2013-07-001/'],
  falsepositives: [
    'Any command line with a word "a" between spaces, or with an IPv4 address (ping, net use, version numbers)',
    'Legitimate PuTTY, scp and RAR use; whitelist the expected tools and parameters',
  ],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        // CAR's regexes become ordered wildcards, which keep their order and, like CAR's Splunk and
        // EQL versions, ignore case; only the IP address needs a regular expression.
        selection_port_forwarding: { CommandLine: '*-R * -pw*' },
        selection_scp: { CommandLine: '*-pw * * *@*' },
        selection_mimikatz: { 'CommandLine|contains': 'sekurlsa' },
        selection_rar_password: { 'CommandLine|contains': ' -hp ' },
        selection_archive: { 'CommandLine|contains': ' a ' },
        selection_ip_address: { 'CommandLine|re': '\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}' },
        condition: '1 of selection_*',
      },
    },
  ],
};
