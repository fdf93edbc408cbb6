/**
 * Near misses: after a hunt found nothing, which rules came closest, and what the events had
 * instead. An event in a rule's scope is a near miss of the rule when flipping one failed field
 * test of the rule's logic (`Detection.logic`) to true would make its condition hold, and at least
 * one other test on the way held (so a one-test rule, or an OR of one-test selections, never has
 * near misses: every event in scope would be one). Per missed test it keeps how many events missed
 * only it, and the values they had for its field (Image-like fields by base name).
 *
 * A second pass, not part of the hunt: probe rules that never match (and require no literals, so
 * the fast path skips only EventIDs no rule wants) observe each event in scope. Bounded by
 * NearMissLimits: events examined per rule, events read in all, distinct values kept per test,
 * rules reported.
 */
import { huntFile, huntText } from './hunt';
import { HuntOptions, HuntResult } from './huntTypes';
import { baseName } from './model';
import { LoadedRules } from './rules/load';
import { CompiledRule, Logic, RuleEvent, RuleInfo, Scope } from './rules/rule';
import { lower } from './rules/sigma/lower';

export interface NearMissLimits {
  /** Events of its scope each rule examines; past it the rule looks at no more (default 10,000). */
  maxEventsPerRule?: number;
  /** The pass stops after about this many events read, counted as the hunt counts them (default 200,000). */
  maxEvents?: number;
  /**
   * The pass stops (at the end of the chunk being read) after this many examinations of an event
   * by a rule, in all (default 500,000: measured 8-10 µs each with SigmaHQ's ~2,500 rules, so about
   * 5 s of CPU at most; those rules use it up in about 500 process creates).
   */
  maxChecks?: number;
  /** Distinct values counted per missed test; later new values are counted as others (default 32). */
  maxValues?: number;
  /** Values named per missed test (default 5). */
  shownValues?: number;
  /** Rules reported, closest first (default 5). */
  maxRules?: number;
}

const DEFAULTS: Required<NearMissLimits> = { maxEventsPerRule: 10_000, maxEvents: 200_000, maxChecks: 500_000, maxValues: 32, shownValues: 5, maxRules: 5 };

export interface NearMissValue {
  value: string;
  count: number;
}

export interface MissedTest {
  /** The test in words: `ParentImage services.exe`, `CommandLine containing -enc`. */
  test: string;
  field?: string;
  /** Events that failed this test alone. */
  events: number;
  /** What those events had in the field, most first; `(none)` when the field was absent. */
  values: NearMissValue[];
  /** Those events whose value is not in `values`. */
  otherValues: number;
  /** The tests those events passed on the way, in words, most often first (`Image cmd.exe`). */
  held: string[];
}

export interface RuleNearMisses {
  id: string;
  title: string;
  /** Where the rule looks, in words (`Sysmon EventID 1`). */
  scope: string;
  /** Events of its scope examined. */
  examined: number;
  /** Events that missed the rule by one test. */
  nearMisses: number;
  /** Missed tests, most events first. */
  tests: MissedTest[];
  /** The rule's sentence. */
  words: string;
}

export interface NearMissReport {
  /** The closest rules, most near misses first, at most `maxRules`. */
  rules: RuleNearMisses[];
  /** Rules with any near miss (also those beyond `maxRules`). */
  rulesWithNearMisses: number;
  /** Events read by the pass. */
  eventsRead: number;
  /** Set when the pass stopped at `maxEvents` before the end of the file. */
  stoppedEarly?: boolean;
  /** Every rule's sentence, closest first, and what bounded the pass; one line each. */
  words: string[];
}

type Test = Extract<Logic, { op: 'test' }>;

interface TestStats {
  leaf: Test;
  events: number;
  values: Map<string, { value: string; count: number }>;
  otherValues: number;
  held: Map<string, number>;
}

interface RuleStats {
  info: RuleInfo;
  scope: Scope;
  examined: number;
  nearMisses: number;
  tests: Map<Test, TestStats>;
}

