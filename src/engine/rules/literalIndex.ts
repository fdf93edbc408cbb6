/**
 * Which of many branches could match an event, from the literals its values contain: each branch
 * is keyed by one set of its required literals (Detection.literals), and one scan of the event's
 * lower-cased values finds every key literal present, so only the branches whose key set occurs
 * are evaluated. Exact: a branch is left out only when no literal of a set it requires occurs in
 * any value, and then it cannot match.
 *
 * The scan: every key literal is anchored by one of its 4-character grams (the one rarest among
 * all the literals, so that common path fragments are avoided); the values' grams are hashed
 * into a table of anchors, and a hit is checked with startsWith at the literal's place.
 */

/** Gram length: literals shorter than this cannot be keys. */
const Q = 4;

/** The last Q characters folded into an int (a character above 127 aliases others; hits are checked). */
const push = (g: number, c: number): number => ((g << 7) ^ c) & 0x0fffffff;

function gramAt(s: string, at: number): number {
  let g = 0;
  for (let i = at; i < at + Q; i++) g = push(g, s.charCodeAt(i));
  return g;
}

/**
 * Can the literal be a key: long enough, and without a Greek sigma, the one letter whose lower
 * case depends on its neighbours (toLowerCase() maps every other character on its own, so a value
 * holding the rule's text holds the literal once both are lower-cased).
 */
function keyable(literal: string): boolean {
  return literal.length >= Q && !literal.includes('\u03c3') && !literal.includes('\u03c2');
}

/**
 * How often a key literal is expected to occur in events, to choose each entry's key set: rarer
 * among the rules' literals (its anchor gram's count), and longer. Short literals are the common
 * ones in event text (`true`, `.exe`, `\\temp\\`), however few rules name them.
 */
function keyCost(literal: string, anchorCount: number): number {
  const shortness = 16 / Math.min(literal.length, 16);
  return (1 + anchorCount) * shortness * shortness;
}

/** Key sets per entry at most (the key and the extra sets that must be found with it). */
const KEY_SETS = 3;
/** An extra set is used only when short enough and made of literals this long: common short ones cost more hits than they save. */
const MAX_EXTRA_SET = 16;
const MIN_EXTRA_LITERAL = 5;

/** Can an entry with these required literals be keyed (is one of its sets made of keyable literals)? */
export function hasKey(cnf: readonly (readonly string[])[]): boolean {
  return cnf.some((set) => set.length > 0 && set.every(keyable));
}

/** How many of the literals hold each gram (a literal holding one twice counts twice). */
function gramCounts(literals: Iterable<string>): Map<number, number> {
  const counts = new Map<number, number>();
  for (const lit of literals) {
    for (let i = 0; i + Q <= lit.length; i++) {
      const g = gramAt(lit, i);
      counts.set(g, (counts.get(g) ?? 0) + 1);
    }
  }
  return counts;
}

/** Where a literal's rarest gram starts (the first, on a tie), and its count. */
function rarestGram(lit: string, counts: Map<number, number>): { at: number; weight: number } {
  let best = { at: 0, weight: Infinity };
  for (let i = 0; i + Q <= lit.length; i++) {
    const w = counts.get(gramAt(lit, i)) ?? 0;
    if (w < best.weight) best = { at: i, weight: w };
  }
  return best;
}

/** A chained hash table of literal ids by their anchor gram: `heads[slot]` starts a chain through `next`. */
interface GramTable {
  heads: Int32Array;
  next: Int32Array;
  shift: number;
}

/** The table's slot for a gram (multiplicative hashing: the top bits of the product). */
function slotOf(gram: number, shift: number): number {
  return Math.imul(gram, 0x9e3779b1) >>> shift;
}

/** Chains every id under its gram's slot, in id order; about `perGram` slots per gram, within [2^minBits, 2^maxBits]. */
function gramTable(grams: readonly number[], perGram: number, minBits: number, maxBits: number): GramTable {
  let bits = minBits;
  while (1 << bits < perGram * grams.length && bits < maxBits) bits++;
  const shift = 32 - bits;
  const heads = new Int32Array(1 << bits).fill(-1);
  const next = new Int32Array(grams.length);
  for (let id = grams.length - 1; id >= 0; id--) {
    const h = slotOf(grams[id], shift);
    next[id] = heads[h];
    heads[h] = id;
  }
  return { heads, next, shift };
}

