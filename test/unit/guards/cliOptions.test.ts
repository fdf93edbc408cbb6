/**
 * `log-hunt hunt --format` and `--threads` must take effect, not just parse. --format forces the
 * shape, so an XML file read as JSON is malformed text with nothing found. --threads sets the
 * worker threads: the CLI hands it to huntFileParallel, which goes parallel only when threads > 1,
 * the file is at least the size a hunt with the CLI's rules goes parallel from (minParallelBytes:
 * 16 MiB plus 80 KB per rule) and UTF-8 XML or JSON lines. The results are
 * the same either way by design, so the tests count the Workers started.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { minParallelBytes } from '../../../src/engine/parallel';
import { builtinRules } from '../../../src/engine/rules/load';
import { countingWorkers, parseJsonOutput, runCli } from '../../support/cli';
import { benign, match, other, Rec, SHAPES } from '../../support/events';

const xmlShape = SHAPES.find((s) => s.name === 'wevtutil.xml')!;
const jsonShape = SHAPES.find((s) => s.name === 'flat.ndjson')!;

/** The --json output without what differs between two runs of the same hunt (its duration). */
function comparable(out: readonly string[]): unknown[] {
  return out.map((line) => {
    const o = JSON.parse(line) as Record<string, unknown>;
    if ('summary' in o) return { summary: { ...(o.summary as Record<string, unknown>), seconds: 0 } };
    return o;
  });
}

describe('guard: the CLI --format and --threads options take effect', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'log-hunt-cli-options-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const small: Rec[] = [benign(1), match(2), other(3, 3)];

  describe('--format', () => {
    const xml = path.join(dir, 'small.xml');
    const json = path.join(dir, 'small.ndjson');
    before(() => {
      writeFileSync(xml, xmlShape.write(small));
      writeFileSync(json, jsonShape.write(small));
    });

    const summaryOf = async (...argv: string[]) => {
      const run = await runCli('hunt', '--json', '--analytic', 'CAR-2014-05-002', ...argv);
      assert.equal(run.status, 0, run.err.join('\n'));
      const { matches, summaries } = parseJsonOutput(run.out);
      return { matches, summary: summaries[0], err: run.err };
    };

    it('auto (and no option) reads each file as what it is', async () => {
      for (const file of [xml, json]) {
        for (const argv of [[file], ['--format', 'auto', file]]) {
          const { summary } = await summaryOf(...argv);
          assert.deepEqual([summary.events, summary.matches, summary.malformed], [3, 1, 0], argv.join(' '));
        }
      }
    });

    it('--format json on an XML file: nothing is read as an event, the lines are reported, nothing matches', async () => {
      const { summary, matches, err } = await summaryOf('--format', 'json', xml);
      assert.deepEqual([summary.events, summary.matches, matches.length], [0, 0, 0]);
      assert.equal(summary.malformed, 3, 'each XML line is malformed text to the JSON reader');
      assert.equal(err.length, 3);
      assert.match(String(summary.format), /^json\b/);
    });

    it('--format xml on a JSON lines file: the same, the other way round', async () => {
      const { summary, matches } = await summaryOf('--format=xml', json);
      assert.deepEqual([summary.events, summary.matches, matches.length], [0, 0, 0]);
      assert.ok(Number(summary.malformed) > 0, 'the JSON lines are reported, never dropped silently');
      assert.match(String(summary.format), /^xml\b/);
    });

    it('--format xml and --format json on files of that shape hunt them', async () => {
      assert.equal((await summaryOf('--format', 'xml', xml)).summary.matches, 1);
      assert.equal((await summaryOf('--format', 'json', json)).summary.matches, 1);
    });

    it('an unknown --format exits 2 with one line', async () => {
      const run = await runCli('hunt', '--format', 'yaml', xml);
      assert.equal(run.status, 2);
      assert.equal(run.err.length, 1);
      assert.match(run.err[0], /--format/);
      assert.deepEqual(run.out, []);
    });
  });

  describe('--threads', function () {
    this.timeout(120_000);
    const big = path.join(dir, 'big.xml');
    const threshold = minParallelBytes({ rules: builtinRules() });
    const small = path.join(dir, 'small-threads.xml');
    before(() => {
      // One match and one near miss per 1,000 events, past the size the CLI's rules (the built-in library) go parallel from.
      const lines: string[] = [];
      let bytes = 0;
      for (let i = 0; bytes < threshold + (1 << 20); i++) {
        const line = xmlShape.write([i % 1000 === 500 ? match(i) : i % 1000 === 501 ? benign(i) : other(i, 3)]);
        lines.push(line);
        bytes += line.length;
      }
      writeFileSync(big, lines.join(''));
      writeFileSync(small, lines.slice(0, 2000).join(''));
      assert.ok(statSync(big).size > threshold);
    });

    it('--threads 2 on a file past the parallel size starts 2 workers; --threads 1 starts none; the output is the same', async () => {
      const one = await countingWorkers(() => runCli('hunt', '--json', '--threads', '1', big));
      const two = await countingWorkers(() => runCli('hunt', '--json', '--threads', '2', big));
      assert.equal(one.workers, 0, '--threads 1 hunts on the calling thread');
      assert.equal(two.workers, 2, '--threads 2 splits the file between two workers');
      for (const run of [one.result, two.result]) assert.equal(run.status, 0, run.err.join('\n'));
      const { matches, summaries } = parseJsonOutput(one.result.out);
      assert.ok(matches.length >= 16, `the generated file holds matches (${matches.length})`);
      assert.equal(summaries[0].malformed, 0);
      assert.deepEqual(comparable(two.result.out), comparable(one.result.out));
    });

    it('--threads 2 on a small file stays on one thread (workers would cost more than they save)', async () => {
      const { workers, result } = await countingWorkers(() => runCli('hunt', '--json', '--threads', '2', small));
      assert.equal(result.status, 0);
      assert.equal(workers, 0);
    });

    it('--threads 0 and --threads x exit 2 with one line', async () => {
      for (const value of ['0', 'x', '']) {
        const run = await runCli('hunt', '--threads', value, small);
        assert.equal(run.status, 2, value);
        assert.equal(run.err.length, 1);
        assert.match(run.err[0], /--threads/);
      }
    });
  });
});
