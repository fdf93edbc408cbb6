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

/** What a framer reads of the window: its live bytes and the absolute offset of the first. */
export type WindowView = Pick<ByteWindow, 'bytes' | 'base'>;

/**
 * Splits a byte stream into records without parsing them. Called after every append; returns the
 * absolute offset before which the window's bytes are no longer needed.
 */
export interface Framer {
  frame(window: WindowView, eof: boolean, sink: FrameSink): number;
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

/**
 * The largest record read (128 MiB). Windows caps an event near 64 KiB, so anything bigger is forged
 * or broken; without a cap, one endless record would hold the whole file in memory (and past
 * 512 MiB cannot even become a string). Larger records are reported and their bytes dropped as they come.
 */
export const MAX_RECORD_BYTES = 128 << 20;

/** The warning for a record over the cap. */
export function tooLarge(maxRecord: number): string {
  const mib = maxRecord / (1 << 20);
  return `record larger than ${Number.isInteger(mib) ? mib : mib.toFixed(3)} MiB; skipped`;
}

/**
 * How far a framer looks ahead for the end of a line or tag between records before it judges
 * what it has (1 MiB): so a gigabyte on one line is streamed, never held whole.
 */
export const LOOKAHEAD = 1 << 20;