/** The leaf's value for this event, memoised; `forced` reads as true (the flip being tried). */
function holds(n: Logic, e: RuleEvent, memo: Map<Test, boolean>, forced?: Test): boolean {
  switch (n.op) {
    case 'test': {
      if (n === forced) return true;
      let v = memo.get(n);
      if (v === undefined) memo.set(n, (v = n.holds(e)));
      return v;
    }
    case 'and':
      return n.args.every((a) => holds(a, e, memo, forced));
    case 'or':
      return n.args.some((a) => holds(a, e, memo, forced));
    case 'not':
      return !holds(n.arg, e, memo, forced);
  }
}

/**
 * Candidate failed tests that, turned true alone, could make `n` (now `want` = !its value) hold
 * that value; with each, the tests that held beside it under an AND. Checked afterwards by
 * re-evaluation, since a test may occur twice in a condition.
 */
function flips(n: Logic, want: boolean, e: RuleEvent, memo: Map<Test, boolean>, held: Test[], out: Map<Test, Test[]>): void {
  switch (n.op) {
    case 'test':
      if (want && !out.has(n)) out.set(n, held);
      return;
    case 'not':
      flips(n.arg, !want, e, memo, held, out);
      return;
    case 'and':
    case 'or': {
      // Want an AND true (or an OR false): exactly one operand must change; want an AND false (OR true): any.
      const needOne = (n.op === 'and') === want;
      if (needOne) {
        const wrong: Logic[] = [];
        for (const a of n.args) if (holds(a, e, memo) !== want && wrong.push(a) > 1) return;
        if (wrong.length !== 1) return;
        const beside = want ? n.args.filter((a) => a !== wrong[0]).flatMap((a) => heldTests(a, e, memo)) : [];
        flips(wrong[0], want, e, memo, beside.length > 0 ? [...held, ...beside] : held, out);
      } else {
        for (const a of n.args) flips(a, want, e, memo, held, out);
      }
    }
  }
}

/**
 * The positive tests that make `n` hold (the first held operand of an OR, every operand of an AND),
 * leaving out those that hold on almost any event: a field's absence (`null`), `exists`, an
 * empty value. Such a test alone does not make an event close to the rule.
 */
function heldTests(n: Logic, e: RuleEvent, memo: Map<Test, boolean>): Test[] {
  switch (n.op) {
    case 'test':
      return holds(n, e, memo) && telling(n, e) ? [n] : [];
    case 'and':
      return n.args.flatMap((a) => heldTests(a, e, memo));
    case 'or': {
      const first = n.args.find((a) => holds(a, e, memo));
      return first ? heldTests(first, e, memo) : [];
    }
    case 'not':
      return [];
  }
}

function telling(leaf: Test, e: RuleEvent): boolean {
  if (leaf.modifiers.includes('exists') || leaf.values.every((v) => v === 'null' || v === '' || v === '*')) return false;
  return leaf.field === undefined || !!e.get(leaf.field);
}

const MODIFIER_WORDS: Record<string, string> = {
  contains: 'containing ',
  startswith: 'starting with ',
  endswith: 'ending with ',
  re: 'matching ',
  cidr: 'in ',
};

/** Image-like fields are shown and counted by the file's base name. */
const byBaseName = (field: string | undefined): boolean => field !== undefined && /image(loaded)?$/i.test(field);

/** The rule's values as a reader would say them: `*\cmd.exe` and `cmd.exe` are both `cmd.exe` for an image. */
function shownValues(leaf: Test): string[] {
  const out = new Map<string, string>();
  for (const raw of leaf.values) {
    let v = raw.replace(/^\*+|\*+$/g, '');
    if (byBaseName(leaf.field) && leaf.modifiers.every((m) => m === 'endswith')) v = baseName(v);
    // Spaces at the ends matter (' -enc '): quote such a value.
    if (v.trim() !== v) v = `'${v}'`;
    if (v && !out.has(lower(v))) out.set(lower(v), v);
  }
  const list = [...out.values()];
  return list.length > 3 ? [...list.slice(0, 3), `${list.length - 3} more`] : list;
}

