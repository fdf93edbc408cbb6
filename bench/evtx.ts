/**
 * The bench's `.evtx` logs, made from REAL chunks: the used 64 KiB chunks of the `.evtx` files in
 * ../shared/corpus (read at bench time, never copied into the repository), picked by their records'
 * EventIDs for a mix and repeated, whole, to the target size behind a file header whose chunk
 * count, last chunk, next record id and CRC are fixed as a real file's would be. Chunks are copied
 * whole, so their own CRCs stay valid; their record ids repeat from one copy to the next.
 *
 * The truth of a file (events, process creates, CAR-2014-05-002 matches) is the sum, over its
 * chunks, of what a hunt of each chunk alone finds: the bench then checks that the big file, on one
 * thread and on workers, finds exactly that.
 *
 * The corpus's chunks set what a mix can be: PanacheSysmon's (and most of the persistence sample's)
 * are 80-100% process creates, so the incident mix is easy; no real chunk has fewer than 21% process
 * creates, so the "production" file is the low-create chunks (under 60%), and its real share is
 * printed beside it (about 40%, not issue 11's 15%).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Mix } from './generate';

export interface EvtxTruth {
  bytes: number;
  events: number;
  processCreates: number;
  matches: number;
  chunks: number;
  /** The distinct real chunks the file repeats, as `file#chunk` with their record and process-create counts. */
  sources: { name: string; events: number; processCreates: number; matches: number; usedBytes: number }[];
  /** Bytes of the chunks that hold records (header + records), over the file's bytes. */
  usedShare: number;
}

/** <repo>/../shared/corpus, or LOG_HUNT_CORPUS_DIR; found from this file's place via the nearest package.json. */
export function corpusDir(): string {
  if (process.env.LOG_HUNT_CORPUS_DIR) return path.resolve(process.env.LOG_HUNT_CORPUS_DIR);
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, '..', 'shared', 'corpus');
}

interface RealChunk {
  name: string;
  bytes: Buffer;
  events: number;
  processCreates: number;
  matches: number;
  lastRecordId: number;
  usedBytes: number;
}

