/**
 * The fuzzer's `.evtx` half (issue 10 item 6): bases from our own writer and the corpus's `.evtx`
 * files, mutations that break a binary log the ways disks and collectors do (byte flips, truncations,
 * zeroed ranges, chunks swapped or duplicated, header fields edited, junk after the last chunk), and
 * what each mutant must satisfy:
 *
 * - huntFile throws nothing but UnreadableInputError, and finishes (the case time limit);
 * - the fast path finds exactly the plain path's matches;
 * - two workers (threads 2, minParallelBytes 0) give exactly one thread's result (on a share of the
 *   cases: each parallel hunt starts two threads);
 * - every chunk of the base that is still whole, at a chunk slot of the mutant (wherever a swap or a
 *   copy put it), still gives its matches (same analytic, record id, images, command line, time, host).
 *   A chunk's templates and names are its own, so nothing outside it can take its matches away.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { huntFile } from '../../src/engine/hunt';
import { HuntResult } from '../../src/engine/huntTypes';
import { huntFileParallel } from '../../src/engine/parallel';
import { crc32 } from '../../src/engine/readers/evtx';
import { evtxCorpusEntries } from '../support/corpus';
import { servicesCmdEvtx, sysmonFile } from '../unit/evtx/writer';
import type { Base, Mutation, Rng } from './fuzz';
import { withFuzzRules } from './rules';

const HEADER = 4096;
const CHUNK = 65536;

/** What the `.evtx` oracle knows of a base: its chunks' bytes and, per chunk, the match keys a hunt of the base finds in it. */
export interface EvtxOracle {
  chunks: Buffer[];
  chunkKeys: string[][];
}

/** A file of `chunks` behind a header fixed as a writer would (first/last chunk, next record id, count, CRC). */
export function evtxOf(header: Buffer, chunks: Buffer[]): Buffer {
  const h = Buffer.from(header.subarray(0, HEADER));
  let next = 0;
  for (const c of chunks) next = Math.max(next, Number(c.readBigUInt64LE(32)) + 1);
  h.writeBigUInt64LE(0n, 8);
  h.writeBigUInt64LE(BigInt(Math.max(chunks.length - 1, 0)), 16);
  h.writeBigUInt64LE(BigInt(next), 24);
  h.writeUInt16LE(chunks.length, 42);
  h.writeUInt32LE(crc32(h.subarray(0, 120)), 124);
  return Buffer.concat([h, ...chunks]);
}

/** The chunk slots of `bytes` that are whole 64 KiB slices. */
function slots(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = HEADER; at + CHUNK <= bytes.length; at += CHUNK) out.push(bytes.subarray(at, at + CHUNK));
  return out;
}

/**
 * The `.evtx` bases: the writer's Sysmon file (three chunks, no match), its services -> cmd file
 * (one chunk, one match) and that chunk three times, and from the corpus each small file whole and
 * a few chunks of each large one, behind a fixed header.
 */
export async function loadEvtxBases(rng: Rng, makeKeys: (file: string) => Promise<HuntResult>, scratch: string, matchKey: (m: HuntResult['matches'][number]) => string): Promise<Base[]> {
  const inputs: [string, Buffer][] = [
    ['writer/sysmon.evtx', sysmonFile(3, 20)],
    ['writer/servicesCmd.evtx', servicesCmdEvtx()],
  ];
  const services = servicesCmdEvtx();
  inputs.push(['writer/servicesCmd-x3.evtx', evtxOf(services, [0, 0, 0].map(() => services.subarray(HEADER, HEADER + CHUNK)))]);
  for (const entry of evtxCorpusEntries() ?? []) {
    const bytes = readFileSync(entry.path);
    const chunks = slots(bytes).filter((c) => c.toString('latin1', 0, 8) === 'ElfChnk\0');
    if (chunks.length <= 1) {
      inputs.push([`corpus/${entry.file}`, bytes]);
      continue;
    }
    // Two or three chunks from a random place: a large file whole would make every case slow.
    const count = 2 + rng.int(2);
    const first = rng.int(Math.max(1, chunks.length - count + 1));
    inputs.push([`corpus/${entry.file}#${first}-${first + count - 1}`, evtxOf(bytes, chunks.slice(first, first + count))]);
  }
  const bases: Base[] = [];
  for (const [name, bytes] of inputs) {
    const file = path.join(scratch, `base${bases.length}.evtx`);
    writeFileSync(file, bytes);
    const result = await makeKeys(file);
    const chunks = slots(bytes);
    const chunkKeys = chunks.map(() => [] as string[]);
    for (const m of result.matches) chunkKeys[m.event.place?.chunk ?? 0]?.push(matchKey(m));
    bases.push({ name, bytes, oracle: true, family: 'evtx', records: [], keys: [], newlines: [], evtx: { chunks, chunkKeys } });
  }
  return bases;
}

