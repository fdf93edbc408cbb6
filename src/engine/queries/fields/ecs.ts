/**
 * ECS field names for Sysmon events as Elastic Agent's Windows integration and Winlogbeat's Sysmon
 * module store them (data stream logs-windows.sysmon_operational-*), used by elastic-eql and esql.
 * The moves per EventID are the reader's own table (readers/ecsFields.ts), read the other way;
 * what they leave stays under winlog.event_data.<Sysmon name>. Data only.
 */
import { ECS_ANY_EVENT, ECS_BY_EVENT_ID, EcsSource } from '../../readers/ecsFields';

export { ECS_ANY_EVENT, ECS_BY_EVENT_ID };
export type { EcsSource };

/** The System fields. */
export const ECS_SYSTEM_FIELDS: Readonly<Record<string, string>> = {
  EventID: 'event.code',
  Computer: 'winlog.computer_name',
  Channel: 'winlog.channel',
  Provider_Name: 'winlog.provider_name',
  EventRecordID: 'winlog.record_id',
};

/** ECS fields that hold numbers (long): compared to a bare number, never as text. */
export const ECS_NUMBERS: ReadonlySet<string> = new Set([
  'process.pid',
  'process.parent.pid',
  'process.thread.id',
  'source.port',
  'destination.port',
  'winlog.record_id',
]);

/** ECS fields of type ip: compared by equality or CIDR only. */
export const ECS_IPS: ReadonlySet<string> = new Set(['source.ip', 'destination.ip']);

/** Where the events live. */
export const ECS_INDEX = 'logs-windows.sysmon_operational-*';
