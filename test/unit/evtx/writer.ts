/**
 * A small EVTX writer for the tests: real framing (file header, chunks, CRCs, records), names and
 * template definitions written inline the first time and referenced after, substitution arrays.
 * It makes the value-type cases the corpus lacks, and the broken files the corpus has none of.
 */
import { crc32Table } from '../../../src/engine/readers/evtx/crc32';

/** A value's bytes; a function gets the chunk offset where the value will sit (for nested BinXML). */
export type Bytes = Buffer | ((at: number) => Buffer);

export interface Sub {
  type: number;
  bytes: Bytes;
  /** The size written in the descriptor, when it must differ from the bytes' length. */
  declaredSize?: number;
}

/** A template's text: literal strings, substitutions, raw bytes, elements. */
export type TValue = string | { sub: number; type: number; optional?: boolean } | { raw: (at: number) => Buffer };
export interface TElement {
  el: string;
  attrs?: [string, TValue][];
  children?: (TElement | TValue)[];
}

class Out {
  private readonly bytes: number[] = [];
  constructor(readonly base: number) {}
  get here(): number {
    return this.base + this.bytes.length;
  }
  u8(v: number): this {
    this.bytes.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v).u8(v >>> 8);
  }
  u32(v: number): this {
    return this.u16(v & 0xffff).u16(v >>> 16);
  }
  buf(b: Buffer): this {
    for (const x of b) this.bytes.push(x);
    return this;
  }
  patch32(at: number, v: number): void {
    const i = at - this.base;
    this.bytes[i] = v & 0xff;
    this.bytes[i + 1] = (v >>> 8) & 0xff;
    this.bytes[i + 2] = (v >>> 16) & 0xff;
    this.bytes[i + 3] = (v >>> 24) & 0xff;
  }
  get length(): number {
    return this.bytes.length;
  }
  done(): Buffer {
    return Buffer.from(this.bytes);
  }
}

export const utf16z = (s: string): Buffer => Buffer.from(`${s}\0`, 'utf16le');
export const u16 = (v: number): Buffer => Buffer.from([v & 0xff, v >>> 8]);
export const u32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
};
export const u64 = (v: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(v);
  return b;
};
export function filetimeOf(iso: string, extraTicks = 0): Buffer {
  const ms = BigInt(Date.parse(iso));
  return u64((ms + 11644473600000n) * 10000n + BigInt(extraTicks));
}
export function guidOf(text: string): Buffer {
  const h = text.replace(/[{}-]/g, '');
  const b = Buffer.from(h, 'hex');
  return Buffer.concat([Buffer.from(b.subarray(0, 4)).reverse(), Buffer.from(b.subarray(4, 6)).reverse(), Buffer.from(b.subarray(6, 8)).reverse(), b.subarray(8)]);
}
export function sidOf(text: string): Buffer {
  const [, rev, auth, ...subs] = text.split('-');
  const b = Buffer.alloc(8 + 4 * subs.length);
  b[0] = Number(rev);
  b[1] = subs.length;
  b.writeUIntBE(Number(auth), 2, 6);
  subs.forEach((s, i) => b.writeUInt32LE(Number(s), 8 + 4 * i));
  return b;
}

/** Writes the chunks of one file. */
export class ChunkWriter {
  private readonly buf = Buffer.alloc(65536);
  private pos = 512;
  private readonly names = new Map<string, number>();
  private readonly templates = new Map<string, number>();
  private firstId = -1;
  private lastId = 0;
  private lastOffset = 0;
  count = 0;

  private name(out: Out, name: string): void {
    const known = this.names.get(name);
    if (known !== undefined) {
      out.u32(known);
      return;
    }
    const at = out.here + 4;
    this.names.set(name, at);
    out.u32(at).u32(0).u16(0).u16(name.length).buf(Buffer.from(name, 'utf16le')).u16(0);
  }

