/**
 * The value types, arrays, optional substitutions and text tokens, on records made by the test
 * writer (the corpus has strings, integers, hex64, GUIDs, SIDs and FILETIMEs only).
 */
import assert from 'node:assert/strict';
import { decodeHead, decodeRecord, decodeSystem, readEvtxChunks, recordFieldsFromTree, renderRecordXml } from '../../../src/engine/readers/evtx';
import { crc32, crc32Table } from '../../../src/engine/readers/evtx/crc32';
import { decodeBuffer } from './support';
import { ChunkWriter, fileHeader, filetimeOf, guidOf, sidOf, Sub, SYSMON_TEMPLATE, sysmonSubs, TElement, u16, u32, u64, utf16z } from './writer';

function bytes(...values: number[]): Buffer {
  return Buffer.from(values);
}

function f32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeFloatLE(v);
  return b;
}

function f64(v: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(v);
  return b;
}

function i64(v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(v);
  return b;
}

function systemtime(): Buffer {
  const b = Buffer.alloc(16);
  [2024, 1, 2, 2, 3, 4, 5, 678].forEach((v, i) => b.writeUInt16LE(v, 2 * i));
  return b;
}

/** [Data name, value, expected text]. */
const CASES: [string, Sub, string][] = [
  ['Int8', { type: 0x03, bytes: bytes(0xfb) }, '-5'],
  ['UInt8', { type: 0x04, bytes: bytes(250) }, '250'],
  ['Int16', { type: 0x05, bytes: bytes(0xd4, 0xfe) }, '-300'],
  ['UInt16', { type: 0x06, bytes: u16(65000) }, '65000'],
  ['Int32', { type: 0x07, bytes: u32(-70000) }, '-70000'],
  ['UInt32', { type: 0x08, bytes: u32(4000000000) }, '4000000000'],
  ['Int64', { type: 0x09, bytes: i64(-5000000000n) }, '-5000000000'],
  ['UInt64', { type: 0x0a, bytes: u64(18446744073709551615n) }, '18446744073709551615'],
  ['Float', { type: 0x0b, bytes: f32(1.5) }, '1.5'],
  ['Double', { type: 0x0c, bytes: f64(2.25) }, '2.25'],
  ['Bool', { type: 0x0d, bytes: u32(1) }, 'true'],
  ['False', { type: 0x0d, bytes: u32(0) }, 'false'],
  ['Binary', { type: 0x0e, bytes: bytes(0xde, 0xad, 0x01) }, 'DEAD01'],
  ['Guid', { type: 0x0f, bytes: guidOf('{365ABB72-2586-5CC9-0000-0010DC530000}') }, '{365abb72-2586-5cc9-0000-0010dc530000}'],
  ['SizeT', { type: 0x10, bytes: u64(0x1234n) }, '0x1234'],
  ['FileTime', { type: 0x11, bytes: filetimeOf('2019-04-30T20:26:51.793Z', 5890) }, '2019-04-30T20:26:51.7935890Z'],
  ['SystemTime', { type: 0x12, bytes: systemtime() }, '2024-01-02T03:04:05.6780000Z'],
  ['Sid', { type: 0x13, bytes: sidOf('S-1-5-21-1-2-3-500') }, 'S-1-5-21-1-2-3-500'],
  ['Hex32', { type: 0x14, bytes: u32(0x1fffff) }, '0x1fffff'],
  ['Hex64', { type: 0x15, bytes: u64(0x76073n) }, '0x76073'],
  ['Ansi', { type: 0x02, bytes: Buffer.from('abc\0', 'latin1') }, 'abc'],
  ['Utf16', { type: 0x01, bytes: utf16z('C:\\Temp\\\u202egnp.exe') }, 'C:\\Temp\\\u202egnp.exe'],
  // A value whose declared size does not fit its type: empty text, and the next value is still right.
  ['Short', { type: 0x0a, bytes: bytes(1, 2) }, ''],
  ['AfterShort', { type: 0x01, bytes: utf16z('still here') }, 'still here'],
];

