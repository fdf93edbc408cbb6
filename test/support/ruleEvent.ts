/** Builds the RuleEvent a rule sees from plain field values, for rule unit tests. */
import { RuleEvent } from '../../src/engine/rules/rule';

/** An event with these fields (EventData and System names alike: Image, EventID, Channel, ...). */
export function ruleEvent(fields: Record<string, string | number>): RuleEvent {
  const values = new Map(Object.entries(fields).map(([k, v]) => [k, String(v)]));
  return {
    get: (name) => values.get(name),
    values: () => values.values(),
  };
}

/** A Sysmon event of this EventID with these EventData fields. */
export function sysmonEvent(eventId: number, data: Record<string, string | number>): RuleEvent {
  return ruleEvent({
    EventID: eventId,
    Provider_Name: 'Microsoft-Windows-Sysmon',
    Channel: 'Microsoft-Windows-Sysmon/Operational',
    Computer: 'WKS-01.corp.example',
    ...data,
  });
}
