/**
 * The fuzzer's engine, shared by `npm run fuzz` (run.ts) and the unit suite: seeded bases,
 * mutations that say which bytes they damaged, and the checks one mutated input must pass.
 *
 * The promise checked ("events untouched by a mutation are still counted and matched"), precisely:
 * frame the original into records; a mutation damages the byte span [a, b) of the original (an
 * insertion has a == b). Every record that does not touch that span, and is not the nearest record
 * on either side of it, is "untouched", and each must still be counted as an event and, if it
 * matched in the original, matched again (same analytic, record id, images, command line, time,
 * host). Two exemptions are by design, not bugs: when the mutation changes the shape detected from
 * the head, and in JSON, records on the same line after the damage (a broken string or brace on a
 * single-line array can only be resynchronised at a newline).
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { generateLogInMemory } from '../../bench/generate';
import { sniffEncoding, UnreadableInputError } from '../../src/engine/decode';
import { huntFile, huntSource, huntText } from '../../src/engine/hunt';
import { HuntOptions, HuntResult } from '../../src/engine/huntTypes';
import { Match } from '../../src/engine/model';
import { detectShape, framerFor } from '../../src/engine/readers/detect';
import { ByteWindow } from '../../src/engine/window';
import { corpusEntriesIfAny } from '../support/corpus';
import { quickXmlDisagreement } from '../support/quickXml';
import { shapeFixtures } from '../support/shapes';
import { checkEvtxCase, EvtxOracle, loadEvtxBases, mutateEvtx } from './evtx';
import { fuzzTimeFactor, withFuzzRules } from './rules';

/** mulberry32: small, fast, and the same on every machine. */
export class Rng {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  next(): number {
    let t = (this.a = (this.a + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  /** Flips one bit at each of 1 to `maxFlips` places within `span` bytes from `start`; returns the last byte it may have touched. */
  flipBurst(out: Buffer, start: number, maxFlips: number, span: number): number {
    let hi = start;
    for (let k = 1 + this.int(maxFlips); k > 0; k--) {
      const q = Math.min(out.length - 1, start + this.int(span));
      out[q] ^= 1 << this.int(8);
      hi = Math.max(hi, q);
    }
    return hi;
  }
}

/** The generator for case `index` of a run with `seed`: each case is reproducible on its own. */
export function caseRng(seed: number, index: number): Rng {
  return new Rng(Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(index, 0x85ebca6b));
}

export interface Base {
  name: string;
  bytes: Buffer;
  /** False for inputs only checked for crashes and hangs (BOMs, UTF-16): their offsets are not the framer's. */
  oracle: boolean;
  family?: 'xml' | 'json' | 'evtx';
  /** `.evtx` bases (evtx.ts): their chunks and each chunk's match keys. */
  evtx?: EvtxOracle;
  /** Byte ranges of the records, in order. */
  records: [number, number][];
  /** Per record: the match keys it produces alone (empty when it does not match). */
  keys: string[][];
  newlines: number[];
}

export function matchKey(m: Match): string {
  const e = m.event;
  const f = e.fields;
  return [m.analyticId, e.recordId, f.image_path, f.parent_image_path, f.command_line, e.time, f.hostname].join('|');
}

/** Frames a whole buffer with the engine's own framer (the original is well-formed). */
function frameAll(bytes: Buffer, family: 'xml' | 'json'): [number, number][] {
  const window = new ByteWindow();
  window.append(bytes);
  const records: [number, number][] = [];
  framerFor(family).frame(window, true, {
    record: (start, end) => records.push([start, end]),
    malformed: () => undefined,
  });
  return records;
}

async function makeBase(name: string, bytes: Buffer, oracle: boolean): Promise<Base> {
  const base: Base = { name, bytes, oracle, records: [], keys: [], newlines: [] };
  if (!oracle) return base;
  const detected = detectShape(bytes, true);
  if (!detected) return { ...base, oracle: false };
  base.family = detected.family;
  base.records = frameAll(bytes, detected.family);
  for (const [start, end] of base.records) {
    const alone = await huntText(bytes.toString('utf8', start, end), name, withFuzzRules({ mode: 'plain' }));
    base.keys.push(alone.matches.map(matchKey));
  }
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) base.newlines.push(i);
  return base;
}

/** A slice of whole records of `bytes`, from the line of record i (keeping its indentation) to the end of record j. */
function recordSlice(bytes: Buffer, records: [number, number][], i: number, j: number): Buffer {
  let start = records[i][0];
  while (start > 0 && (bytes[start - 1] === 0x20 || bytes[start - 1] === 0x09)) start--;
  return bytes.subarray(start, records[j][1]);
}

/**
 * The inputs mutated: the shape fixtures; the shared corpus (small files whole, larger ones as
 * seeded slices of a few records, preferring ones with matches); and small generated logs.
 */
export async function loadBases(seed: number): Promise<Base[]> {
  const rng = new Rng(seed);
  const bases: Base[] = [];
  for (const [name, bytes] of Object.entries(shapeFixtures())) {
    const plain = bytes[0] !== 0xef && bytes[0] !== 0xff && bytes[0] !== 0xfe;
    bases.push(await makeBase(`fixture/${name}`, bytes, plain));
  }
  for (const entry of corpusEntriesIfAny('fuzz bases')) {
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(entry.path);
    const utf8 = bytes[0] !== 0xef && bytes[0] !== 0xff && bytes[0] !== 0xfe;
    if (bytes.length <= 24_000 || !utf8) {
      if (bytes.length <= 200_000) bases.push(await makeBase(`corpus/${entry.file}`, bytes, utf8));
      continue;
    }
    const detected = detectShape(bytes, true)!;
    const records = frameAll(bytes, detected.family);
    const alone = await huntFile(entry.path, withFuzzRules({ mode: 'plain' }));
    const matchLines = new Set(alone.matches.map((m) => m.event.range.start.line));
    for (let k = 0; k < 4 && records.length > 0; k++) {
      const count = 2 + rng.int(10);
      // Half the slices start just before a match, so the oracle has matches to look for.
      let first = rng.int(records.length);
      if (k % 2 === 0 && matchLines.size > 0) {
        const line = rng.pick([...matchLines]);
        const at = records.findIndex(([start]) => bytes.subarray(0, start).toString('latin1').split('\n').length >= line);
        if (at >= 0) first = Math.max(0, at - rng.int(3));
      }
      const last = Math.min(records.length - 1, first + count);
      bases.push(await makeBase(`corpus/${entry.file}#${first}-${last}`, Buffer.from(recordSlice(bytes, records, first, last)), true));
    }
  }
  for (const shape of ['eventviewer', 'wevtutil', 'ecs'] as const) {
    const { bytes } = await generateLogInMemory({ shape, targetBytes: 12_000, seed, matchEvery: 4 });
    bases.push(await makeBase(`generated/${shape}`, bytes, true));
  }
  // The .evtx bases, each with the match keys of its chunks (hunted from a scratch file).
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const scratch = mkdtempSync(path.join(tmpdir(), 'log-hunt-fuzz-bases-'));
  try {
    bases.push(...(await loadEvtxBases(rng, (file) => huntFile(file, withFuzzRules({ mode: 'plain', maxStoredMatches: Infinity })), scratch, matchKey)));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return bases;
}

export interface Mutation {
  input: Buffer;
  kind: string;
  /** The damaged span of the original, [a, b). */
  a: number;
  b: number;
}

const SPECIALS = [
  '\u0000', '\n', '"', '\\', '{', '}', '[', ']', ',', ':', '<', '>', '&', '&lol;', '&#x0;', '<Event>', '</Event>', '<Event ',
  '<![CDATA[', ']]>', '<!--', '-->', '<?xml version="1.0"?>', '<!DOCTYPE x [<!ENTITY e "cmd.exe">]>', '\r', '\ufeff', '\u202e',
  'Record 7\n', '{"EventID":1}', '\\u0000', '"EventID": 1,', '<EventID>1</EventID>', '</System>', '<System>',
  '<!---->', '<![CDATA[]]>', '<?x?>', '&#99;', '\\u0063',
].map((s) => Buffer.from(s, 'utf8'));

const LITERALS = ['cmd.exe', 'services.exe'];
const SPLITTERS = ['<!---->', '<![CDATA[]]>', '<?x?>', '<!-- a -->', '&#46;', '&amp;', '\\u002e', '\\', '"', '\u212a', '\u0130', '\u0000', '<', '&'].map((s) => Buffer.from(s, 'utf8'));

/** Spans of tags (XML `<...>`) or structural characters (JSON), for duplicate and remove. */
function tagSpans(bytes: Buffer, family: 'xml' | 'json' | undefined, rng: Rng): [number, number] | undefined {
  for (let tries = 0; tries < 20; tries++) {
    const at = rng.int(bytes.length);
    if (family === 'json') {
      const c = bytes[at];
      if (c === 0x7b || c === 0x7d || c === 0x5b || c === 0x5d || c === 0x22 || c === 0x2c || c === 0x3a) return [at, at + 1];
      continue;
    }
    const open = bytes.lastIndexOf(0x3c, at);
    if (open < 0) continue;
    const close = bytes.indexOf(0x3e, open);
    if (close < 0 || close - open > 400) continue;
    return [open, close + 1];
  }
  return undefined;
}

/** One seeded mutation of `bytes`; `donor` supplies bytes for splices. */
export function mutate(base: Base, donor: Base, rng: Rng): Mutation {
  if (base.family === 'evtx') return mutateEvtx(base, rng);
  const bytes = base.bytes;
  const n = bytes.length;
  const at = rng.int(n + 1);
  const kind = rng.pick(['bitflip', 'bitflips', 'truncate', 'splice', 'duplicate-tag', 'remove-tag', 'random-bytes', 'delete', 'special', 'split-literal'] as const);
  const insert = (what: Buffer, where = at): Mutation => ({
    input: Buffer.concat([bytes.subarray(0, where), what, bytes.subarray(where)]),
    kind,
    a: where,
    b: where,
  });
  switch (kind) {
    case 'bitflip': {
      const p = Math.min(at, n - 1);
      const out = Buffer.from(bytes);
      out[p] ^= 1 << rng.int(8);
      return { input: out, kind, a: p, b: p + 1 };
    }
    case 'bitflips': {
      // A small burst: a few flips within 64 bytes.
      const p = Math.min(at, n - 1);
      const out = Buffer.from(bytes);
      return { input: out, kind, a: p, b: rng.flipBurst(out, p, 6, 64) + 1 };
    }
    case 'truncate':
      return { input: bytes.subarray(0, at), kind, a: at, b: n };
    case 'splice': {
      const from = rng.int(donor.bytes.length);
      const length = 1 + rng.int(rng.next() < 0.2 ? 2000 : 120);
      return insert(donor.bytes.subarray(from, from + length));
    }
    case 'duplicate-tag': {
      const span = tagSpans(bytes, base.family, rng);
      return span ? insert(Buffer.from(bytes.subarray(span[0], span[1]))) : insert(rng.pick(SPECIALS));
    }
    case 'remove-tag': {
      const span = tagSpans(bytes, base.family, rng);
      if (!span) return insert(rng.pick(SPECIALS));
      return { input: Buffer.concat([bytes.subarray(0, span[0]), bytes.subarray(span[1])]), kind, a: span[0], b: span[1] };
    }
    case 'random-bytes': {
      const length = 1 + rng.int(16);
      const noise = Buffer.alloc(length);
      for (let i = 0; i < length; i++) noise[i] = rng.int(256);
      const end = Math.min(n, at + length);
      return { input: Buffer.concat([bytes.subarray(0, at), noise, bytes.subarray(end)]), kind, a: at, b: end };
    }
    case 'delete': {
      const end = Math.min(n, at + 1 + rng.int(rng.next() < 0.2 ? 500 : 20));
      return { input: Buffer.concat([bytes.subarray(0, at), bytes.subarray(end)]), kind, a: at, b: end };
    }
    case 'special':
      return insert(rng.pick(SPECIALS));
    case 'split-literal': {
      // Aimed at the fast path: markup or an escape inside a word the analytics look for.
      const text = bytes.toString('latin1').toLowerCase();
      const hits: number[] = [];
      for (const word of LITERALS) for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) hits.push(i + 1 + rng.int(word.length - 1));
      return insert(rng.pick(SPLITTERS), hits.length > 0 ? rng.pick(hits) : at);
    }
  }
}

/** Every mutated input takes well under a second; this bound catches runaway (quadratic) work. */
export const CASE_TIME_LIMIT_MS = 10_000;

/**
 * What must be identical whatever the chunk size: everything but the timing, and the matches'
 * lineage, which huntFile attaches and huntSource (the chunked hunt here) does not.
 */
function comparable(result: HuntResult) {
  const { seconds: _seconds, ...summary } = result.summary;
  const matches = result.matches.map(({ lineage: _lineage, ...m }) => m);
  return JSON.stringify({ summary, matches, malformed: result.malformed });
}

/** Hunts bytes already in memory in chunks of `chunkSize`, through the same loop as huntFile. */
function huntBytes(bytes: Buffer, name: string, chunkSize: number, options: HuntOptions): Promise<HuntResult> {
  let done = 0;
  async function* chunks(): AsyncGenerator<Buffer> {
    for (; done < bytes.length; done += chunkSize) yield bytes.subarray(done, done + chunkSize);
  }
  return huntSource(
    { encoding: 'utf-8', bomLength: 0, bytesTotal: bytes.length, chunks: chunks(), bytesRead: () => Math.min(done, bytes.length), close: async () => undefined },
    name,
    options,
  );
}

/** A hunt that may reject only with UnreadableInputError; anything else is a crash past the API. */
async function guarded(run: () => Promise<HuntResult>, what: string): Promise<HuntResult | UnreadableInputError> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof UnreadableInputError) return err;
    throw new Error(`${what}: threw past the API: ${(err as Error)?.stack ?? String(err)}`, { cause: err });
  }
}

