/** Near misses (src/engine/nearMiss.ts): which rules came closest when a hunt found nothing, in words. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { huntText } from '../../src/engine/hunt';
import { nearMissesOfFile, nearMissesOfText } from '../../src/engine/nearMiss';
import { compileSources } from '../../src/engine/rules/load';
import { runCli } from '../support/cli';
import { corpusEntriesIfAny } from '../support/corpus';
import { CMD, EXPLORER, other, Rec, SYSMON, xmlEvent } from '../support/events';
import { CAR_2014_05_002_ONLY } from '../support/rules';

const POWERSHELL = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
const log = (records: Rec[]): string => records.map(xmlEvent).join('\r\n') + '\r\n';
const creates = (n: number, parent: string, from: number, image = CMD): Rec[] =>
  Array.from({ length: n }, (_, i) => ({ record: from + i, ...SYSMON, image, parent }));

/** 100 cmd.exe under powershell.exe, 50 under explorer.exe, 5 under cmd.exe: none under services.exe. */
const CMD_UNDER_OTHERS = log([...creates(100, POWERSHELL, 1), ...creates(50, EXPLORER, 101), ...creates(5, CMD, 151)]);

const TWO_SELECTIONS = `
title: Encoded PowerShell from Office
id: 6f1a1c43-0000-4000-8000-000000000001
level: high
logsource: { product: windows, category: process_creation }
detection:
  selection_parent:
    ParentImage|endswith: '\\winword.exe'
  selection_cli:
    CommandLine|contains: ' -enc '
  condition: selection_parent and selection_cli
`;
const ONE_TEST = `
title: Any cmd
id: 6f1a1c43-0000-4000-8000-000000000002
level: low
logsource: { product: windows, category: process_creation }
detection:
  selection:
    Image|endswith: '\\notepad.exe'
  condition: selection
`;

