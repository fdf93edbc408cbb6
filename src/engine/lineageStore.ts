/**
 * The lineage index's processes as columns of typed arrays: per process no JS object and, for a
 * GUID or pid in Sysmon's usual form (`{8-4-4-4-12}` in lower case, a decimal pid), no string
 * either, so the index adds little for the garbage collector to copy and mark while a hunt runs
 * (each indexed create used to be an object and two to four strings). A GUID or pid in another
 * form keeps its string in a side map; every value reads back as the string it was.
 */

const CANONICAL_GUID = /^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/;
const NONE = 0;
const WORDS = 1;
const ODD = 2;

const hex = (v: number, digits: number) => v.toString(16).padStart(digits, '0');

/** One hex digit of either case, or -1. */
function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}

/** Packs a 38-character `{8-4-4-4-12}` GUID of either case (a canonical key too) into four words; false (words undefined) for any other text. */
function packGuid(s: string, into: Uint32Array, at: number): boolean {
  if (s.charCodeAt(0) !== 0x7b || s.charCodeAt(37) !== 0x7d || s.charCodeAt(9) !== 0x2d || s.charCodeAt(14) !== 0x2d || s.charCodeAt(19) !== 0x2d || s.charCodeAt(24) !== 0x2d) return false;
  let word = 0;
  let digits = 0;
  let w = at;
  for (let i = 1; i < 37; i++) {
    if (i === 9 || i === 14 || i === 19 || i === 24) continue;
    const d = hexDigit(s.charCodeAt(i));
    if (d < 0) return false;
    word = word * 16 + d;
    if (++digits === 8) {
      into[w++] = word;
      word = 0;
      digits = 0;
    }
  }
  return true;
}

function unpack(words: Uint32Array, at: number): string {
  const [w0, w1, w2, w3] = [words[at], words[at + 1], words[at + 2], words[at + 3]];
  return `{${hex(w0, 8)}-${hex(w1 >>> 16, 4)}-${hex(w1 & 0xffff, 4)}-${hex(w2 >>> 16, 4)}-${hex(w2 & 0xffff, 4)}${hex(w3, 8)}}`;
}

function grown<T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(array: T, length: number, fill?: number): T {
  const next = new (array.constructor as new (n: number) => T)(length);
  next.set(array);
  if (fill !== undefined) next.fill(fill, array.length);
  return next;
}

/** A column of GUID keys (lower case, as the index compares them), undefined where none. */
export class GuidColumn {
  words = new Uint32Array(0);
  kind = new Uint8Array(0);
  private readonly odd = new Map<number, string>();

  grow(capacity: number): void {
    this.words = grown(this.words, capacity * 4);
    this.kind = grown(this.kind, capacity);
  }

  set(i: number, key: string | undefined): void {
    if (key === undefined) this.kind[i] = NONE;
    else if (CANONICAL_GUID.test(key)) {
      this.kind[i] = WORDS;
      packGuid(key, this.words, i * 4);
    } else {
      this.kind[i] = ODD;
      this.odd.set(i, key);
    }
  }

  /**
   * Sets the key `keyOf(given)` gives: a GUID written `{8-4-4-4-12}` (either case) is packed as it
   * is, without a string made for it (its key is its lower case; none when all zeros).
   */
  setGiven(i: number, given: string | undefined, keyOf: (guid: string | undefined) => string | undefined): void {
    if (given === undefined || given.length !== 38 || !packGuid(given, this.words, i * 4)) return this.set(i, keyOf(given));
    const at = i * 4;
    this.kind[i] = this.words[at] !== 0 || this.words[at + 1] !== 0 || this.words[at + 2] !== 0 || this.words[at + 3] !== 0 ? WORDS : NONE;
  }

  get(i: number): string | undefined {
    const kind = this.kind[i];
    return kind === WORDS ? unpack(this.words, i * 4) : kind === ODD ? this.odd.get(i) : undefined;
  }

  has(i: number): boolean {
    return this.kind[i] !== NONE;
  }
}

/**
 * A packed GUID's hash, mixed so that every bit reaches the low ones a table's slot is taken from:
 * Sysmon's GUIDs share their first word per host and end in zero bytes, and a multiply alone
 * carries bits only upwards (without the final mix, 2,000 bench GUIDs fell in 500 slots of 32,768).
 */
