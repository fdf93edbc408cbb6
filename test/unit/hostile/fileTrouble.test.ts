/**
 * Issue 5, item 1: files that change, shrink or vanish while they are hunted, and files that
 * cannot be read. Each gets a clear message; a hunt that cannot read rejects with no result.
 */
import { CAR_2014_05_002_ONLY } from '../../support/rules';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, renameSync, truncateSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { huntFile } from '../../../src/engine/hunt';
import { HuntOptions } from '../../../src/engine/huntTypes';
import { huntInChild, matchedIds, tempDir, xmlBenign, xmlMatch } from './support';

/** 300 events, a match every third; about 180 KB, so a 4 KiB chunk size leaves many reads to go. */
function log(): string {
  return Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? xmlMatch(i) : xmlBenign(i))).join('\n') + '\n';
}
const ALL = Array.from({ length: 100 }, (_, i) => String(i * 3));

/** Hunts `file`, running `meddle` once, after the first chunk (later reads are still to come). */
function huntMeddled(file: string, meddle: () => void, options: HuntOptions = {}) {
  let done = false;
  return huntFile(file, {
    rules: CAR_2014_05_002_ONLY,
    chunkSize: 4096,
    ...options,
    onProgress() {
      if (done) return;
      done = true;
      meddle();
    },
  });
}

describe('files that change or cannot be read', () => {
  const dir = tempDir('trouble');
  const file = (name: string) => path.join(dir(), name);

  it('shrinks during the hunt: finishes with matches read before, and a warning giving both sizes', async () => {
    writeFileSync(file('shrink.xml'), log());
    const size = Buffer.byteLength(log());
    const result = await huntMeddled(file('shrink.xml'), () => truncateSync(file('shrink.xml'), Math.floor(size / 2)));
    assert.deepEqual(result.summary.warnings, [`the file changed while it was hunted (size ${size} -> ${Math.floor(size / 2)} bytes); hunt it again for exact results`]);
    const found = matchedIds(result);
    assert.ok(found.length > 0 && found.length < ALL.length, `${found.length} matches`);
    assert.deepEqual(found, ALL.slice(0, found.length), 'the matches before the cut, in order');
  });

  it('grows during the hunt: the bytes there were at the start are hunted, with a warning', async () => {
    writeFileSync(file('grow.xml'), log());
    const size = Buffer.byteLength(log());
    const result = await huntMeddled(file('grow.xml'), () => appendFileSync(file('grow.xml'), xmlMatch(999)));
    assert.deepEqual(matchedIds(result), ALL);
    assert.deepEqual(result.summary.warnings, [`the file changed while it was hunted (size ${size} -> ${size + xmlMatch(999).length} bytes); hunt it again for exact results`]);
  });

  it('is rewritten in place at the same size: the warning still says it changed', async () => {
    writeFileSync(file('rewrite.xml'), log());
    const result = await huntMeddled(file('rewrite.xml'), () => {
      writeFileSync(file('rewrite.xml'), log().replace(/services\.exe/g, 'servicez.exe'));
      utimesSync(file('rewrite.xml'), new Date(1e12), new Date(1e12));
    });
    assert.match(result.summary.warnings?.[0] ?? '', /^the file changed while it was hunted \(size (\d+) -> \1 bytes\)/);
  });

  it('is replaced (renamed over) during the hunt: the open file is hunted whole, with a warning', async () => {
    writeFileSync(file('replaced.xml'), log());
    const result = await huntMeddled(file('replaced.xml'), () => {
      writeFileSync(file('other.xml'), xmlBenign(1));
      renameSync(file('other.xml'), file('replaced.xml'));
    });
    assert.deepEqual(matchedIds(result), ALL);
    assert.deepEqual(result.summary.warnings, ['the file was replaced while it was hunted; the results are for the file it replaced']);
  });

  it('is deleted during the hunt: the open file is hunted whole, with a warning', async function () {
    if (process.platform === 'win32') this.skip(); // Windows refuses to delete an open file
    writeFileSync(file('deleted.xml'), log());
    const result = await huntMeddled(file('deleted.xml'), () => unlinkSync(file('deleted.xml')));
    assert.deepEqual(matchedIds(result), ALL);
    assert.deepEqual(result.summary.warnings, ['the file was deleted while it was hunted']);
  });

  it('an untouched file gets no warning', async () => {
    writeFileSync(file('calm.xml'), log());
    const result = await huntFile(file('calm.xml'), { rules: CAR_2014_05_002_ONLY, chunkSize: 4096 });
    assert.deepEqual(matchedIds(result), ALL);
    assert.equal(result.summary.warnings, undefined);
  });

  describe('permission denied', () => {
    // Root reads any file whatever its mode, so as root the hunt runs in a child that drops to
    // `nobody` after loading the engine: a real EACCES from the kernel, nothing mocked.
    const asRoot = process.getuid?.() === 0;
    const hunt = async (target: string) => {
      if (!asRoot) {
        let found = 0;
        try {
          await huntFile(target, { rules: CAR_2014_05_002_ONLY, onMatch: () => found++ });
        } catch (err) {
          assert.equal(found, 0, 'nothing is reported from a file that cannot be read');
          return { name: (err as Error).name, message: (err as Error).message };
        }
        return undefined;
      }
      const child = huntInChild(target, { uid: 65534 });
      return child.error;
    };

    it('a file with mode 000: "permission denied", and the hunt rejects with no result', async function () {
      if (process.platform === 'win32') this.skip();
      const locked = file('locked.xml');
      writeFileSync(locked, log());
      chmodSync(dir(), 0o755);
      chmodSync(locked, 0o000);
      assert.deepEqual(await hunt(locked), { name: 'UnreadableInputError', message: `${locked}: permission denied` });
    });

    it('a file in a folder with mode 000: "permission denied"', async function () {
      if (process.platform === 'win32') this.skip();
      const folder = file('closed');
      mkdirSync(folder);
      const inside = path.join(folder, 'x.xml');
      writeFileSync(inside, log());
      chmodSync(dir(), 0o755);
      chmodSync(folder, 0o000);
      try {
        assert.deepEqual(await hunt(inside), { name: 'UnreadableInputError', message: `${inside}: permission denied` });
      } finally {
        chmodSync(folder, 0o755);
      }
    });
  });

  it('a FIFO and a device are refused at once as "not a regular file" (a FIFO would block forever)', async function () {
    if (process.platform === 'win32') this.skip();
    const fifo = file('fifo.xml');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(huntFile(fifo), { name: 'UnreadableInputError', message: `${fifo}: not a regular file` });
    await assert.rejects(huntFile('/dev/zero'), { name: 'UnreadableInputError', message: '/dev/zero: not a regular file' });
  });

  it('a missing file and a folder: one-line messages', async () => {
    await assert.rejects(huntFile(file('missing.xml')), { name: 'UnreadableInputError', message: `${file('missing.xml')}: no such file` });
    await assert.rejects(huntFile(dir()), { name: 'UnreadableInputError', message: `${dir()}: is a directory` });
  });
});