  private value(out: Out, v: TValue): void {
    if (typeof v === 'string') out.u8(0x05).u8(0x01).u16(v.length).buf(Buffer.from(v, 'utf16le'));
    else if ('raw' in v) out.buf(v.raw(out.here));
    else out.u8(v.optional ? 0x0e : 0x0d).u16(v.sub).u8(v.type);
  }

  private element(out: Out, e: TElement, dependencyId: boolean): void {
    const attrs = e.attrs ?? [];
    out.u8(attrs.length > 0 ? 0x41 : 0x01);
    if (dependencyId) out.u16(0xffff);
    out.u32(0);
    this.name(out, e.el);
    if (attrs.length > 0) out.u32(0);
    attrs.forEach(([name, v], i) => {
      out.u8(i < attrs.length - 1 ? 0x46 : 0x06);
      this.name(out, name);
      this.value(out, v);
    });
    const children = e.children ?? [];
    if (children.length === 0) {
      out.u8(0x03);
      return;
    }
    out.u8(0x02);
    for (const c of children) {
      if (typeof c !== 'string' && 'el' in c) this.element(out, c, dependencyId);
      else this.value(out, c);
    }
    out.u8(0x04);
  }

  /** A fragment header, a template instance of `template` (defined inline the first time) and its values, the end token. */
  instance(out: Out, key: string, template: TElement, subs: Sub[]): void {
    out.u8(0x0f).u8(1).u8(1).u8(0);
    out.u8(0x0c).u8(1).u32(0x1234);
    const known = this.templates.get(key);
    if (known !== undefined) out.u32(known);
    else {
      const at = out.here + 4;
      this.templates.set(key, at);
      out.u32(at).u32(0);
      const guid = Buffer.alloc(16);
      guid.write(key.padEnd(16, '_').slice(0, 16), 'latin1');
      out.buf(guid);
      const sizeAt = out.here;
      out.u32(0);
      const start = out.length;
      out.u8(0x0f).u8(1).u8(1).u8(0);
      this.element(out, template, true);
      out.u8(0x00);
      out.patch32(sizeAt, out.length - start);
    }
    out.u32(subs.length);
    let at = out.here + 4 * subs.length;
    const values = subs.map((s) => {
      const b = typeof s.bytes === 'function' ? s.bytes(at) : s.bytes;
      at += b.length;
      return b;
    });
    subs.forEach((s, i) => out.u16(s.declaredSize ?? values[i].length).u8(s.type).u8(0));
    for (const b of values) out.buf(b);
    out.u8(0x00);
  }

  /** A nested BinXML value (type 0x21): its own template instance, at chunk offset `at`. */
  nested(key: string, template: TElement, subs: Sub[]): (at: number) => Buffer {
    return (at) => {
      const out = new Out(at);
      this.instance(out, key, template, subs);
      return out.done();
    };
  }

  /** Appends a record; false when the chunk is full. */
  record(id: number, time: Buffer, key: string, template: TElement, subs: Sub[]): boolean {
    const out = new Out(this.pos);
    out.u32(0x2a2a).u32(0).buf(u64(BigInt(id))).buf(time);
    this.instance(out, key, template, subs);
    out.u32(0);
    const size = out.length;
    out.patch32(this.pos + 4, size);
    out.patch32(this.pos + size - 4, size);
    if (this.pos + size > 65536) return false;
    out.done().copy(this.buf, this.pos);
    if (this.firstId < 0) this.firstId = id;
    this.lastId = id;
    this.lastOffset = this.pos;
    this.pos += size;
    this.count++;
    return true;
  }

