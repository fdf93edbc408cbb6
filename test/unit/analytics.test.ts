/** CAR-2014-05-002 as the hunt compiles it: a file-name match on both images, case ignored, Sysmon only. */
import assert from 'node:assert/strict';
import { findAnalytic } from '../../src/engine/analytics';
import { findCarAnalytic } from '../../src/engine/rules/car';
import { compileCarAnalytic } from '../../src/engine/rules/car/compile';
import { RuleSet } from '../../src/engine/rules/ruleSet';

const rules = new RuleSet([compileCarAnalytic(findCarAnalytic('CAR-2014-05-002')!)]);

function hits(image: string, parent: string, meta: { eventId?: number; provider?: string; channel?: string } = {}) {
  return rules.evaluate({
    eventId: 1,
    provider: 'Microsoft-Windows-Sysmon',
    channel: 'Microsoft-Windows-Sysmon/Operational',
    ...meta,
    data: { Image: image, ParentImage: parent },
  });
}

describe('CAR-2014-05-002', () => {
  it('keeps its CAR id, ATT&CK mapping and query logic', () => {
    const car = findCarAnalytic('car-2014-05-002')!;
    assert.equal(car.title, 'Services launching Cmd');
    assert.deepEqual(car.attack.map((t) => t.id), ['T1543.003']);
    assert.equal(car.references[0], 'https://car.mitre.org/analytics/CAR-2014-05-002/');
    assert.ok(findAnalytic('CAR-2014-05-002')?.logic, 'the query generators still get its CAR logic');
  });

  it('matches by file name, ignoring case, anywhere on disk, and points at Image', () => {
    for (const [image, parent] of [
      ['C:\\Windows\\System32\\cmd.exe', 'C:\\Windows\\System32\\services.exe'],
      ['C:\\Windows\\SysWOW64\\CMD.EXE', '\\\\?\\C:\\Windows\\System32\\Services.exe'],
      ['cmd.exe', 'services.exe'],
      ['/mnt/c/Windows/System32/cmd.exe', '/mnt/c/Windows/System32/services.exe'],
    ]) {
      assert.deepEqual(hits(image, parent).map((h) => [h.rule.id, h.field]), [['CAR-2014-05-002', 'Image']], `${parent} -> ${image}`);
    }
  });

  it('does not match near misses', () => {
    for (const [image, parent] of [
      ['C:\\Windows\\System32\\notcmd.exe', 'C:\\Windows\\System32\\services.exe'],
      ['C:\\Windows\\System32\\cmd.exe', 'C:\\Windows\\explorer.exe'],
      ['C:\\Windows\\System32\\cmd.exe', 'C:\\Windows\\System32\\notservices.exe'],
      ['C:\\Windows\\System32\\cmd.exe.bak', 'C:\\Windows\\System32\\services.exe'],
    ]) {
      assert.deepEqual(hits(image, parent), [], `${parent} -> ${image}`);
    }
  });

  it('is Sysmon-only: not Kernel-General EventID 1, not Security 4688, not another Sysmon EventID', () => {
    const [image, parent] = ['C:\\Windows\\System32\\cmd.exe', 'C:\\Windows\\System32\\services.exe'];
    assert.deepEqual(hits(image, parent, { provider: 'Microsoft-Windows-Kernel-General', channel: 'System' }), []);
    assert.deepEqual(hits(image, parent, { eventId: 4688, provider: 'Microsoft-Windows-Security-Auditing', channel: 'Security' }), []);
    assert.deepEqual(hits(image, parent, { eventId: 10 }), []);
    assert.equal(hits(image, parent, { provider: undefined }).length, 1, 'the Sysmon channel alone is enough');
  });
});