/** Every used chunk of the corpus's `.evtx` files that passes its checks, with what a hunt of it alone finds. */
export async function realChunks(): Promise<RealChunk[]> {
  const { CHUNK_SIZE, FILE_HEADER_SIZE, readEvtxChunks } = await import('../src/engine/readers/evtx');
  const { huntFile } = await import('../src/engine/hunt');
  const { loadRules } = await import('../src/engine/rules/load');
  const rules = await loadRules({ ids: ['CAR-2014-05-002'] });
  const dir = corpusDir();
  if (!fs.existsSync(dir)) throw new Error(`the EVTX rows need the corpus's .evtx files at ${dir} (or LOG_HUNT_CORPUS_DIR)`);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.evtx')).sort();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'log-hunt-bench-evtx-'));
  const out: RealChunk[] = [];
  try {
    for (const f of files) {
      const buf = fs.readFileSync(path.join(dir, f));
      for (const chunk of readEvtxChunks(buf)) {
        if (chunk.problems.length > 0 || chunk.records.length === 0) continue;
        const bytes = Buffer.from(buf.subarray(chunk.offset, chunk.offset + CHUNK_SIZE));
        // The chunk alone, behind a header, hunted as the big file will be: its share of the truth.
        const one = path.join(tmp, 'one.evtx');
        fs.writeFileSync(one, Buffer.concat([fileHeader(buf.subarray(0, FILE_HEADER_SIZE), 1, chunk.lastRecordId + 1), bytes]));
        const { summary } = await huntFile(one, { rules });
        out.push({
          name: `${f}#${chunk.chunkNumber}`,
          bytes,
          events: summary.events,
          processCreates: summary.processCreates,
          matches: summary.matches,
          lastRecordId: chunk.lastRecordId,
          usedBytes: bytes.readUInt32LE(48),
        });
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}

/**
 * A real file header (the first corpus file's), with the fields a writer keeps fixed: first chunk 0,
 * last chunk, next record id, the chunk count (16 bits, as the format has it), clean flags, and the
 * CRC32 of its first 120 bytes at 124 (what file.ts readFileHeader checks).
 */
export function fileHeader(real: Buffer, chunks: number, nextRecordId: number): Buffer {
  const b = Buffer.from(real.subarray(0, 4096));
  b.writeBigUInt64LE(0n, 8);
  b.writeBigUInt64LE(BigInt(Math.max(chunks - 1, 0)), 16);
  b.writeBigUInt64LE(BigInt(nextRecordId), 24);
  b.writeUInt16LE(Math.min(chunks, 0xffff), 42);
  b.writeUInt32LE(0, 120); // not dirty, not full
  b.writeUInt32LE(crc32(b.subarray(0, 120)), 124);
  return b;
}

function crc32(buf: Buffer): number {
  // zlib.crc32 is Node 20.15+; the engine's own has the fallback.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../src/engine/readers/evtx/crc32') as typeof import('../src/engine/readers/evtx/crc32')).crc32(buf);
}

const share = (c: { events: number; processCreates: number }) => (c.events ? c.processCreates / c.events : 0);

/** The chunks a mix repeats: incident, those of 80% process creates or more; production, those under 60%. */
export function chunksFor(mix: Mix, all: RealChunk[]): RealChunk[] {
  return all.filter((c) => (mix === 'incident' ? share(c) >= 0.8 : share(c) < 0.6));
}

/** A short fingerprint of the chunks a file repeats: the cache key changes when the corpus does. */
export function fingerprint(chunks: RealChunk[]): string {
  const h = createHash('sha1');
  for (const c of chunks) h.update(c.name).update(c.bytes);
  return h.digest('hex').slice(0, 10);
}

/** Writes the `.evtx` of `mix` to `file`: its chunks in turn, repeated until the file holds `targetBytes`. */
export async function buildEvtx(targetBytes: number, picked: RealChunk[], file: string): Promise<EvtxTruth> {
  const { CHUNK_SIZE, FILE_HEADER_SIZE } = await import('../src/engine/readers/evtx');
  if (picked.length === 0) throw new Error('no corpus chunk fits this mix');
  const chunks = Math.max(1, Math.ceil((targetBytes - FILE_HEADER_SIZE) / CHUNK_SIZE));
  if (chunks > 0xffff) throw new Error(`${chunks} chunks: more than an .evtx header can count`);
  const first = fs.readFileSync(path.join(corpusDir(), picked[0].name.replace(/#\d+$/, '')));
  const nextRecordId = Math.max(...picked.map((c) => c.lastRecordId)) + 1;
  const truth: EvtxTruth = { bytes: FILE_HEADER_SIZE + chunks * CHUNK_SIZE, events: 0, processCreates: 0, matches: 0, chunks, sources: [], usedShare: 0 };
  let used = 0;
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, fileHeader(first, chunks, nextRecordId));
    const batch: Buffer[] = [];
    for (let i = 0; i < chunks; i++) {
      const c = picked[i % picked.length];
      truth.events += c.events;
      truth.processCreates += c.processCreates;
      truth.matches += c.matches;
      used += c.usedBytes;
      batch.push(c.bytes);
      if (batch.length === 64 || i === chunks - 1) fs.writeSync(fd, Buffer.concat(batch.splice(0)));
    }
  } finally {
    fs.closeSync(fd);
  }
  truth.sources = picked.map(({ name, events, processCreates, matches, usedBytes }) => ({ name, events, processCreates, matches, usedBytes }));
  truth.usedShare = used / (chunks * CHUNK_SIZE);
  return truth;
}

/** One line about a file: its chunks, process-create share, how full its chunks are. */
export function describeEvtx(t: EvtxTruth): string {
  const pc = (100 * share(t)).toFixed(1);
  return `${t.chunks} chunks (${t.sources.length} distinct real ones, repeated), ${t.events} records, ${pc}% process creates, chunks ${(100 * t.usedShare).toFixed(0)}% full`;
}
