/** Where a Sysmon field lives in ECS-shaped Sysmon events, for the elastic-eql and esql targets. */
import { ECS_ANY_EVENT, ECS_BY_EVENT_ID, ECS_IPS, ECS_NUMBERS, ECS_SYSTEM_FIELDS } from './fields/ecs';
import { QueryUnsupported } from './ir';

export interface EcsField {
  name: string;
  numeric: boolean;
  ip: boolean;
}

/** The ECS field of a Sysmon field in events of these EventIDs; refuses a field the pipeline splits or rewrites. */
export function ecsField(field: string, eventIds: number[], part: string): EcsField {
  const make = (name: string): EcsField => ({ name, numeric: ECS_NUMBERS.has(name), ip: ECS_IPS.has(name) });
  const system = ECS_SYSTEM_FIELDS[field];
  if (system) return make(system);
  const names = new Set<string>();
  for (const id of eventIds) {
    const moved = ECS_BY_EVENT_ID[id]?.[field] ?? ECS_ANY_EVENT[field];
    if (moved === undefined) names.add(`winlog.event_data.${field}`);
    else if (typeof moved === 'string') names.add(moved);
    else if ('join' in moved) {
      throw new QueryUnsupported(`field ${field}`, `${part}: the ECS pipeline splits ${field} into ${moved.join.join(' and ')}, so its text is in no one field`);
    } else {
      throw new QueryUnsupported(`field ${field}`, `${part}: the ECS pipeline rewrites ${field} (in ${moved.path} only for some types), so its Sysmon text is in no one field`);
    }
  }
  if (names.size !== 1) throw new QueryUnsupported(`field ${field}`, `${part}: ${field} is in different ECS fields for EventIDs ${eventIds.join(', ')} (${[...names].join(', ')})`);
  return make([...names][0]);
}

export const isWholeNumber = (s: string): boolean => /^(0|[1-9][0-9]{0,14})$/.test(s);
