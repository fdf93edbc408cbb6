/** `cidr` values: IPv4 and IPv6 networks, tested against a field holding an address. */
import { SigmaError } from './errors';

/** An address as 16 bytes (IPv4 as an IPv4-mapped IPv6 address), or undefined when `s` is none. */
export function parseAddress(s: string): Uint8Array | undefined {
  const text = s.trim().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (text.includes(':')) return parseV6(text);
  const v4 = parseV4(text);
  if (!v4) return undefined;
  const out = new Uint8Array(16);
  out[10] = 0xff;
  out[11] = 0xff;
  out.set(v4, 12);
  return out;
}

function parseV4(s: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const bytes = m.slice(1).map(Number);
  return bytes.every((b) => b <= 255) ? bytes : undefined;
}

function parseV6(s: string): Uint8Array | undefined {
  let text = s;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    // An embedded IPv4 tail (::ffff:10.1.2.3) is the last two 16-bit groups.
    const v4 = parseV4(tail);
    if (!v4) return undefined;
    const hex = (a: number, b: number): string => ((a << 8) | b).toString(16);
    text = `${text.slice(0, lastColon + 1)}${hex(v4[0], v4[1])}:${hex(v4[2], v4[3])}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  if (!left || !right) return undefined;
  let words = left;
  if (halves.length === 2) {
    if (left.length + right.length > 7) return undefined;
    words = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  }
  if (words.length !== 8) return undefined;
  const out = new Uint8Array(16);
  words.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

/** A test for addresses inside the network `cidr` (`10.0.0.0/8`, `fe80::/10`, or a lone address). */
export function compileCidr(cidr: string): (value: string) => boolean {
  const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(cidr.trim());
  const net = m ? parseAddress(m[1]) : undefined;
  const isV4 = m ? !m[1].includes(':') : false;
  const bits = m?.[2] === undefined ? (isV4 ? 32 : 128) : Number(m[2]);
  if (!m || !net || bits > (isV4 ? 32 : 128)) throw new SigmaError('bad value', `not a CIDR network: ${cidr}`);
  const prefix = isV4 ? 96 + bits : bits;
  return (value) => {
    const addr = parseAddress(value);
    if (!addr) return false;
    for (let bit = 0; bit < prefix; bit += 8) {
      const mask = prefix - bit >= 8 ? 0xff : (0xff << (8 - (prefix - bit))) & 0xff;
      if ((addr[bit >> 3] & mask) !== (net[bit >> 3] & mask)) return false;
    }
    return true;
  };
}
