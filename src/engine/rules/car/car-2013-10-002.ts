import type { CarAnalytic } from './analytic';

/** MITRE CAR-2013-10-002: a remote thread that starts at LoadLibrary, the classic DLL injection. */
export const car_2013_10_002: CarAnalytic = {
  id: 'CAR-2013-10-002',
  title: 'DLL Injection via Load Library',
  description:
    'A thread created in another process (Sysmon CreateRemoteThread) whose start function is ' +
    'LoadLibraryA or LoadLibraryW: the injector wrote a DLL path into the target with ' +
    'WriteProcessMemory and starts a thread that loads it, to evade defenses or bypass User Account ' +
    'Control. Security software injects the same way, so trusted sources must be whitelisted.',
  level: 'high',
  attack: [
    {
      id: 'T1055.001',
      name: 'Process Injection: Dynamic-link Library Injection',
      tactics: ['Defense Evasion'],
    },
    {
      id: 'T1548.002',
      name: 'Abuse Elevation Control Mechanism: Bypass User Account Control',
      tactics: ['Privilege Escalation'],
    },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2013-10-002/'],
  falsepositives: ['Security and monitoring software that injects DLLs; whitelist its SourceImage'],
  branches: [
    {
      logsource: { product: 'windows', category: 'create_remote_thread', service: 'sysmon' },
      detection: {
        // CAR's `src_image_path != "C:\Path\To\TrustedProgram.exe"` is a placeholder for local
        // tuning, so no source is excluded here.
        selection: { StartFunction: ['LoadLibraryA', 'LoadLibraryW'] },
        condition: 'selection',
      },
    },
  ],
};
