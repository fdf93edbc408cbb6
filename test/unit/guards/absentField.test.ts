/**
 * Absent fields, as the rule stage reads them: a selection on a field the event lacks does not
 * hold, so `not` of it does. `filter: {User: SYSTEM}` with `selection and not filter` therefore
 * keeps an event with no User, the way CAR's and EQL's `!=` read it. Sysmon shapes drop fields
 * freely (nxlog, ECS), so an engine that let `not` fail on an absent field would miss exactly the
 * events it aims at. Sigma's `null` is the way to ask for absence, and `''` for an empty value.
 */
import assert from 'node:assert/strict';
import { compileDetection } from '../../../src/engine/rules/sigma';
import { ruleEvent } from '../../support/ruleEvent';

const notSystem = compileDetection({
  selection: { 'Image|endswith': '\\cmd.exe' },
  filter: { User: 'SYSTEM' },
  condition: 'selection and not filter',
});

describe('guard: not over an absent field', () => {
  it('holds: an absent field equals no value, the empty string included', () => {
    assert.equal(notSystem.matches(ruleEvent({ Image: 'C:\\Windows\\System32\\cmd.exe' })), true);
    const notEmpty = compileDetection({ selection: { Image: '*' }, filter: { User: '' }, condition: 'selection and not filter' });
    assert.equal(notEmpty.matches(ruleEvent({ Image: 'x' })), true, 'absent is not the empty string');
    assert.equal(notEmpty.matches(ruleEvent({ Image: 'x', User: '' })), false, 'present and empty is');
  });

  it('is the negation of the selection, which an absent field never satisfies', () => {
    for (const value of ['SYSTEM', '', 'undefined']) {
      const eq = compileDetection({ selection: { User: value }, condition: 'selection' });
      const ne = compileDetection({ selection: { User: value }, condition: 'not selection' });
      assert.equal(eq.matches(ruleEvent({})), false, `absent == ${JSON.stringify(value)}`);
      assert.equal(ne.matches(ruleEvent({})), true, `absent != ${JSON.stringify(value)}`);
    }
    const list = compileDetection({ selection: { User: ['SYSTEM', ''] }, condition: 'selection' });
    assert.equal(list.matches(ruleEvent({})), false, 'absent is in no list');
  });

  it('null asks for absence', () => {
    const absent = compileDetection({ selection: { User: null }, condition: 'selection' });
    assert.equal(absent.matches(ruleEvent({})), true);
    assert.equal(absent.matches(ruleEvent({ User: '' })), false);
  });

  it('present fields still compare ignoring case', () => {
    const event = (user: string) => ruleEvent({ Image: 'C:\\x\\CMD.EXE', User: user });
    assert.equal(notSystem.matches(event('system')), false);
    assert.equal(notSystem.matches(event('bob')), true);
    assert.equal(notSystem.matches(event('')), true, 'a present empty value differs from SYSTEM');
  });
});
