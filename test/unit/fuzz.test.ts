/**
 * Issue 5, item 2: a seeded, bounded fuzz run over mutated corpus files and fixtures (see
 * test/fuzz/fuzz.ts for the mutations and exactly what each case must satisfy), and every input
 * that fuzzing broke, kept as a regression test.
 */
import { CAR_2014_05_002_ONLY } from '../support/rules';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { huntFile } from '../../src/engine/hunt';
import { HuntResult } from '../../src/engine/huntTypes';
import { SIGMA_WINDOWS_RULES } from './evtx/support';
import { jsonBenign, jsonMatch, xmlMatch } from './hostile/support';
import { skipOrFailWithoutShared } from '../support/shared';

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

  it('300 seeded mutations hunted with every SigmaHQ windows rule: the same promises, fast ⊇ plain', function () {
    this.timeout(300_000);
    if (!existsSync(SIGMA_WINDOWS_RULES)) return skipOrFailWithoutShared(this, '../shared/sigma/rules/windows', 'fuzz with every rule');
    const run = spawnSync(process.execPath, [path.join(__dirname, '..', 'fuzz', 'run.js'), '--cases', '300', '--seed', '20261201', '--quiet', '--rules', SIGMA_WINDOWS_RULES, '--out', path.join(dir, 'failures-rules')], {
      encoding: 'utf8',
      timeout: 280_000,
    });
    assert.equal(run.signal, null, `the fuzz run was killed (${run.signal}): a hang?\n${run.stdout}`);
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /^300 passed, 0 failed$/m);
  });

  describe('inputs fuzzing broke (regressions)', () => {
    it('indented records after leading white space frame the same whatever the chunk size', async () => {
      // seed 2 case 764: white space dropped before detection shifted the column the framer saw.
      const indent = (s: string) => '  ' + JSON.stringify(JSON.parse(s), null, 2).replace(/\n/g, '\n  ');
      const first = indent(jsonMatch(1));
      const text = `${first.slice(0, first.length - 8)},\n${indent(jsonBenign(2))},\n${indent(jsonMatch(3))}\n`;
      const file = path.join(dir, 'indented.json');
      writeFileSync(file, text);
      const whole = await huntFile(file, { rules: CAR_2014_05_002_ONLY });
      assert.deepEqual(whole.matches.map((m) => m.event.recordId), ['3']);
      for (const chunkSize of [1, 2, 3, 7]) assert.equal(comparable(await huntFile(file, { rules: CAR_2014_05_002_ONLY, chunkSize })), comparable(whole), `chunk size ${chunkSize}`);
    });

    it('the XML shape is named from the whole prolog, whatever had arrived when an event start was seen', async () => {
      // seed 3 case 24160: `<Event ` spliced into the declaration named the file after a partial head.
      const file = path.join(dir, 'prolog.xml');
      writeFileSync(file, `<?xml v<Event ersion="1.1" encoding="utf-8"?>\n\n<Events>\n${xmlMatch(1)}\n</Events>\n`);
      const whole = await huntFile(file, { rules: CAR_2014_05_002_ONLY });
      for (const chunkSize of [1, 3, 9]) assert.equal(comparable(await huntFile(file, { rules: CAR_2014_05_002_ONLY, chunkSize })), comparable(whole), `chunk size ${chunkSize}`);
    });

    it('a one-line JSON array whose closing ] became } loses only its last record', async () => {
      // seed 4 case 17168: the line ended in `}`, so the NDJSON shortcut took the whole array as one record.
      const file = path.join(dir, 'one-line-array.json');
      writeFileSync(file, `[${[jsonMatch(1), jsonBenign(2), jsonMatch(3)].join(',')}}`);
      for (const mode of ['fast', 'plain'] as const) {
        const result = await huntFile(file, { rules: CAR_2014_05_002_ONLY, mode });
        assert.deepEqual(result.matches.map((m) => m.event.recordId), ['1', '3'], mode);
        assert.deepEqual(result.malformed.map((m) => m.message), ['unexpected text between JSON objects; skipped to the next line']);
      }
    });

    it('an NDJSON line spliced into a pretty array does not swallow the records after it', async () => {
      // seed 3 case 29687: the spliced line opened an object at column 0, so the array's records
      // (indented, after commas) were taken as its values. A `{` after `,` inside an object cannot be one.
      const pretty = JSON.stringify([jsonBenign(1), jsonMatch(2), jsonBenign(3), jsonMatch(4)].map((r) => JSON.parse(r) as unknown), null, 2);
      const cut = pretty.indexOf('Microsoft-Windows-Sysmon') + 5;
      const text = `${pretty.slice(0, cut)}x"}}\n{"preview":false,"result":{"EventCode":"1",${pretty.slice(cut)}`;
      const file = path.join(dir, 'spliced.json');
      writeFileSync(file, text);
      for (const mode of ['fast', 'plain'] as const) {
        const result = await huntFile(file, { rules: CAR_2014_05_002_ONLY, mode });
        assert.deepEqual(result.matches.map((m) => m.event.recordId), ['2', '4'], mode);
        assert.equal(result.summary.events, 3);
      }
    });
  });
});