/** The bitmap of a hash table's used slots. */
function occupancy(heads: Int32Array): Uint32Array {
  const bits = new Uint32Array(Math.max(1, heads.length >>> 5));
  for (let h = 0; h < heads.length; h++) if (heads[h] >= 0) bits[h >>> 5] |= 1 << (h & 31);
  return bits;
}

export class LiteralIndex {
  /** Entries with no usable key: always candidates. */
  private readonly always: number[] = [];
  private readonly texts: string[] = [];
  private readonly offsets: number[] = [];
  private readonly grams: number[] = [];
  /** Per literal: the entries keyed by it. */
  private readonly keyed: number[][] = [];
  private readonly heads: Int32Array;
  /** One bit per slot of heads: a small table the scan checks first (it stays in the fastest cache). */
  private readonly occupied: Uint32Array;
  private readonly next: Int32Array;
  private readonly shift: number;
  private readonly found: Int32Array;
  private readonly marked: Int32Array;
  /** Per entry: how many of its key sets must be found; of those, a bit per set found, and their count (this stamp). */
  private readonly need: Uint8Array;
  private readonly seenSets: Uint8Array;
  private readonly setsFound: Uint8Array;
  private stamp = 0;

  /** `cnfs[i]`: entry i's required literals (lower case), a conjunction of sets. */
  constructor(cnfs: readonly (readonly (readonly string[])[])[]) {
    // How common each gram is among the literals: a stand-in for how common it is in events.
    const keyLiterals = new Set<string>();
    for (const cnf of cnfs) for (const set of cnf) for (const lit of set) if (keyable(lit)) keyLiterals.add(lit);
    const counts = gramCounts(keyLiterals);
    const anchors = new Map<string, { at: number; weight: number }>();
    const anchor = (lit: string): { at: number; weight: number } => {
      let best = anchors.get(lit);
      if (!best) anchors.set(lit, (best = rarestGram(lit, counts)));
      return best;
    };
    const ids = new Map<string, number>();
    this.need = new Uint8Array(cnfs.length);
    cnfs.forEach((cnf, entry) => {
      // The entry's keyable sets, cheapest first: the first is its key; up to KEY_SETS - 1 more, when
      // made of long literals, must be found too (a rule on cmd.exe that also needs `del ` is not
      // evaluated on every cmd.exe).
      const sets = cnf
        .filter((set) => set.length > 0 && set.every(keyable))
        .map((set) => ({ set, weight: set.reduce((n, lit) => n + keyCost(lit, anchor(lit).weight), 0) }))
        .sort((a, b) => a.weight - b.weight);
      if (sets.length === 0) {
        this.always.push(entry);
        return;
      }
      const chosen = [sets[0].set, ...sets.slice(1).filter(({ set }) => set.length <= MAX_EXTRA_SET && set.every((lit) => lit.length >= MIN_EXTRA_LITERAL)).map(({ set }) => set)].slice(0, KEY_SETS);
      this.need[entry] = chosen.length;
      chosen.forEach((set, j) => {
        for (const lit of set) {
          let id = ids.get(lit);
          if (id === undefined) {
            id = this.texts.length;
            ids.set(lit, id);
            const { at } = anchor(lit);
            this.texts.push(lit);
            this.offsets.push(at);
            this.grams.push(gramAt(lit, at));
            this.keyed.push([]);
          }
          this.keyed[id].push(entry * KEY_SETS + j);
        }
      });
    });
    ({ heads: this.heads, next: this.next, shift: this.shift } = gramTable(this.grams, 4, 10, 20));
    this.occupied = occupancy(this.heads);
    this.found = new Int32Array(this.texts.length);
    this.marked = new Int32Array(cnfs.length);
    this.seenSets = new Uint8Array(cnfs.length);
    this.setsFound = new Uint8Array(cnfs.length);
  }