describe('near misses', () => {
  it('CAR-2014-05-002 on cmd.exe creates under other parents: the count and the parents with counts', async () => {
    const report = await nearMissesOfText(CMD_UNDER_OTHERS, 'cmd.xml', CAR_2014_05_002_ONLY);
    assert.equal(report.rules.length, 1);
    const [rule] = report.rules;
    assert.equal(rule.id, 'CAR-2014-05-002');
    assert.equal(rule.examined, 155);
    assert.equal(rule.nearMisses, 155);
    assert.equal(rule.tests[0].field, 'ParentImage');
    assert.deepEqual(rule.tests[0].values, [
      { value: 'powershell.exe', count: 100 },
      { value: 'explorer.exe', count: 50 },
      { value: 'cmd.exe', count: 5 },
    ]);
    assert.equal(
      rule.words,
      'CAR-2014-05-002 (Services launching Cmd): 155 cmd.exe process creates, none started by services.exe; ' +
        'their parents: powershell.exe 100, explorer.exe 50, cmd.exe 5.',
    );
  });

  it('a create of neither cmd.exe nor under services.exe is no near miss (two tests failed)', async () => {
    const report = await nearMissesOfText(log(creates(7, EXPLORER, 1, POWERSHELL)), 'ps.xml', CAR_2014_05_002_ONLY);
    assert.equal(report.rules.length, 0);
    assert.deepEqual(report.words, []);
  });

  it('no near miss when the scope does not hold: cmd.exe under explorer.exe from another provider, or another EventID', async () => {
    const records: Rec[] = [
      ...creates(3, EXPLORER, 1).map((r) => ({ ...r, provider: 'Some-Other-Provider', channel: 'Application' })),
      ...[2, 3, 5].map((id, i) => ({ ...other(10 + i, id), image: CMD, parent: EXPLORER })),
    ];
    const hunted = await huntText(log(records), 'x.xml', { rules: CAR_2014_05_002_ONLY });
    assert.equal(hunted.summary.events, 6, 'the events were read');
    const report = await nearMissesOfText(log(records), 'x.xml', CAR_2014_05_002_ONLY);
    assert.equal(report.rules.length, 0);
  });

  it('a Sigma rule with two selections, where events satisfy one, is named among the closest; a one-test rule is not', async () => {
    const rules = compileSources([
      { kind: 'car', id: 'CAR-2014-05-002' },
      { kind: 'sigma', file: 'two.yml', text: TWO_SELECTIONS },
      { kind: 'sigma', file: 'one.yml', text: ONE_TEST },
    ]);
    assert.equal(rules.rules.length, 3);
    const winword = 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE';
    const records: Rec[] = [
      ...creates(4, EXPLORER, 1), // CAR-2014-05-002: 4 near misses
      ...Array.from({ length: 9 }, (_, i) => ({ record: 20 + i, ...SYSMON, image: POWERSHELL, parent: winword, commandLine: 'powershell -nop -w hidden' })),
    ];
    const report = await nearMissesOfText(log(records), 'office.xml', rules);
    assert.deepEqual(report.rules.map((r) => [r.id, r.nearMisses]), [
      ['6f1a1c43-0000-4000-8000-000000000001', 9],
      ['CAR-2014-05-002', 4],
    ]);
    const sigma = report.rules[0];
    assert.equal(sigma.tests[0].test, "CommandLine containing ' -enc '");
    assert.deepEqual(sigma.tests[0].held, ['ParentImage winword.exe']);
    assert.match(sigma.words, /^6f1a1c43-\S+ \(Encoded PowerShell from Office\): 9 process creates started by winword\.exe, none with CommandLine containing ' -enc '; their CommandLine: powershell -nop -w hidden 9\.$/);
  });

  it('bounds: values per test, events per rule, rules reported, events read', async () => {
    const many = log(Array.from({ length: 60 }, (_, i) => ({ record: i + 1, ...SYSMON, image: CMD, parent: `C:\\p\\parent${i % 40}.exe` })));
    const capped = await nearMissesOfText(many, 'many.xml', CAR_2014_05_002_ONLY, { limits: { maxValues: 10, shownValues: 3 } });
    const test = capped.rules[0].tests[0];
    assert.equal(test.values.length, 3);
    assert.equal(test.events, 60);
    assert.equal(test.values.reduce((n, v) => n + v.count, 0) + test.otherValues, 60, 'every near miss is counted once');
    assert.match(capped.rules[0].words, /, others \d+\.$/);

    const perRule = await nearMissesOfText(many, 'many.xml', CAR_2014_05_002_ONLY, { limits: { maxEventsPerRule: 25 } });
    assert.equal(perRule.stoppedEarly, undefined, 'a rule at its cap does not stop the pass');
    assert.equal(perRule.rules[0].examined, 25);
    assert.equal(perRule.rules[0].nearMisses, 25);
    assert.ok(perRule.words.some((w) => w.includes('at most 25 events')));

    const rules = compileSources([{ kind: 'car', id: 'CAR-2014-05-002' }, { kind: 'sigma', file: 'two.yml', text: TWO_SELECTIONS }]);
    const office = log([...creates(3, EXPLORER, 1), { record: 9, ...SYSMON, image: POWERSHELL, parent: 'C:\\x\\winword.exe' }]);
    const one = await nearMissesOfText(office, 'o.xml', rules, { limits: { maxRules: 1 } });
    assert.equal(one.rules.length, 1);
    assert.equal(one.rulesWithNearMisses, 2);
    assert.ok(one.words.includes('1 more rule(s) had near misses.'));

    // Events read: the pass stops at a chunk boundary once it has read maxEvents.
    const dir = mkdtempSync(path.join(tmpdir(), 'nearmiss-'));
    try {
      const file = path.join(dir, 'big.xml');
      writeFileSync(file, log(creates(3000, EXPLORER, 1)));
      const stopped = await nearMissesOfFile(file, CAR_2014_05_002_ONLY, { limits: { maxEvents: 500 } });
      assert.equal(stopped.stoppedEarly, true);
      assert.ok(stopped.eventsRead >= 500 && stopped.eventsRead < 3000, `read ${stopped.eventsRead}`);
      assert.equal(stopped.rules[0].examined, stopped.eventsRead);
      // Checks in all (a rule examining an event): past the budget, no rule examines more and the pass stops.
      const budget = await nearMissesOfFile(file, CAR_2014_05_002_ONLY, { limits: { maxChecks: 100 } });
      assert.equal(budget.stoppedEarly, true);
      assert.equal(budget.rules[0].examined, 100);
      assert.ok(budget.eventsRead < 3000, `read ${budget.eventsRead}`);
      assert.ok(budget.words.some((w) => w.startsWith('(Near misses were looked for in the first ')));
      const whole = await nearMissesOfFile(file, CAR_2014_05_002_ONLY);
      assert.equal(whole.stoppedEarly, undefined);
      assert.equal(whole.rules[0].nearMisses, 3000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a cancelled pass rejects', async () => {
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(nearMissesOfText(CMD_UNDER_OTHERS, 'cmd.xml', CAR_2014_05_002_ONLY, { signal: abort.signal }));
  });

  it('the CLI says the same words when a hunt finds nothing, and --json has them in the summary', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nearmiss-cli-'));
    try {
      const file = path.join(dir, 'cmd.xml');
      writeFileSync(file, CMD_UNDER_OTHERS);
      const expected = (await nearMissesOfFile(file, CAR_2014_05_002_ONLY)).rules[0].words;
      const text = await runCli('hunt', '--analytic', 'CAR-2014-05-002', file);
      assert.equal(text.status, 0, text.err.join('\n'));
      assert.ok(text.out.includes(`    ${expected}`), text.out.join('\n'));
      const json = await runCli('hunt', '--json', '--no-lineage', '--analytic', 'CAR-2014-05-002', file);
      const summary = (JSON.parse(json.out[json.out.length - 1]) as { summary: { nearMisses: { rules: { words: string }[] } } }).summary;
      assert.equal(summary.nearMisses.rules[0].words, expected);
      // A hunt that matches gets no near-miss pass.
      writeFileSync(file, log([{ record: 1, ...SYSMON, image: CMD, parent: 'C:\\Windows\\System32\\services.exe' }]));
      const matched = await runCli('hunt', '--json', '--no-lineage', '--analytic', 'CAR-2014-05-002', file);
      assert.equal((JSON.parse(matched.out[matched.out.length - 1]) as { summary: { nearMisses?: unknown } }).summary.nearMisses, undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('corpus logs without a CAR-2014-05-002 match', () => {
    for (const entry of corpusEntriesIfAny('near misses').filter((e) => e.matches === 0 && e.processCreates > 0)) {
      it(`${entry.file}: a sentence per rule that came close, or none`, async function () {
        this.timeout(120_000);
        const report = await nearMissesOfFile(entry.path, CAR_2014_05_002_ONLY);
        for (const rule of report.rules) {
          assert.match(rule.words, /^CAR-2014-05-002 \(Services launching Cmd\): \d+ /);
          assert.ok(rule.nearMisses <= entry.processCreates);
        }
        console.log(`      ${entry.file}: ${report.words.join(' ') || '(no near miss)'}`);
      });
    }
  });
});
