/** compileSigmaText: rule files in, rules or reasoned skips (with lines) out, never a throw. */
import assert from 'node:assert/strict';
import { compileSigmaText, DEFAULT_LEVEL } from '../../../src/engine/rules/sigma';
import { sysmonEvent, ruleEvent } from '../../support/ruleEvent';

const RULE = `title: Whoami Execution
id: 929a690e-bef0-4204-a928-ef5e620d6fcc
status: test
description: Detects a whoami.exe execution
references:
    - https://example.com/whoami
author: Florian Roth
date: 2019-10-23
tags:
    - attack.discovery
    - attack.t1033
    - attack.privilege_escalation
    - attack.T1059.001
    - car.2016-03-001
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\whoami.exe'
    condition: selection
falsepositives:
    - Admins
level: high
`;

/** RULE with its detection replaced (indented under detection:). */
const withDetection = (detection: string): string => RULE.replace(/detection:\n(?: {4}.*\n)+/, `detection:\n${detection}`);
const skipOf = (text: string) => {
  const r = compileSigmaText(text, 'rules/x.yml');
  assert.equal(r.rules.length, 0, 'skipped');
  assert.equal(r.skipped.length, 1);
  return r.skipped[0];
};

describe('sigma rule files', () => {
  it('compiles a rule: info, one branch per scope, a working detection', () => {
    const { rules, skipped } = compileSigmaText(RULE, 'rules/whoami.yml');
    assert.deepEqual(skipped, []);
    const [rule] = rules;
    assert.deepEqual(rule.info, {
      id: '929a690e-bef0-4204-a928-ef5e620d6fcc',
      title: 'Whoami Execution',
      level: 'high',
      kind: 'sigma',
      source: 'rules/whoami.yml',
      status: 'test',
      author: 'Florian Roth',
      description: 'Detects a whoami.exe execution',
      references: ['https://example.com/whoami'],
      falsepositives: ['Admins'],
      tags: ['attack.discovery', 'attack.t1033', 'attack.privilege_escalation', 'attack.T1059.001', 'car.2016-03-001'],
      attack: ['T1033', 'T1059.001'],
      tactics: ['discovery', 'privilege-escalation'],
    });
    assert.deepEqual(rule.branches.map((b) => b.scope.label), ['Sysmon EventID 1', 'Security 4688']);
    assert.ok(rule.branches[0].detection.matches(sysmonEvent(1, { Image: 'C:\\Windows\\System32\\WHOAMI.exe' })));
    assert.deepEqual(rule.branches[0].detection.literals, [['\\whoami.exe']]);
  });

  it(`a rule without a known level is ${DEFAULT_LEVEL}; a missing id or title falls back to the file name`, () => {
    const text = RULE.replace('level: high\n', '').replace(/^id: .*\n/m, '').replace(/^title: .*\n/m, '');
    const [rule] = compileSigmaText(text, 'rules/sub/whoami.yml').rules;
    assert.equal(rule.info.level, DEFAULT_LEVEL);
    assert.equal(rule.info.id, 'whoami.yml');
    assert.equal(rule.info.title, 'whoami.yml');
    assert.equal(compileSigmaText(RULE.replace('level: high', 'level: Critical'), 'x').rules[0].info.level, 'critical');
  });

  it('numbers stay as written: 0x17 is not 23', () => {
    const text = withDetection("    selection:\n        TicketEncryption: 0x17\n        EventID: 4769\n    condition: selection\n");
    const d = compileSigmaText(text, 'x').rules[0].branches[0].detection;
    assert.ok(d.matches(ruleEvent({ TicketEncryption: '0x17', EventID: '4769' })));
    assert.ok(!d.matches(ruleEvent({ TicketEncryption: '23', EventID: '4769' })));
  });

  it('a detection error is skipped with its category and the line of the trouble', () => {
    const mod = skipOf(withDetection("    selection:\n        Image|endwith: 'x'\n    condition: selection\n"));
    assert.equal(mod.category, 'unsupported modifier');
    assert.equal(mod.line, 20);
    assert.equal(mod.column, 9);
    assert.equal(mod.id, '929a690e-bef0-4204-a928-ef5e620d6fcc');
    assert.equal(mod.title, 'Whoami Execution');
    const cond = skipOf(withDetection("    selection:\n        Image: 'x'\n    condition: selection and filter\n"));
    assert.deepEqual([cond.category, cond.line], ['bad condition', 21]);
    const list = skipOf(withDetection("    selection:\n        Image: 'x'\n    condition:\n        - selection\n        - selection or\n"));
    assert.deepEqual([list.category, list.line], ['bad condition', 23]);
    const re = skipOf(withDetection("    selection:\n        - Image: 'x'\n        - CommandLine|re: '(?=x)'\n    condition: selection\n"));
    assert.deepEqual([re.category, re.line], ['regex', 21]);
  });

  it('each unsupported feature is skipped with its category and line', () => {
    const agg = skipOf(withDetection("    selection:\n        Image: 'x'\n    condition: selection | count() by User > 3\n"));
    assert.deepEqual([agg.category, agg.line], ['aggregation', 21]);
    const near = skipOf(withDetection("    selection:\n        Image: 'x'\n    other:\n        Image: 'y'\n    condition: selection | near other\n"));
    assert.deepEqual([near.category, near.line], ['near', 23]);
    const ph = skipOf(withDetection("    selection:\n        User|expand: '%Admins%'\n    condition: selection\n"));
    assert.deepEqual([ph.category, ph.line], ['placeholder', 20]);
    const filter = skipOf('title: f\nlogsource:\n    product: windows\nfilter:\n    rules:\n        - abc\n    selection:\n        User: x\n    condition: selection\n');
    assert.deepEqual([filter.category, filter.line], ['filter', 4]);
    const corr = skipOf('title: c\nid: 1\ncorrelation:\n    type: event_count\n    rules: [a]\n    timespan: 1h\n');
    assert.deepEqual([corr.category, corr.line], ['correlation', 3]);
    const multi = skipOf(`title: c\ncorrelation:\n    type: temporal\n    rules: [a]\n---\n${RULE}`);
    assert.deepEqual([multi.category, multi.line], ['correlation', 2]);
    const collection = skipOf(`${RULE}---\n${RULE}`);
    assert.deepEqual([collection.category, collection.line], ['correlation', 26]);
  });

  it('missing parts and foreign logsources are skipped with a reason', () => {
    assert.equal(skipOf(RULE.replace(/logsource:\n(?: {4}.*\n)+/, '')).category, 'missing logsource');
    assert.equal(skipOf(RULE.replace(/detection:\n(?: {4}.*\n)+/, '')).category, 'missing detection');
    assert.equal(skipOf(RULE.replace('    condition: selection\n', '')).category, 'missing condition');
    const linux = skipOf(RULE.replace('product: windows', 'product: linux'));
    assert.deepEqual([linux.category, linux.line], ['not windows', 15]);
    assert.equal(skipOf(RULE.replace('process_creation', 'file_access')).category, 'unknown logsource');
    assert.equal(skipOf('').category, 'not a rule');
    assert.equal(skipOf('- a\n- b\n').category, 'not a rule');
  });

  it('YAML errors are skipped with line, column and the parser\'s words', () => {
    const s = skipOf('title: x\ndetection:\n    selection: [a\n  b: c\n');
    assert.equal(s.category, 'yaml');
    assert.ok(s.line && s.line >= 3 && s.column, JSON.stringify(s));
    assert.match(s.reason, /^YAML: /);
    const dup = skipOf('title: x\ntitle: y\n');
    assert.deepEqual([dup.category, dup.line], ['yaml', 2]);
    assert.equal(skipOf('title: !!python/object:os.system x\n').category, 'yaml', 'no custom tags');
  });

  it('nesting deep enough to exhaust the parser\'s stack is refused before parsing', () => {
    for (const text of ['['.repeat(20000), `a: it's ${'['.repeat(5000)}`, `${'- '.repeat(30000)}x\n`, Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')]) {
      const t = Date.now();
      const s = skipOf(text);
      assert.equal(s.category, 'yaml');
      assert.match(s.reason, /nesting too deep/);
      assert.ok(Date.now() - t < 1000);
    }
    assert.equal(compileSigmaText(RULE.replace('Florian Roth', "Florian Roth's [[[[[[[[[[[[[[[[[[[[ 'x' ]"), 'x').rules.length, 1);
  });

  it('YAML alias bombs and oversized files are refused', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) levels.push(`${'abcdefghi'[i]}: &${'abcdefghi'[i]} [${Array(9).fill(`*${'abcdefghi'[i - 1]}`).join(', ')}]`);
    const t = Date.now();
    const bomb = skipOf(`${levels.join('\n')}\n`);
    assert.equal(bomb.category, 'yaml');
    assert.ok(Date.now() - t < 2000);
    assert.equal(skipOf(`title: x\ndescription: '${'a'.repeat(2 * 1024 * 1024)}'\n`).category, 'yaml');
  });

  it('never throws, whatever the input', () => {
    const inputs = [
      '\u0000\u0001',
      '[[[[[[[[[[',
      'detection: 5\nlogsource: {product: windows}\n',
      RULE.replace('selection:', 'selection: 7\n    x:'),
      RULE.replace('    condition: selection', '    condition: {a: b}'),
      RULE.replace('category: process_creation', 'category: [a, b]'),
    ];
    for (const text of inputs) {
      const r = compileSigmaText(text, 'x');
      assert.equal(r.rules.length + r.skipped.length, 1);
    }
  });

  it('registry_delete runs on Sysmon 12 only for the delete EventTypes', () => {
    const text = withDetection("    selection:\n        TargetObject|contains: '\\Run\\'\n    condition: selection\n").replace('process_creation', 'registry_delete');
    const [branch] = compileSigmaText(text, 'x').rules[0].branches;
    assert.deepEqual(branch.scope.where, { EventType: ['DeleteKey', 'DeleteValue'] });
    assert.ok(branch.detection.matches(sysmonEvent(12, { EventType: 'DeleteValue', TargetObject: 'HKLM\\x\\Run\\y' })));
    assert.ok(!branch.detection.matches(sysmonEvent(12, { EventType: 'CreateKey', TargetObject: 'HKLM\\x\\Run\\y' })));
  });
});