  /** The entries that could match an event with these lower-cased values, ascending. */
  candidates(values: readonly string[]): number[] {
    if (this.stamp === 0x7fffffff) {
      // The stamps are int32: start again rather than wrap (after 2^31 events in one process).
      this.found.fill(0);
      this.marked.fill(0);
      this.stamp = 0;
    }
    const stamp = ++this.stamp;
    const out: number[] = [];
    const { heads, occupied, next, shift, grams, offsets, texts, found, keyed, marked, need, seenSets, setsFound } = this;
    if (this.texts.length > 0) {
      for (const s of values) {
        const n = s.length;
        if (n < Q) continue;
        let g = 0;
        for (let i = 0; i < Q - 1; i++) g = push(g, s.charCodeAt(i));
        for (let end = Q - 1; end < n; end++) {
          g = push(g, s.charCodeAt(end));
          const h = slotOf(g, shift);
          if ((occupied[h >>> 5] & (1 << (h & 31))) === 0) continue;
          let id = heads[h];
          while (id >= 0) {
            if (grams[id] === g && found[id] !== stamp) {
              const start = end - (Q - 1) - offsets[id];
              if (start >= 0 && s.startsWith(texts[id], start)) {
                found[id] = stamp;
                for (const posting of keyed[id]) {
                  const e = (posting / KEY_SETS) | 0;
                  const bit = 1 << posting % KEY_SETS;
                  if (marked[e] !== stamp) {
                    marked[e] = stamp;
                    seenSets[e] = 0;
                    setsFound[e] = 0;
                  }
                  if ((seenSets[e] & bit) !== 0) continue;
                  seenSets[e] |= bit;
                  if (++setsFound[e] === need[e]) out.push(e);
                }
              }
            }
            id = next[id];
          }
        }
      }
    }
    for (const e of this.always) out.push(e);
    if (out.length > 1) out.sort((a, b) => a - b);
    return out;
  }

  /** How many entries have no key and are always evaluated (for explanations and the bench). */
  get unkeyed(): number {
    return this.always.length;
  }
}

/**
 * One scan of a value for the long literals of every rule's `contains` list: hundreds of rules
 * read the same CommandLine, and each used to scan it for its own list. Literals are registered
 * once (deduplicated, so the set only grows with distinct text); the gram table is rebuilt when
 * new ones came since the last scan; the last few values' findings are kept, since the rules of
 * one event ask about the same few (lower-cased, cached) strings one after another.
 */
class SharedScan {
  private readonly ids = new Map<string, number>();
  private readonly texts: string[] = [];
  private table: (GramTable & { offsets: number[]; grams: number[] }) | undefined;
  /** The last values scanned, by slot; marks[slot][id] === stamps[slot] when literal id is in that value. */
  private readonly values: (string | undefined)[] = new Array<string | undefined>(RECENT_VALUES).fill(undefined);
  private readonly lists: number[][] = Array.from({ length: RECENT_VALUES }, () => []);
  private marks: Int32Array[] = [];
  private readonly stamps = new Int32Array(RECENT_VALUES);
  private stamp = 0;
  private slot = 0;

  /** The ids of these literals (each at least Q long), registering the new ones. */
  add(literals: readonly string[]): number[] {
    return literals.map((lit) => {
      let id = this.ids.get(lit);
      if (id === undefined) {
        id = this.texts.length;
        this.ids.set(lit, id);
        this.texts.push(lit);
        this.table = undefined;
        this.values.fill(undefined);
      }
      return id;
    });
  }

  /** The slot holding s's findings (scanning it unless it is one of the last values scanned). */
  slotOf(s: string): number {
    const values = this.values;
    for (let k = 0; k < RECENT_VALUES; k++) if (values[k] === s) return k;
    const table = (this.table ??= this.build());
    const k = (this.slot = (this.slot + 1) % RECENT_VALUES);
    if (this.stamp === 0x7fffffff) {
      for (const m of this.marks) m.fill(0);
      this.stamp = 0;
    }
    this.stamps[k] = ++this.stamp;
    this.lists[k] = this.scan(s, table, this.marks[k], this.stamp);
    values[k] = s;
    return k;
  }

  /** The ids found in the value of a slot, and whether literal id is one of them. */
  list(slot: number): number[] {
    return this.lists[slot];
  }
  has(slot: number, id: number): boolean {
    return this.marks[slot][id] === this.stamps[slot];
  }