export function guidHash(w: Uint32Array, at: number): number {
  let h = w[at] ^ Math.imul(w[at + 1], 0x9e3779b1) ^ Math.imul(w[at + 2], 0x85ebca6b) ^ Math.imul(w[at + 3], 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** GUID key -> the first index holding it, over a GuidColumn: open addressing on the words, a Map for the odd ones. */
export class GuidTable {
  private slots = new Int32Array(0); // index + 1, 0 empty
  private used = 0;
  private readonly odd = new Map<string, number>();
  private readonly probe = new Uint32Array(4);

  constructor(private readonly column: GuidColumn) {}

  /** The slot holding these words, or the empty slot where they would go. */
  private slotOf(w: Uint32Array, at: number): number {
    const mask = this.slots.length - 1;
    const own = this.column.words;
    for (let s = guidHash(w, at) & mask; ; s = (s + 1) & mask) {
      const held = this.slots[s];
      if (held === 0) return s;
      const o = (held - 1) * 4;
      if (own[o] === w[at] && own[o + 1] === w[at + 1] && own[o + 2] === w[at + 2] && own[o + 3] === w[at + 3]) return s;
    }
  }

  /** Makes index i (its column entry set) the holder of its key, unless an earlier index holds it. */
  addFirst(i: number): void {
    const kind = this.column.kind[i];
    if (kind === ODD) {
      const key = this.column.get(i)!;
      if (!this.odd.has(key)) this.odd.set(key, i);
      return;
    }
    if (kind !== WORDS) return;
    if ((this.used + 1) * 2 > this.slots.length) this.rehash();
    const s = this.slotOf(this.column.words, i * 4);
    if (this.slots[s] === 0) {
      this.slots[s] = i + 1;
      this.used++;
    }
  }

  private rehash(): void {
    const old = this.slots;
    this.slots = new Int32Array(Math.max(1024, old.length * 2));
    for (const held of old) if (held !== 0) this.slots[this.slotOf(this.column.words, (held - 1) * 4)] = held;
  }

  /** The first index with this key. */
  find(key: string): number | undefined {
    if (!CANONICAL_GUID.test(key)) return this.odd.get(key);
    if (this.used === 0) return undefined;
    packGuid(key, this.probe, 0);
    const held = this.slots[this.slotOf(this.probe, 0)];
    return held === 0 ? undefined : held - 1;
  }

  /** The first index with the key `other` holds at i. */
  findFrom(other: GuidColumn, i: number): number | undefined {
    const kind = other.kind[i];
    if (kind === ODD) return this.odd.get(other.get(i)!);
    if (kind !== WORDS || this.used === 0) return undefined;
    const held = this.slots[this.slotOf(other.words, i * 4)];
    return held === 0 ? undefined : held - 1;
  }
}

/** A pid's value when it is written in decimal without leading zeros, up to 9 digits, else -2. */
function pidValue(pid: string): number {
  if (pid.length === 0 || pid.length > 9 || (pid.length > 1 && pid.charCodeAt(0) === 0x30)) return -2;
  let v = 0;
  for (let i = 0; i < pid.length; i++) {
    const c = pid.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return -2;
    v = v * 10 + c;
  }
  return v;
}

/** A column of pids (as given), undefined where none. */
export class PidColumn {
  /** The pid's value, -1 none, -2 in `odd`. */
  values = new Float64Array(0);
  private readonly odd = new Map<number, string>();

  grow(capacity: number): void {
    this.values = grown(this.values, capacity);
  }

  set(i: number, pid: string | undefined): void {
    const v = pid === undefined ? -1 : pidValue(pid);
    if (v === -2) this.odd.set(i, pid!);
    this.values[i] = v;
  }

  get(i: number): string | undefined {
    const v = this.values[i];
    return v >= 0 ? String(v) : v === -2 ? this.odd.get(i) : undefined;
  }

  /** The key of (host, this pid) for the pid maps, or undefined without a pid. */
  keyAt(host: number, i: number): number | string | undefined {
    const v = this.values[i];
    return v >= 0 ? host * 0x100000000 + v : v === -2 ? pidKey(host, this.odd.get(i)!) : undefined;
  }
}

/** The key of a host (its index id) and a pid, as PidColumn.keyAt gives it. */
export function pidKey(host: number, pid: string): number | string {
  const v = pidValue(pid);
  return v >= 0 ? host * 0x100000000 + v : `${host}\0${pid}`;
}

/** The numbers of each process: grown together. */
export class ProcessColumns {
  count = 0;
  capacity = 0;
  seq = new Float64Array(0);
  at = new Float64Array(0);
  file = new Int32Array(0);
  host = new Int32Array(0);
  /** NaN: none. */
  line = new Float64Array(0);
  column = new Float64Array(0);
  chunk = new Float64Array(0);
  offset = new Float64Array(0);
  byteOffset = new Float64Array(0);
  byteLength = new Float64Array(0);
  deferred = new Uint8Array(0);
  readonly guid = new GuidColumn();
  readonly parentGuid = new GuidColumn();
  readonly pid = new PidColumn();
  readonly ppid = new PidColumn();

  /** The index of a new process; its columns are to be set. */
  push(): number {
    if (this.count === this.capacity) {
      // Four times larger each time (4,096 -> 16,384 -> 65,536 -> 262,144, just past the default
      // cap): each growth copies every column, and new typed arrays count against V8's external memory.
      const capacity = Math.max(4096, this.capacity * 4);
      this.seq = grown(this.seq, capacity);
      this.at = grown(this.at, capacity);
      this.file = grown(this.file, capacity);
      this.host = grown(this.host, capacity);
      this.line = grown(this.line, capacity);
      this.column = grown(this.column, capacity);
      this.chunk = grown(this.chunk, capacity);
      this.offset = grown(this.offset, capacity);
      this.byteOffset = grown(this.byteOffset, capacity);
      this.byteLength = grown(this.byteLength, capacity);
      this.deferred = grown(this.deferred, capacity);
      this.guid.grow(capacity);
      this.parentGuid.grow(capacity);
      this.pid.grow(capacity);
      this.ppid.grow(capacity);
      this.capacity = capacity;
    }
    return this.count++;
  }
}
