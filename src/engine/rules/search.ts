/**
 * A pivot as a rule: "an event where any field (or the named field) holds this value, case
 * ignored", compiled like any rule so the hunt's whole pipeline serves it: the fast path (the
 * value must occur in the record's raw text, modulo escaping), parallel parts, `.evtx`, positions.
 */
import { CompiledRule, RuleInfo } from './rule';

/** A search as plain data, so worker threads compile the same one. */
export interface SearchSpec {
  value: string;
  /** The field that must hold the value (the event's name: `Image`, `ProcessGuid`, `Computer`); any field when undefined. */
  field?: string;
  /** Substring instead of whole-value equality. */
  contains?: boolean;
}

export const SEARCH_RULE_ID = 'log-hunt-search';

export function searchTitle(spec: SearchSpec): string {
  return `${spec.field ?? 'any field'} ${spec.contains ? 'contains' : 'is'} ${JSON.stringify(spec.value)}`;
}

/** The rule of a search: any EventID, any provider. */
export function compileSearch(spec: SearchSpec): CompiledRule {
  const wanted = spec.value.toLowerCase();
  const holds = spec.contains ? (v: string) => v.toLowerCase().includes(wanted) : (v: string) => v.length === wanted.length && v.toLowerCase() === wanted;
  const info: RuleInfo = {
    id: SEARCH_RULE_ID,
    title: searchTitle(spec),
    level: 'informational',
    kind: 'sigma',
    source: 'search',
    references: [],
    falsepositives: [],
    tags: [],
    attack: [],
    tactics: [],
  };
  const field = spec.field;
  return {
    info,
    branches: [
      {
        scope: { label: 'any event' },
        detection: {
          matches: (event) => {
            if (field !== undefined) {
              const v = event.get(field);
              return v !== undefined && holds(v);
            }
            for (const v of event.values()) if (holds(v)) return true;
            return false;
          },
          decidingField: () => field,
          literals: wanted === '' ? [] : [[wanted]],
        },
      },
    ],
  };
}
