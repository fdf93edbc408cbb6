/**
 * The rule stage: compiled rules indexed by the EventIDs their scopes allow, so each event meets
 * only the rules that can apply to it; and, for the fast path, which EventIDs matter and which
 * text a record must hold before it is worth parsing.
 */
import { LiteralIndex } from './literalIndex';
import { Branch, CompiledRule, RuleEvent, RuleInfo, Scope } from './rule';
import { lower } from './sigma/lower';

/** What the rule stage needs of a record: metadata, field values by name, and every value. */
export interface EventFields {
  eventId?: number;
  provider?: string;
  channel?: string;
  data: Record<string, string>;
  system?: Record<string, string>;
}

/** One rule's hit on an event: the rule and the field (as the event names it) that decided it. */
export interface RuleHit {
  rule: RuleInfo;
  field?: string;
}

interface Entry {
  rule: CompiledRule;
  /** The rule's position in the set: hits come out in rule order, whatever the index. */
  order: number;
  branch: Branch;
}

/** A literal requirement ready for raw text: one case-insensitive pattern per set, or none at all. */
export type RawRequirement = RegExp[] | undefined;

/** Turns a literal (as the event holds it) into text to search the raw record for, or '' when none is safe. */
export type RawLiteral = (literal: string) => string;

/** System fields by the names Sigma rules use, from the record's metadata when the reader gave no map. */
function systemField(record: EventFields, name: string): string | undefined {
  if (record.system && Object.hasOwn(record.system, name)) return record.system[name];
  switch (name) {
    case 'EventID':
      return record.eventId === undefined ? undefined : String(record.eventId);
    case 'Provider_Name':
      return record.provider;
    case 'Channel':
      return record.channel;
    default:
      return undefined;
  }
}

/** The RuleEvent a record shows rules: EventData first, then System fields. */
export function ruleEventOf(record: EventFields): RuleEvent {
  return {
    // Own fields only: a rule may name `constructor` or `__proto__`, which plain objects inherit.
    get: (name) => (Object.hasOwn(record.data, name) ? record.data[name] : systemField(record, name)),
    *values() {
      yield* Object.values(record.data);
      if (record.system) yield* Object.values(record.system);
    },
  };
}

/** The same event seen through a scope's field renames (thor.yml's fieldmappings). */
function renamed(event: RuleEvent, renames: Record<string, string>): RuleEvent {
  return { get: (name) => event.get(renamedField(renames, name)), values: () => event.values() };
}

/** The event's name for a rule's field (own entries only: a rule may name `constructor`). */
function renamedField(renames: Record<string, string> | undefined, name: string): string {
  return renames && Object.hasOwn(renames, name) ? renames[name] : name;
}

/**
 * Does the scope take an event from this provider and channel, lower-cased already (once per
 * event, not once per rule)? EventIDs are checked by the index.
 */
function acceptsLower(scope: Scope, p: string | undefined, c: string | undefined): boolean {
  if (!scope.providers && !scope.channels) return true;
  return (p !== undefined && (scope.providers?.includes(p) ?? false)) || (c !== undefined && (scope.channels?.includes(c) ?? false));
}

/** The fast path's view of one EventID: each branch's raw-text requirement, and the index over them. */
interface RawState {
  requirements: RawRequirement[];
  /** Some branch requires nothing: every record is a candidate. */
  open: boolean;
  index: LiteralIndex | null;
  /** Records scanned, and how many of them passed. */
  calls: number;
  passed: number;
}

/** After this many records of an EventID, a raw scan that passes more than ADAPT_RATIO of them is dropped. */
const ADAPT_AFTER = 256;
const ADAPT_RATIO = 0.95;

/** Below this many branches for an EventID, evaluating them all costs less than the literal scan. */
const INDEX_FROM = 16;

/**
 * Every value a rule can read of the record, lower-cased: EventData, System, and the metadata that
 * stands in for System fields (systemField). What the literal index scans.
 */
