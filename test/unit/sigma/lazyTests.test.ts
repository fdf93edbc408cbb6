/**
 * A rule's tests are built on its first event, not at load; everything that can refuse the rule
 * still refuses it at load, and the built test means what the rule says.
 */
import assert from 'node:assert/strict';
import { compileDetection } from '../../../src/engine/rules/sigma';
import { ruleEvent } from '../../support/ruleEvent';

describe('sigma: tests built on first use', () => {
  it('the detection builds its test on the first event, then keeps it', () => {
    const d = compileDetection({
      selection: { 'Image|endswith': '\\cmd.exe', 'CommandLine|contains|all': ['/c', 'whoami'] },
      filter: { 'ParentImage|re': '(?i)\\\\explorer\\.exe$' },
      condition: 'selection and not filter',
    });
    // The method itself, read without calling it (which is what is being checked).
    const method = (): unknown => Reflect.get(d, 'matches');
    const lazy = method();
    assert.ok(d.matches(ruleEvent({ Image: 'C:\\Windows\\CMD.EXE', CommandLine: 'cmd /c whoami', ParentImage: 'C:\\x\\winword.exe' })));
    const built = method();
    assert.notEqual(built, lazy, 'the first call put the built test in place');
    assert.ok(!d.matches(ruleEvent({ Image: 'C:\\Windows\\cmd.exe', CommandLine: 'cmd /c whoami', ParentImage: 'C:\\Windows\\Explorer.EXE' })));
    assert.ok(!d.matches(ruleEvent({ Image: 'C:\\Windows\\cmd.exe', CommandLine: 'cmd /c dir' })));
    assert.equal(method(), built, 'built once');
  });

  it('what can refuse a rule refuses it at compile time, with no event asked about', () => {
    assert.throws(() => compileDetection({ a: { 'C|contains': 'x' }, b: { 'C|re': '(?=x)' }, condition: 'a or b' }), { category: 'regex', path: ['b', 'C|re'] });
    assert.throws(() => compileDetection({ a: { 'Ip|cidr': ['10.0.0.0/8', '300.1.2.3/8'] }, condition: 'a' }), { category: 'bad value', path: ['a', 'Ip|cidr'] });
    assert.throws(() => compileDetection({ a: ['x', { 'C|re': 'a{1001}' }], condition: 'a' }), { category: 'regex' });
  });

  it('the logic tree\'s tests (near misses read them) build on first use too', () => {
    const d = compileDetection({ selection: { 'Image|endswith': '\\cmd.exe', User: 'SYSTEM' }, condition: 'selection' });
    const logic = d.logic;
    assert.ok(logic?.op === 'and');
    const [image, user] = logic.args;
    assert.ok(image.op === 'test' && user.op === 'test');
    const event = ruleEvent({ Image: 'C:\\cmd.exe', User: 'bob' });
    assert.deepEqual([image.holds(event), user.holds(event), d.matches(event)], [true, false, false]);
  });
});
