/**
 * General event records on the shared corpus: the same events in every shape give the same data,
 * and in every file each data and System value is found, verbatim, where locate() says.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { sniffEncoding, TextEncoding } from '../../src/engine/decode';
import { detectShape, framerFor } from '../../src/engine/readers/detect';
import { parseJsonRecord } from '../../src/engine/readers/jsonShapes';
import { ParsedRecord } from '../../src/engine/readers/record';
import { parseXmlRecord } from '../../src/engine/readers/xmlRecord';
import { announceSkip, CORPUS_DIR, corpusEntries } from '../support/corpus';
import { assertLocated } from './readersSupport';

interface Read {
  family: 'xml' | 'json';
  shape: string;
  records: { record: ParsedRecord; text: string }[];
}

/** A whole file framed by the project's own framers, and each record parsed. */
function readFile(file: string): Read {
  let bytes = readFileSync(file);
  const { encoding, bomLength } = sniffEncoding(bytes);
  bytes = bytes.subarray(bomLength);
  if (encoding !== 'utf-8') bytes = Buffer.from(new TextDecoder(encoding satisfies TextEncoding).decode(bytes), 'utf8');
  const detected = detectShape(bytes, true);
  assert.ok(detected, `${file}: a shape is detected`);
  const texts: string[] = [];
  framerFor(detected.family).frame({ bytes, base: 0 }, true, {
    record: (start, end) => texts.push(bytes.toString('utf8', start, end)),
    malformed: (_at, message) => assert.fail(`${file}: ${message}`),
  });
  let shape = detected.framing;
  const records = texts.map((text) => {
    if (detected.family === 'xml') return { record: parseXmlRecord(text), text };
    const parsed = parseJsonRecord(text);
    shape = parsed.shape;
    return { record: parsed.record, text };
  });
  return { family: detected.family, shape, records };
}

const SHAPES_DIR = path.join(CORPUS_DIR, 'shapes');

describe('general events: corpus', () => {
  if (!existsSync(SHAPES_DIR)) {
    it('is absent: SKIPPED', function () {
      announceSkip('general events');
      this.skip();
    });
    return;
  }

  describe('psexec_smb_meterpreter in every shape gives the same data', () => {
    const files = readdirSync(SHAPES_DIR).filter((f) => f.startsWith('psexec_smb_meterpreter.'));
    const reads = new Map(files.map((f) => [f, readFile(path.join(SHAPES_DIR, f))]));
    const reference = reads.get('psexec_smb_meterpreter.wevtutil.xml')!;

    it('holds every shape', () => {
      assert.ok(files.length >= 9, files.join(', '));
      for (const [file, read] of reads) assert.equal(read.records.length, 10, file);
    });

    for (const file of files) {
      it(file, () => {
        const read = reads.get(file)!;
        const byRecordId = new Map(read.records.map(({ record }) => [record.recordId, record]));
        for (const { record: want } of reference.records) {
          const got = byRecordId.get(want.recordId);
          assert.ok(got, `record ${want.recordId}`);
          assert.equal(got.eventId, want.eventId);
          const shared = Object.keys(want.data).filter((k) => got.data[k] !== undefined);
          // Every shape carries the fields that matter to rules; ECS drops only what its pipeline drops.
          for (const key of ['Image', 'ProcessGuid', 'ProcessId', 'TargetObject', 'TargetFilename', 'SourceImage', 'CommandLine', 'ParentImage']) {
            if (want.data[key] !== undefined) assert.ok(shared.includes(key), `record ${want.recordId}: ${key} in ${file}`);
          }
          assert.ok(shared.length >= Object.keys(want.data).length - 3, `record ${want.recordId}: ${shared.length} shared fields`);
          assert.deepEqual(
            Object.fromEntries(shared.map((k) => [k, got.data[k]])),
            Object.fromEntries(shared.map((k) => [k, want.data[k]])),
            `record ${want.recordId}`,
          );
          for (const key of ['EventID', 'Channel', 'Computer', 'EventRecordID', 'Provider_Name']) {
            if (got.system[key] !== undefined) assert.equal(got.system[key], want.system[key], `record ${want.recordId}: ${key}`);
          }
        }
      });
    }

    it('XML and evtx_dump JSON give the same System fields, but for the precision of TimeCreated', () => {
      const json = reads.get('psexec_smb_meterpreter.evtxdump.json')!;
      json.records.forEach(({ record }, i) => {
        const { TimeCreated: a, ...rest } = record.system;
        const { TimeCreated: b, ...wanted } = reference.records[i].record.system;
        assert.deepEqual(rest, wanted);
        assert.equal(a.slice(0, 26), b.slice(0, 26));
      });
    });
  });

  describe('every value is located, verbatim', () => {
    const entries = corpusEntries() ?? [];
    const shapeFiles = readdirSync(SHAPES_DIR).map((f) => path.join(SHAPES_DIR, f));
    for (const file of new Set([...entries.map((e) => e.path), ...shapeFiles])) {
      it(path.relative(CORPUS_DIR, file), () => {
        const read = readFile(file);
        assert.ok(read.records.length > 0);
        // Every record of small files; an even spread of 300 of the big ones (the corpus holds thousands).
        const step = Math.max(1, Math.floor(read.records.length / 300));
        for (const { record, text } of read.records.filter((_r, i) => i % step === 0)) {
          assertLocated(record, text, read.family, { nestedData: read.shape === 'Azure Sentinel Event table', joined: ['User'] });
        }
      });
    }
  });
});
