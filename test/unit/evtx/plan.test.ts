/**
 * Records read through per-template plans (plan.ts) against the field collector's walk, which the
 * corpus tests hold to the element tree and to python-evtx: the same system and data maps, keys in
 * the same order; the same EventID/Provider/Channel; each field a rule reads (plannedField) the
 * one ruleEventOf gives on the walked record; and, for the hunt, rule by rule, the hits of the
 * partial decode (evaluateLazily on lazyEvent) equal the hits on the whole record, with CAR-2014-05-002
 * alone and with every SigmaHQ windows rule and the CAR library. Plus records made to take or
 * leave the plan: unnamed Data, UserData, several parts in a text, an optional attribute with
 * no value, BinXML two deep (planned); an array, and BinXML in a text (left to the walk).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { lazyEvent } from '../../../src/engine/evtxScan';
import {
  decodeHead,
  decodeRecord,
  decodeRecordWalked,
  EvtxChunk,
  EvtxParsedRecord,
  EvtxRecordRef,
  headOf,
  plannedField,
  planRecord,
  readEvtxChunks,
} from '../../../src/engine/readers/evtx';
import { loadRules } from '../../../src/engine/rules/load';
import { CompiledRule } from '../../../src/engine/rules/rule';
import { ruleEventOf, RuleSet } from '../../../src/engine/rules/ruleSet';
import { evtxCorpusEntries } from '../../support/corpus';
import { filesUnder } from '../../support/files';
import { skipOrFailWithoutShared } from '../../support/shared';
import { SIGMA_REGRESSION_DIR, SIGMA_WINDOWS_RULES } from './support';
import { ChunkWriter, fileHeader, filetimeOf, servicesCmdEvtx, Sub, sysmonFile, sysmonSubs, SYSMON_TEMPLATE, TElement, u16, utf16z } from './writer';

const SUITE = 'EVTX template plans';

interface Walked {
  chunk: EvtxChunk;
  ref: EvtxRecordRef;
  walked: EvtxParsedRecord;
}

/** Every record of a file that the walk decodes. */
function records(buf: Buffer): Walked[] {
  const out: Walked[] = [];
  for (const chunk of readEvtxChunks(buf)) {
    for (const ref of chunk.records) {
      const walked = decodeRecordWalked(chunk, ref);
      if (walked) out.push({ chunk, ref, walked });
    }
  }
  return out;
}

const view = (r: EvtxParsedRecord) => JSON.stringify({ system: r.system, data: r.data, eventId: r.eventId, provider: r.provider, channel: r.channel, computer: r.computer, recordId: r.recordId, time: r.time });

/** The plan gives what the walk gives; returns whether the record was planned. */
function checkRecord({ chunk, ref, walked }: Walked, where: string): boolean {
  const decoded = decodeRecord(chunk, ref);
  assert.ok(decoded, `${where}: decodeRecord`);
  assert.equal(view(decoded), view(walked), `${where}: decodeRecord = the walk, keys in order`);
  const head = decodeHead(chunk, ref);
  assert.deepEqual(head, { eventId: walked.eventId, provider: walked.provider, channel: walked.channel }, `${where}: decodeHead`);
  const planned = planRecord(chunk, ref);
  if (!planned) return false;
  assert.deepEqual(headOf(planned), head, `${where}: headOf`);
  const event = ruleEventOf(walked);
  for (const name of [...Object.keys(walked.data), ...Object.keys(walked.system), 'EventID', 'Provider_Name', 'Channel', 'NoSuchField', 'constructor', '__proto__', 'toString']) {
    assert.equal(plannedField(planned, name), event.get(name), `${where}: field ${name}`);
  }
  return true;
}

