/**
 * BinXML value types (MS-EVEN6 2.2.18) and their text, as Windows renders them:
 * integers in decimal, hex32/hex64/size_t as `0x` + lower-case hex without padding, booleans as
 * `true`/`false`, GUIDs as `{lower-case}`, FILETIME as ISO 8601 with seven fraction digits and `Z`,
 * SYSTEMTIME with the milliseconds and `Z`, SIDs as `S-1-5-18`, binary as upper-case hex.
 */

export const T_NULL = 0x00;
export const T_STRING = 0x01;
export const T_ANSI = 0x02;
export const T_BOOL = 0x0d;
export const T_BINARY = 0x0e;
export const T_GUID = 0x0f;
export const T_SIZE = 0x10;
export const T_FILETIME = 0x11;
export const T_SYSTEMTIME = 0x12;
export const T_SID = 0x13;
export const T_HEX32 = 0x14;
export const T_HEX64 = 0x15;
export const T_BINXML = 0x21;
export const T_ARRAY = 0x80;

/** The fixed size of one item of a type, or 0 when the size varies (strings, binary, SIDs). */
export function fixedSize(type: number): number {
  switch (type & 0x7f) {
    case 0x03:
    case 0x04:
      return 1;
    case 0x05:
    case 0x06:
      return 2;
    case 0x07:
    case 0x08:
    case 0x0b:
    case 0x0d:
    case T_HEX32:
      return 4;
    case 0x09:
    case 0x0a:
    case 0x0c:
    case T_FILETIME:
    case T_HEX64:
      return 8;
    case T_GUID:
    case T_SYSTEMTIME:
      return 16;
    default:
      return 0;
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const HEX_UPPER = HEX.map((h) => h.toUpperCase());

/**
 * Buffer's own UTF-16LE decoder, without `toString`'s encoding lookup and argument checks (a
 * tenth of the time a record's strings take); `toString` where a runtime lacks it.
 */
const ucs2Slice: (buf: Buffer, start: number, end: number) => string = (() => {
  const native = (Buffer.prototype as unknown as { ucs2Slice?: (this: Buffer, start: number, end: number) => string }).ucs2Slice;
  return typeof native === 'function' ? (buf, start, end) => native.call(buf, start, end) : (buf, start, end) => buf.toString('utf16le', start, end);
})();

/** A UTF-16LE string of `size` bytes at `start`, without its trailing NULs. */
export function utf16(buf: Buffer, start: number, size: number): string {
  let end = start + (size & ~1);
  while (end >= start + 2 && buf[end - 1] === 0 && buf[end - 2] === 0) end -= 2;
  return end > start ? ucs2Slice(buf, start, end) : '';
}

function ansi(buf: Buffer, start: number, size: number): string {
  let end = start + size;
  while (end > start && buf[end - 1] === 0) end--;
  return buf.toString('latin1', start, end);
}

/** Two u32 halves as a number (exact up to 2^53) or, above that, a BigInt's decimal. */
function u64Decimal(buf: Buffer, p: number): string {
  const hi = buf.readUInt32LE(p + 4);
  if (hi < 0x200000) return String(hi * 0x100000000 + buf.readUInt32LE(p));
  return buf.readBigUInt64LE(p).toString();
}

function hex64(buf: Buffer, p: number): string {
  const hi = buf.readUInt32LE(p + 4);
  const lo = buf.readUInt32LE(p);
  // Records repeat the same Keywords mask: the last one is kept.
  if (hi === lastHex64Hi && lo === lastHex64Lo) return lastHex64;
  lastHex64Hi = hi;
  lastHex64Lo = lo;
  return (lastHex64 = hi === 0 ? `0x${lo.toString(16)}` : `0x${hi.toString(16)}${lo.toString(16).padStart(8, '0')}`);
}

let lastHex64Hi = -1;
let lastHex64Lo = -1;
let lastHex64 = '';

export function guid(buf: Buffer, p: number): string {
  const h = HEX;
  return (
    `{${h[buf[p + 3]]}${h[buf[p + 2]]}${h[buf[p + 1]]}${h[buf[p]]}-${h[buf[p + 5]]}${h[buf[p + 4]]}-${h[buf[p + 7]]}${h[buf[p + 6]]}-` +
    `${h[buf[p + 8]]}${h[buf[p + 9]]}-${h[buf[p + 10]]}${h[buf[p + 11]]}${h[buf[p + 12]]}${h[buf[p + 13]]}${h[buf[p + 14]]}${h[buf[p + 15]]}}`
  );
}

const EPOCH_DIFF_SECONDS = 11644473600;

/** A FILETIME (100 ns since 1601) as `2019-04-30T20:26:51.7935890Z`. */
export function filetime(buf: Buffer, p: number): string {
  const hi = buf.readUInt32LE(p + 4);
  const lo = buf.readUInt32LE(p);
  let seconds: number;
  let rest: number;
  if (hi < 0x10000000) {
    // hi * 2^32 = hi * 429 * 10^7 + hi * 4967296, each exact in a double for this range.
    const low = hi * 4967296 + lo;
    seconds = hi * 429 + Math.floor(low / 1e7);
    rest = low % 1e7;
  } else {
    const t = buf.readBigUInt64LE(p);
    seconds = Number(t / 10000000n);
    rest = Number(t % 10000000n);
  }
  if (seconds !== lastSeconds) {
    const date = new Date((seconds - EPOCH_DIFF_SECONDS) * 1000);
    if (Number.isNaN(date.getTime())) return '';
    lastSeconds = seconds;
    lastPrefix = date.toISOString().slice(0, 19);
  }
  return `${lastPrefix}.${String(rest).padStart(7, '0')}Z`;
}

/** The last second filetime rendered: records written together share it. */
let lastSeconds = -1;
let lastPrefix = '';

function systemtime(buf: Buffer, p: number): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const year = buf.readUInt16LE(p);
  const month = buf.readUInt16LE(p + 2);
  const day = buf.readUInt16LE(p + 6);
  const hour = buf.readUInt16LE(p + 8);
  const minute = buf.readUInt16LE(p + 10);
  const second = buf.readUInt16LE(p + 12);
  const ms = buf.readUInt16LE(p + 14);
  return `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}.${String(ms).padStart(3, '0')}0000Z`;
}

/** The length in bytes of the SID at `p`, or 0 when it does not fit in `size`. */
function sidLength(buf: Buffer, p: number, size: number): number {
  if (size < 8) return 0;
  const n = 8 + 4 * buf[p + 1];
  return n <= size ? n : 0;
}

function sid(buf: Buffer, p: number, size: number): string {
  const n = sidLength(buf, p, size);
  if (n === 0) return '';
  let authority = 0;
  for (let i = 2; i < 8; i++) authority = authority * 256 + buf[p + i];
  let s = `S-${buf[p]}-${authority}`;
  for (let i = 8; i < n; i += 4) s += `-${buf.readUInt32LE(p + i)}`;
  return s;
}

function binary(buf: Buffer, p: number, size: number): string {
  let s = '';
  for (let i = 0; i < size; i++) s += HEX_UPPER[buf[p + i]];
  return s;
}

/**
 * The text of one value of `type` (not an array, not BinXML) in `size` bytes at `p`. A size too
 * small for the type gives '' (the caller always advances by the declared size).
 */
export function renderValue(buf: Buffer, type: number, p: number, size: number): string {
  const need = fixedSize(type);
  if (need > 0 && size < need && type !== T_BOOL) return '';
  switch (type) {
    case T_NULL:
      return '';
    case T_STRING:
      return utf16(buf, p, size);
    case T_ANSI:
      return ansi(buf, p, size);
    case 0x03:
      return String(buf.readInt8(p));
    case 0x04:
      return String(buf[p]);
    case 0x05:
      return String(buf.readInt16LE(p));
    case 0x06:
      return String(buf.readUInt16LE(p));
    case 0x07:
      return String(buf.readInt32LE(p));
    case 0x08:
      return String(buf.readUInt32LE(p));
    case 0x09:
      return buf.readBigInt64LE(p).toString();
    case 0x0a:
      return u64Decimal(buf, p);
    case 0x0b:
      return String(buf.readFloatLE(p));
    case 0x0c:
      return String(buf.readDoubleLE(p));
    case T_BOOL:
      if (size === 0) return '';
      return (size >= 4 ? buf.readUInt32LE(p) : buf[p]) !== 0 ? 'true' : 'false';
    case T_BINARY:
      return binary(buf, p, size);
    case T_GUID:
      return guid(buf, p);
    case T_SIZE:
      return size >= 8 ? hex64(buf, p) : size >= 4 ? `0x${buf.readUInt32LE(p).toString(16)}` : '';
    case T_FILETIME:
      return filetime(buf, p);
    case T_SYSTEMTIME:
      return systemtime(buf, p);
    case T_SID:
      return sid(buf, p, size);
    case T_HEX32:
      return `0x${buf.readUInt32LE(p).toString(16)}`;
    case T_HEX64:
      return hex64(buf, p);
    default:
      // EvtHandle, EvtXml and unknown types: their bytes, as binary.
      return binary(buf, p, size);
  }
}

/** The items of an array value (`type` has the 0x80 bit) as text, one per item. */
export function renderArray(buf: Buffer, type: number, p: number, size: number): string[] {
  const item = type & 0x7f;
  const out: string[] = [];
  const end = p + size;
  if (item === T_STRING) {
    let start = p;
    for (let i = p; i + 1 < end; i += 2) {
      if (buf[i] === 0 && buf[i + 1] === 0) {
        out.push(buf.toString('utf16le', start, i));
        start = i + 2;
      }
    }
    if (start + 1 < end) out.push(utf16(buf, start, end - start));
    return out;
  }
  if (item === T_ANSI) {
    let start = p;
    for (let i = p; i < end; i++) {
      if (buf[i] === 0) {
        out.push(buf.toString('latin1', start, i));
        start = i + 1;
      }
    }
    if (start < end) out.push(ansi(buf, start, end - start));
    return out;
  }
  if (item === T_SID) {
    for (let i = p; i < end; ) {
      const n = sidLength(buf, i, end - i);
      if (n === 0) break;
      out.push(sid(buf, i, n));
      i += n;
    }
    return out;
  }
  const n = item === T_SIZE ? 8 : fixedSize(item);
  if (n === 0) return size > 0 ? [renderValue(buf, item, p, size)] : out;
  for (let i = p; i + n <= end; i += n) out.push(renderValue(buf, item, i, n));
  return out;
}
