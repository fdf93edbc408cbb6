/**
 * The rule stage's contract: what a compiled rule is, whatever its source (a Sigma file, the
 * built-in CAR library). Rule sources compile into these; the hunt only ever sees these.
 */

/** Sigma's levels, lowest first. */
export const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type Level = (typeof LEVELS)[number];

/** Reads one field of an event by name; undefined when the event has no such field. */
export type FieldGetter = (name: string) => string | undefined;

/**
 * An event as rules see it: field values by name (EventData under its Sysmon names, then the
 * System fields: EventID, Provider_Name, Channel, Computer, ...), and every value, for keyword
 * (fieldless) searches.
 */
export interface RuleEvent {
  get: FieldGetter;
  /** Every field value of the event, EventData and System. */
  values(): Iterable<string>;
}

/** What a user sees of a rule: plain data, so it crosses to worker threads and into JSON output. */
export interface RuleInfo {
  /** Sigma `id` (a UUID) or CAR id (`CAR-2014-05-002`). */
  id: string;
  title: string;
  level: Level;
  /** `sigma` for a Sigma file, `car` for the built-in CAR library. */
  kind: 'sigma' | 'car';
  /** `car`, or the rule's file path. */
  source: string;
  status?: string;
  author?: string;
  description?: string;
  references: string[];
  falsepositives: string[];
  /** Sigma tags as written (`attack.t1059.001`, `attack.execution`, ...). */
  tags: string[];
  /** ATT&CK technique ids, upper case: `T1543.003`. */
  attack: string[];
  /** ATT&CK tactics in words, lower case with dashes: `privilege-escalation`. */
  tactics: string[];
}

/**
 * Where a branch of a rule applies: events of these EventIDs (any, when undefined) whose provider
 * or channel is one of these (lower case; any, when both are undefined).
 */
export interface Scope {
  eventIds?: number[];
  providers?: string[];
  channels?: string[];
  /** Field renames for this source: the rule's name -> the event's name (thor.yml's field mappings). */
  renames?: Record<string, string>;
  /**
   * More conditions of the source (thor.yml's beyond EventID): the event's field must equal one of
   * these values, ignoring case (registry_delete: EventType DeleteKey or DeleteValue). Detections
   * compiled by compileSigmaText check it themselves; a consumer may also use it to skip early.
   */
  where?: Record<string, string[]>;
  /** In words, for explanations and `log-hunt rules`: `Sysmon EventID 1`, `Security 4688`. */
  label: string;
}

/** A rule's detection logic, compiled once. */
export interface Detection {
  /** Does the event match? */
  matches(event: RuleEvent): boolean;
  /**
   * After a match: the field that decided it, as the rule names it (the first field of the first
   * selection that holds), or undefined for a keyword search.
   */
  decidingField(event: RuleEvent): string | undefined;
  /**
   * Text a matching event must contain, for the fast path: a conjunction of alternatives, each set
   * holding lower-case literals of which at least one must occur in the event's values. Empty when
   * nothing can be required. Literals are the values as the event holds them (unescaped).
   */
  literals: string[][];
  /** The same logic as data, for explanations (nearMiss.ts); undefined where a source gives none (a pivot search). */
  logic?: Logic;
}

/**
 * A detection's logic as a tree: each leaf is one field test of a selection (`Image|endswith`
 * with its values) or a keyword search, joined by the condition's and / or / not.
 */
export type Logic =
  | {
      op: 'test';
      /** The field as the rule names it; undefined for a keyword search. */
      field: string | undefined;
      /** Modifiers as written (`endswith`, `contains`, `all`, ...). */
      modifiers: string[];
      /** The rule's values as written. */
      values: string[];
      holds: (event: RuleEvent) => boolean;
    }
  | { op: 'and' | 'or'; args: Logic[] }
  | { op: 'not'; arg: Logic };

/** One logsource alternative of a rule and the logic that runs there. */
export interface Branch {
  scope: Scope;
  detection: Detection;
}

export interface CompiledRule {
  info: RuleInfo;
  branches: Branch[];
}

/** A rule that did not load, and why: shown by `log-hunt rules` and as a diagnostic in the rule file. */
export interface SkippedRule {
  /** The rule's file, or `car`. */
  source: string;
  /** 1-based line of the trouble, where known. */
  line?: number;
  /** 1-based column of the trouble, where known. */
  column?: number;
  id?: string;
  title?: string;
  /** A short category for totals: `correlation`, `aggregation`, `not windows`, `yaml`, `unsupported modifier`, ... */
  category: string;
  /** In words, for the user. */
  reason: string;
}

/** Where rules come from, as plain data so worker threads can compile the same rules again. */
export type RuleSource =
  | { kind: 'sigma'; file: string; text: string }
  | { kind: 'car'; id: string }
  /** A pivot search (rules/search.ts). */
  | { kind: 'search'; value: string; field?: string; contains?: boolean };
