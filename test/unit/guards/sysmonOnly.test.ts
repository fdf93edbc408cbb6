/**
 * README: "A process create is a record with EventID 1 from the Microsoft-Windows-Sysmon provider
 * (or its Microsoft-Windows-Sysmon/Operational channel). EventID 1 from other providers (such as
 * Kernel-General) is not." Kernel-General writes EventID 1 on every boot (a time change), so a
 * hunt that took any EventID 1 would raise false alarms on every System log.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { huntFile, huntText, HuntResult, LoadedRules, loadRules } from '../../../src/engine';
import { parseJsonOutput, runCli } from '../../support/cli';
import { KERNEL_GENERAL, match, Rec, SHAPES, SYSMON } from '../../support/events';
import { ruleIdOf } from '../../support/matchView';

/** cmd.exe under services.exe, as each of these sources: none is Sysmon. */
const NOT_SYSMON: [string, Partial<Rec>][] = [
  ['Kernel-General in the System log', KERNEL_GENERAL],
  ['Security-Auditing in the Security log', { provider: 'Microsoft-Windows-Security-Auditing', channel: 'Security' }],
  ['a provider whose name only starts like Sysmon', { provider: 'Microsoft-Windows-Sysmon-Lookalike', channel: 'Application' }],
  ['no provider and no channel at all', { provider: undefined, channel: undefined }],
];

describe('guard: only Sysmon EventID 1 is a process create', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'log-hunt-sysmon-only-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  let car: LoadedRules;
  before(async () => {
    car = await loadRules({ ids: ['CAR-2014-05-002'] });
    assert.equal(car.rules.length, 1);
  });

  const counts = (r: HuntResult) => ({ events: r.summary.events, processCreates: r.summary.processCreates, matches: r.summary.matches, malformed: r.summary.malformed });

  for (const shape of SHAPES) {
    describe(shape.name, () => {
      it('control: the same record from Sysmon matches, and from the Sysmon channel alone too', async () => {
        for (const source of [SYSMON, { provider: undefined, channel: SYSMON.channel }]) {
          const text = shape.write([match(7, source)]);
          const result = await huntText(text, shape.name, { rules: car });
          assert.deepEqual(counts(result), { events: 1, processCreates: 1, matches: 1, malformed: 0 }, JSON.stringify(source));
          assert.equal(ruleIdOf(result.matches[0]), 'CAR-2014-05-002');
        }
      });

      for (const [label, source] of NOT_SYSMON) {
        it(`EventID 1 from ${label}: counted as an event, not a process create, never a match`, async () => {
          const text = shape.write([match(7, source)]);
          const file = path.join(dir, `${label.replace(/\W+/g, '-')}-${shape.name}`);
          writeFileSync(file, text);
          for (const mode of ['fast', 'plain'] as const) {
            for (const result of [await huntText(text, shape.name, { rules: car, mode }), await huntFile(file, { rules: car, mode })]) {
              assert.deepEqual(counts(result), { events: 1, processCreates: 0, matches: 0, malformed: 0 }, `${mode} path`);
            }
            // No rule of the built-in library may take it either: none is about another provider's EventID 1.
            const library = await huntFile(file, { mode });
            assert.deepEqual([library.summary.matches, library.summary.processCreates], [0, 0], `${mode} path, whole library`);
          }
        });
      }
    });
  }

  it('the CLI, beside a real match: only the Sysmon record is reported (XML and JSON lines)', async () => {
    for (const shape of SHAPES.filter((s) => s.name === 'wevtutil.xml' || s.name === 'flat.ndjson')) {
      const file = path.join(dir, `cli-${shape.name}`);
      writeFileSync(file, shape.write([match(1, KERNEL_GENERAL), match(2), match(3, KERNEL_GENERAL)]));
      for (const rules of [['--analytic', 'CAR-2014-05-002'], []]) {
        const run = await runCli('hunt', '--json', ...rules, file);
        assert.equal(run.status, 0, run.err.join('\n'));
        const { matches, summaries } = parseJsonOutput(run.out);
        assert.deepEqual([...new Set(matches.map((m) => m.recordId))], ['2'], `${shape.name} ${rules.join(' ')}`);
        assert.equal(summaries[0].events, 3);
        assert.equal(summaries[0].processCreates, 1);
      }
    }
  });
});
