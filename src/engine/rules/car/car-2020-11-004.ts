/**
 * MITRE CAR-2020-11-004, Processes Started From Irregular Parent, from CAR's pseudocode, by file
 * name (CAR's exe / parent_exe). `parent_exe exists` is read as a known parent: ParentImage present
 * and not empty, `-` or `?` (the last is what CAR's Splunk search filters out). The Splunk search's
 * allow-list of Splunk forwarder parents is specific to Splunk hosts and is left out.
 */
import type { CarAnalytic } from './analytic';

export const car_2020_11_004: CarAnalytic = {
  id: 'CAR-2020-11-004',
  title: 'Processes Started From Irregular Parent',
  description:
    'Adversaries start legitimate Windows processes to run their code in them, and such processes ' +
    'then lack their usual parent. A process create of smss, csrss, wininit, winlogon, lsass, ' +
    'LogonUI, services, spoolsv, taskhost, taskhostw or userinit whose known parent is not the one ' +
    'Windows uses (for example lsass.exe not started by wininit.exe or winlogon.exe).',
  level: 'medium',
  attack: [{ id: 'T1055.012', name: 'Process Injection: Process Hollowing', tactics: ['Defense Evasion'] }],
  references: ['https://car.mitre.org/analytics/CAR-2020-11-004/'],
  falsepositives: ['Agents and debuggers that start these processes, which an environment may need to allow-list'],
  branches: [
    {
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      detection: {
        parent_unknown: [{ ParentImage: null }, { ParentImage: ['', '-', '\\?'] }],
        smss: { Image: ['smss.exe', '*\\smss.exe', '*/smss.exe'] },
        smss_parent: { ParentImage: ['smss.exe', '*\\smss.exe', '*/smss.exe', 'System', '*\\System', '*/System'] },
        csrss: { Image: ['csrss.exe', '*\\csrss.exe', '*/csrss.exe'] },
        csrss_parent: {
          ParentImage: ['smss.exe', '*\\smss.exe', '*/smss.exe', 'svchost.exe', '*\\svchost.exe', '*/svchost.exe'],
        },
        wininit: { Image: ['wininit.exe', '*\\wininit.exe', '*/wininit.exe'] },
        wininit_parent: { ParentImage: ['smss.exe', '*\\smss.exe', '*/smss.exe'] },
        winlogon: { Image: ['winlogon.exe', '*\\winlogon.exe', '*/winlogon.exe'] },
        winlogon_parent: { ParentImage: ['smss.exe', '*\\smss.exe', '*/smss.exe'] },
        lsass: { Image: ['lsass.exe', '*\\lsass.exe', '*/lsass.exe'] },
        lsass_parent: {
          ParentImage: ['wininit.exe', '*\\wininit.exe', '*/wininit.exe', 'winlogon.exe', '*\\winlogon.exe', '*/winlogon.exe'],
        },
        logonui: { Image: ['LogonUI.exe', '*\\LogonUI.exe', '*/LogonUI.exe'] },
        logonui_parent: {
          ParentImage: ['winlogon.exe', '*\\winlogon.exe', '*/winlogon.exe', 'wininit.exe', '*\\wininit.exe', '*/wininit.exe'],
        },
        services: { Image: ['services.exe', '*\\services.exe', '*/services.exe'] },
        services_parent: { ParentImage: ['wininit.exe', '*\\wininit.exe', '*/wininit.exe'] },
        spoolsv: { Image: ['spoolsv.exe', '*\\spoolsv.exe', '*/spoolsv.exe'] },
        spoolsv_parent: { ParentImage: ['services.exe', '*\\services.exe', '*/services.exe'] },
        taskhost: {
          Image: ['taskhost.exe', '*\\taskhost.exe', '*/taskhost.exe', 'taskhostw.exe', '*\\taskhostw.exe', '*/taskhostw.exe'],
        },
        taskhost_parent: {
          ParentImage: ['services.exe', '*\\services.exe', '*/services.exe', 'svchost.exe', '*\\svchost.exe', '*/svchost.exe'],
        },
        userinit: { Image: ['userinit.exe', '*\\userinit.exe', '*/userinit.exe'] },
        userinit_parent: {
          ParentImage: ['dwm.exe', '*\\dwm.exe', '*/dwm.exe', 'winlogon.exe', '*\\winlogon.exe', '*/winlogon.exe'],
        },
        condition:
          'not parent_unknown and ((smss and not smss_parent) or (csrss and not csrss_parent)' +
          ' or (wininit and not wininit_parent) or (winlogon and not winlogon_parent)' +
          ' or (lsass and not lsass_parent) or (logonui and not logonui_parent)' +
          ' or (services and not services_parent) or (spoolsv and not spoolsv_parent)' +
          ' or (taskhost and not taskhost_parent) or (userinit and not userinit_parent))',
      },
    },
  ],
};