  /** The chunk's 64 KiB, header and CRCs filled in. */
  finish(): Buffer {
    const b = this.buf;
    b.write('ElfChnk\0', 0, 'latin1');
    b.writeBigUInt64LE(BigInt(Math.max(this.firstId, 0)), 8);
    b.writeBigUInt64LE(BigInt(this.lastId), 16);
    b.writeBigUInt64LE(BigInt(Math.max(this.firstId, 0)), 24);
    b.writeBigUInt64LE(BigInt(this.lastId), 32);
    b.writeUInt32LE(128, 40);
    b.writeUInt32LE(this.lastOffset, 44);
    b.writeUInt32LE(this.pos, 48);
    b.writeUInt32LE(crc32Table(b.subarray(512, this.pos)), 52);
    b.writeUInt32LE(1, 120);
    b.writeUInt32LE(crc32Table(b.subarray(128, 512), crc32Table(b.subarray(0, 120))), 124);
    return b;
  }
}

/** A file header for `chunks` chunks, its CRC filled in. */
export function fileHeader(chunks: number, nextRecordId: number): Buffer {
  const b = Buffer.alloc(4096);
  b.write('ElfFile\0', 0, 'latin1');
  b.writeBigUInt64LE(0n, 8);
  b.writeBigUInt64LE(BigInt(Math.max(chunks - 1, 0)), 16);
  b.writeBigUInt64LE(BigInt(nextRecordId), 24);
  b.writeUInt32LE(128, 32);
  b.writeUInt16LE(1, 36);
  b.writeUInt16LE(3, 38);
  b.writeUInt16LE(4096, 40);
  b.writeUInt16LE(chunks, 42);
  b.writeUInt32LE(1, 120);
  b.writeUInt32LE(crc32Table(b.subarray(0, 120)), 124);
  return b;
}

/** A Sysmon-like event: the System a real one has; its EventData is a nested BinXML value (substitution 11), as Sysmon writes it. */
export const SYSMON_TEMPLATE: TElement = {
  el: 'Event',
  attrs: [['xmlns', 'http://schemas.microsoft.com/win/2004/08/events/event']],
  children: [
    {
      el: 'System',
      children: [
        { el: 'Provider', attrs: [['Name', { sub: 0, type: 0x01 }], ['Guid', { sub: 1, type: 0x0f }]] },
        { el: 'EventID', attrs: [['Qualifiers', { sub: 2, type: 0x06, optional: true }]], children: [{ sub: 3, type: 0x06 }] },
        { el: 'Keywords', children: [{ sub: 4, type: 0x15 }] },
        { el: 'TimeCreated', attrs: [['SystemTime', { sub: 5, type: 0x11 }]] },
        { el: 'EventRecordID', children: [{ sub: 6, type: 0x0a }] },
        { el: 'Correlation', attrs: [['ActivityID', { sub: 7, type: 0x0f, optional: true }]] },
        { el: 'Channel', children: [{ sub: 8, type: 0x01 }] },
        { el: 'Computer', children: [{ sub: 9, type: 0x01 }] },
        { el: 'Security', attrs: [['UserID', { sub: 10, type: 0x13, optional: true }]] },
      ],
    },
    { sub: 11, type: 0x21 },
  ],
};

/** The System values of SYSMON_TEMPLATE for record `id`, then the EventData value (nested BinXML or a string). */
export function sysmonSubs(id: number, eventId: number, eventData: Sub): Sub[] {
  return [
    { type: 0x01, bytes: utf16z('Microsoft-Windows-Sysmon') },
    { type: 0x0f, bytes: guidOf('5770385f-c22a-43e0-bf4c-06f5698ffbd9') },
    { type: 0x00, bytes: Buffer.alloc(0) },
    { type: 0x06, bytes: u16(eventId) },
    { type: 0x15, bytes: u64(0x8000000000000000n) },
    { type: 0x11, bytes: filetimeOf('2024-01-02T03:04:05.678Z', 9012) },
    { type: 0x0a, bytes: u64(BigInt(id)) },
    { type: 0x00, bytes: Buffer.alloc(0) },
    { type: 0x01, bytes: utf16z('Microsoft-Windows-Sysmon/Operational') },
    { type: 0x01, bytes: utf16z('HOST-1') },
    { type: 0x13, bytes: sidOf('S-1-5-18') },
    eventData,
  ];
}

