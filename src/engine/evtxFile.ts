/**
 * What a face shows of an `.evtx` file besides its matches: one record or one chunk as XML, and a
 * summary of the whole file. Reads only; one chunk in memory at a time.
 */
import { open, stat } from 'node:fs/promises';
import { RecordPlace } from './model';
import { CHUNK_SIZE, chunkNumberAt, decodeSystem, EvtxChunk, EvtxProblem, FILE_HEADER_SIZE, readChunk, readEvtxFileChunks, renderRecordXml } from './readers/evtx';
import { hex } from './readers/evtx/problems';
import { parseXmlRecord } from './readers/xmlRecord';

/** The chunk that holds file offset `offset`, read alone (its templates are its own). */
async function chunkAt(file: string, offset: number): Promise<EvtxChunk | undefined> {
  const start = FILE_HEADER_SIZE + chunkNumberAt(Math.max(FILE_HEADER_SIZE, offset)) * CHUNK_SIZE;
  const handle = await open(file, 'r');
  try {
    const bytes = Buffer.alloc(CHUNK_SIZE);
    const { bytesRead } = await handle.read(bytes, 0, CHUNK_SIZE, start);
    return bytesRead === 0 ? undefined : readChunk(bytes.subarray(0, bytesRead), chunkNumberAt(start), start);
  } finally {
    await handle.close();
  }
}

/** The record at `place` as XML (pretty: indented over lines, for reading), or undefined if none starts there. */
export async function readEvtxRecordXml(file: string, place: Pick<RecordPlace, 'offset'>, options: { pretty?: boolean } = {}): Promise<string | undefined> {
  const chunk = await chunkAt(file, place.offset);
  const ref = chunk?.records.find((r) => r.fileOffset === place.offset);
  return chunk && ref && renderRecordXml(chunk, ref, options);
}

/** Chunk `number` as an `<Events>` document of its records, one per line; undefined if the file has no such chunk. */
export async function readEvtxChunkXml(file: string, number: number): Promise<string | undefined> {
  const chunk = await chunkAt(file, FILE_HEADER_SIZE + number * CHUNK_SIZE);
  if (!chunk) return undefined;
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<Events>'];
  for (const ref of chunk.records) {
    const xml = renderRecordXml(chunk, ref);
    lines.push(xml ?? `<!-- record ${ref.recordId} at ${hex(ref.fileOffset)} cannot be read -->`);
  }
  lines.push('</Events>', '');
  return lines.join('\n');
}

/** What an `.evtx` holds, for the file's summary page. */
export interface EvtxSummary {
  bytes: number;
  records: number;
  /** Chunks in use (all-zero chunks are not counted). */
  chunks: number;
  /** Earliest and latest TimeCreated. */
  firstTime?: string;
  lastTime?: string;
  /** Records per Computer and per EventID, most first. */
  hosts: Record<string, number>;
  eventIds: Record<string, number>;
  /** Records per provider, most first. */
  providers: Record<string, number>;
  /** Damaged chunks and unreadable records, with where they are. */
  problems: EvtxProblem[];
}

function countInto(counts: Map<string, number>, key: string | undefined): void {
  const k = key ?? '?';
  counts.set(k, (counts.get(k) ?? 0) + 1);
}

function mostFirst(counts: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
}

/** Reads every record's System fields once: counts, time span, hosts, EventIDs and any damage. */
export async function summarizeEvtxFile(file: string, options: { signal?: AbortSignal; onProgress?: (bytesDone: number, bytesTotal: number) => void } = {}): Promise<EvtxSummary> {
  const bytes = (await stat(file)).size;
  const problems: EvtxProblem[] = [];
  const hosts = new Map<string, number>();
  const eventIds = new Map<string, number>();
  const providers = new Map<string, number>();
  const summary: EvtxSummary = { bytes, records: 0, chunks: 0, hosts: {}, eventIds: {}, providers: {}, problems };
  for await (const chunk of readEvtxFileChunks(file, problems)) {
    options.signal?.throwIfAborted();
    summary.chunks++;
    for (const ref of chunk.records) {
      const system = decodeSystem(chunk, ref);
      if (!system) continue;
      summary.records++;
      countInto(hosts, system.computer);
      countInto(eventIds, system.eventId === undefined ? undefined : String(system.eventId));
      countInto(providers, system.provider);
      const time = system.time;
      if (time && (!summary.firstTime || time < summary.firstTime)) summary.firstTime = time;
      if (time && (!summary.lastTime || time > summary.lastTime)) summary.lastTime = time;
    }
    problems.push(...chunk.problems);
    options.onProgress?.(Math.min(bytes, chunk.offset + CHUNK_SIZE), bytes);
  }
  summary.hosts = mostFirst(hosts);
  summary.eventIds = mostFirst(eventIds);
  summary.providers = mostFirst(providers);
  return summary;
}

/** The [from, to) span of `field`'s value in one record's XML (such as readEvtxRecordXml gives), if it is there. */
export function locateInRecordXml(xml: string, field: string): [number, number] | undefined {
  return parseXmlRecord(xml).locate(field);
}
