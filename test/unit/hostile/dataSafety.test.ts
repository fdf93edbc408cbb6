/**
 * Issue 5, items 4 (CLI part), 5 and 7: hunted files stay byte-identical, cancelling leaves no
 * result and no open file, stored matches and warnings are capped but always counted, and log
 * text never reaches the terminal as control characters.
 */
import { CAR_2014_05_002_ONLY } from '../../support/rules';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { huntFile } from '../../../src/engine/hunt';
import { huntFileParallel } from '../../../src/engine/parallel';
import { corpusEntriesIfAny } from '../../support/corpus';
import { shapeFixtures } from '../../support/shapes';
import { CMD, jsonMatch, jsonProcess, matchedIds, SERVICES, tempDir, xmlBenign, xmlMatch, xmlProcess } from './support';

async function cli(...argv: string[]): Promise<{ status: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(argv, (l) => out.push(l), (l) => err.push(l));
  return { status, out, err };
}

/** Open file descriptors of this process (Linux), to catch a file left open. */
function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

/** A log of `n` events, every one a match. */
const manyMatches = (n: number) => Array.from({ length: n }, (_, i) => xmlMatch(i)).join('\n') + '\n';

/** Terminal control: C0 (but tab), DEL, C1 and the bidirectional overrides and isolates. */
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('nothing is lost or changed', () => {
  const dir = tempDir('safety');

  it('hunted files are byte-identical afterwards: every shape, the corpus, broken files; engine, parallel and CLI', async function () {
    this.timeout(180_000);
    const files: string[] = [];
    for (const [name, bytes] of Object.entries(shapeFixtures())) {
      files.push(path.join(dir(), name));
      writeFileSync(files.at(-1)!, bytes);
    }
    const broken = path.join(dir(), 'broken.xml');
    writeFileSync(broken, `${xmlMatch(1)}\ngarbage\n<Event><System>`);
    files.push(broken, ...corpusEntriesIfAny('data safety').map((e) => e.path));
    const fingerprint = (file: string) => {
      const info = statSync(file);
      return { sha256: createHash('sha256').update(readFileSync(file)).digest('hex'), size: info.size, mtimeMs: info.mtimeMs, mode: info.mode };
    };
    const before = files.map(fingerprint);
    for (const file of files) {
      await huntFile(file, { rules: CAR_2014_05_002_ONLY, mode: 'fast' });
      await huntFile(file, { rules: CAR_2014_05_002_ONLY, mode: 'plain', chunkSize: statSync(file).size < 100_000 ? 7 : 65_536 });
      await huntFileParallel(file, { rules: CAR_2014_05_002_ONLY, threads: 2, minParallelBytes: 0 });
    }
    assert.equal((await cli('hunt', '--json', ...files)).status, 0);
    assert.deepEqual(files.map(fingerprint), before);
  });

  describe('cancelling', () => {
    it('mid-hunt: rejects with AbortError, returns no result, and closes the file', async () => {
      const file = path.join(dir(), 'cancel.xml');
      writeFileSync(file, manyMatches(2000));
      const fds = openFds();
      const abort = new AbortController();
      let seen = 0;
      const outcome = await huntFile(file, { rules: CAR_2014_05_002_ONLY,
        chunkSize: 4096,
        signal: abort.signal,
        onMatch: () => seen++,
        onProgress: () => abort.abort(),
      }).then(
        (result) => ({ result }),
        (error: Error) => ({ error }),
      );
      assert.ok('error' in outcome, 'the hunt must not resolve');
      assert.equal(outcome.error.name, 'AbortError');
      assert.ok(seen < 2000, 'it stopped early');
      assert.equal(openFds(), fds, 'no file descriptor left open');
    });

    it('before it starts: rejects with AbortError and closes the file', async () => {
      const file = path.join(dir(), 'cancel-early.xml');
      writeFileSync(file, manyMatches(10));
      const fds = openFds();
      await assert.rejects(huntFile(file, { rules: CAR_2014_05_002_ONLY, signal: AbortSignal.abort() }), { name: 'AbortError' });
      assert.equal(openFds(), fds);
    });

    it('a parallel hunt: rejects with AbortError, workers stopped, no result', async () => {
      const file = path.join(dir(), 'cancel-parallel.xml');
      writeFileSync(file, manyMatches(20_000));
      const abort = new AbortController();
      const pending = huntFileParallel(file, { rules: CAR_2014_05_002_ONLY, threads: 2, minParallelBytes: 0, chunkSize: 4096, signal: abort.signal, onProgress: () => abort.abort() });
      await assert.rejects(pending, { name: 'AbortError' });
    });
  });

  describe('memory caps: counted, not stored', () => {
    it('maxStoredMatches: the first N are stored in order, every match is counted and streamed', async () => {
      const file = path.join(dir(), 'many.xml');
      writeFileSync(file, manyMatches(50));
      let streamed = 0;
      const capped = await huntFile(file, { rules: CAR_2014_05_002_ONLY, maxStoredMatches: 10, onMatch: () => streamed++ });
      assert.equal(capped.summary.matches, 50);
      assert.deepEqual(matchedIds(capped), Array.from({ length: 10 }, (_, i) => String(i)));
      assert.equal(streamed, 50);
      const none = await huntFile(file, { rules: CAR_2014_05_002_ONLY, maxStoredMatches: 0 });
      assert.deepEqual([none.summary.matches, none.matches.length], [50, 0]);
      // Past the cap with nothing streaming, the engine counts without building events: the counts per rule are the same.
      assert.deepEqual(none.summary.matchesByRule, capped.summary.matchesByRule);
      assert.equal(none.summary.why, undefined, 'matches that were not stored still count as found');
    });

    it('maxStoredMatches on workers: the first N in file order, every match counted and streamed', async () => {
      const file = path.join(dir(), 'many-parallel.xml');
      writeFileSync(file, manyMatches(400));
      const options = { rules: CAR_2014_05_002_ONLY, maxStoredMatches: 10, threads: 2, minParallelBytes: 0 };
      // Without onMatch each part sends at most N matches and only counts the rest.
      const capped = await huntFileParallel(file, options);
      assert.deepEqual([capped.summary.matches, capped.summary.matchesByRule['CAR-2014-05-002']], [400, 400]);
      assert.deepEqual(matchedIds(capped), Array.from({ length: 10 }, (_, i) => String(i)));
      let streamed = 0;
      const all = await huntFileParallel(file, { ...options, onMatch: () => streamed++ });
      assert.deepEqual([all.summary.matches, streamed, all.matches.length], [400, 400, 10]);
    });

    it('malformed records: the first 1000 are stored, all are counted and streamed', async () => {
      const file = path.join(dir(), 'many-bad.xml');
      writeFileSync(file, `${xmlMatch(1)}\n${'junk\n'.repeat(1500)}${xmlMatch(2)}\n`);
      let streamed = 0;
      const result = await huntFile(file, { rules: CAR_2014_05_002_ONLY, onMalformed: () => streamed++ });
      assert.deepEqual([result.summary.malformed, result.malformed.length, streamed], [1500, 1000, 1500]);
      assert.deepEqual(result.malformed[999].position, { line: 1001, column: 1 });
      assert.deepEqual(matchedIds(result), ['1', '2']);
    });

    it('CLI --max-matches N prints N matches, then says how many more were counted', async () => {
      const file = path.join(dir(), 'many-cli.xml');
      writeFileSync(file, manyMatches(50));
      const { status, out } = await cli('hunt', '--analytic', 'CAR-2014-05-002', '--max-matches', '3', file);
      assert.equal(status, 0);
      assert.equal(out.filter((l) => l.startsWith(`${file}:`) && l.includes('  CAR-2014-05-002  ')).length, 3);
      assert.match(out[3], /: 50 match\(es\) in 50 events/);
      assert.equal(out[4], '  matches by rule (1 rules ran): CAR-2014-05-002 ×50');
      assert.equal(out[5], '  47 further match(es) were counted but not printed (--max-matches).');
      const json = await cli('hunt', '--analytic', 'CAR-2014-05-002', '--json', '--max-matches', '0', file);
      assert.equal(json.out.length, 1);
      const { summary } = JSON.parse(json.out[0]) as { summary: { matches: number; notPrinted: number } };
      assert.deepEqual([summary.matches, summary.notPrinted], [50, 50]);
    });
  });

  describe('CLI output: log text cannot drive the terminal', () => {
    const HOSTILE = 'cmd /c \u001b[2J\u001b]0;pwned\u0007 \u009b31m \u202eexe.dmc\u202c \u2066x\u2069 \r\n fake line';

    it('ANSI, C1 and bidi controls in fields, warnings and file names are shown escaped, human and JSON', async () => {
      const file = path.join(dir(), 'evil\u001b[31m.ndjson');
      const lines = [
        jsonMatch(1, HOSTILE),
        jsonProcess(2, CMD, SERVICES).replace('"Hostname":"HOST"', `"Hostname":${JSON.stringify(`HOST\u001b[8m`)}`),
        `{"EventID": 1, "Image": \u001b[31m}`,
      ];
      writeFileSync(file, lines.join('\n'));
      for (const flags of [[], ['--json']]) {
        const { status, out, err } = await cli('hunt', ...flags, file);
        assert.equal(status, 0);
        for (const line of [...out, ...err]) assert.ok(!UNSAFE.test(line), `raw control character in ${JSON.stringify(line)}`);
        assert.ok(out.join('\n').includes('\\u001b[2J'), 'the escape is shown, not dropped');
        assert.ok(out.join('\n').includes('\\u202e'));
        assert.equal(err.length, 1);
        assert.match(err[0], /evil\\u001b\[31m\.ndjson:3:1: warning: JSON event not readable/);
      }
      // Escaped, yet exact: the JSON output still carries the value itself.
      const json = await cli('hunt', '--json', file);
      assert.equal((JSON.parse(json.out[0]) as { commandLine: string }).commandLine, HOSTILE);
    });

    it('XML: control characters from the log are escaped too', async () => {
      const file = path.join(dir(), 'evil.xml');
      writeFileSync(file, `${xmlProcess(1, CMD, SERVICES, 'a\u001b[31mb\u0085c')}\n`);
      const { out } = await cli('hunt', file);
      assert.ok(out[0].endsWith('a\\u001b[31mb\\u0085c'), out[0]);
      assert.ok(!out.some((l) => UNSAFE.test(l)));
    });

    it('a refused file is named in the one-line message, exit status 2', async () => {
      const png = path.join(dir(), 'image.png');
      writeFileSync(png, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.alloc(64)]));
      const good = path.join(dir(), 'good.xml');
      writeFileSync(good, xmlBenign(1));
      const { status, out, err } = await cli('hunt', '--analytic', 'CAR-2014-05-002', png, good);
      assert.equal(status, 2);
      assert.deepEqual(err, [`log-hunt: ${png}: not a Sysmon text log: it is a PNG image`]);
      assert.match(out.join('\n'), /good\.xml: 0 match\(es\) in 1 events/, 'the other file is still hunted');
    });
  });
});
