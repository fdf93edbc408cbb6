/**
 * The rule stage: compiled rules indexed by the EventIDs their scopes allow, so each event meets
 * only the rules that can apply to it; and, for the fast path, which EventIDs matter and which
 * text a record must hold before it is worth parsing.
 */
import { hasKey, LiteralIndex } from './literalIndex';
import { Branch, CompiledRule, Logic, RuleEvent, RuleInfo, Scope } from './rule';
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

/**
 * The EventIDs a branch can match: its scope's, narrowed by what its detection requires of the
 * EventID field (`EventID: 16` in a `service: sysmon` rule, `EventID: 4624` in a Security one), so
 * that such a rule meets only those events; undefined for any.
 */
function eventIdsOf(branch: Branch): number[] | undefined {
  const scoped = branch.scope.eventIds;
  const renamedId = branch.scope.renames && Object.hasOwn(branch.scope.renames, 'EventID');
  const required = branch.detection.logic && !renamedId ? requiredEventIds(branch.detection.logic) : undefined;
  if (!required) return scoped;
  return scoped ? scoped.filter((id) => required.has(id)) : [...required].sort((a, b) => a - b);
}

/** The EventIDs an event must have for the logic to hold, when the logic says; undefined when any could. */
function requiredEventIds(logic: Logic): Set<number> | undefined {
  switch (logic.op) {
    case 'test': {
      // Only a plain equality on EventID with whole numbers: `EventID: 16`, `EventID: [4624, 4625]`.
      if (logic.field !== 'EventID' || logic.modifiers.length > 0 || logic.values.length === 0) return undefined;
      if (!logic.values.every((v) => /^\d{1,9}$/.test(v))) return undefined;
      return new Set(logic.values.map(Number));
    }
    case 'and': {
      let out: Set<number> | undefined;
      for (const arg of logic.args) {
        const ids = requiredEventIds(arg);
        if (ids) out = out ? new Set([...out].filter((id) => ids.has(id))) : ids;
      }
      return out;
    }
    case 'or': {
      const out = new Set<number>();
      for (const arg of logic.args) {
        const ids = requiredEventIds(arg);
        if (!ids) return undefined;
        for (const id of ids) out.add(id);
      }
      return out;
    }
    case 'not':
      return undefined;
  }
}

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
  /** Per branch: 1 when it matches only events holding a character beyond ASCII (see needsWide). */
  wide: Uint8Array;
  anyWide: boolean;
  /** Some branch requires nothing: every record is a candidate (without an index). */
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

/**
 * The branches of one EventID whose scope takes one provider and channel: the events of a Sysmon
 * log never meet the Security, System or PowerShell rules that take any EventID, in the literal
 * scan or in evaluation.
 */
interface Group {
  entries: Entry[];
  /** Per branch of the EventID (entriesFor's order): is it in this group? For picks made by mayMatch. */
  member: Uint8Array;
  index: LiteralIndex | null;
}

/**
 * The branches mayMatch found possible for the record it saw last, as positions in the EventID's
 * branches (entriesFor). A superset of those evaluate's own scan would pick, so evaluate may use
 * them instead of scanning the parsed values again.
 */
export interface RawPicks {
  eventId: number;
  picked: number[];
}

export class RuleSet {
  private readonly byEventId = new Map<number, Entry[]>();
  /** Branches whose scope allows any EventID (`service: sysmon`). */
  private readonly anyEventId: Entry[] = [];
  private readonly merged = new Map<number, Entry[]>();
  /** Raw-text patterns per reader family (its `toRaw`) and EventID: XML and JSON escape differently. */
  private readonly raw = new Map<RawLiteral, Map<number, RawState>>();
  private readonly groups = new Map<number, Map<string, Group>>();
  private lastGroup: { eventId: number | undefined; provider: string | undefined; channel: string | undefined; group: Group } | undefined;
  private readonly plain = new Map<string, Entry[]>();
  /** What the last mayMatch call picked (see RawPicks), or undefined when it made no index scan. */
  lastPicks: RawPicks | undefined;

