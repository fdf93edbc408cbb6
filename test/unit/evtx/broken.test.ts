/**
 * Broken and hostile EVTX files, made by the test writer and mutated here: nothing throws, nothing
 * hangs, the good chunks are still decoded, and every damage is reported with its chunk and offset.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { decodeRecord, EvtxProblem, readEvtxChunks, readEvtxFileChunks, renderRecordXml } from '../../../src/engine/readers/evtx';
import { crc32Table } from '../../../src/engine/readers/evtx/crc32';
import { decodeBuffer, DecodedFile } from './support';
import { ChunkWriter, fileHeader, filetimeOf, Sub, SYSMON_TEMPLATE, sysmonFile, sysmonSubs, TElement, u16, u32 } from './writer';
import { assertEvery } from '../../support/assertions';

const HEADER = 4096;
const CHUNK = 65536;
const PER_CHUNK = 20;

/** A three-chunk file, 20 records each, ids 1..60. */
const good = (): Buffer => sysmonFile(3, PER_CHUNK);

function ids(d: DecodedFile): number[] {
  return d.records.map((r) => Number(r.recordId));
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Fixes a chunk's header CRC after a test changed its header on purpose. */
function fixHeaderCrc(buf: Buffer, chunk: number): void {
  const c = buf.subarray(HEADER + chunk * CHUNK, HEADER + (chunk + 1) * CHUNK);
  c.writeUInt32LE(crc32Table(c.subarray(128, 512), crc32Table(c.subarray(0, 120))), 124);
}

/** A record's offset in the file: record `n` (0-based) of chunk `chunk`. */
function recordOffset(buf: Buffer, chunk: number, n: number): number {
  const [c] = [...readEvtxChunks(buf)].filter((x) => x.chunkNumber === chunk);
  return c.records[n].fileOffset;
}

/** One record whose EventData is the raw BinXML `raw` gives (at its chunk offset). */
function hostile(raw: (at: number) => Buffer, values: Sub[] = []): Buffer {
  const w = new ChunkWriter();
  const template: TElement = { el: 'EventData', children: [{ el: 'Data', attrs: [['Name', 'X']], children: [{ raw }] }] };
  const data: Sub = { type: 0x21, bytes: w.nested('hostile', template, values) };
  w.record(1, filetimeOf('2024-01-01T00:00:00Z'), 'sysmon', SYSMON_TEMPLATE, sysmonSubs(1, 1, data));
  // A good record after it: the damage stays in its own record.
  const ok: Sub = { type: 0x01, bytes: Buffer.from('fine\0', 'utf16le') };
  w.record(2, filetimeOf('2024-01-01T00:00:00Z'), 'sysmon', SYSMON_TEMPLATE, sysmonSubs(2, 1, ok));
  return Buffer.concat([fileHeader(1, 3), w.finish()]);
}

function within(ms: number, f: () => void): void {
  const start = Date.now();
  f();
  assert.ok(Date.now() - start < ms, `done in ${Date.now() - start} ms`);
}

describe('EVTX decoder: broken and hostile files', function () {
  it('the generated file decodes cleanly', function () {
    const d = decodeBuffer(good());
    assert.deepEqual(d.problems, []);
    assert.deepEqual(ids(d), range(1, 60));
  });

  it('a 0-byte file: a problem, no chunk', function () {
    const d = decodeBuffer(Buffer.alloc(0));
    assert.equal(d.chunks, 0);
    assert.match(d.problems[0].message, /empty/);
  });

  it('not an EVTX file: a problem, no chunk', function () {
    const d = decodeBuffer(Buffer.from('<Event>not binary</Event>'));
    assert.equal(d.chunks, 0);
    assert.match(d.problems[0].message, /ElfFile/);
  });

  it('a stale header chunk count (and a bad header CRC): every chunk is still read', function () {
    const buf = good();
    buf.writeUInt16LE(1, 42);
    const d = decodeBuffer(buf);
    assert.deepEqual(ids(d), range(1, 60));
    assert.deepEqual(
      d.problems.map((p) => p.message),
      ['the file header fails its CRC32'],
    );
    buf.writeUInt32LE(crc32Table(buf.subarray(0, 120)), 124);
    assert.deepEqual(decodeBuffer(buf).problems, []);
  });

  it('a zeroed chunk is skipped; the others are read', function () {
    const buf = good();
    buf.fill(0, HEADER + CHUNK, HEADER + 2 * CHUNK);
    const d = decodeBuffer(buf);
    assert.deepEqual(d.problems, []);
    assert.equal(d.chunks, 2);
    assert.deepEqual(ids(d), [...range(1, 20), ...range(41, 60)]);
    assert.equal(d.records[20].chunkNumber, 2);
  });

  it('a file truncated inside a chunk: earlier chunks whole, the cut chunk recovered up to the cut', function () {
    const full = good();
    const cut = recordOffset(full, 2, 10) + 30;
    const d = decodeBuffer(full.subarray(0, cut));
    assert.deepEqual(ids(d), range(1, 50));
    assertEvery(d.records.slice(0, 40), (r) => !r.recovered, 'records of the whole chunks');
    assertEvery(d.records.slice(40), (r) => r.recovered, 'records of the cut chunk');
    assert.ok(d.problems.some((p) => p.chunkNumber === 2 && p.offset === HEADER + 2 * CHUNK && /cut short/.test(p.message)));
  });

  it('a file truncated inside its header or in a chunk header', function () {
    assert.doesNotThrow(() => decodeBuffer(good().subarray(0, 100)));
    const d = decodeBuffer(good().subarray(0, HEADER + CHUNK + 300));
    assert.deepEqual(ids(d), range(1, 20));
    assert.ok(d.problems.length > 0);
  });

  it('a flipped byte in a record: the chunk fails its CRC, is reported, and its records are recovered', function () {
    const buf = good();
    const at = recordOffset(buf, 1, 5) + 200;
    buf[at] ^= 0x20;
    const d = decodeBuffer(buf);
    assert.equal(d.records.length + d.problems.filter((p) => p.recordId !== undefined).length, 60);
    const crc = d.problems.find((p) => /event records fail their CRC32/.test(p.message));
    assert.ok(crc);
    assert.equal(crc.chunkNumber, 1);
    assert.equal(crc.offset, HEADER + CHUNK);
    assert.ok(d.records.filter((r) => r.chunkNumber === 1).every((r) => r.recovered));
    assert.ok(d.records.filter((r) => r.chunkNumber !== 1).every((r) => !r.recovered));
  });

  it('a damaged template definition stays in its chunk: the next chunks use their own', function () {
    const buf = good();
    // The first substitution of the first template (Provider Name: index 0, a string) becomes index 8 (Channel).
    const at = buf.indexOf(Buffer.from([0x0d, 0x00, 0x00, 0x01]), HEADER + 512);
    assert.ok(at > 0 && at < HEADER + 2000);
    buf[at + 1] = 8;
    const d = decodeBuffer(buf);
    assert.ok(d.problems.some((p) => p.chunkNumber === 0 && /CRC32/.test(p.message)));
    assert.ok(d.records.filter((r) => r.chunkNumber === 0).every((r) => r.provider === 'Microsoft-Windows-Sysmon/Operational' && r.recovered));
    assert.ok(d.records.filter((r) => r.chunkNumber > 0).every((r) => r.provider === 'Microsoft-Windows-Sysmon' && !r.recovered));
  });

  it('a flipped byte in a chunk header: reported, records recovered', function () {
    const buf = good();
    buf[HEADER + CHUNK + 300] ^= 1;
    const d = decodeBuffer(buf);
    assert.deepEqual(ids(d), range(1, 60));
    assert.ok(d.problems.some((p) => p.chunkNumber === 1 && /chunk header fails its CRC32/.test(p.message)));
  });

  it('a chunk without its magic: reported, records recovered by their framing', function () {
    const buf = good();
    buf.write('XXXXXXX', HEADER + CHUNK, 'latin1');
    const d = decodeBuffer(buf);
    assert.deepEqual(ids(d), range(1, 60));
    assert.ok(d.problems.some((p) => p.chunkNumber === 1 && /ElfChnk/.test(p.message)));
  });

  it('a free space offset past the chunk: reported, records recovered', function () {
    const buf = good();
    buf.writeUInt32LE(0x20000, HEADER + 48);
    fixHeaderCrc(buf, 0);
    const d = decodeBuffer(buf);
    assert.deepEqual(ids(d), range(1, 60));
    assert.ok(d.problems.some((p) => p.chunkNumber === 0 && /free space offset 0x20000/.test(p.message)));
  });

  it('a record whose size fields disagree: reported, the chunk stops there, other chunks whole', function () {
    const buf = good();
    const at = recordOffset(buf, 0, 7);
    buf.writeUInt32LE(buf.readUInt32LE(at + 4) + 8, at + 4);
    const d = decodeBuffer(buf);
    assert.deepEqual(ids(d), [...range(1, 7), ...range(21, 60)]);
    assert.ok(d.problems.some((p) => p.chunkNumber === 0 && /size fields disagree|claims/.test(p.message)));
  });

  it('junk after the last chunk: reported and ignored', function () {
    const d = decodeBuffer(Buffer.concat([good(), Buffer.from('trailing junk that is not a chunk')]));
    assert.deepEqual(ids(d), range(1, 60));
    assert.ok(d.problems.some((p) => /after the last chunk/.test(p.message)));
  });

  it('a template that references itself: the record is reported, the next decoded', function () {
    // An instance whose definition is inline, and whose body instantiates that same definition.
    const buf = hostile((at) => {
      const def = at + 10;
      const body = Buffer.concat([Buffer.from([0x0f, 1, 1, 0, 0x0c, 1]), u32(1), u32(def), u32(0), Buffer.from([0])]);
      return Buffer.concat([Buffer.from([0x0c, 1]), u32(1), u32(def), u32(0), Buffer.alloc(16, 7), u32(body.length), body, u32(0)]);
    });
    within(2000, () => {
      const d = decodeBuffer(buf);
      assert.deepEqual(ids(d), [2]);
      assert.ok(d.problems.some((p) => p.recordId === 1 && /references itself/.test(p.message)), JSON.stringify(d.problems));
    });
  });

  it('a template offset out of range', function () {
    for (const offset of [0xfffff0, 100]) {
      const d = decodeBuffer(hostile(() => Buffer.concat([Buffer.from([0x0c, 1]), u32(1), u32(offset), u32(0)])));
      assert.deepEqual(ids(d), [2]);
      assert.ok(d.problems.some((p) => p.recordId === 1 && /template offset/.test(p.message)), JSON.stringify(d.problems));
    }
  });

  it('a substitution count past the array', function () {
    const d = decodeBuffer(hostile((at) => Buffer.concat([Buffer.from([0x0c, 1]), u32(1), u32(at - 100), u32(0x10000000)])));
    assert.deepEqual(ids(d), [2]);
    assert.equal(d.problems.filter((p) => p.recordId === 1).length, 1);
  });

  it('a string length past the chunk', function () {
    const d = decodeBuffer(hostile(() => Buffer.concat([Buffer.from([0x05, 0x01]), u16(0xffff), Buffer.from('abc', 'utf16le')])));
    assert.deepEqual(ids(d), [2]);
    assert.ok(d.problems.some((p) => p.recordId === 1 && /cut short/.test(p.message)));
  });

  it('a name length past the chunk', function () {
    const d = decodeBuffer(hostile((at) => Buffer.concat([Buffer.from([0x09]), u32(at + 5), u32(0), u16(0), u16(0xfff0)])));
    assert.deepEqual(ids(d), [2]);
    assert.ok(d.problems.some((p) => p.recordId === 1 && /name/.test(p.message)));
  });

  it('nesting deeper than the limit: reported, no stack overflow', function () {
    // A template instance whose only value is BinXML holding another such instance, 60 deep.
    const body = Buffer.from([0x0f, 1, 1, 0, 0x0e, 0, 0, 0x21, 0x00]);
    const nest = (at: number, n: number): Buffer => {
      if (n === 0) return Buffer.from([0x0f, 1, 1, 0, 0x00]);
      const head = Buffer.concat([Buffer.from([0x0c, 1]), u32(1), u32(at + 10), u32(0), Buffer.alloc(16, 9), u32(body.length), body]);
      const value = nest(at + head.length + 8, n - 1);
      return Buffer.concat([head, u32(1), u16(value.length), Buffer.from([0x21, 0]), value]);
    };
    const d = decodeBuffer(hostile((at) => nest(at, 60)));
    assert.deepEqual(ids(d), [2]);
    assert.ok(d.problems.some((p) => p.recordId === 1 && /nested more than/.test(p.message)), JSON.stringify(d.problems));
    // Ten deep is fine.
    assert.deepEqual(ids(decodeBuffer(hostile((at) => nest(at, 10)))), [1, 2]);
  });

  it('from a file on disk, a chunk at a time: the same records and problems as from memory', async function () {
    const dir = mkdtempSync(path.join(tmpdir(), 'evtx-'));
    try {
      const buf = good();
      buf.fill(0, HEADER + CHUNK, HEADER + 2 * CHUNK);
      const damaged = Buffer.concat([buf.subarray(0, HEADER + 2 * CHUNK + 20000)]);
      const file = path.join(dir, 'cut.evtx');
      writeFileSync(file, damaged);
      const problems: EvtxProblem[] = [];
      const fromDisk: string[] = [];
      for await (const chunk of readEvtxFileChunks(file, problems)) {
        for (const ref of chunk.records) fromDisk.push(`${chunk.chunkNumber}:${ref.fileOffset}:${decodeRecord(chunk, ref)?.data.Image}`);
        problems.push(...chunk.problems);
      }
      const inMemory = decodeBuffer(damaged);
      assert.deepEqual(
        fromDisk,
        inMemory.records.map((r) => `${r.chunkNumber}:${r.fileOffset}:${r.data.Image}`),
      );
      assert.deepEqual(problems, inMemory.problems);
      writeFileSync(file, Buffer.alloc(0));
      const empty: EvtxProblem[] = [];
      for await (const _chunk of readEvtxFileChunks(file, empty)) assert.fail('no chunk in an empty file');
      assert.match(empty[0].message, /empty/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('templates that instantiate templates ten times each, eight deep: refused, no hang', function () {
    const instance = (offset: number) => Buffer.concat([Buffer.from([0x0c, 1]), u32(1), u32(offset), u32(0)]);
    /** A template definition at chunk offset `at` of level k: level 0 is the text `x`; level k instantiates level k-1 ten times. */
    const definition = (at: number, k: number): Buffer => {
      let body: Buffer;
      if (k === 0) body = Buffer.concat([Buffer.from([0x0f, 1, 1, 0, 0x05, 0x01]), u16(1), Buffer.from('x', 'utf16le'), Buffer.from([0])]);
      else {
        const first = at + 24 + 4;
        const inner = definition(first + 10, k - 1);
        const head = Buffer.concat([Buffer.from([0x0c, 1]), u32(1), u32(first + 10)]);
        const rest = Array.from({ length: 9 }, () => instance(first + 10));
        body = Buffer.concat([Buffer.from([0x0f, 1, 1, 0]), head, inner, u32(0), ...rest, Buffer.from([0])]);
      }
      return Buffer.concat([u32(0), Buffer.alloc(16, 0x40 + k), u32(body.length), body]);
    };
    const bomb = (depth: number) => hostile((at) => Buffer.concat([Buffer.from([0x0c, 1]), u32(1), u32(at + 10), definition(at + 10, depth), u32(0)]));
    assert.equal(decodeBuffer(bomb(2)).records[0].data.X, 'x'.repeat(100));
    within(5000, () => {
      const d = decodeBuffer(bomb(8));
      assert.deepEqual(ids(d), [2]);
      assert.ok(d.problems.some((p) => p.recordId === 1 && /more than 250000 nodes/.test(p.message)), JSON.stringify(d.problems));
      const buf = bomb(8);
      const [chunk] = [...readEvtxChunks(buf)];
      assert.equal(renderRecordXml(chunk, chunk.records[0]), undefined);
    });
  });

  it('random damage: no throw, no hang (300 mutations of a two-chunk file)', function () {
    const base = sysmonFile(2, PER_CHUNK);
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 0x100000000;
    within(60000, () => {
      for (let i = 0; i < 300; i++) {
        const buf = Buffer.from(base);
        const flips = 1 + Math.floor(next() * 8);
        for (let f = 0; f < flips; f++) buf[HEADER + 512 + Math.floor(next() * (2 * CHUNK - 512))] = Math.floor(next() * 256);
        const d = decodeBuffer(buf);
        assert.ok(d.records.length <= 2 * PER_CHUNK);
        const lost = 2 * PER_CHUNK - d.records.length;
        if (lost > 0) assert.ok(d.problems.length > 0, `iteration ${i}: ${lost} records lost without a problem`);
      }
    });
  });
});
