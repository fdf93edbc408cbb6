/**
 * Issue 5, item 2: a seeded, bounded fuzz run over mutated corpus files and fixtures (see
 * test/fuzz/fuzz.ts for the mutations and exactly what each case must satisfy), and every input
 * that fuzzing broke, kept as a regression test.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { huntFile } from '../../src/engine/hunt';
import { HuntResult } from '../../src/engine/huntTypes';
import { jsonBenign, jsonMatch } from './hostile/support';

/** Everything but the timing. */
const comparable = (r: HuntResult) => JSON.stringify({ ...r, summary: { ...r.summary, seconds: 0 } });

describe('fuzz', function () {
  const dir = mkdtempSync(path.join(tmpdir(), 'log-hunt-fuzz-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('3000 seeded mutations: no throw past the API, every case bounded, untouched events still counted and matched, fast ⊇ plain, chunk sizes agree', function () {
    this.timeout(300_000);
    // A child process: a case that looped forever would block this process's own timers.
    const run = spawnSync(process.execPath, [path.join(__dirname, '..', 'fuzz', 'run.js'), '--cases', '3000', '--seed', '20261126', '--quiet', '--out', path.join(dir, 'failures')], {
      encoding: 'utf8',
      timeout: 280_000,
    });
    assert.equal(run.signal, null, `the fuzz run was killed (${run.signal}): a hang?\n${run.stdout}`);
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /^3000 passed, 0 failed$/m);
  });

  describe('inputs fuzzing broke (regressions)', () => {
    it('indented records after leading white space frame the same whatever the chunk size', async () => {
      // seed 2 case 764: white space dropped before detection shifted the column the framer saw.
      const indent = (s: string) => '  ' + JSON.stringify(JSON.parse(s), null, 2).replace(/\n/g, '\n  ');
      const first = indent(jsonMatch(1));
      const text = `${first.slice(0, first.length - 8)},\n${indent(jsonBenign(2))},\n${indent(jsonMatch(3))}\n`;
      const file = path.join(dir, 'indented.json');
      writeFileSync(file, text);
      const whole = await huntFile(file);
      assert.deepEqual(whole.matches.map((m) => m.event.recordId), ['3']);
      for (const chunkSize of [1, 2, 3, 7]) assert.equal(comparable(await huntFile(file, { chunkSize })), comparable(whole), `chunk size ${chunkSize}`);
    });
  });
});