/** A chunk of records made to take or leave the plan; `planned` says which should. */
function madeFile(): { buf: Buffer; planned: Map<number, boolean> } {
  const w = new ChunkWriter();
  const planned = new Map<number, boolean>();
  const add = (id: number, template: TElement, values: Sub[], expect: boolean) => {
    assert.ok(w.record(id, filetimeOf('2024-01-01T00:00:00Z'), `t${id}`, template, values));
    planned.set(id, expect);
  };
  // Unnamed Data (Data, Data_2), a named one between them, UserData two levels down, an optional
  // attribute with no value, a text of several parts.
  const classic: TElement = {
    el: 'Event',
    children: [
      {
        el: 'System',
        children: [
          { el: 'Provider', attrs: [['Name', { sub: 0, type: 0x01 }]] },
          { el: 'EventID', attrs: [['Qualifiers', { sub: 1, type: 0x06, optional: true }]], children: [{ sub: 2, type: 0x06 }] },
          { el: 'Channel', children: ['App', { sub: 3, type: 0x01 }, 'lication'] },
          { el: 'Level' },
        ],
      },
      { el: 'EventData', children: [{ el: 'Data', children: [{ sub: 4, type: 0x01 }] }, { el: 'Data', attrs: [['Name', 'Named']], children: [{ sub: 5, type: 0x01 }] }, { el: 'Data', children: [{ sub: 6, type: 0x08 }] }] },
      { el: 'UserData', children: [{ el: 'Top', children: [{ el: 'Leaf', children: [{ sub: 7, type: 0x01 }] }, { el: 'Deeper', children: [{ el: 'Leaf2', children: ['x'] }] }] }] },
    ],
  };
  const classicValues = (n: number): Sub[] => [
    { type: 0x01, bytes: utf16z('Application Error') },
    { type: 0x00, bytes: Buffer.alloc(0) },
    { type: 0x06, bytes: u16(1000 + n) },
    { type: 0x01, bytes: utf16z('-') },
    { type: 0x01, bytes: utf16z(`first ${n}`) },
    { type: 0x01, bytes: utf16z('named') },
    { type: 0x08, bytes: Buffer.from([n, 0, 0, 0]) },
    { type: 0x01, bytes: utf16z('leaf') },
  ];
  add(1, classic, classicValues(1), true);
  // The same template with an array where a Data value was: the element repeats, so the walk reads it.
  const withArray = classicValues(2);
  withArray[4] = { type: 0x81, bytes: Buffer.concat([utf16z('one'), utf16z('two')]) };
  add(2, classic, withArray, false);
  // BinXML two deep: EventData's content is a nested value whose Data holds another nested value.
  const inner: TElement = { el: 'Data', attrs: [['Name', 'Inner']], children: [{ sub: 0, type: 0x01 }] };
  const outer: TElement = { el: 'EventData', children: [{ el: 'Data', attrs: [['Name', 'Image']], children: [{ sub: 0, type: 0x01 }] }, { sub: 1, type: 0x21 }] };
  const nested = w.nested('outer', outer, [
    { type: 0x01, bytes: utf16z('C:\\Windows\\System32\\cmd.exe') },
    { type: 0x21, bytes: w.nested('inner', inner, [{ type: 0x01, bytes: utf16z('deep') }]) },
  ]);
  add(3, SYSMON_TEMPLATE, sysmonSubs(3, 1, { type: 0x21, bytes: nested }), true);
  // BinXML inside a text (a Data's content): the walk reads it.
  const textTemplate: TElement = { el: 'EventData', children: [{ el: 'Data', attrs: [['Name', 'Text']], children: [{ sub: 0, type: 0x01 }] }] };
  const inText = w.nested('text', textTemplate, [{ type: 0x21, bytes: w.nested('frag', { el: 'b', children: ['bold'] }, []) }]);
  add(4, SYSMON_TEMPLATE, sysmonSubs(4, 1, { type: 0x21, bytes: inText }), false);
  return { buf: Buffer.concat([fileHeader(1, 5), w.finish()]), planned };
}

