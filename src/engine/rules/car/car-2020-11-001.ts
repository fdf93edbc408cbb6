/**
 * MITRE CAR-2020-11-001, Boot or Logon Initialization Scripts, from CAR's pseudocode: a
 * process-create search and a registry search, one branch each.
 * - The command-line pattern `*reg*add*\Environment*UserInitMprLogonScript` ends at the value name,
 *   but `reg add HKCU\Environment /v UserInitMprLogonScript /d script.bat` goes on after it; the
 *   pattern is read as open-ended.
 * - Registry:Add or Registry:Edit: EventIDs 12 to 14 without Sysmon's deletions (EventType
 *   DeleteKey / DeleteValue), which are neither.
 */
import type { CarAnalytic } from './analytic';

export const car_2020_11_001: CarAnalytic = {
  id: 'CAR-2020-11-001',
  title: 'Boot or Logon Initialization Scripts',
  description:
    'The UserInitMprLogonScript value under HKEY_CURRENT_USER\\Environment runs a script whenever ' +
    'the user logs on. A reg add command line that sets it, or a registry key or value under ' +
    '\\Environment ending in UserInitMprLogonScript created, set or renamed by any process.',
  level: 'high',
  attack: [
    {
      id: 'T1037.001',
      name: 'Boot or Logon Initialization Scripts: Logon Script (Windows)',
      tactics: ['Persistence', 'Lateral Movement'],
    },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2020-11-001/'],
  falsepositives: ['Users or administrators who set a logon script on purpose (rare)'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: { CommandLine: '*reg*add*\\Environment*UserInitMprLogonScript*' },
        condition: 'selection',
      },
    },
    {
      logsource: { product: 'windows', category: 'registry_event', service: 'sysmon' },
      detection: {
        selection: { TargetObject: '*\\Environment*UserInitMprLogonScript' },
        deletion: { EventType: ['DeleteKey', 'DeleteValue'] },
        condition: 'selection and not deletion',
      },
    },
  ],
};
