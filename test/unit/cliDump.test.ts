/**
 * `log-hunt dump`: in process (usage, refusals, --out) and as the built bin (stdout, a damaged
 * file's warnings, a file that is not EVTX, a reader that goes away), its output hunted by the bin.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { assertBuiltCliFresh, BUILT_CLI, runBuiltCli, runCli } from '../support/cli';
import { CORPUS_DIR, REPO_ROOT } from '../support/corpus';
import { skipOrFailWithoutShared } from '../support/shared';
import { dumpEvtx } from '../../src/engine/dump';
import { parseJsonRecord } from '../../src/engine/readers/jsonShapes';
import { sysmonFile } from './evtx/writer';

const SUITE = 'log-hunt dump';
/** 237 records, six CAR-2014-05-002 matches (MANIFEST.tsv). */
const SHIME = path.join(CORPUS_DIR, 'persistence_sysmon_11_13_1_shime_appfix.evtx');
const PSEXEC = path.join(CORPUS_DIR, 'LM_sysmon_psexec_smb_meterpreter.evtx');

async function dumpText(file: string, to: 'xml' | 'jsonl'): Promise<string> {
  const parts: string[] = [];
  await dumpEvtx(file, to, (t) => void parts.push(t));
  return parts.join('');
}

describe('log-hunt dump', function () {
  let dir: string;
  before(function () {
    dir = mkdtempSync(path.join(tmpdir(), 'log-hunt-cli-dump-'));
  });
  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  /** A 3-chunk file whose chunk 1 fails its records CRC and whose chunk 2 holds a record that does not decode. */
  function damagedFile(): string {
    const file = path.join(dir, 'damaged.evtx');
    const buf = sysmonFile(3, 20);
    buf[4096 + 65536 + 600] ^= 0xff;
    buf[4096 + 2 * 65536 + 512 + 24] = 0xee;
    writeFileSync(file, buf);
    return file;
  }

  describe('in process', function () {
    it('is in the help; a missing file operand, a bad --to, and an unknown option are usage errors (2)', async function () {
      assert.match((await runCli('help')).out.join('\n'), /log-hunt dump \[--to xml\|jsonl\] \[--out FILE\] FILE\.evtx\.\.\./);
      for (const argv of [['dump'], ['dump', '--to', 'csv', 'x.evtx'], ['dump', '--format', 'xml', 'x.evtx']]) {
        const run = await runCli(...argv);
        assert.equal(run.status, 2, argv.join(' '));
        assert.deepEqual(run.out, []);
        assert.match(run.err.join('\n'), /^log-hunt dump: /, argv.join(' '));
      }
    });

    it('refuses --out naming an input (or a link to it), and leaves the input as it was', async function () {
      const file = path.join(dir, 'input.evtx');
      writeFileSync(file, sysmonFile(1, 3));
      const before = readFileSync(file);
      const soft = path.join(dir, 'soft.evtx');
      const hard = path.join(dir, 'hard.evtx');
      symlinkSync(file, soft);
      linkSync(file, hard);
      for (const out of [file, soft, hard]) {
        const run = await runCli('dump', '--out', out, file);
        assert.equal(run.status, 2);
        assert.match(run.err.join('\n'), /is the input .*; it is never written to/);
      }
      assert.deepEqual(readFileSync(file), before);
    });

    it('a file that is not EVTX: a clear refusal (2) and no output; the other files are still dumped', async function () {
      const text = path.join(dir, 'not.evtx');
      writeFileSync(text, 'just text\n');
      const refused = await runCli('dump', text);
      assert.equal(refused.status, 2);
      assert.deepEqual(refused.out, []);
      assert.match(refused.err.join('\n'), /not\.evtx: not an EVTX file/);
      const missing = path.join(dir, 'missing.evtx');
      assert.deepEqual((await runCli('dump', missing)).err, [`log-hunt: ${missing}: no such file`]);
      assert.deepEqual((await runCli('dump', dir)).err, [`log-hunt: ${dir}: is a directory`]);
      const good = path.join(dir, 'good.evtx');
      writeFileSync(good, sysmonFile(1, 3));
      const out = path.join(dir, 'mixed.xml');
      const mixed = await runCli('dump', '--out', out, text, good);
      assert.equal(mixed.status, 2);
      assert.equal((readFileSync(out, 'utf8').match(/<Event /g) ?? []).length, 3);
      assert.ok(readFileSync(out, 'utf8').endsWith('</Events>\n'));
    });

    it('several files make one XML document; --to jsonl one line per record', async function () {
      const a = path.join(dir, 'a.evtx');
      const b = path.join(dir, 'b.evtx');
      writeFileSync(a, sysmonFile(1, 3));
      writeFileSync(b, sysmonFile(2, 4));
      const xml = await runCli('dump', a, b);
      assert.equal(xml.status, 0);
      const text = xml.out.join('\n');
      assert.equal((text.match(/<Events>/g) ?? []).length, 1);
      assert.equal((text.match(/<Event /g) ?? []).length, 11);
      const jsonl = (await runCli('dump', '--to', 'jsonl', a, b)).out.join('\n').split('\n');
      assert.equal(jsonl.length, 11);
      for (const line of jsonl) assert.equal(parseJsonRecord(line).shape, 'evtx_dump JSON');
    });
  });

  describe('the built bin', function () {
    before(function () {
      // Fail, not rebuild: a test must not rewrite dist/.
      assertBuiltCliFresh();
    });

    it('dumps a corpus .evtx to stdout (XML and JSONL), the same text dumpEvtx gives', async function () {
      if (!existsSync(PSEXEC)) skipOrFailWithoutShared(this, '../shared/corpus', SUITE);
      for (const to of ['xml', 'jsonl'] as const) {
        const result = spawnSync(process.execPath, [BUILT_CLI, 'dump', '--to', to, PSEXEC], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
        assert.equal(result.status, 0, result.stderr);
        assert.equal(result.stderr, '');
        assert.equal(result.stdout, await dumpText(PSEXEC, to), to);
      }
    });

    it('--out FILE, then `hunt` on it finds the six CAR-2014-05-002 matches of the .evtx', async function () {
      if (!existsSync(SHIME)) skipOrFailWithoutShared(this, '../shared/corpus', SUITE);
      for (const to of ['xml', 'jsonl'] as const) {
        const out = path.join(dir, `shime.${to}`);
        const dumped = runBuiltCli(['dump', '--to', to, '--out', out, SHIME]);
        assert.equal(dumped.status, 0, dumped.err.join('\n'));
        assert.deepEqual(dumped.out, []);
        assert.match(dumped.err.join('\n'), /: 237 record\(s\) from 5 chunk\(s\), 0 problem\(s\)$/);
        assert.equal(readFileSync(out, 'utf8'), await dumpText(SHIME, to));
        const hunted = runBuiltCli(['hunt', '--json', '--analytic', 'CAR-2014-05-002', out]);
        assert.equal(hunted.status, 0, hunted.err.join('\n'));
        const summary = JSON.parse(hunted.out.at(-1)!) as { summary: { events: number; matches: number; malformed: number } };
        assert.deepEqual([summary.summary.events, summary.summary.matches, summary.summary.malformed], [237, 6, 0], to);
      }
    });

    it('a damaged file: each problem a warning on stderr (chunk, offset), the rest dumped, exit 0', function () {
      const file = damagedFile();
      const result = runBuiltCli(['dump', '--to', 'jsonl', file]);
      assert.equal(result.status, 0, result.err.join('\n'));
      assert.ok(result.err.some((l) => l === `${file}: warning: chunk 1 at 0x11000: the event records fail their CRC32`), result.err.join('\n'));
      assert.ok(result.err.some((l) => l.startsWith(`${file}: warning: record 41 at 0x21200 (chunk 2): `)), result.err.join('\n'));
      assert.ok(result.out.length >= 40 && result.out.length < 60, `${result.out.length} records`);
      for (const line of result.out) JSON.parse(line);
    });

    it('not an EVTX file: exit 2, a clear message, nothing on stdout', function () {
      const file = path.join(dir, 'plain.evtx');
      writeFileSync(file, '<Event/>\n');
      const result = runBuiltCli(['dump', file]);
      assert.equal(result.status, 2);
      assert.deepEqual(result.out, []);
      assert.deepEqual(result.err, [`log-hunt: ${file}: not an EVTX file: no ElfFile header at its start and no ElfChnk chunk after it`]);
    });

    it('stops quietly when its reader goes away (`| head -c 100`)', function () {
      const file = path.join(dir, 'big.evtx');
      writeFileSync(file, sysmonFile(16, 60));
      const result = spawnSync('/bin/sh', ['-c', `"${process.execPath}" "${BUILT_CLI}" dump --to jsonl "${file}" | head -c 100 >/dev/null`], { encoding: 'utf8' });
      assert.equal(result.stderr, '');
      // Sixteen chunks, each a write that waits for the file to drain: no listener piles up (no MaxListenersExceededWarning).
      const out = path.join(dir, 'big.jsonl');
      const toFile = runBuiltCli(['dump', '--to', 'jsonl', '--out', out, file]);
      assert.equal(toFile.status, 0);
      assert.deepEqual(toFile.err, [`${file}: 960 record(s) from 16 chunk(s), 0 problem(s)`]);
    });
  });
});