function loweredValues(record: EventFields): string[] {
  const out: string[] = [];
  for (const v of Object.values(record.data)) out.push(lower(v));
  if (record.system) for (const v of Object.values(record.system)) out.push(lower(v));
  if (record.provider !== undefined) out.push(lower(record.provider));
  if (record.channel !== undefined) out.push(lower(record.channel));
  if (record.eventId !== undefined) out.push(String(record.eventId));
  return out;
}

export class RuleSet {
  private readonly byEventId = new Map<number, Entry[]>();
  /** Branches whose scope allows any EventID (`service: sysmon`). */
  private readonly anyEventId: Entry[] = [];
  private readonly merged = new Map<number, Entry[]>();
  /** Raw-text patterns per reader family (its `toRaw`) and EventID: XML and JSON escape differently. */
  private readonly raw = new Map<RawLiteral, Map<number, RawState>>();
  private readonly indexes = new Map<number, LiteralIndex | null>();

  constructor(readonly rules: readonly CompiledRule[]) {
    rules.forEach((rule, order) => {
      for (const branch of rule.branches) {
        const entry = { rule, order, branch };
        if (!branch.scope.eventIds) this.anyEventId.push(entry);
        else for (const id of branch.scope.eventIds) this.byEventId.set(id, [...(this.byEventId.get(id) ?? []), entry]);
      }
    });
  }

  /** The EventIDs some rule names; undefined when some rule takes any EventID. */
  eventIds(): number[] | undefined {
    return this.anyEventId.length > 0 ? undefined : [...this.byEventId.keys()].sort((a, b) => a - b);
  }

  /** Could a rule apply to an event with this EventID (undefined: unknown)? */
  wants(eventId: number | undefined): boolean {
    if (this.anyEventId.length > 0) return true;
    return eventId !== undefined && this.byEventId.has(eventId);
  }

  /** The branches that apply to an EventID, in rule order. */
  private entriesFor(eventId: number | undefined): Entry[] {
    const key = eventId ?? -1;
    let entries = this.merged.get(key);
    if (!entries) {
      const specific = eventId === undefined ? [] : (this.byEventId.get(eventId) ?? []);
      entries = [...specific, ...this.anyEventId].sort((a, b) => a.order - b.order);
      this.merged.set(key, entries);
    }
    return entries;
  }

  /** The literal index of an EventID's branches; null when they are too few to need one. */
  private indexFor(eventId: number | undefined, entries: Entry[]): LiteralIndex | null {
    const key = eventId ?? -1;
    let index = this.indexes.get(key);
    if (index === undefined) {
      index = entries.length < INDEX_FROM ? null : new LiteralIndex(entries.map((e) => e.branch.detection.literals));
      this.indexes.set(key, index);
    }
    return index;
  }

  /**
   * Every rule that matches the record, each once, in rule order. `plain` evaluates every branch
   * of the EventID; otherwise only those whose required literals the record's values hold
   * (the same hits: the others cannot match).
   */
  evaluate(record: EventFields, plain = false): RuleHit[] {
    const entries = this.entriesFor(record.eventId);
    if (entries.length === 0) return [];
    const index = plain ? null : this.indexFor(record.eventId, entries);
    const picked = index ? index.candidates(loweredValues(record)) : undefined;
    return this.hits(entries, picked, ruleEventOf(record), record);
  }

  /**
   * evaluate's hits for a record whose fields are read on demand (`event.get`, as ruleEventOf
   * would answer), so that a reader decodes only the fields the rules read. Undefined when the
   * EventID's rules are many enough to be picked by a scan of every value (the literal index):
   * then decode the record whole and call evaluate.
   */
  evaluateLazily(record: Omit<EventFields, 'data' | 'system'>, event: RuleEvent, plain = false): RuleHit[] | undefined {
    const entries = this.entriesFor(record.eventId);
    if (entries.length === 0) return [];
    if (!plain && this.indexFor(record.eventId, entries)) return undefined;
    return this.hits(entries, undefined, event, record);
  }

