import { ByteWindow } from '../window';

/** Where a framer hands what it finds: whole records, and text that is not a record. */
export interface FrameSink {
  /**
   * A complete record, bytes [start, end) in absolute offsets, still in the window; `latin1` is
   * the same bytes as a string of one character per byte, for cheap raw-text checks.
   */
  record(start: number, end: number, latin1: string): void;
  /** Bytes that cannot be a record; `at` is where the trouble starts. */
  malformed(at: number, message: string): void;
}

/**
 * Splits a byte stream into records without parsing them. Called after every append; returns the
 * absolute offset before which the window's bytes are no longer needed.
 */
export interface Framer {
  frame(window: ByteWindow, eof: boolean, sink: FrameSink): number;
}

export function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** Skips a `Record N` line written by Rust evtx_dump; returns the offset after it, or -1 if absent. */
export function skipRecordLine(bytes: Buffer, i: number): number {
  if (bytes.toString('latin1', i, i + 7) !== 'Record ') return -1;
  let j = i + 7;
  while (j < bytes.length && bytes[j] >= 0x30 && bytes[j] <= 0x39) j++;
  return j > i + 7 ? j : -1;
}
