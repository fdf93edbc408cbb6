/**
 * Microsoft Sentinel's `Event` table as the Azure Monitor Agent fills it with Sysmon events:
 * Source is the provider, EventID an int, and EventData the event's XML (a DataItem holding
 * EventData/Data elements), parsed once into a bag named SYSMON_BAG. Data only.
 */
export const KQL_TABLE = 'Event';
export const KQL_PROVIDER = 'Microsoft-Windows-Sysmon';
/** The bag of EventData fields by Sysmon name, built by the query's mv-apply. */
export const KQL_BAG = 'SysmonData';

/** System fields: columns of the Event table. */
export const KQL_SYSTEM_FIELDS: Readonly<Record<string, { column: string; numeric?: boolean }>> = {
  EventID: { column: 'EventID', numeric: true },
  Computer: { column: 'Computer' },
  Channel: { column: 'EventLog' },
  Provider_Name: { column: 'Source' },
};