  private build() {
    // Each literal anchored at its gram rarest among all the literals.
    const counts = gramCounts(this.texts);
    const offsets: number[] = [];
    const grams: number[] = [];
    for (const lit of this.texts) {
      const { at } = rarestGram(lit, counts);
      offsets.push(at);
      grams.push(gramAt(lit, at));
    }
    this.marks = Array.from({ length: RECENT_VALUES }, () => new Int32Array(this.texts.length));
    this.stamps.fill(0);
    this.stamp = 0;
    return { ...gramTable(grams, 4, 8, 20), offsets, grams };
  }

  private scan(s: string, table: GramTable & { offsets: number[]; grams: number[] }, marks: Int32Array, stamp: number): number[] {
    const found: number[] = [];
    const n = s.length;
    if (n < Q) return found;
    const { heads, next, shift, grams, offsets } = table;
    const texts = this.texts;
    let g = 0;
    for (let i = 0; i < Q - 1; i++) g = push(g, s.charCodeAt(i));
    for (let end = Q - 1; end < n; end++) {
      g = push(g, s.charCodeAt(end));
      let id = heads[slotOf(g, shift)];
      while (id >= 0) {
        if (grams[id] === g && marks[id] !== stamp) {
          const start = end - (Q - 1) - offsets[id];
          if (start >= 0 && s.startsWith(texts[id], start)) {
            marks[id] = stamp;
            found.push(id);
          }
        }
        id = next[id];
      }
    }
    return found;
  }
}

/** Values whose findings SharedScan keeps: the fields one event's rules read most (CommandLine, Image, ParentImage, ...). */
const RECENT_VALUES = 16;

const SHARED_SCAN = new SharedScan();

/** Above this many literals too short for a gram, they are found in one pass rather than one search each. */
const SHORT_SCAN_FROM = 8;

/**
 * Does a string contain one of many literals? For one field checked against a long `contains`
 * list: the long literals through the scan all lists share (one pass over a value for every rule
 * that reads it), the short ones (emoji, homoglyphs) in one pass of their own.
 */
export class LiteralSearch {
  private readonly short: string[] = [];
  /** Many short literals (emoji, homoglyphs: one or two UTF-16 units): their first units, one bit each. */
  private shortFirst: Uint32Array | undefined;
  /** Those short literals by their first unit (keycap emoji start with a digit, so digits are common firsts). */
  private shortByFirst: Map<number, string[]> | undefined;
  private readonly ids: Set<number>;
  private readonly idList: number[];

  constructor(literals: readonly string[]) {
    const long: string[] = [];
    for (const lit of new Set(literals)) (lit.length < Q ? this.short : long).push(lit);
    this.idList = [...new Set(SHARED_SCAN.add(long))];
    this.ids = new Set(this.idList);
    if (this.short.length > SHORT_SCAN_FROM) {
      this.shortFirst = new Uint32Array(65536 >>> 5);
      this.shortByFirst = new Map();
      for (const lit of this.short) {
        if (lit.length === 0) continue;
        const c = lit.charCodeAt(0);
        this.shortFirst[c >>> 5] |= 1 << (c & 31);
        const same = this.shortByFirst.get(c);
        if (same) same.push(lit);
        else this.shortByFirst.set(c, [lit]);
      }
    }
  }

  /** Does `s` contain one of the short literals? Many: one pass over s, trying those that start with each unit. */
  private inShort(s: string): boolean {
    const first = this.shortFirst;
    if (!first) {
      for (const lit of this.short) if (s.includes(lit)) return true;
      return false;
    }
    if (this.short.includes('')) return true;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if ((first[c >>> 5] & (1 << (c & 31))) === 0) continue;
      for (const lit of this.shortByFirst!.get(c)!) if (s.startsWith(lit, i)) return true;
    }
    return false;
  }

  /** Does `s` contain one of the literals? */
  in(s: string): boolean {
    if (this.short.length > 0 && this.inShort(s)) return true;
    if (this.idList.length === 0) return false;
    const slot = SHARED_SCAN.slotOf(s);
    const found = SHARED_SCAN.list(slot);
    // Walk the shorter side: the value's findings, or this list's literals.
    if (found.length <= this.idList.length) {
      for (const id of found) if (this.ids.has(id)) return true;
    } else {
      for (const id of this.idList) if (SHARED_SCAN.has(slot, id)) return true;
    }
    return false;
  }
}
