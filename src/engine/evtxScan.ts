/**
 * One pass over a binary `.evtx` file, the EVTX counterpart of scan.ts: chunk by chunk (one in
 * memory at a time), each record's EventID, Provider and Channel first (decodeHead), every field
 * only for records some rule wants, and the same Findings as a text log's pass.
 */
import { open, stat } from 'node:fs/promises';
import { Findings } from './findings';
import { HuntOptions } from './huntTypes';
import { leanNoteOf } from './lineage';
import { isProcessCreate, Malformed } from './model';
import { Detected } from './readers/detect';
import {
  ChunkRange,
  CHUNK_SIZE,
  decodeHead,
  decodeRecord,
  EvtxParsedRecord,
  EvtxProblem,
  FILE_HEADER_SIZE,
  headOf,
  plannedField,
  plannedRecord,
  PlannedRecord,
  planRecord,
  readEvtxFileChunks,
  renderRecordXml,
  xmlLocator,
} from './readers/evtx';
import { RuleEvent } from './rules/rule';
import { ruleEventOf } from './rules/ruleSet';
import { builtinRules, ruleSetOf } from './rules/load';
import { rangeIn } from './scan';
import { Scan } from './scanTypes';

export const EVTX_DETECTED: Detected = { family: 'evtx', framing: 'Windows event log' };
const MAGIC = 'ElfFile\0';

/** Do these first bytes open an `.evtx` file? Decided by content, as every other shape is. */
export function isEvtxHead(head: Uint8Array): boolean {
  return head.length >= MAGIC.length && Buffer.from(head.subarray(0, MAGIC.length)).toString('latin1') === MAGIC;
}

/** Is `path` a regular file that opens as `.evtx`? False on any error: the text path then explains it. */
export async function isEvtxFile(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false; // a FIFO would block the open
    const handle = await open(path, 'r');
    try {
      const head = Buffer.alloc(MAGIC.length);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      return isEvtxHead(head.subarray(0, bytesRead));
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
}

/** The first chunk offset at or after `offset`: where a part of a parallel hunt may start. */
export function chunkBoundary(offset: number): number {
  return offset <= FILE_HEADER_SIZE ? FILE_HEADER_SIZE : FILE_HEADER_SIZE + Math.ceil((offset - FILE_HEADER_SIZE) / CHUNK_SIZE) * CHUNK_SIZE;
}

/**
 * A planned record as rules see it, decoded on demand: a field the rules read is rendered from its
 * value alone; every value (a keyword rule) decodes the record whole (`full`).
 */
export function lazyEvent(planned: PlannedRecord, full: () => EvtxParsedRecord | undefined): RuleEvent {
  return {
    get: (name) => plannedField(planned, name),
    values: () => ruleEventOf(full()!).values(),
  };
}

function malformedOf(problem: EvtxProblem): Malformed {
  const place: Malformed['place'] = { offset: problem.offset };
  if (problem.chunkNumber !== undefined) place.chunk = problem.chunkNumber;
  if (problem.recordId !== undefined) place.recordId = String(problem.recordId);
  return { position: { line: 1, column: 1 }, message: problem.message, place };
}

/**
 * Hunts the chunks of `file` (those in `range`, for a worker's part). `bytesTotal` is what progress
 * counts against. Problems with the file, its chunks and its records become malformed entries.
 */
export async function scanEvtxFile(file: string, options: HuntOptions, bytesTotal: number, range?: ChunkRange): Promise<Scan> {
  const findings = new Findings(options, EVTX_DETECTED);
  const rules = ruleSetOf(options.rules ?? builtinRules());
  const plain = options.mode === 'plain';
  const fileProblems: EvtxProblem[] = [];
  const drain = () => fileProblems.splice(0).forEach((p) => findings.malformed(malformedOf(p)));
  const start = range?.start ?? 0;
  // Nothing of a chunk is kept past its loop (matches and notes hold strings), so its buffers are reused.
  for await (const chunk of readEvtxFileChunks(file, fileProblems, range, { reuse: true })) {
    options.signal?.throwIfAborted();
    drain();
    for (const ref of chunk.records) {
      // Most records read through their template's plan: the head first, then only the fields the
      // rules read (lazyEvent); the rest, and the plain path, decode as before.
      const planned = plain ? undefined : planRecord(chunk, ref);
      const head = planned ? headOf(planned) : decodeHead(chunk, ref);
      if (!head) continue; // reported on the chunk
      const processCreate = isProcessCreate(head);
      findings.countEvent(head.eventId, processCreate);
      // Lineage reads every Sysmon create and terminate, even those no rule wants.
      const lineage = findings.wantsProcesses && (processCreate || head.eventId === 5);
      // The fast path reads the rest only for an EventID some rule wants; the plain path always.
      const wanted = plain || rules.wants(head.eventId);
      if (!wanted && !lineage) continue;
      let record: EvtxParsedRecord | undefined;
      const full = () => (record ??= planned ? plannedRecord(chunk, ref, planned) : decodeRecord(chunk, ref));
      const place = { chunk: chunk.chunkNumber, offset: ref.fileOffset, ...(ref.recovered ? { recovered: true } : {}) };
      if (lineage) {
        if (planned && findings.leanProcesses) {
          // Only the ids, from the plan: the rest is read back for the processes a lineage names.
          const note = leanNoteOf(head, (name) => plannedField(planned, name), { place });
          if (note) findings.processNote(note);
        } else {
          if (!full()) continue;
          findings.process(record!, { place });
        }
      }
      if (!wanted) continue;
      let hits = planned && !record ? rules.evaluateLazily(head, lazyEvent(planned, full), plain) : undefined;
      if (!hits) {
        if (!full()) continue;
        hits = rules.evaluate(record!, plain);
      }
      if (hits.length === 0 || !full()) continue;
      const rendered = renderRecordXml(chunk, ref);
      const xml = rendered ?? '';
      const origin = { line: 1, column: 1 };
      // The fields are placed in this rendering, not in a second one.
      const located = { ...record!, locate: xmlLocator(() => rendered) };
      findings.matched(hits, located, rangeIn(xml, origin, 0, xml.length), (from, to) => rangeIn(xml, origin, from, to), place);
    }
    chunk.problems.forEach((p) => findings.malformed(malformedOf(p)));
    const done = Math.min(bytesTotal, chunk.offset + CHUNK_SIZE - start);
    options.onProgress?.({ bytesDone: done, bytesTotal, events: findings.scan.counts.events });
  }
  options.signal?.throwIfAborted();
  drain();
  return findings.scan;
}