describe('EVTX decoder: records read through their template plans', function () {
  it('made records: planned where the walk cannot depend on the values, each field as the walk gives it', function () {
    const { buf, planned } = madeFile();
    const all = records(buf);
    assert.equal(all.length, planned.size);
    for (const r of all) assert.equal(checkRecord(r, `made record ${r.ref.recordId}`), planned.get(r.ref.recordId), `record ${r.ref.recordId} planned`);
    assert.deepEqual(Object.keys(all[0].walked.data), ['Data', 'Named', 'Data_2', 'Leaf', 'Leaf2']);
    assert.equal(all[0].walked.system.Channel, 'App-lication');
    assert.equal(all[2].walked.data.Inner, 'deep');
  });

  it('writer files (Sysmon-like, services.exe -> cmd.exe): every record planned and equal', function () {
    for (const buf of [sysmonFile(3, 20), servicesCmdEvtx()]) {
      const all = records(buf);
      assert.ok(all.length > 0);
      for (const r of all) assert.ok(checkRecord(r, `writer record ${r.ref.recordId}`));
    }
  });

  const corpus = evtxCorpusEntries() ?? [];
  const regression = existsSync(SIGMA_REGRESSION_DIR) ? filesUnder(SIGMA_REGRESSION_DIR, /\.evtx$/) : [];
  const files = [...corpus.map((e) => e.path), ...regression];

  it('every record of the corpus and SigmaHQ regression .evtx: planned, and equal to the walk', function () {
    if (files.length === 0) return skipOrFailWithoutShared(this, '../shared/corpus', SUITE);
    let total = 0;
    for (const file of files) {
      for (const r of records(readFileSync(file))) {
        total++;
        assert.ok(checkRecord(r, `${path.basename(file)} record ${r.ref.recordId}`), `${path.basename(file)} record ${r.ref.recordId} planned`);
      }
    }
    assert.ok(total >= 1000, `${total} records`);
  });

  /** Rule by rule (each alone, so the partial decode always applies) and all at once, on every planned record. */
  function sameHits(rules: readonly CompiledRule[]): number {
    const singles = rules.map((rule) => new RuleSet([rule]));
    const together = new RuleSet(rules);
    let hits = 0;
    for (const file of files) {
      for (const { chunk, ref, walked } of records(readFileSync(file))) {
        const planned = planRecord(chunk, ref)!;
        const head = headOf(planned);
        const full = () => walked;
        for (const set of [...singles, together]) {
          if (!set.wants(head.eventId)) continue; // no rule of the set looks at this EventID: both give []
          const lazy = set.evaluateLazily(head, lazyEvent(planned, full));
          const whole = set.evaluate(walked);
          if (lazy === undefined) assert.equal(set, together, 'only a set large enough for the literal index declines');
          else assert.deepEqual(lazy, whole, `${path.basename(file)} record ${ref.recordId}`);
          if (set !== together) hits += whole.length;
        }
      }
    }
    return hits;
  }

  it('the partial decode gives the whole record\'s hits: CAR-2014-05-002 alone, the CAR library', async function () {
    if (files.length === 0) return skipOrFailWithoutShared(this, '../shared/corpus', SUITE);
    const car = await loadRules({ builtin: true, ids: ['CAR-2014-05-002'] });
    assert.equal(car.rules.length, 1);
    assert.ok(sameHits(car.rules) > 0, 'CAR-2014-05-002 matches somewhere');
    const library = await loadRules({ builtin: true });
    assert.ok(sameHits(library.rules) > 0);
  });

  it('the partial decode gives the whole record\'s hits, rule by rule: every SigmaHQ windows rule and the CAR library', async function () {
    if (files.length === 0 || !existsSync(SIGMA_WINDOWS_RULES)) return skipOrFailWithoutShared(this, '../shared/sigma/rules/windows', SUITE);
    this.timeout(600_000);
    const loaded = await loadRules({ paths: [SIGMA_WINDOWS_RULES] });
    assert.ok(loaded.rules.length > 2000);
    assert.ok(sameHits(loaded.rules) > 100);
  });
});