  constructor(readonly rules: readonly CompiledRule[]) {
    rules.forEach((rule, order) => {
      for (const branch of rule.branches) {
        const entry = { rule, order, branch };
        const ids = eventIdsOf(branch);
        if (!ids) this.anyEventId.push(entry);
        else for (const id of ids) this.byEventId.set(id, [...(this.byEventId.get(id) ?? []), entry]);
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

  /**
   * The plain path's branches: every branch whose scope, as the rule wrote it, takes the event;
   * none of the index's narrowing (eventIdsOf), so that the plain path checks it.
   */
  private plainEntries(eventId: number | undefined, provider: string | undefined, channel: string | undefined): Entry[] {
    const key = `${eventId ?? -1}|${provider ?? '\u0000'}|${channel ?? '\u0000'}`;
    const known = this.plain.get(key);
    if (known) return known;
    const out: Entry[] = [];
    this.plain.set(key, out);
    this.rules.forEach((rule, order) => {
      for (const branch of rule.branches) {
        const { scope } = branch;
        if (scope.eventIds && (eventId === undefined || !scope.eventIds.includes(eventId))) continue;
        if (acceptsLower(scope, provider, channel)) out.push({ rule, order, branch });
      }
    });
    return out;
  }

  /**
   * groupFor for a record's provider and channel as written. Most records of a log share them: the
   * last answer is kept, so they are not lower-cased nor looked up again.
   */
  private groupOf(eventId: number | undefined, provider: string | undefined, channel: string | undefined): Group {
    const last = this.lastGroup;
    if (last && last.eventId === eventId && last.provider === provider && last.channel === channel) return last.group;
    const group = this.groupFor(eventId, provider?.toLowerCase(), channel?.toLowerCase());
    this.lastGroup = { eventId, provider, channel, group };
    return group;
  }

  /** The branches of an EventID that take this provider and channel (lower case), with their literal index. */
  private groupFor(eventId: number | undefined, provider: string | undefined, channel: string | undefined): Group {
    const key = eventId ?? -1;
    let byScope = this.groups.get(key);
    if (!byScope) this.groups.set(key, (byScope = new Map<string, Group>()));
    const scopeKey = `${provider ?? '\u0000'}|${channel ?? '\u0000'}`;
    let group = byScope.get(scopeKey);
    if (!group) {
      const all = this.entriesFor(eventId);
      const member = new Uint8Array(all.length);
      const entries: Entry[] = [];
      all.forEach((e, i) => {
        if (!acceptsLower(e.branch.scope, provider, channel)) return;
        member[i] = 1;
        entries.push(e);
      });
      const index = entries.length < INDEX_FROM ? null : new LiteralIndex(entries.map((e) => e.branch.detection.literals));
      group = { entries, member, index };
      byScope.set(scopeKey, group);
    }
    return group;
  }

  /**
   * Every rule that matches the record, each once, in rule order. `plain` evaluates every branch
   * of the EventID; otherwise only those whose required literals the record's values hold
   * (the same hits: the others cannot match). `picks`, from mayMatch on this record's raw text,
   * stand in for the scan of its values.
   */
  evaluate(record: EventFields, plain = false, picks?: RawPicks): RuleHit[] {
    if (plain) return this.hits(this.plainEntries(record.eventId, record.provider?.toLowerCase(), record.channel?.toLowerCase()), undefined, ruleEventOf(record));
    const group = this.groupOf(record.eventId, record.provider, record.channel);
    if (group.entries.length === 0) return [];
    if (picks && picks.eventId === record.eventId) return this.hits(this.entriesFor(record.eventId), picks.picked, ruleEventOf(record), group.member);
    const picked = group.index ? group.index.candidates(loweredValues(record)) : undefined;
    return this.hits(group.entries, picked, ruleEventOf(record));
  }

  /**
   * evaluate's hits for a record whose fields are read on demand (`event.get`, as ruleEventOf
   * would answer), so that a reader decodes only the fields the rules read. Undefined when the
   * EventID's rules are many enough to be picked by a scan of every value (the literal index):
   * then decode the record whole and call evaluate.
   */
  evaluateLazily(record: Omit<EventFields, 'data' | 'system'>, event: RuleEvent, plain = false): RuleHit[] | undefined {
    if (plain) return this.hits(this.plainEntries(record.eventId, record.provider?.toLowerCase(), record.channel?.toLowerCase()), undefined, event);
    const group = this.groupOf(record.eventId, record.provider, record.channel);
    if (group.entries.length === 0) return [];
    if (group.index) return undefined;
    return this.hits(group.entries, undefined, event);
  }

  /**
   * The hits of these branches (or of `picked` of them), which take the event's provider and
   * channel: all of them, or those `member` marks (picks made over every branch of the EventID).
   */
  private hits(entries: Entry[], picked: number[] | undefined, event: RuleEvent, member?: Uint8Array): RuleHit[] {
    const count = picked ? picked.length : entries.length;
    const hits: RuleHit[] = [];
    let last: CompiledRule | undefined;
    for (let i = 0; i < count; i++) {
      const at = picked ? picked[i] : i;
      if (member && member[at] !== 1) continue;
      const { rule, branch } = entries[at];
      if (rule === last) continue; // one hit per rule, whichever branch
      const scope = branch.scope;
      const seen = scope.renames ? renamed(event, scope.renames) : event;
      if (!branch.detection.matches(seen)) continue;
      const named = branch.detection.decidingField(seen);
      hits.push({ rule: rule.info, field: named === undefined ? undefined : renamedField(scope.renames, named) });
      last = rule;
    }
    return hits;
  }

  /** Every raw text mayMatch may search for, with this `toRaw` (a reader family's). */
  searchedText(toRaw: RawLiteral): string[] {
    return this.rules.flatMap((rule) => rule.branches.flatMap((branch) => scopedCnf(branch, toRaw).flat()));
  }

  /**
   * Could any rule for this EventID match a record with this raw text? Each branch's literals are
   * turned into raw-text patterns once per EventID and `toRaw` (the reader family knows its escaping;
   * pass the same function for the same family, as the patterns are kept by it).
   */
  mayMatch(eventId: number | undefined, record: string, toRaw: RawLiteral): boolean {
    this.lastPicks = undefined;
    const key = eventId ?? -1;
    let family = this.raw.get(toRaw);
    if (!family) this.raw.set(toRaw, (family = new Map<number, RawState>()));
    let raw = family.get(key);
    if (!raw) {
      const entries = this.entriesFor(eventId);
      const cnfs = entries.map((e) => scopedCnf(e.branch, toRaw));
      // A branch that requires nothing makes every record a candidate.
      const open = cnfs.some((cnf) => cnf.length === 0);
      const requirements = entries.map((e) => rawRequirement(e.branch.detection.literals, toRaw));
      // Many branches: one scan finds those whose key literal occurs (a branch that requires
      // nothing is always found); only they are tested in full, and evaluate takes them as its picks.
      const index = entries.length < INDEX_FROM ? null : new LiteralIndex(cnfs);
      const wide = Uint8Array.from(entries, (e) => (needsWide(e.branch.detection.literals) ? 1 : 0));
      raw = { requirements, open, index, wide, anyWide: wide.includes(1), calls: 0, passed: 0 };
      family.set(key, raw);
    }
    const { requirements, index } = raw;
    if (index) {
      let picked = index.candidates([record.toLowerCase()]);
      // Branches that need a character beyond ASCII (homoglyphs, emoji, RTL marks: some of them
      // letters with a case, which no raw search can key) cannot match an all-ASCII record. Its
      // bytes are its text: escapes that could spell such a character (`\u`, `&#`) were ruled out
      // by the caller (Prefilter's hidesLetters).
      if (raw.anyWide && !BEYOND_ASCII.test(record)) picked = picked.filter((e) => raw.wide[e] === 0);
      if (picked.length === 0) return false;
      if (eventId !== undefined) this.lastPicks = { eventId, picked };
      // Answering true is always safe: it only sends the record on to the full evaluation. When
      // nearly every record passes, testing each pick's other literals saves nothing.
      if (raw.open || (raw.calls >= ADAPT_AFTER && raw.passed > raw.calls * ADAPT_RATIO)) return true;
      raw.calls++;
      for (const e of picked) {
        if (holds(requirements[e], record)) {
          raw.passed++;
          return true;
        }
      }
      return false;
    }
    if (raw.open) return true;
    for (const sets of requirements) if (holds(sets, record)) return true;
    return false;
  }
}

/**
 * A branch's required literals as raw text; when none of them can key it in the index (all too
 * short, like an `EventID: 16` in a detection), its scope's providers and channels as one more
 * set: an event the scope takes holds one of them as a value (its provider or channel), so its
 * text does too. (Only then: a provider shared by hundreds of rules would otherwise look like
 * the rarest key of each.)
 */
function scopedCnf(branch: Branch, toRaw: RawLiteral): string[][] {
  const cnf = rawCnf(branch.detection.literals, toRaw);
  if (hasKey(cnf)) return cnf;
  const names = [...(branch.scope.providers ?? []), ...(branch.scope.channels ?? [])];
  const scope = rawCnf(names.length > 0 ? [names] : [], toRaw);
  return [...cnf, ...scope];
}

/** A character beyond ASCII, in a record's latin1 view: a byte of some UTF-8 sequence. */
const BEYOND_ASCII = /[^\x00-\x7f]/;

/** Does a match need a character beyond ASCII: is some required set made only of literals holding one? */
function needsWide(literals: string[][]): boolean {
  return literals.some((set) => set.length > 0 && set.every((lit) => BEYOND_ASCII.test(lit)));
}

/** Does the record hold one literal of every set (of none, when there are none)? */
function holds(sets: RawRequirement, record: string): boolean {
  if (!sets) return true;
  for (const set of sets) if (!set.test(record)) return false;
  return true;
}

/**
 * The literals as raw text (lower case, as the index scans the record lower-cased), keeping the
 * sets rawRequirement keeps. A raw part is ASCII and UTF-8 bytes (as latin1) of caseless
 * characters; toLowerCase() maps a latin1 string character by character, so a part occurs in the
 * lower-cased record wherever the record holds it, with any case of its ASCII letters.
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