/** EventData of `<Data Name=...>` elements, one per value. */
export function eventDataTemplate(names: string[]): TElement {
  return { el: 'EventData', children: names.map((name, i) => ({ el: 'Data', attrs: [['Name', name]], children: [{ sub: i, type: 0x01 }] })) };
}

/** A Sigma rule every record of sysmonFile matches (their command lines are `cmd.exe /c echo <id> & <x>`). */
export const EVERY_RECORD_RULE_ID = '6c0b7c51-4f5c-4b8e-9d47-1f0e5a3c2b10';
export const EVERY_RECORD_RULE = `title: Every echo
id: ${EVERY_RECORD_RULE_ID}
status: test
description: matches every record of the test writer's sysmonFile
logsource:
  product: windows
  category: process_creation
detection:
  selection:
    CommandLine|contains: 'cmd.exe /c echo'
  condition: selection
level: low
`;

/** A file of `chunks` chunks of Sysmon-like process creates, `perChunk` records each; record ids from 1. */
export function sysmonFile(chunks: number, perChunk: number): Buffer {
  const names = ['RuleName', 'UtcTime', 'ProcessId', 'Image', 'CommandLine'];
  const parts: Buffer[] = [];
  let id = 1;
  for (let c = 0; c < chunks; c++) {
    const w = new ChunkWriter();
    for (let r = 0; r < perChunk; r++, id++) {
      const values: Sub[] = [
        { type: 0x01, bytes: utf16z('-') },
        { type: 0x01, bytes: utf16z('2024-01-02 03:04:05.678') },
        { type: 0x08, bytes: u32(1000 + id) },
        { type: 0x01, bytes: utf16z(`C:\\Windows\\System32\\cmd${id}.exe`) },
        { type: 0x01, bytes: utf16z(`cmd.exe /c echo ${id} & <x>`) },
      ];
      const data: Sub = { type: 0x21, bytes: w.nested('eventdata', eventDataTemplate(names), values) };
      if (!w.record(id, filetimeOf('2024-01-02T03:04:05Z'), 'sysmon', SYSMON_TEMPLATE, sysmonSubs(id, 1, data))) throw new Error('chunk full');
    }
    parts.push(w.finish());
  }
  return Buffer.concat([fileHeader(chunks, id), ...parts]);
}

/**
 * A one-chunk Sysmon file of two process creates: explorer.exe -> cmd.exe (record 1), then
 * services.exe -> cmd.exe /c start.bat (record 2), the one CAR-2014-05-002 matches.
 */
export function servicesCmdEvtx(): Buffer {
  const names = ['UtcTime', 'ProcessGuid', 'ProcessId', 'Image', 'CommandLine', 'User', 'ParentProcessGuid', 'ParentImage', 'ParentCommandLine'];
  const w = new ChunkWriter();
  const rows = [
    [1, 'C:\\Windows\\explorer.exe', 'cmd.exe'],
    [2, 'C:\\Windows\\System32\\services.exe', 'cmd.exe /c start.bat'],
  ] as const;
  for (const [id, parent, commandLine] of rows) {
    const values: Sub[] = [
      '2024-01-02 03:04:05.678',
      `{11111111-2222-3333-4444-00000000000${id}}`,
      String(4000 + id),
      'C:\\Windows\\System32\\cmd.exe',
      commandLine,
      'NT AUTHORITY\\SYSTEM',
      '{11111111-2222-3333-4444-000000000000}',
      parent,
      parent,
    ].map((text) => ({ type: 0x01, bytes: utf16z(text) }));
    const data: Sub = { type: 0x21, bytes: w.nested('process-create', eventDataTemplate(names), values) };
    w.record(id, filetimeOf('2024-01-02T03:04:05Z'), 'sysmon', SYSMON_TEMPLATE, sysmonSubs(id, 1, data));
  }
  return Buffer.concat([fileHeader(1, 3), w.finish()]);
}