function typesFile(): Buffer {
  const w = new ChunkWriter();
  const names = CASES.map((c) => c[0]);
  const template: TElement = {
    el: 'EventData',
    children: [
      ...names.map((name, i): TElement => ({ el: 'Data', attrs: [['Name', name]], children: [{ sub: i, type: 0x01 }] })),
      // An array: the element repeats once per item (unnamed Data: Data, Data_2, Data_3).
      { el: 'Data', children: [{ sub: names.length, type: 0x86 }] },
      { el: 'Strings', children: [{ sub: names.length + 1, type: 0x81 }] },
      // Text tokens: a character reference, an entity reference, CDATA.
      {
        el: 'Text',
        children: [
          'a',
          { raw: () => bytes(0x08, 0x41, 0x00) },
          { raw: (at) => Buffer.concat([bytes(0x09), u32(at + 5), u32(0), u16(0), u16(3), Buffer.from('amp', 'utf16le'), u16(0)]) },
          { raw: () => Buffer.concat([bytes(0x07), u16(3), Buffer.from('<b>', 'utf16le')]) },
        ],
      },
      // A substitution index past the array: left out.
      { el: 'Missing', children: [{ sub: 500, type: 0x01 }] },
    ],
  };
  const values: Sub[] = [
    ...CASES.map((c) => c[1]),
    { type: 0x86, bytes: Buffer.concat([u16(1), u16(2), u16(3)]) },
    { type: 0x81, bytes: Buffer.concat([utf16z('one'), utf16z('two')]) },
  ];
  const data: Sub = { type: 0x21, bytes: w.nested('types', template, values) };
  assert.ok(w.record(7, filetimeOf('2024-01-01T00:00:00Z'), 'sysmon', SYSMON_TEMPLATE, sysmonSubs(7, 99, data)));
  return Buffer.concat([fileHeader(1, 8), w.finish()]);
}

describe('EVTX decoder: value types', function () {
  const buf = typesFile();
  const decoded = decodeBuffer(buf);

  it('decodes the synthetic record without problems', function () {
    assert.deepEqual(decoded.problems, []);
    assert.equal(decoded.records.length, 1);
  });

  for (const [name, , expected] of CASES) {
    it(`${name} renders as ${JSON.stringify(expected)}`, function () {
      assert.equal(decoded.records[0].data[name], expected);
    });
  }

  it('an array repeats its element once per item', function () {
    const { data } = decoded.records[0];
    assert.deepEqual([data.Data, data.Data_2, data.Data_3], ['1', '2', '3']);
    const chunk = [...readEvtxChunks(buf)][0];
    const xml = renderRecordXml(chunk, chunk.records[0])!;
    assert.match(xml, /<Strings>one<\/Strings><Strings>two<\/Strings>/);
  });

  it('character and entity references and CDATA are text', function () {
    assert.equal(decoded.records[0].data.Text, 'aA&<b>');
  });

  it('a substitution index past the array leaves the value out', function () {
    assert.equal(decoded.records[0].data.Missing, '');
  });

  it('System: an optional substitution with no value leaves its attribute out; metadata', function () {
    const r = decoded.records[0];
    assert.equal(r.eventId, 99);
    assert.equal(r.recordId, '7');
    assert.equal(r.computer, 'HOST-1');
    assert.equal(r.system.Provider_Guid, '{5770385f-c22a-43e0-bf4c-06f5698ffbd9}');
    assert.equal(r.system.Security_UserID, 'S-1-5-18');
    assert.equal(r.system.Keywords, '0x8000000000000000');
    assert.equal(r.system.TimeCreated, '2024-01-02T03:04:05.6789012Z');
    assert.equal(r.system.EventID_Qualifiers, undefined);
    assert.equal(r.system.Correlation_ActivityID, undefined);
    assert.equal(r.system.Correlation, undefined);
    assert.equal(r.chunkNumber, 0);
    assert.equal(r.fileOffset, 4096 + 512);
  });

  it('locate finds a value in the rendered XML', function () {
    const r = decoded.records[0];
    const chunk = [...readEvtxChunks(buf)][0];
    const xml = renderRecordXml(chunk, chunk.records[0])!;
    const span = r.locate('Utf16');
    assert.ok(span);
    assert.equal(xml.slice(...span), 'C:\\Temp\\\u202egnp.exe');
    assert.deepEqual(decodeRecord(chunk, chunk.records[0])!.data, r.data);
  });

  it('the fast field path equals the element tree; decodeSystem gives System alone', function () {
    const chunk = [...readEvtxChunks(buf)][0];
    const ref = chunk.records[0];
    const fast = decodeRecord(chunk, ref)!;
    assert.deepEqual({ system: fast.system, data: fast.data }, recordFieldsFromTree(chunk, ref));
    const head = decodeSystem(chunk, ref)!;
    assert.deepEqual(head.system, fast.system);
    assert.deepEqual(head.data, {});
    assert.equal(head.eventId, 99);
    assert.equal(head.provider, 'Microsoft-Windows-Sysmon');
    assert.deepEqual(decodeHead(chunk, ref), { eventId: 99, provider: 'Microsoft-Windows-Sysmon', channel: 'Microsoft-Windows-Sysmon/Operational' });
  });

  it('CRC32: the table fallback equals zlib, and continues a CRC', function () {
    const data = Buffer.from('The quick brown fox jumps over the lazy dog');
    assert.equal(crc32Table(data), 0x414fa339);
    assert.equal(crc32(data), 0x414fa339);
    assert.equal(crc32Table(data.subarray(10), crc32Table(data.subarray(0, 10))), 0x414fa339);
  });
});
