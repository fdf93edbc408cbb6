/**
 * The native EVTX decoder on the shared corpus: every `.evtx` gives MANIFEST.tsv's event and
 * Sysmon process-create counts, and field by field each record equals what parseXmlRecord gives for
 * the same record in the corpus's python-evtx `.xml` export (compared by EventRecordID), up to the
 * formatting differences listed in support.ts.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CORPUS_DIR } from '../../support/corpus';
import { skipOrFailWithoutShared } from '../../support/shared';
import { parseXmlRecord } from '../../../src/engine/readers/xmlRecord';
import { ParsedRecord } from '../../../src/engine/readers/record';
import { decodeHead, decodeRecord, decodeSystem, readChunk, readEvtxChunks, recordFieldsFromTree, renderRecordXml, TemplateCache } from '../../../src/engine/readers/evtx';
import { decodeBuffer, decodeFile, fieldDifferences, samePythonValue } from './support';

const SUITE = 'EVTX corpus';

interface EvtxRow {
  file: string;
  events: number;
  processCreates: number;
}

function evtxRows(): EvtxRow[] | undefined {
  const manifest = path.join(CORPUS_DIR, 'MANIFEST.tsv');
  if (!existsSync(manifest)) return undefined;
  const [header, ...rows] = readFileSync(manifest, 'utf8').trim().split('\n');
  const cols = header.split('\t');
  const col = (name: string) => cols.indexOf(name);
  return rows
    .map((row) => row.split('\t'))
    .filter((cells) => cells[col('format')] === 'evtx')
    .map((cells) => ({ file: cells[col('file')], events: Number(cells[col('events')]), processCreates: Number(cells[col('sysmon_eid1')]) }));
}

/** The python-evtx export beside an `.evtx` (`X.xml`, or `X.sysmon.xml` holding its Sysmon records only). */
function xmlTwin(file: string): string | undefined {
  for (const suffix of ['.xml', '.sysmon.xml']) {
    const candidate = path.join(CORPUS_DIR, file.replace(/\.evtx$/, suffix));
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

describe('EVTX decoder: the corpus', function () {
  const rows = evtxRows();
  if (!rows) {
    it('needs ../shared/corpus, which is absent', function () {
      skipOrFailWithoutShared(this, '../shared/corpus', SUITE);
    });
    return;
  }

  it('the manifest lists the nine .evtx files', function () {
    assert.equal(rows.length, 9);
  });

  for (const row of rows) {
    describe(row.file, function () {
      const decoded = decodeFile(path.join(CORPUS_DIR, row.file));

      it(`decodes ${row.events} events, ${row.processCreates} Sysmon process creates, no problems`, function () {
        assert.deepEqual(decoded.problems, []);
        assert.equal(decoded.frames, row.events);
        assert.equal(decoded.records.length, row.events);
        const creates = decoded.records.filter((r) => r.eventId === 1 && r.provider === 'Microsoft-Windows-Sysmon').length;
        assert.equal(creates, row.processCreates);
        for (const r of decoded.records) assert.equal(r.recovered, false);
      });

      it('renders XML that parseXmlRecord reads back to the same record; fast fields = element tree; decodeSystem = System; decodeHead = its three fields', function () {
        const buf = readFileSync(path.join(CORPUS_DIR, row.file));
        for (const chunk of readEvtxChunks(buf)) {
          for (const ref of chunk.records) {
            const xml = renderRecordXml(chunk, ref);
            const direct = decodeRecord(chunk, ref);
            assert.ok(xml !== undefined && direct);
            assert.deepEqual({ system: direct.system, data: direct.data }, recordFieldsFromTree(chunk, ref));
            const head = decodeSystem(chunk, ref)!;
            assert.deepEqual([head.eventId, head.provider, head.system], [direct.eventId, direct.provider, direct.system]);
            assert.deepEqual(decodeHead(chunk, ref), { eventId: direct.eventId, provider: direct.provider, channel: direct.channel });
            const back = parseXmlRecord(xml);
            assert.deepEqual(back.data, direct.data, `record ${ref.recordId}`);
            assert.deepEqual(back.system, direct.system, `record ${ref.recordId}`);
            const image = direct.locate('Image');
            if (direct.data.Image !== undefined) assert.ok(image && xml.slice(...image).length > 0);
          }
        }
      });

      const twin = xmlTwin(row.file);
      if (!twin) return;
      it(`agrees field by field with python-evtx (${path.basename(twin)})`, function () {
        const expected = new Map<string, ParsedRecord>();
        for (const m of readFileSync(twin, 'utf8').matchAll(/<Event[\s>][\s\S]*?<\/Event>/g)) {
          const record = parseXmlRecord(m[0]);
          expected.set(record.recordId!, record);
        }
        let compared = 0;
        let fields = 0;
        const differences: string[] = [];
        for (const ours of decoded.records) {
          const theirs = expected.get(ours.recordId!);
          if (!theirs) continue;
          compared++;
          fields += Object.keys(theirs.data).length + Object.keys(theirs.system).length;
          const diff = [
            ...fieldDifferences(ours.data, theirs.data, samePythonValue, false),
            ...fieldDifferences(ours.system, theirs.system, samePythonValue, true),
          ];
          for (const key of ['eventId', 'provider', 'channel', 'computer', 'recordId'] as const) {
            if (ours[key] !== theirs[key]) diff.push(`${key}: ours ${ours[key]}, theirs ${theirs[key]}`);
          }
          if (!samePythonValue('TimeCreated', ours.time ?? '', theirs.time ?? '')) diff.push(`time: ours ${ours.time}, theirs ${theirs.time}`);
          differences.push(...diff.map((d) => `record ${ours.recordId}: ${d}`));
        }
        assert.deepEqual(differences.slice(0, 20), []);
        assert.equal(compared, expected.size, 'every record of the export is in the .evtx');
        assert.ok(fields > compared * 10, `${fields} fields compared`);
      });
    });
  }

  it('PanacheSysmon with a chunk zeroed, a byte flipped in another, and cut inside a third', function () {
    const file = path.join(CORPUS_DIR, 'PanacheSysmon_vs_AtomicRedTeam01.evtx');
    const buf = readFileSync(file);
    const perChunk = new Map<number, number>();
    const middle = new Map<number, number>();
    for (const chunk of readEvtxChunks(buf)) {
      perChunk.set(chunk.chunkNumber, chunk.records.length);
      middle.set(chunk.chunkNumber, chunk.records[chunk.records.length >> 1].fileOffset);
    }
    const used = [...perChunk.keys()];
    assert.equal(used.length, 15);
    const [zeroed, flipped, cut] = [used[2], used[5], used[14]];
    const damaged = Buffer.from(buf);
    damaged.fill(0, 4096 + zeroed * 65536, 4096 + (zeroed + 1) * 65536);
    damaged[4096 + flipped * 65536 + 4000] ^= 0xff;
    const d = decodeBuffer(damaged.subarray(0, middle.get(cut)! + 10));
    const byChunk = new Map<number, number>();
    for (const r of d.records) byChunk.set(r.chunkNumber, (byChunk.get(r.chunkNumber) ?? 0) + 1);
    for (const n of used) {
      if (n === zeroed) assert.equal(byChunk.get(n), undefined);
      else if (n !== flipped && n !== cut) assert.equal(byChunk.get(n), perChunk.get(n), `chunk ${n}`);
    }
    assert.ok((byChunk.get(cut) ?? 0) > 0 && (byChunk.get(cut) ?? 0) < perChunk.get(cut)!);
    assert.ok(d.problems.some((p) => p.chunkNumber === flipped && /CRC32/.test(p.message)));
    assert.ok(d.problems.some((p) => p.chunkNumber === cut && /cut short/.test(p.message)));
    assert.ok(d.records.filter((r) => r.chunkNumber === flipped || r.chunkNumber === cut).every((r) => r.recovered));
  });

  it('templates are compiled once per file: the cache across chunks spares most template parses', function () {
    const buf = readFileSync(path.join(CORPUS_DIR, 'PanacheSysmon_vs_AtomicRedTeam01.evtx'));
    let shared = 0;
    let alone = 0;
    for (const chunk of readEvtxChunks(buf)) {
      for (const ref of chunk.records) decodeRecord(chunk, ref);
      shared += chunk.context.templatesParsed;
      const own = readChunk(buf.subarray(chunk.offset, chunk.offset + 65536), chunk.chunkNumber, chunk.offset, new TemplateCache())!;
      for (const ref of own.records) decodeRecord(own, ref);
      alone += own.context.templatesParsed;
    }
    assert.ok(shared * 3 < alone, `${shared} template parses with the file's cache, ${alone} chunk by chunk`);
  });
});