/** `ParentImage services.exe`, `CommandLine containing -enc or -e`; for an image ending with a name, just the name. */
export function testWords(leaf: Test): string {
  let words = wordsOf.get(leaf);
  if (words === undefined) wordsOf.set(leaf, (words = sayTest(leaf)));
  return words;
}
const wordsOf = new WeakMap<Test, string>();

function sayTest(leaf: Test): string {
  const values = shownValues(leaf).join(' or ');
  const mod = leaf.modifiers.find((m) => MODIFIER_WORDS[m] !== undefined);
  // `Image|endswith: '\\cmd.exe'` names the file: no "ending with" then.
  const fileName = mod === 'endswith' && byBaseName(leaf.field) && leaf.values.every((v) => /^\*?[\\/]/.test(v));
  const how = mod && !fileName ? MODIFIER_WORDS[mod] : '';
  const exists = leaf.modifiers.includes('exists') ? (lower(leaf.values[0] ?? '') === 'false' ? 'absent' : 'present') : '';
  return `${leaf.field ?? 'keyword'} ${exists || how + values}`;
}

/** The value an event had for the field, as counted. */
function valueOf(leaf: Test, e: RuleEvent): string {
  if (leaf.field === undefined) return '(keyword)';
  const v = e.get(leaf.field);
  if (v === undefined) return '(none)';
  const shown = byBaseName(leaf.field) ? baseName(v) : v.length > 80 ? `${v.slice(0, 77)}…` : v;
  return shown || '(empty)';
}

export class NearMissCollector {
  private readonly limits: Required<NearMissLimits>;
  private readonly stats: RuleStats[] = [];
  private checks = 0;
  /** Called once when maxChecks is reached: the caller stops the pass. */
  onExhausted?: () => void;
  readonly probes: CompiledRule[];

  constructor(rules: readonly CompiledRule[], limits: NearMissLimits = {}) {
    this.limits = { ...DEFAULTS, ...limits };
    this.probes = rules.flatMap((rule) => {
      const branches = rule.branches.flatMap((branch) => {
        const logic = branch.detection.logic;
        if (!logic) return [];
        const stats: RuleStats = { info: rule.info, scope: branch.scope, examined: 0, nearMisses: 0, tests: new Map() };
        this.stats.push(stats);
        const where = whereTest(branch.scope);
        const detection = {
          matches: (e: RuleEvent) => {
            if (stats.examined >= this.limits.maxEventsPerRule || this.checks >= this.limits.maxChecks || !where(e)) return false;
            if (++this.checks === this.limits.maxChecks) this.onExhausted?.();
            this.observe(stats, logic, e);
            return false;
          },
          decidingField: () => undefined,
          literals: [],
        };
        return [{ scope: branch.scope, detection }];
      });
      return branches.length > 0 ? [{ info: rule.info, branches }] : [];
    });
  }

  /** Looks at one event in the branch's scope. */
  observe(stats: RuleStats, logic: Logic, e: RuleEvent): void {
    stats.examined++;
    const memo = new Map<Test, boolean>();
    if (holds(logic, e, memo)) return;
    const candidates = new Map<Test, Test[]>();
    flips(logic, true, e, memo, [], candidates);
    let near = false;
    for (const [leaf, held] of candidates) {
      if (held.length === 0 || !holds(logic, e, memo, leaf)) continue;
      near = true;
      let t = stats.tests.get(leaf);
      if (!t) stats.tests.set(leaf, (t = { leaf, events: 0, values: new Map(), otherValues: 0, held: new Map() }));
      t.events++;
      const value = valueOf(leaf, e);
      const key = lower(value);
      const seen = t.values.get(key);
      if (seen) seen.count++;
      else if (t.values.size < this.limits.maxValues) t.values.set(key, { value, count: 1 });
      else t.otherValues++;
      const context = [...new Set(held.map(testWords))].join(', ');
      if (t.held.has(context) || t.held.size < 8) t.held.set(context, (t.held.get(context) ?? 0) + 1);
    }
    if (near) stats.nearMisses++;
  }

