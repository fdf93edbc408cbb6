/**
 * The native EVTX decoder on SigmaHQ's regression cases: each `.evtx` decodes to as many records as
 * its evtx_dump `.json` twin holds, and each record's fields equal what parseJsonRecord gives for
 * the twin (by EventRecordID), up to the formatting differences listed in support.ts.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { skipOrFailWithoutShared } from '../../support/shared';
import { parseJsonRecord } from '../../../src/engine/readers/jsonShapes';
import { decodeHead, decodeRecord, readEvtxChunks } from '../../../src/engine/readers/evtx';
import { ParsedRecord } from '../../../src/engine/readers/record';
import { decodeFile, fieldDifferences, sameDumpValue, SIGMA_REGRESSION_DIR, splitJsonObjects } from './support';
import { filesUnder } from '../../support/files';

const SUITE = 'EVTX SigmaHQ regression';

/**
 * Where a JSON twin disagrees with its own `.evtx`: the value we decode is in the record's bytes
 * (checked below, as UTF-16LE), the twin's is not. The twin of this case was edited or rendered by
 * another tool (its TimeCreated has nine fraction digits, where evtx_dump writes six).
 */
const TWIN_ERRATA: Record<string, string[]> = {
  'ad691d92-15f2-4181-9aa4-723c74f9ddc3.evtx': ['ParentCommandLine'],
};

describe('EVTX decoder: SigmaHQ regression data', function () {
  if (!existsSync(SIGMA_REGRESSION_DIR)) {
    it('needs ../shared/sigma/regression_data, which is absent', function () {
      skipOrFailWithoutShared(this, '../shared/sigma/regression_data', SUITE);
    });
    return;
  }

  it('every case decodes to its JSON twin, record by record and field by field', function () {
    const files = filesUnder(SIGMA_REGRESSION_DIR, /\.evtx$/);
    assert.ok(files.length >= 150, `${files.length} .evtx cases`);
    let records = 0;
    let fields = 0;
    const differences: string[] = [];
    for (const file of files) {
      const where = path.relative(SIGMA_REGRESSION_DIR, file);
      const decoded = decodeFile(file);
      for (const chunk of readEvtxChunks(readFileSync(file))) {
        for (const ref of chunk.records) {
          const full = decodeRecord(chunk, ref)!;
          assert.deepEqual(decodeHead(chunk, ref), { eventId: full.eventId, provider: full.provider, channel: full.channel }, where);
        }
      }
      assert.deepEqual(decoded.problems, [], where);
      const twin = file.replace(/\.evtx$/, '.json');
      if (!existsSync(twin)) continue;
      const expected = new Map<string, ParsedRecord>();
      for (const text of splitJsonObjects(readFileSync(twin, 'utf8'))) {
        const { record } = parseJsonRecord(text);
        expected.set(record.recordId!, record);
      }
      assert.equal(decoded.records.length, expected.size, `${where}: records`);
      for (const ours of decoded.records) {
        const theirs = expected.get(ours.recordId!);
        if (!theirs) {
          differences.push(`${where}: record ${ours.recordId} is not in the JSON`);
          continue;
        }
        records++;
        fields += Object.keys(theirs.data).length + Object.keys(theirs.system).length;
        const errata = TWIN_ERRATA[path.basename(file)] ?? [];
        for (const field of errata) {
          assert.ok(readFileSync(file).includes(Buffer.from(ours.data[field], 'utf16le')), `${where}: our ${field} is in the record's bytes`);
        }
        const diff = [...fieldDifferences(ours.data, theirs.data, sameDumpValue, false), ...fieldDifferences(ours.system, theirs.system, sameDumpValue, true)].filter(
          (d) => !errata.some((field) => d.startsWith(`${field}: `)),
        );
        if (ours.eventId !== theirs.eventId) diff.push(`eventId ${ours.eventId} / ${theirs.eventId}`);
        differences.push(...diff.map((d) => `${where} record ${ours.recordId}: ${d}`));
      }
    }
    assert.deepEqual(differences.slice(0, 20), []);
    assert.ok(records >= files.length, `${records} records compared`);
    assert.ok(fields > records * 10, `${fields} fields compared`);
  });
});