  private hits(entries: Entry[], picked: number[] | undefined, event: RuleEvent, record: Omit<EventFields, 'data' | 'system'>): RuleHit[] {
    const count = picked ? picked.length : entries.length;
    const provider = record.provider?.toLowerCase();
    const channel = record.channel?.toLowerCase();
    const hits: RuleHit[] = [];
    let last: CompiledRule | undefined;
    for (let i = 0; i < count; i++) {
      const { rule, branch } = entries[picked ? picked[i] : i];
      if (rule === last) continue; // one hit per rule, whichever branch
      const scope = branch.scope;
      if (!acceptsLower(scope, provider, channel)) continue;
      const seen = scope.renames ? renamed(event, scope.renames) : event;
      if (!branch.detection.matches(seen)) continue;
      const named = branch.detection.decidingField(seen);
      hits.push({ rule: rule.info, field: named === undefined ? undefined : renamedField(scope.renames, named) });
      last = rule;
    }
    return hits;
  }

  /**
   * Could any rule for this EventID match a record with this raw text? Each branch's literals are
   * turned into raw-text patterns once per EventID and `toRaw` (the reader family knows its escaping;
   * pass the same function for the same family, as the patterns are kept by it).
   */
  mayMatch(eventId: number | undefined, record: string, toRaw: RawLiteral): boolean {
    const key = eventId ?? -1;
    let family = this.raw.get(toRaw);
    if (!family) this.raw.set(toRaw, (family = new Map<number, RawState>()));
    let raw = family.get(key);
    if (!raw) {
      const entries = this.entriesFor(eventId);
      // A branch that requires nothing makes every record a candidate: then no pattern is built.
      const open = entries.some((e) => rawCnf(e.branch.detection.literals, toRaw).length === 0);
      const requirements = open ? [] : entries.map((e) => rawRequirement(e.branch.detection.literals, toRaw));
      // Many branches: one scan finds those whose key literal occurs; only they are tested in full.
      const index = open || entries.length < INDEX_FROM ? null : new LiteralIndex(entries.map((e) => rawCnf(e.branch.detection.literals, toRaw)));
      raw = { requirements, open, index, calls: 0, passed: 0 };
      family.set(key, raw);
    }
    if (raw.open) return true;
    const { requirements, index } = raw;
    if (index) {
      // Answering true is always safe: it only sends the record on to the full evaluation. When
      // nearly every record passes (a rule needing only a short, common literal, like an EventID
      // rules test in their detection), the scan saves nothing and is left out.
      if (raw.calls >= ADAPT_AFTER && raw.passed > raw.calls * ADAPT_RATIO) return true;
      raw.calls++;
      for (const e of index.candidates([record.toLowerCase()])) {
        if (holds(requirements[e]!, record)) {
          raw.passed++;
          return true;
        }
      }
      return false;
    }
    for (const sets of requirements) if (holds(sets!, record)) return true;
    return false;
  }
}

/** Does the record hold one literal of every set? */
function holds(sets: RegExp[], record: string): boolean {
  for (const set of sets) if (!set.test(record)) return false;
  return true;
}

/**
 * The literals as raw text (lower case, as the index scans the record lower-cased), keeping the
 * sets rawRequirement keeps. The raw parts are ASCII: lower-casing a latin1 record never makes
 * ASCII of other characters, so a part occurs in the lower-cased record wherever the
 * case-insensitive pattern would find it.
 */
function rawCnf(literals: string[][], toRaw: RawLiteral): string[][] {
  const out: string[][] = [];
  for (const set of literals) {
    const raw = set.map((l) => toRaw(l).toLowerCase());
    if (raw.length === 0 || raw.some((r) => r === '')) continue;
    out.push(raw);
  }
  return out;
}

/** `text` as a regular expression that matches it literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** One pattern per literal set; a set with a literal that has no searchable text requires nothing. */
function rawRequirement(literals: string[][], toRaw: RawLiteral): RawRequirement {
  const patterns: RegExp[] = [];
  for (const set of literals) {
    const raw = set.map(toRaw);
    if (raw.length === 0 || raw.some((r) => r === '')) continue;
    // Without the `u` flag, `i` folds only ASCII letters within latin1, as toLowerCase() does for them.
    patterns.push(new RegExp([...new Set(raw)].map(escapeRegExp).join('|'), 'i'));
  }
  return patterns.length === 0 ? undefined : patterns;
}