  /** The report: rules merged over their branches, closest first. */
  report(eventsRead: number, stoppedEarly: boolean): NearMissReport {
    const byRule = new Map<string, RuleStats[]>();
    for (const s of this.stats) byRule.set(s.info.id, [...(byRule.get(s.info.id) ?? []), s]);
    const all = [...byRule.values()].map((branches) => this.ruleReport(branches)).filter((r) => r.nearMisses > 0);
    // A rule nearly met by every event of its scope says little (its held tests hold everywhere
    // here, like `Image ending with .exe`): near misses count less the larger their share.
    const score = (r: RuleNearMisses): number => r.nearMisses * (1 - r.nearMisses / r.examined);
    all.sort((a, b) => score(b) - score(a) || b.nearMisses - a.nearMisses || (a.id < b.id ? -1 : 1));
    const rules = all.slice(0, this.limits.maxRules);
    const words = rules.map((r) => r.words);
    if (all.length > rules.length) words.push(`${all.length - rules.length} more rule(s) had near misses.`);
    if (stoppedEarly) words.push(`(Near misses were looked for in the first ${eventsRead.toLocaleString('en-US')} events only.)`);
    if (this.stats.some((s) => s.examined >= this.limits.maxEventsPerRule)) {
      words.push(`(Each rule examined at most ${this.limits.maxEventsPerRule.toLocaleString('en-US')} events of its scope.)`);
    }
    return { rules, rulesWithNearMisses: all.length, eventsRead, ...(stoppedEarly ? { stoppedEarly } : {}), words };
  }

  private ruleReport(branches: RuleStats[]): RuleNearMisses {
    const { info } = branches[0];
    const tests = branches
      .flatMap((b) => [...b.tests.values()])
      .sort((a, b) => b.events - a.events)
      .slice(0, 3)
      .map((t) => this.testReport(t));
    const used = branches.filter((b) => b.examined > 0);
    const scope = (used.length > 0 ? used : branches).map((b) => b.scope.label).join(', ');
    const rule: RuleNearMisses = {
      id: info.id,
      title: info.title,
      scope,
      examined: branches.reduce((n, b) => n + b.examined, 0),
      nearMisses: branches.reduce((n, b) => n + b.nearMisses, 0),
      tests,
      words: '',
    };
    rule.words = ruleWords(rule, branches[0].scope);
    return rule;
  }

  private testReport(t: TestStats): MissedTest {
    const sorted = [...t.values.values()].sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
    const values = sorted.slice(0, this.limits.shownValues);
    const otherValues = t.otherValues + sorted.slice(this.limits.shownValues).reduce((n, v) => n + v.count, 0);
    const held = [...t.held].sort((a, b) => b[1] - a[1]).map(([h]) => h);
    return { test: testWords(t.leaf), field: t.leaf.field, events: t.events, values, otherValues, held };
  }
}

/** The scope's extra field conditions (registry_delete's EventType), which the detection would check. */
function whereTest(scope: Scope): (e: RuleEvent) => boolean {
  const where = scope.where;
  if (!where) return () => true;
  const conditions = Object.entries(where).map(([field, values]) => ({ field, values: new Set(values.map((v) => v.toLowerCase())) }));
  return (e) =>
    conditions.every(({ field, values }) => {
      const v = e.get(field);
      return v !== undefined && values.has(lower(v));
    });
}

const isProcessCreateScope = (scope: Scope): boolean => scope.eventIds?.length === 1 && scope.eventIds[0] === 1;

/** How the missed test reads after "none": `started by services.exe`; and what its values are called. */
function missedPhrase(t: MissedTest, scope: Scope): { none: string; their: string } {
  const rest = t.test.slice((t.field ?? 'keyword').length + 1);
  const plain = !/^(containing|starting|ending|matching|in|present|absent)\b/.test(rest);
  if (plain && isProcessCreateScope(scope) && t.field === 'ParentImage') return { none: `started by ${rest}`, their: 'their parents' };
  if (plain && isProcessCreateScope(scope) && t.field === 'Image') return { none: `running ${rest}`, their: 'their images' };
  return { none: `with ${t.test}`, their: `their ${t.field ?? 'values'}` };
}