function count(keys: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
}

/** Checks one mutated input; returns undefined when it passes, else why it failed. */
export async function checkCase(base: Base, mutation: Mutation, file: string, rng: Rng): Promise<string | undefined> {
  const started = performance.now();
  if (base.family === 'evtx') {
    const reason = await checkEvtxCase(base, mutation, file, rng, guarded, matchKey);
    const took = performance.now() - started;
    return reason ?? (took > CASE_TIME_LIMIT_MS * fuzzTimeFactor() ? `took ${took.toFixed(0)} ms` : undefined);
  }
  writeFileSync(file, mutation.input);
  // The fast path reads plain XML records with the quick reader, the plain path with SAX: on every
  // record of the mutated input, the quick reader must give SAX's record or leave it to SAX.
  const quick = quickXmlDisagreement(mutation.input);
  if (quick) return quick;
  const all = withFuzzRules({ maxStoredMatches: Infinity });
  const fast = await guarded(() => huntFile(file, { ...all, mode: 'fast' }), 'fast');
  const plain = await guarded(() => huntFile(file, { ...all, mode: 'plain' }), 'plain');
  if (fast instanceof UnreadableInputError || plain instanceof UnreadableInputError) {
    if (!(fast instanceof UnreadableInputError && plain instanceof UnreadableInputError)) return 'fast and plain disagree on refusing the file';
    return undefined;
  }
  // A match present in plain must be present in fast (counts may differ on broken records).
  const fastMatches = count(fast.matches.map((m) => JSON.stringify(m)));
  for (const [m, n] of count(plain.matches.map((m) => JSON.stringify(m)))) {
    if ((fastMatches.get(m) ?? 0) < n) return `plain path found a match the fast path missed: ${m}`;
  }
  // The promises below hold while the file still reads as UTF-8 without BOM: a mutation can make it
  // read as UTF-16 (a NUL beside its first byte), and then every record is other text.
  const sniffed = sniffEncoding(mutation.input);
  const readsAsBase = base.oracle && sniffed.encoding === 'utf-8' && sniffed.bomLength === 0;
  // Chunk boundaries never change anything (for UTF-8 without BOM, the bytes hunted are the file's).
  if (readsAsBase) {
    const chunkSize = rng.pick([1, 2, 3, 5, 7, 13, 64, 1000, 4093]);
    const mode = rng.pick(['fast', 'plain'] as const);
    const chunked = await guarded(() => huntBytes(mutation.input, file, chunkSize, { ...all, mode }), `chunks of ${chunkSize}`);
    const whole = mode === 'fast' ? fast : plain;
    if (!(chunked instanceof UnreadableInputError) && comparable(chunked) !== comparable(whole)) {
      return `chunk size ${chunkSize} (${mode}) changed the result`;
    }
  }
  const untouched = readsAsBase ? untouchedRecords(base, mutation) : undefined;
  if (untouched && fast.summary.format.split(' ')[0] === base.family) {
    if (fast.summary.events < untouched.length) return `only ${fast.summary.events} events counted, ${untouched.length} records untouched`;
    const found = count(fast.matches.map(matchKey));
    for (const [key, n] of count(untouched.flatMap((i) => base.keys[i]))) {
      if ((found.get(key) ?? 0) < n) return `an untouched record's match was lost: ${key}`;
    }
  }
  const ms = performance.now() - started;
  if (ms > CASE_TIME_LIMIT_MS * fuzzTimeFactor()) return `took ${ms.toFixed(0)} ms`;
  return undefined;
}

/** Indices of the records the promise covers for this mutation (see the file comment). */
export function untouchedRecords(base: Base, { a, b }: Mutation): number[] {
  const recs = base.records;
  const touches = (i: number) => recs[i][0] <= b && recs[i][1] >= a; // adjacent counts as touching
  let before = -1;
  let after = recs.length;
  for (let i = 0; i < recs.length; i++) {
    if (recs[i][1] < a && !touches(i)) before = i;
    if (recs[i][0] > b && !touches(i) && after === recs.length) after = i;
  }
  const out: number[] = [];
  for (let i = 0; i < recs.length; i++) {
    if (touches(i) || i === before || i === after) continue;
    if (base.family === 'json' && recs[i][0] > b && !base.newlines.some((nl) => nl >= b && nl < recs[i][0])) continue;
    out.push(i);
  }
  return out;
}

export function extensionOf(base: Base): string {
  return path.extname(base.name.replace(/#.*$/, '')) || '.log';
}
