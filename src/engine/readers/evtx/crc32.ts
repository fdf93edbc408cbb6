/**
 * CRC32 (IEEE, the zlib polynomial), as EVTX stores it. Node has `zlib.crc32` from 20.15 and 22.2;
 * older Node 20 releases get a table-driven implementation with the same signature.
 */
import * as zlib from 'node:zlib';

type Crc32 = (data: Uint8Array, value?: number) => number;

let table: Uint32Array | undefined;

function makeTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

/** The table-driven CRC32; `value` continues a previous CRC, as zlib.crc32's second argument does. */
export function crc32Table(data: Uint8Array, value = 0): number {
  table ??= makeTable();
  let c = ~value >>> 0;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

const native = (zlib as unknown as { crc32?: Crc32 }).crc32;

/** CRC32 of `data`, continuing `value` (0 to start). */
export const crc32: Crc32 = typeof native === 'function' ? (data, value = 0) => native(data, value) >>> 0 : crc32Table;
