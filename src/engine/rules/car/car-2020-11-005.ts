/**
 * MITRE CAR-2020-11-005, Clear Powershell Console Command History, from CAR's pseudocode.
 * - CAR writes `Set-PSReadlineOption –HistorySaveStyle` with an en dash, which PowerShell accepts
 *   as well as `-`; `windash` covers both (and `/`, em dash, horizontal bar).
 * - `del*Microsoft\Windows\Powershell\PSReadline\ConsoleHost_history.txt` is anchored at both ends,
 *   yet del is a cmd.exe built-in, so no process command line starts with it; it is read as
 *   open-ended (`cmd /c del ...\ConsoleHost_history.txt`).
 */
import type { CarAnalytic } from './analytic';

export const car_2020_11_005: CarAnalytic = {
  id: 'CAR-2020-11-005',
  title: 'Clear Powershell Console Command History',
  description:
    'Adversaries delete the PowerShell console history, or stop it being saved, to hide what they ' +
    'ran. A command line that removes (Get-PSReadlineOption).HistorySavePath with rm, del or ' +
    'Remove-Item, sets Set-PSReadlineOption -HistorySaveStyle SaveNothing, or deletes the default ' +
    'ConsoleHost_history.txt. Done inside an interactive console, it leaves no process create.',
  level: 'high',
  attack: [{ id: 'T1070.003', name: 'Indicator Removal: Clear Command History', tactics: ['Defense Evasion'] }],
  references: ['https://car.mitre.org/analytics/CAR-2020-11-005/'],
  falsepositives: ['Users who turn off PowerShell history on purpose'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        remove_history_file: {
          'CommandLine|contains': [
            'rm (Get-PSReadlineOption).HistorySavePath',
            'del (Get-PSReadlineOption).HistorySavePath',
            'Remove-Item (Get-PSReadlineOption).HistorySavePath',
          ],
        },
        save_nothing: { 'CommandLine|contains|windash': 'Set-PSReadlineOption -HistorySaveStyle SaveNothing' },
        delete_default_file: {
          CommandLine: '*del*Microsoft\\Windows\\Powershell\\PSReadline\\ConsoleHost_history.txt*',
        },
        condition: 'remove_history_file or save_nothing or delete_default_file',
      },
    },
  ],
};
