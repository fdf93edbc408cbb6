/**
 * README: "A hunt that finds nothing says why: the file held no events; or N events but no Sysmon
 * process creates (with the EventIDs it did see); or N process creates of which none matched the
 * logic." The wording will grow with the rules, so these check the facts each case must state
 * (its numbers and EventIDs), not its sentences.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { huntText, LoadedRules, loadRules } from '../../../src/engine';
import { parseJsonOutput, runCli } from '../../support/cli';
import { benign, KERNEL_GENERAL, match, other, Rec, SHAPES } from '../../support/events';

/** The whole numbers a sentence states, as text: `7 events … 22 ×3` gives 7, 22, 3. */
function numbersIn(text: string): string[] {
  return text.match(/\d+/g) ?? [];
}

function assertStates(why: string | undefined, facts: number[], what: string): void {
  assert.ok(why, `${what}: no explanation`);
  const numbers = numbersIn(why);
  for (const fact of facts) assert.ok(numbers.includes(String(fact)), `${what}: ${fact} is not stated in ${JSON.stringify(why)}`);
}

const records = (n: number, make: (record: number) => Rec, from = 0): Rec[] => Array.from({ length: n }, (_, i) => make(from + i));

describe('guard: a hunt that finds nothing says why', () => {
  let car: LoadedRules;
  before(async () => {
    car = await loadRules({ ids: ['CAR-2014-05-002'] });
  });

  for (const shape of SHAPES.filter((s) => s.name === 'wevtutil.xml' || s.name === 'flat.ndjson')) {
    describe(shape.name, () => {
      it('no events: says so, and that is all it can say', async () => {
        for (const text of ['', '\r\n  \n']) {
          const { summary } = await huntText(text, 'empty', { rules: car });
          assert.equal(summary.events, 0);
          assert.match(summary.why ?? '', /no events/i);
        }
      });

      it('events but no Sysmon process creates: states how many events, and the EventIDs seen', async () => {
        // 22 ×3, 13 ×2, 11 ×1 and Kernel-General's 1 ×1: 7 events. Distinct numbers, so each fact is findable.
        const rs = [...records(3, (r) => other(r, 22)), ...records(2, (r) => other(r, 13), 10), other(20, 11), match(30, KERNEL_GENERAL)];
        const { summary } = await huntText(shape.write(rs), shape.name, { rules: car });
        assert.deepEqual([summary.events, summary.processCreates, summary.matches], [7, 0, 0]);
        assertStates(summary.why, [7, 22, 13, 11], 'no process creates');
        assert.match(summary.why!, /process create/i, 'names what was missing');
      });

      it('process creates, none matched: states how many Sysmon process creates there were', async () => {
        // 6 Sysmon process creates; a Kernel-General EventID 1 beside them must not be counted as one.
        const rs = [...records(6, benign), match(30, KERNEL_GENERAL), ...records(4, (r) => other(r, 3), 40)];
        const { summary } = await huntText(shape.write(rs), shape.name, { rules: car });
        assert.deepEqual([summary.events, summary.processCreates, summary.matches], [11, 6, 0]);
        assertStates(summary.why, [6], 'none matched');
        assert.doesNotMatch(summary.why!, /\b7 (Sysmon )?process creates/i, 'the Kernel-General EventID 1 is not a process create');
      });

      it('a match: no explanation', async () => {
        const { summary } = await huntText(shape.write([benign(1), match(2)]), shape.name, { rules: car });
        assert.equal(summary.matches, 1);
        assert.equal(summary.why, undefined);
      });
    });
  }

  it('each case explains differently, and the CLI prints the explanation (human and --json)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'log-hunt-why-'));
    try {
      const shape = SHAPES[0];
      const files = {
        empty: '',
        noCreates: shape.write([other(1, 3), other(2, 3)]),
        noneMatched: shape.write([benign(1), benign(2), benign(3)]),
      };
      const whys: string[] = [];
      for (const [name, text] of Object.entries(files)) {
        const file = path.join(dir, `${name}.xml`);
        writeFileSync(file, text);
        const json = await runCli('hunt', '--json', '--analytic', 'CAR-2014-05-002', file);
        const [summary] = parseJsonOutput(json.out).summaries;
        assert.equal(typeof summary.why, 'string', name);
        whys.push(summary.why as string);
        const human = await runCli('hunt', '--analytic', 'CAR-2014-05-002', file);
        assert.ok(human.out.some((line) => line.includes(summary.why as string)), `${name}: the human output carries the explanation`);
      }
      assert.equal(new Set(whys).size, 3, `three cases, three explanations: ${whys.join(' | ')}`);
      assertStates(whys[1], [2, 3], 'CLI, no process creates');
      assertStates(whys[2], [3], 'CLI, none matched');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