/** One seeded mutation of an `.evtx` base; [a, b) is the span of the original it damaged. */
export function mutateEvtx(base: Base, rng: Rng): Mutation {
  const bytes = base.bytes;
  const n = bytes.length;
  const chunks = Math.max(0, Math.floor((n - HEADER) / CHUNK));
  const kinds = ['bitflip', 'bitflips', 'truncate', 'truncate-in-record', 'zero-range', 'zero-chunk', 'chunk-swap', 'chunk-duplicate', 'header-edit', 'junk-after', 'random-bytes'] as const;
  const kind = rng.pick(kinds);
  const out = Buffer.from(bytes);
  const at = rng.int(n);
  switch (kind) {
    case 'bitflip':
      out[at] ^= 1 << rng.int(8);
      return { input: out, kind, a: at, b: at + 1 };
    case 'bitflips':
      return { input: out, kind, a: at, b: rng.flipBurst(out, at, 8, 256) + 1 };
    case 'truncate':
      return { input: bytes.subarray(0, at), kind, a: at, b: n };
    case 'truncate-in-record': {
      // Inside a record: a cut a few bytes past a record magic (0x2a2a0000), where framing is tested hardest.
      const starts: number[] = [];
      for (let i = bytes.indexOf('**\0\0', HEADER, 'latin1'); i >= 0 && starts.length < 400; i = bytes.indexOf('**\0\0', i + 4, 'latin1')) starts.push(i);
      const cut = starts.length ? Math.min(n, rng.pick(starts) + 1 + rng.int(600)) : at;
      return { input: bytes.subarray(0, cut), kind, a: cut, b: n };
    }
    case 'zero-range': {
      const end = Math.min(n, at + 1 + rng.int(rng.next() < 0.3 ? 8192 : 64));
      out.fill(0, at, end);
      return { input: out, kind, a: at, b: end };
    }
    case 'zero-chunk': {
      if (chunks === 0) return { input: bytes.subarray(0, at), kind: 'truncate', a: at, b: n };
      const c = rng.int(chunks);
      const from = HEADER + c * CHUNK;
      out.fill(0, from, from + CHUNK);
      return { input: out, kind, a: from, b: from + CHUNK };
    }
    case 'chunk-swap': {
      if (chunks < 2) return { input: out, kind: 'none', a: n, b: n };
      const i = rng.int(chunks);
      const j = (i + 1 + rng.int(chunks - 1)) % chunks;
      bytes.copy(out, HEADER + j * CHUNK, HEADER + i * CHUNK, HEADER + (i + 1) * CHUNK);
      bytes.copy(out, HEADER + i * CHUNK, HEADER + j * CHUNK, HEADER + (j + 1) * CHUNK);
      // Whole chunks moved: nothing inside any chunk was damaged (the span is empty).
      return { input: out, kind, a: n, b: n };
    }
    case 'chunk-duplicate': {
      if (chunks === 0) return { input: out, kind: 'none', a: n, b: n };
      const i = rng.int(chunks);
      const copy = bytes.subarray(HEADER + i * CHUNK, HEADER + (i + 1) * CHUNK);
      if (rng.next() < 0.5 || chunks < 2) return { input: Buffer.concat([bytes.subarray(0, HEADER + chunks * CHUNK), copy, bytes.subarray(HEADER + chunks * CHUNK)]), kind, a: n, b: n };
      const j = rng.int(chunks);
      copy.copy(out, HEADER + j * CHUNK);
      return { input: out, kind: 'chunk-overwrite', a: HEADER + j * CHUNK, b: HEADER + (j + 1) * CHUNK };
    }
    case 'header-edit': {
      // A header field set to a random value, then (most of the time) the header CRC fixed, as a
      // tool that rewrote the header would; else the CRC is left stale.
      const fields: [number, number][] = [[8, 8], [16, 8], [24, 8], [32, 4], [36, 2], [38, 2], [40, 2], [42, 2], [120, 4], [124, 4], [rng.int(8), 1]];
      const [off, size] = rng.pick(fields);
      for (let k = 0; k < size; k++) out[off + k] = rng.next() < 0.3 ? 0xff : rng.int(256);
      if (off !== 124 && off >= 8 && rng.next() < 0.7) out.writeUInt32LE(crc32(out.subarray(0, 120)), 124);
      return { input: out, kind, a: off, b: off + size };
    }
    case 'junk-after': {
      const length = rng.pick([1, 7, 512, 4096, CHUNK - 1, CHUNK]);
      const junk = Buffer.alloc(length);
      for (let i = 0; i < length; i++) junk[i] = rng.next() < 0.5 ? 0 : rng.int(256);
      if (length === CHUNK && rng.next() < 0.5) junk.write('ElfChnk\0', 0, 'latin1'); // a chunk header that fails every check
      return { input: Buffer.concat([bytes, junk]), kind, a: n, b: n };
    }
    case 'random-bytes': {
      const end = Math.min(n, at + 1 + rng.int(32));
      for (let i = at; i < end; i++) out[i] = rng.int(256);
      return { input: out, kind, a: at, b: end };
    }
  }
}

