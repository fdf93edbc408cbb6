/**
 * Issue 5, item 1, the enormous inputs: each is streamed to a temp file (never held in memory),
 * hunted in a child process whose peak RSS is the hunt's alone, and deleted afterwards.
 * No timed assertions: the mocha timeouts are generous, and a quadratic pass would blow them.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { generateLogInMemory, GroundTruth } from '../../../bench/generate';
import { huntInChild, jsonBenign, jsonMatch, MiB, tempDir, writeStreamed, xmlBenign, xmlMatch } from './support';

const GiB = 1 << 30;

/** A generated Event Viewer body of about `bytes` (no root element), all on one line, and its truth. */
async function eventViewerBlock(bytes: number): Promise<{ block: string; truth: GroundTruth }> {
  const generated = await generateLogInMemory({ shape: 'eventviewer', targetBytes: bytes, seed: 11, matchEvery: 500 });
  const { truth } = generated;
  const text = generated.bytes.toString('utf8');
  // Event Viewer writes no newline between events; only RenderingInfo messages hold CRLFs: make them spaces.
  const block = text.slice(text.indexOf('<Events>') + '<Events>'.length, text.lastIndexOf('</Events>')).replace(/\r\n/g, '  ');
  return { block, truth };
}

describe('slow bad input', function () {
  this.timeout(10 * 60_000);
  const dir = tempDir('big');
  const file = (name: string) => path.join(dir(), name);
  afterEach(() => {
    for (const name of ['one-line.xml', 'one-line.json', 'garbage.xml', 'one-record.xml', 'long-cmd.xml', 'tiny.ndjson', 'spaces.xml']) {
      rmSync(file(name), { force: true });
    }
  });

  it('a 1 GB Event Viewer export on a single line: every event counted and matched, memory bounded', async () => {
    const { block, truth } = await eventViewerBlock(4 * MiB);
    const times = Math.ceil(GiB / Buffer.byteLength(block));
    const bytes = await writeStreamed(file('one-line.xml'), '<?xml version="1.0" encoding="utf-8"?><Events>', block, times, '</Events>');
    assert.ok(bytes > GiB);
    const hunt = huntInChild(file('one-line.xml'));
    assert.equal(hunt.error, undefined);
    assert.deepEqual(
      [hunt.summary!.events, hunt.summary!.processCreates, hunt.summary!.matches, hunt.summary!.malformed],
      [truth.events * times, truth.processCreates * times, truth.matches * times, 0],
    );
    assert.ok(hunt.maxRssMiB < 600, `peak RSS ${hunt.maxRssMiB.toFixed(0)} MiB`);
  });

  it('a 1 GB JSON array on a single line: streamed record by record, memory bounded', async () => {
    const records = Array.from({ length: 2000 }, (_, i) => (i === 0 ? jsonMatch(1) : i % 7 ? jsonBenign(2).replace('"EventID":1', '"EventID":3') : jsonBenign(2)));
    const block = records.join(',') + ',';
    const times = Math.ceil(GiB / block.length);
    await writeStreamed(file('one-line.json'), '[', block, times, `${jsonMatch(9)}]`);
    const hunt = huntInChild(file('one-line.json'));
    assert.equal(hunt.error, undefined);
    assert.equal(hunt.summary!.events, 2000 * times + 1);
    assert.equal(hunt.summary!.matches, times + 1);
    assert.equal(hunt.summary!.malformed, 0);
    assert.match(hunt.summary!.format, /^json \(JSON array/);
    assert.ok(hunt.maxRssMiB < 600, `peak RSS ${hunt.maxRssMiB.toFixed(0)} MiB`);
  });

  it('a 1 GB line of garbage: one warning where it starts, the event after it still hunted', async () => {
    await writeStreamed(file('garbage.xml'), `${xmlMatch(1)}\n`, 'x'.repeat(MiB), 1024, `\n${xmlMatch(2)}\n`);
    const hunt = huntInChild(file('garbage.xml'));
    assert.deepEqual(hunt.matchIds, ['1', '2']);
    assert.deepEqual(hunt.malformed, [{ position: { line: 2, column: 1 }, message: 'unexpected text between events; skipped' }]);
    assert.ok(hunt.maxRssMiB < 600, `peak RSS ${hunt.maxRssMiB.toFixed(0)} MiB`);
  });

  it('a 1 GB line that is ONE record: reported as too large and skipped without being held', async () => {
    const [head, tail] = xmlMatch(5, '\u0000').split('\u0000');
    await writeStreamed(file('one-record.xml'), `${xmlMatch(1)}\n${head}`, 'A'.repeat(MiB), 1024, `${tail}\n${xmlMatch(2)}\n`);
    const hunt = huntInChild(file('one-record.xml'));
    assert.deepEqual(hunt.matchIds, ['1', '2']);
    assert.deepEqual(hunt.malformed, [{ position: { line: 2, column: 1 }, message: 'record larger than 128 MiB; skipped' }]);
    assert.equal(hunt.summary!.events, 2);
    assert.ok(hunt.maxRssMiB < 600, `peak RSS ${hunt.maxRssMiB.toFixed(0)} MiB`);
  });

  it('a single 100 MB command line: the event is hunted whole, the match keeps every byte', async () => {
    const [head, tail] = xmlMatch(7, '\u0000').split('\u0000');
    // 1 KiB units with an entity each, so the parser decodes all along: 100 MiB of command line.
    const unit = 'x'.repeat(1019) + '&amp;';
    await writeStreamed(file('long-cmd.xml'), `${xmlBenign(6)}\n${head}`, unit.repeat(1024), 100, `${tail}\n${xmlMatch(8)}\n`);
    for (const mode of ['fast', 'plain'] as const) {
      const hunt = huntInChild(file('long-cmd.xml'), { mode });
      assert.deepEqual(hunt.matchIds, ['7', '8'], mode);
      assert.deepEqual(hunt.malformed, []);
      assert.deepEqual(hunt.matchCommandLineLengths, [1020 * 1024 * 100, 1]);
      // The record (100 MiB) is held while it is read, as text and as its decoded value.
      assert.ok(hunt.maxRssMiB < 1200, `peak RSS ${hunt.maxRssMiB.toFixed(0)} MiB`);
    }
  });

  it('10 million tiny events: every one counted, memory flat', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 100_000; i++) lines.push(`{"EventID":${2 + (i % 20)}}\n`);
    lines[50_000] = `${jsonMatch(1)}\n`;
    await writeStreamed(file('tiny.ndjson'), '', lines.join(''), 100, '');
    const hunt = huntInChild(file('tiny.ndjson'));
    assert.equal(hunt.summary!.events, 10_000_000);
    assert.equal(hunt.summary!.matches, 100);
    assert.equal(hunt.summary!.malformed, 0);
    assert.ok(hunt.maxRssMiB < 300, `peak RSS ${hunt.maxRssMiB.toFixed(0)} MiB`);
  });

  it('256 MB of white space before the first event: not held while the shape is unknown', async () => {
    await writeStreamed(file('spaces.xml'), '', ' \n'.repeat(MiB / 2), 256, `${xmlMatch(1)}\n`);
    const hunt = huntInChild(file('spaces.xml'));
    assert.deepEqual(hunt.matchIds, ['1']);
    assert.ok(hunt.maxRssMiB < 300, `peak RSS ${hunt.maxRssMiB.toFixed(0)} MiB`);
  });
});
