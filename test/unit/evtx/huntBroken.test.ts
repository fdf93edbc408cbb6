/**
 * Broken `.evtx` files hunted (issue 10): a stale header, a zeroed chunk, a file cut inside a chunk
 * and inside a record, a bad CRC, a damaged template, junk after the last chunk, a 0-byte file.
 * Each hunt finishes without throwing, says what is wrong with its chunk and offset (or in its
 * summary), finds the matches of every good chunk, and two workers find what one thread does.
 */
import assert from 'node:assert/strict';
import { assertEvery } from '../../support/assertions';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { huntFile, huntFileParallel, HuntResult, loadRules, LoadedRules } from '../../../src/engine';
import { crc32 } from '../../../src/engine/readers/evtx';
import { EVERY_RECORD_RULE, sysmonFile } from './writer';

const HEADER = 4096;
const CHUNK = 65536;
const PER_CHUNK = 20;

/** Record ids `from`..`to` as strings. */
const ids = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

/** Everything but the timing. */
function comparable(r: HuntResult): string {
  const { seconds: _seconds, ...summary } = r.summary;
  return JSON.stringify({ summary, matches: r.matches, malformed: r.malformed });
}

describe('hunting broken .evtx files', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'log-hunt-evtx-broken-'));
  let rules: LoadedRules;
  before(async () => {
    const rulesDir = path.join(dir, 'rules');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(rulesDir);
    writeFileSync(path.join(rulesDir, 'every.yml'), EVERY_RECORD_RULE);
    rules = await loadRules({ paths: [rulesDir], builtin: false });
    assert.equal(rules.rules.length, 1);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Hunts `bytes` as `name` on one thread and on two workers: the same result, which is returned. */
  async function hunt(name: string, bytes: Buffer): Promise<HuntResult> {
    const file = path.join(dir, name);
    writeFileSync(file, bytes);
    const one = await huntFile(file, { rules, maxStoredMatches: Infinity });
    const two = await huntFileParallel(file, { rules, maxStoredMatches: Infinity, threads: 2, minParallelBytes: 0 });
    assert.equal(comparable(two), comparable(one), 'two workers = one thread');
    const plain = await huntFile(file, { rules, maxStoredMatches: Infinity, mode: 'plain' });
    assert.deepEqual(plain.matches, one.matches, 'fast = plain');
    return one;
  }

  const matched = (r: HuntResult) => r.matches.map((m) => m.event.recordId);
  const messages = (r: HuntResult) => r.malformed.map((m) => `${m.message} @chunk ${m.place?.chunk} offset ${m.place?.offset}`);

  it('the good file: every record matched, nothing malformed', async () => {
    const r = await hunt('good.evtx', sysmonFile(3, PER_CHUNK));
    assert.deepEqual(matched(r), ids(1, 60));
    assert.deepEqual(r.malformed, []);
    assert.match(r.summary.format, /^evtx/);
  });

  it('a stale header (chunk count 1 of 3, CRC fixed): every chunk is still hunted', async () => {
    const buf = sysmonFile(3, PER_CHUNK);
    buf.writeUInt16LE(1, 42);
    buf.writeBigUInt64LE(0n, 16);
    buf.writeUInt32LE(crc32(buf.subarray(0, 120)), 124);
    const r = await hunt('stale.evtx', buf);
    assert.deepEqual(matched(r), ids(1, 60));
  });

  it('a stale header whose CRC is stale too: reported at offset 0, every chunk still hunted', async () => {
    const buf = sysmonFile(3, PER_CHUNK);
    buf.writeUInt16LE(1, 42);
    const r = await hunt('stale-crc.evtx', buf);
    assert.deepEqual(matched(r), ids(1, 60));
    assert.deepEqual(messages(r), ['the file header fails its CRC32 @chunk undefined offset 0']);
  });

  it('a zeroed chunk (never used, as a preallocated file has): skipped, the others hunted', async () => {
    const buf = sysmonFile(3, PER_CHUNK);
    buf.fill(0, HEADER + CHUNK, HEADER + 2 * CHUNK);
    const r = await hunt('zeroed.evtx', buf);
    assert.deepEqual(matched(r), [...ids(1, 20), ...ids(41, 60)]);
    assert.equal(r.summary.events, 40);
  });

  it('a file cut inside a chunk: reported with the chunk and its offset; the records before the cut still matched', async () => {
    const whole = sysmonFile(3, PER_CHUNK);
    const cutAt = HEADER + 2 * CHUNK + 4000; // chunk 2, a few records in
    const r = await hunt('cut-chunk.evtx', whole.subarray(0, cutAt));
    assert.deepEqual(matched(r).slice(0, 40), ids(1, 40));
    assert.ok(r.matches.length > 40 && r.matches.length < 60, `${r.matches.length} matches`);
    assertEvery(r.matches.slice(40), (m) => m.event.place?.recovered === true, "the cut chunk's records are marked recovered");
    const cut = r.malformed.find((m) => /cut short/.test(m.message));
    assert.ok(cut, messages(r).join('\n'));
    assert.equal(cut.place?.chunk, 2);
    assert.equal(cut.place?.offset, HEADER + 2 * CHUNK);
    assert.match(cut.message, /chunk 2 at 0x21000: cut short: 3999|chunk 2 at 0x21000: cut short/);
  });

  it('a file cut inside a record: the record before it is the last one found; the cut is reported', async () => {
    const whole = sysmonFile(3, PER_CHUNK);
    const starts: number[] = [];
    for (let i = whole.indexOf('**\0\0', HEADER + CHUNK, 'latin1'); i >= 0 && i < HEADER + 2 * CHUNK; i = whole.indexOf('**\0\0', i + 4, 'latin1')) starts.push(i);
    // Halfway into the sixth record of chunk 1 (record id 26).
    const size = whole.readUInt32LE(starts[5] + 4);
    const r = await hunt('cut-record.evtx', whole.subarray(0, starts[5] + (size >> 1)));
    assert.deepEqual(matched(r), ids(1, 25));
    const problems = r.malformed.filter((m) => m.place?.chunk === 1);
    assert.ok(problems.length > 0, messages(r).join('\n'));
    assert.ok(problems.every((m) => m.place?.offset === HEADER + CHUNK), messages(r).join('\n'));
    assert.ok(problems.some((m) => /cut short/.test(m.message)), messages(r).join('\n'));
  });

  it('a bad CRC (a value byte changed): reported with the chunk and offset; its records still matched, marked recovered', async () => {
    const buf = sysmonFile(3, PER_CHUNK);
    const at = buf.indexOf(Buffer.from('echo 30', 'utf16le'), HEADER + CHUNK);
    buf[at + 2] ^= 0x01; // 'c' of echo -> 'b': the record no longer matches, the others do
    const r = await hunt('bad-crc.evtx', buf);
    assert.deepEqual(matched(r), [...ids(1, 29), ...ids(31, 60)]);
    assert.deepEqual(messages(r), [`chunk 1 at 0x11000: the event records fail their CRC32 @chunk 1 offset ${HEADER + CHUNK}`]);
    assert.ok(r.matches.filter((m) => m.event.place?.chunk === 1).every((m) => m.event.place?.recovered));
    assert.ok(r.matches.filter((m) => m.event.place?.chunk !== 1).every((m) => !m.event.place?.recovered));
  });

  it('a damaged template in a damaged chunk: that chunk decodes from its own bytes only, so two workers agree with one thread; the good chunks are all matched', async () => {
    const buf = sysmonFile(3, PER_CHUNK);
    // A byte of the Sysmon template chunk 2's first record defines (an element name: 'Provider' -> 'Psovider').
    // Chunk 2: where the second of two workers starts, with an empty template cache; one thread has
    // chunk 0's template of the same GUID and size in its cache by then, and must not use it.
    const at = buf.indexOf(Buffer.from('Provider', 'utf16le'), HEADER + 2 * CHUNK);
    assert.ok(at > HEADER + 2 * CHUNK && at < HEADER + 2 * CHUNK + 2048);
    buf[at + 2] ^= 0x01;
    const r = await hunt('bad-template.evtx', buf);
    assert.deepEqual(matched(r).filter((id) => Number(id) <= 40), ids(1, 40));
    assert.ok(r.malformed.some((m) => m.place?.chunk === 2 && /CRC32/.test(m.message)), messages(r).join('\n'));
  });

  it('junk after the last chunk: reported with its offset and ignored', async () => {
    const junk = Buffer.alloc(1000, 0x41);
    const r = await hunt('junk.evtx', Buffer.concat([sysmonFile(3, PER_CHUNK), junk]));
    assert.deepEqual(matched(r), ids(1, 60));
    assert.deepEqual(messages(r), [`1000 bytes after the last chunk are not a chunk (ignored) @chunk undefined offset ${HEADER + 3 * CHUNK}`]);
  });

  it('a whole chunk of junk after the last one: each of its checks reported, nothing from it matched', async () => {
    const junk = Buffer.alloc(CHUNK, 0x41);
    junk.write('ElfChnk\0', 0, 'latin1');
    const r = await hunt('junk-chunk.evtx', Buffer.concat([sysmonFile(3, PER_CHUNK), junk]));
    assert.deepEqual(matched(r), ids(1, 60));
    assert.ok(r.malformed.length > 0 && r.malformed.every((m) => m.place?.chunk === 3 && m.place.offset === HEADER + 3 * CHUNK), messages(r).join('\n'));
  });

  it('a 0-byte file named .evtx: no crash, nothing found, and a summary that says the file is empty', async () => {
    const r = await hunt('empty.evtx', Buffer.alloc(0));
    assert.equal(r.summary.events, 0);
    assert.deepEqual(r.matches, []);
    assert.equal(r.summary.format, 'empty');
    assert.match(r.summary.why ?? '', /empty/i);
  });
});
