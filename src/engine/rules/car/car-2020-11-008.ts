/**
 * MITRE CAR-2020-11-008, MSBuild and msxsl, from CAR's pseudocode, with one reading: its exclusion
 * `image_path != "*Microsoft Visual Studio*"` would drop its own first path, so it is taken as the
 * parent's path, as in its Splunk search (`ParentImage!=...`). Path patterns with a wildcard right
 * after a backslash are written with startswith/endswith, because in Sigma `\*` is a literal star.
 */
import type { CarAnalytic } from './analytic';

export const car_2020_11_008: CarAnalytic = {
  id: 'CAR-2020-11-008',
  title: 'MSBuild and msxsl',
  description:
    'Trusted developer utilities run code: MSBuild.exe compiles and runs C# embedded in a project ' +
    'file, and msxsl.exe runs scripts embedded in an XSL file. MSBuild.exe from Visual Studio or ' +
    'the .NET Framework folders, or msxsl.exe dropped in a user\'s AppData\\Roaming\\Microsoft, started ' +
    'by a parent outside Visual Studio.',
  level: 'medium',
  attack: [
    {
      id: 'T1127.001',
      name: 'Trusted Developer Utilities Proxy Execution: MSBuild',
      tactics: ['Defense Evasion'],
    },
  ],
  references: ['https://car.mitre.org/analytics/CAR-2020-11-008/'],
  falsepositives: ['Build servers and command-line builds outside Visual Studio'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        selection: [
          {
            'Image|startswith': 'C:\\Program Files (x86)\\Microsoft Visual Studio\\',
            'Image|endswith': '\\bin\\MSBuild.exe',
          },
          { Image: 'C:\\Windows\\Microsoft.NET\\Framework*\\msbuild.exe' },
          { 'Image|startswith': 'C:\\users\\', 'Image|endswith': '\\appdata\\roaming\\microsoft\\msxsl.exe' },
        ],
        parent_visual_studio: { 'ParentImage|contains': 'Microsoft Visual Studio' },
        condition: 'selection and not parent_visual_studio',
      },
    },
  ],
};
