/** What the EVTX reader reports instead of throwing. */

/** One thing wrong with a file, a chunk or a record. Offsets are in the file. */
export interface EvtxProblem {
  /** The chunk's number in the file (0 = the first chunk after the header); absent for the file header. */
  chunkNumber?: number;
  /** Where in the file the problem is (the chunk's, or the record's, offset). */
  offset: number;
  /** The record's EventRecordID, when the problem is a record's. */
  recordId?: number;
  /** What failed, in words. */
  message: string;
}

/** Thrown inside the decoder for bad data; caught at the record or chunk boundary and turned into an EvtxProblem. */
export class EvtxFormatError extends Error {}

/** `offset` as `0x1f200`, as the problems and the CLI print it. */
export function hex(offset: number): string {
  return `0x${offset.toString(16)}`;
}
