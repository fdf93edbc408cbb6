/** The rule stage: index by EventID, scope checks, renames, one hit per rule, and the fast path's questions. */
import assert from 'node:assert/strict';
import { compileSources } from '../../src/engine/rules/load';
import { RuleSet } from '../../src/engine/rules/ruleSet';
import { compileSigmaText } from '../../src/engine/rules/sigma';

const SYSMON = { provider: 'Microsoft-Windows-Sysmon', channel: 'Microsoft-Windows-Sysmon/Operational' };

function sigma(id: string, logsource: string, detection: string): string {
  return `title: rule ${id}\nid: ${id}\nlevel: high\nlogsource:\n${logsource}\ndetection:\n${detection}\n`;
}

function set(...texts: string[]): RuleSet {
  const compiled = texts.map((t, i) => compileSigmaText(t, `rule${i}.yml`));
  for (const c of compiled) assert.deepEqual(c.skipped, []);
  return new RuleSet(compiled.flatMap((c) => c.rules));
}

const PROC = set(
  sigma('11111111-1111-1111-1111-111111111111', '  product: windows\n  category: process_creation', '  sel:\n    Image|endswith: \\whoami.exe\n  condition: sel'),
  sigma('22222222-2222-2222-2222-222222222222', '  product: windows\n  category: network_connection', '  sel:\n    DestinationPort: 4444\n  condition: sel'),
);

describe('rule stage', () => {
  it('indexes rules by the EventIDs their logsource allows', () => {
    assert.deepEqual(PROC.eventIds(), [1, 3, 4688]);
    assert.equal(PROC.wants(1), true);
    assert.equal(PROC.wants(7), false);
    const any = set(sigma('33333333-3333-3333-3333-333333333333', '  product: windows\n  service: sysmon', '  sel:\n    Image|endswith: x.exe\n  condition: sel'));
    assert.equal(any.eventIds(), undefined, 'service: sysmon takes any EventID');
    assert.equal(any.wants(7), true);
  });

  it("narrows a rule to the EventIDs its detection requires, and only then, with the plain path's hits", () => {
    const rule = (id: string, detection: string) => sigma(id, '  product: windows\n  service: sysmon', detection);
    const required = set(rule('33333333-3333-3333-3333-333333333333', '  sel:\n    EventID: [255, 16]\n  f:\n    Image: x\n  condition: sel and not f'));
    assert.deepEqual(required.eventIds(), [16, 255]);
    assert.equal(required.wants(7), false);
    for (const eventId of [16, 7]) {
      const event = { eventId, ...SYSMON, data: { Image: 'y' } };
      assert.deepEqual(required.evaluate(event).length, required.evaluate(event, true).length, `EventID ${eventId}`);
    }
    assert.equal(required.evaluate({ eventId: 16, ...SYSMON, data: { Image: 'y' } }).length, 1);
    const either = set(rule('44444444-4444-4444-4444-444444444444', '  sel:\n    EventID: 255\n  other:\n    Image: x\n  condition: sel or other'));
    assert.equal(either.eventIds(), undefined, 'an `or` with a test of another field takes any EventID');
    const negated = set(rule('55555555-5555-5555-5555-555555555555', '  sel:\n    EventID: 255\n  condition: not sel'));
    assert.equal(negated.eventIds(), undefined, '`not EventID: 255` takes any EventID');
    const pattern = set(rule('66666666-6666-6666-6666-666666666666', '  sel:\n    EventID|startswith: 25\n  condition: sel'));
    assert.equal(pattern.eventIds(), undefined, 'only plain equality narrows');
  });

  it('checks provider or channel, and EventID, before the detection', () => {
    const data = { Image: 'C:\\Windows\\System32\\whoami.exe' };
    assert.equal(PROC.evaluate({ eventId: 1, ...SYSMON, data }).length, 1);
    assert.equal(PROC.evaluate({ eventId: 1, provider: 'Microsoft-Windows-Kernel-General', channel: 'System', data }).length, 0);
    assert.equal(PROC.evaluate({ eventId: 3, ...SYSMON, data }).length, 0, 'a network rule does not read process creates');
  });

  it('process_creation runs on Security 4688 with NewProcessName as Image, and points at NewProcessName', () => {
    const hits = PROC.evaluate({
      eventId: 4688,
      provider: 'Microsoft-Windows-Security-Auditing',
      channel: 'Security',
      data: { NewProcessName: 'C:\\Windows\\System32\\whoami.exe' },
    });
    assert.deepEqual(
      hits.map((h) => [h.rule.id, h.field]),
      [['11111111-1111-1111-1111-111111111111', 'NewProcessName']],
    );
  });

  it('gives one hit per rule, in rule order, with the deciding field', () => {
    const two = set(
      sigma('44444444-4444-4444-4444-444444444444', '  product: windows\n  category: process_creation', '  a:\n    CommandLine|contains: whoami\n  b:\n    Image|endswith: whoami.exe\n  condition: a or b'),
      sigma('55555555-5555-5555-5555-555555555555', '  product: windows\n  category: process_creation', '  b:\n    Image|endswith: whoami.exe\n  condition: b'),
    );
    const hits = two.evaluate({ eventId: 1, ...SYSMON, data: { Image: 'C:\\x\\whoami.exe', CommandLine: 'whoami /all' } });
    assert.deepEqual(
      hits.map((h) => [h.rule.id.slice(0, 4), h.field]),
      [
        ['4444', 'CommandLine'],
        ['5555', 'Image'],
      ],
    );
  });

  it('a field named like an Object property reads as absent, not as the inherited value', () => {
    const odd = set(
      sigma('66666666-6666-6666-6666-666666666666', '  product: windows\n  category: process_creation', '  sel:\n    constructor|contains: x\n  condition: sel'),
      sigma('77777777-7777-7777-7777-777777777777', '  product: windows\n  category: process_creation', '  sel:\n    __proto__: null\n    toString: null\n  condition: sel'),
    );
    const hits = odd.evaluate({ eventId: 1, ...SYSMON, data: { Image: 'x' } });
    assert.deepEqual(
      hits.map((h) => h.rule.id.slice(0, 4)),
      ['7777'],
    );
  });

  it('tells the fast path which raw text a record needs, per EventID', () => {
    const raw = (lit: string) => lit;
    assert.equal(PROC.mayMatch(1, '<Data>C:\\x\\WHOAMI.EXE</Data>', raw), true);
    assert.equal(PROC.mayMatch(1, '<Data>C:\\x\\notepad.exe</Data>', raw), false);
    assert.equal(PROC.mayMatch(3, '<Data Name="DestinationPort">4444</Data>', raw), true);
    assert.equal(PROC.mayMatch(3, '<Data Name="DestinationPort">443</Data>', raw), false);
    assert.equal(PROC.mayMatch(7, 'whoami.exe 4444', raw), false, 'no rule for EventID 7');
  });

  it('the built-in library compiles, every analytic Sysmon-only', () => {
    const { rules, skipped } = compileSources([{ kind: 'car', id: 'CAR-2014-05-002' }, { kind: 'car', id: 'CAR-9999-99-999' }]);
    assert.equal(rules.length, 1);
    assert.equal(skipped[0].category, 'unknown');
    for (const branch of rules[0].branches) assert.deepEqual(branch.scope.eventIds, [1]);
  });
});