/** Everything but the timing. */
function comparable(result: HuntResult): string {
  const { seconds: _seconds, ...summary } = result.summary;
  return JSON.stringify({ summary, matches: result.matches, malformed: result.malformed });
}

function count(keys: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
}

/** How often a case also runs the two-worker hunt: it starts two threads that compile the rules again (about 1 s on a loaded 2-core box, fifty times the rest of a case; at 2% an .evtx case costs about twice a text case). */
const PARALLEL_SHARE = 0.02;

/** Checks one mutated `.evtx`; undefined when it passes, else why it failed. */
export async function checkEvtxCase(
  base: Base,
  mutation: Mutation,
  file: string,
  rng: Rng,
  guarded: (run: () => Promise<HuntResult>, what: string) => Promise<HuntResult | Error>,
  matchKey: (m: HuntResult['matches'][number]) => string,
): Promise<string | undefined> {
  writeFileSync(file, mutation.input);
  const all = withFuzzRules({ maxStoredMatches: Infinity });
  const fast = await guarded(() => huntFile(file, { ...all, mode: 'fast' }), 'fast');
  const plain = await guarded(() => huntFile(file, { ...all, mode: 'plain' }), 'plain');
  if (fast instanceof Error || plain instanceof Error) {
    if (!(fast instanceof Error && plain instanceof Error)) return 'fast and plain disagree on refusing the file';
    return undefined;
  }
  if (JSON.stringify(fast.matches) !== JSON.stringify(plain.matches)) return `fast found ${fast.matches.length} matches, plain ${plain.matches.length}, or other ones`;
  if (rng.next() < PARALLEL_SHARE) {
    const two = await guarded(() => huntFileParallel(file, { ...all, mode: 'fast', threads: 2, minParallelBytes: 0 }), 'two workers');
    if (two instanceof Error) return `two workers refused the file: ${two.message}`;
    if (comparable(two) !== comparable(fast)) return 'two workers gave another result than one thread';
  }
  // A mutant whose head no longer opens as EVTX is hunted (or refused) as text: no chunk promise then.
  if (!fast.summary.format.startsWith('evtx')) return undefined;
  const oracle = base.evtx!;
  const expected: string[] = [];
  for (const slot of slots(mutation.input)) {
    const i = oracle.chunks.findIndex((c) => c.equals(slot));
    if (i >= 0) expected.push(...oracle.chunkKeys[i]);
  }
  const found = count(fast.matches.map(matchKey));
  for (const [key, n] of count(expected)) {
    if ((found.get(key) ?? 0) < n) return `a whole chunk's match was lost: ${key} (${found.get(key) ?? 0} of ${n})`;
  }
  return undefined;
}
