/**
 * A growable window over the decoded UTF-8 byte stream, addressed by absolute offsets, that counts
 * lines as it is consumed so any offset still in the window can be turned into a line and column.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { Position } from './model';

const NEWLINE = 0x0a;

/** UTF-16 code units that the UTF-8 bytes `bytes[from, to)` decode to (VS Code's column unit). */
export function utf16Length(bytes: Uint8Array, from: number, to: number): number {
  if (to <= from) return 0;
  const span = bytes.subarray(from, to);
  if (isAscii(span)) return to - from;
  // Invalid UTF-8 decodes to one U+FFFD per maximal bad subpart, as editors show it: let the decoder count.
  if (!isUtf8(span)) return Buffer.from(span.buffer, span.byteOffset, span.length).toString('utf8').length;
  let units = 0;
  for (let i = from; i < to; i++) {
    const b = bytes[i];
    if ((b & 0xc0) !== 0x80) units++; // every sequence start is one unit ...
    if (b >= 0xf0) units++; // ... and a 4-byte sequence is a surrogate pair
  }
  return units;
}

/**
 * Room a reader leaves in front of each chunk it reads (slackedBuffer), for the bytes of a record
 * the last chunk cut: the window then takes the chunk's buffer as it is, instead of copying a
 * megabyte per chunk into its own (a sixth of a fast hunt's time on XML).
 */
export const CHUNK_SLACK = 1 << 16;

/** Buffers made by slackedBuffer: only their bytes before a chunk are free for the window to write. */
const slacked = new WeakSet<ArrayBufferLike>();

/** A buffer to read chunks of up to `size` bytes into at offset CHUNK_SLACK, for ByteWindow.append to take without a copy. */
export function slackedBuffer(size: number): Buffer {
  const buffer = Buffer.allocUnsafeSlow(CHUNK_SLACK + size);
  slacked.add(buffer.buffer);
  return buffer;
}

export class ByteWindow {
  /** Backing store; bytes [head, tail) are live and start at absolute offset `base`. */
  private store: Buffer<ArrayBufferLike> = Buffer.allocUnsafe(1 << 16);
  /**
   * Whether the store is a reader's buffer (taken from a chunk): never written past its chunk,
   * and given up at the next append, since the reader reads into it again a few chunks later.
   */
  private borrowed = false;
  private head = 0;
  private tail = 0;
  /** Absolute offset of store[head]. */
  base = 0;

  /** Lines counted up to `counted` (absolute). */
  private counted = 0;
  private line = 1;
  /** Absolute offset where the current line starts. */
  private lineStart = 0;
  /** UTF-16 units of the current line that were already discarded from the window. */
  private discardedColumns = 0;

  /** Absolute offset just past the last byte. */
  get end(): number {
    return this.base + (this.tail - this.head);
  }

  /** The live bytes; index i holds absolute offset base + i. Valid until the next append. */
  get bytes(): Buffer {
    return this.store.subarray(this.head, this.tail);
  }

  append(chunk: Uint8Array): void {
    const size = this.tail - this.head;
    // A chunk with room in front for the live bytes (the end of a record the last chunk cut):
    // they go there, and the chunk's buffer becomes the store.
    if (slacked.has(chunk.buffer) && chunk.byteOffset >= size) {
      const store = Buffer.from(chunk.buffer, 0, chunk.byteOffset + chunk.length);
      store.set(this.store.subarray(this.head, this.tail), chunk.byteOffset - size);
      this.store = store;
      this.borrowed = true;
      this.head = chunk.byteOffset - size;
      this.tail = chunk.byteOffset + chunk.length;
      return;
    }
    const needed = size + chunk.length;
    // A store far bigger than what is live (left by a huge record) is given up at once: cycling
    // through it would keep every page of it resident.
    const oversized = this.store.length > 1 << 24 && needed * 8 <= this.store.length;
    // (A borrowed store ends where its chunk did: any chunk after it lands here.)
    if (this.tail + chunk.length > this.store.length || oversized) {
      if (needed <= this.store.length / 2 && !oversized && !this.borrowed) {
        this.store.copy(this.store, 0, this.head, this.tail); // compact in place
      } else {
        let capacity = needed * 2 <= this.store.length / 4 ? 1 << 16 : this.store.length;
        while (capacity < needed * 2) capacity *= 2;
        const grown = Buffer.allocUnsafe(capacity);
        this.store.copy(grown, 0, this.head, this.tail);
        this.store = grown;
        this.borrowed = false;
      }
      this.head = 0;
      this.tail = size;
    }
    this.store.set(chunk, this.tail);
    this.tail += chunk.length;
  }

  /** Drops bytes before absolute offset `offset`, counting their lines first. */
  discardBefore(offset: number): void {
    if (offset <= this.base) return;
    this.countLinesTo(offset);
    if (this.lineStart < offset) {
      const from = Math.max(this.lineStart, this.base) - this.base + this.head;
      this.discardedColumns += utf16Length(this.store, from, offset - this.base + this.head);
    }
    this.head += offset - this.base;
    this.base = offset;
  }

  /** The last position asked, so the next one on the same line counts on from it (a one-line file would be quadratic). */
  private asked = { offset: -1, line: 0, column: 0 };

  /** The 1-based line and UTF-16 column of absolute offset `offset` (at or after the last one asked). */
  positionOf(offset: number): Position {
    this.countLinesTo(offset);
    const asked = this.asked;
    let column: number;
    if (asked.line === this.line && asked.offset >= this.lineStart && asked.offset >= this.base && asked.offset <= offset) {
      column = asked.column + utf16Length(this.store, asked.offset - this.base + this.head, offset - this.base + this.head);
    } else {
      const lineStartInWindow = Math.max(this.lineStart, this.base);
      const carried = this.lineStart < this.base ? this.discardedColumns : 0;
      column = carried + utf16Length(this.store, lineStartInWindow - this.base + this.head, offset - this.base + this.head);
    }
    this.asked = { offset, line: this.line, column };
    return { line: this.line, column: column + 1 };
  }

  private countLinesTo(offset: number): void {
    if (offset <= this.counted) return;
    // Bounded view, so indexOf never searches past `offset` into stale bytes.
    const store = this.store.subarray(0, offset - this.base + this.head);
    let i = this.counted - this.base + this.head;
    for (;;) {
      const nl = store.indexOf(NEWLINE, i);
      if (nl < 0) break;
      this.line++;
      this.lineStart = nl + 1 - this.head + this.base;
      this.discardedColumns = 0;
      i = nl + 1;
    }
    this.counted = offset;
  }
}