/**
 * "CAR-2014-05-002 (Services launching Cmd): 155 cmd.exe process creates, none started by
 * services.exe; their parents: powershell.exe 100, explorer.exe 50, cmd.exe 5."
 */
function ruleWords(rule: RuleNearMisses, scope: Scope): string {
  const [top, ...others] = rule.tests;
  const head = `${rule.id} (${rule.title}): `;
  if (!top) return `${head}no near misses.`;
  const held = top.held[0] ?? '';
  const plain = (field: string): string | undefined => new RegExp(`^${field} (?!containing|starting|ending|matching|in |present|absent)([^,]*)$`).exec(held)?.[1];
  const creates = top.events === 1 ? 'process create' : 'process creates';
  const subject = !isProcessCreateScope(scope) ? `${rule.scope} ${top.events === 1 ? 'event' : 'events'} with ${held}`
    : plain('Image') !== undefined ? `${plain('Image')} ${creates}`
      : plain('ParentImage') !== undefined ? `${creates} started by ${plain('ParentImage')}`
        : `${creates} with ${held}`;
  const { none, their } = missedPhrase(top, scope);
  const values = top.values.map((v) => `${v.value} ${v.count}`).join(', ') + (top.otherValues > 0 ? `, others ${top.otherValues}` : '');
  const also = others.length > 0 ? ` Also ${others.map((t) => `${t.events} missed only ${t.test}`).join('; ')}.` : '';
  return `${head}${top.events} ${subject}, none ${none}; ${their}: ${values}.${also}`;
}

/**
 * Runs the near-miss pass through `hunt` (a one-thread hunt of the same input with the probe
 * rules); stops early once `maxEvents` events are read.
 */
export async function collectNearMisses(
  rules: LoadedRules,
  hunt: (options: HuntOptions) => Promise<HuntResult>,
  options: { signal?: AbortSignal; limits?: NearMissLimits; format?: HuntOptions['format'] } = {},
): Promise<NearMissReport> {
  const enough = new AbortController();
  let stoppedEarly = false;
  const collector = new NearMissCollector(rules.rules, options.limits);
  collector.onExhausted = () => {
    stoppedEarly = true;
    enough.abort();
  };
  const maxEvents = options.limits?.maxEvents ?? DEFAULTS.maxEvents;
  const outer = options.signal;
  const onOuter = () => enough.abort(outer?.reason);
  outer?.addEventListener('abort', onOuter);
  if (outer?.aborted) enough.abort(outer.reason);
  let eventsRead = 0;
  const probes: LoadedRules = { ...rules, rules: collector.probes, sources: [] };
  try {
    const result = await hunt({
      rules: probes,
      format: options.format,
      lineage: false,
      maxStoredMatches: 0,
      signal: enough.signal,
      onProgress: (p) => {
        eventsRead = p.events;
        if (p.events >= maxEvents && p.bytesDone < p.bytesTotal) {
          stoppedEarly = true;
          enough.abort();
        }
      },
    });
    eventsRead = result.summary.events;
  } catch (e) {
    if (!stoppedEarly || outer?.aborted) throw e;
  } finally {
    outer?.removeEventListener('abort', onOuter);
  }
  return collector.report(eventsRead, stoppedEarly);
}

/** Near misses of the rules in a log file on disk (text or .evtx), on the calling thread. */
export function nearMissesOfFile(path: string, rules: LoadedRules, options: { signal?: AbortSignal; limits?: NearMissLimits; format?: HuntOptions['format'] } = {}): Promise<NearMissReport> {
  return collectNearMisses(rules, (o) => huntFile(path, o), options);
}

/** Near misses of the rules in text in memory (an unsaved editor). */
export function nearMissesOfText(text: string, name: string, rules: LoadedRules, options: { signal?: AbortSignal; limits?: NearMissLimits; format?: HuntOptions['format'] } = {}): Promise<NearMissReport> {
  return collectNearMisses(rules, (o) => huntText(text, name, o), options);
}