describe('rule stage: one rule set for several shapes', () => {
  it('hunts XML, then JSON, then XML with one loaded rule set: raw patterns are kept per family', async () => {
    const { huntText } = await import('../../src/engine/hunt');
    // A literal with backslashes: raw in XML, but written `\\` in JSON, so each family needs its own pattern.
    const text = sigma('44444444-4444-4444-4444-444444444444', '  product: windows\n  category: process_creation', "  sel:\n    Image|contains: 'C:\\Windows\\System32\\cmd'\n  condition: sel");
    const rules = compileSources([{ kind: 'sigma', file: 'rule.yml', text }]);
    const image = 'C:\\Windows\\System32\\cmd.exe';
    const xml = `<Event><System><Provider Name="Microsoft-Windows-Sysmon"/><EventID>1</EventID><Channel>Microsoft-Windows-Sysmon/Operational</Channel></System><EventData><Data Name="Image">${image}</Data></EventData></Event>\n`;
    const json = `${JSON.stringify({ EventID: 1, SourceName: 'Microsoft-Windows-Sysmon', Channel: 'Microsoft-Windows-Sysmon/Operational', Image: image })}\n`;
    for (const [name, log] of [['a.xml', xml], ['b.jsonl', json], ['c.xml', xml], ['d.jsonl', json]]) {
      const { summary } = await huntText(log, name, { rules });
      assert.equal(summary.matches, 1, `${name}: ${summary.format}`);
    }
  });
});
