/**
 * Splunk field names for Sysmon events, as the Splunk Add-on for Sysmon extracts them: EventData
 * keeps its Sysmon names (Image, CommandLine, ...); the System fields are renamed. Data only.
 */
export const SPL_SYSTEM_FIELDS: Readonly<Record<string, string>> = {
  EventID: 'EventCode',
  Computer: 'ComputerName',
  Channel: 'LogName',
  Provider_Name: 'SourceName',
};

/** The search that every query starts from: Sysmon's channel, as the add-on's `source`. */
export const SPL_SOURCE = 'source="*WinEventLog:Microsoft-Windows-Sysmon/Operational"';
