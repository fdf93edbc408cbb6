/**
 * The evaluator's rule for absent fields (src/engine/analytics/evaluate.ts): "An absent field
 * equals nothing and differs from everything." So `user != "SYSTEM"` holds for an event with no
 * User, the way CAR's and EQL's `!=` read it. Sysmon shapes drop fields freely (nxlog, ECS), so
 * an evaluator that let `!=` fail on an absent field would miss exactly the events it aims at.
 */
import assert from 'node:assert/strict';
import { evaluate } from '../../../src/engine/analytics/evaluate';
import { Expr } from '../../../src/engine/analytics/expr';

const notSystem: Expr = { op: '!=', field: 'user', value: 'SYSTEM' };

describe('guard: != on an absent field', () => {
  it('holds: an absent field differs from every value, the empty string too', () => {
    assert.equal(evaluate(notSystem, {}), true);
    assert.equal(evaluate(notSystem, { exe: 'cmd.exe' }), true, 'other fields present');
    assert.equal(evaluate({ op: '!=', field: 'user', value: '' }, {}), true, 'absent is not the empty string');
  });

  it('is the negation of ==, which an absent field never satisfies', () => {
    for (const value of ['SYSTEM', '', 'undefined']) {
      const eq: Expr = { op: '==', field: 'user', value };
      assert.equal(evaluate(eq, {}), false, `absent == ${JSON.stringify(value)}`);
      assert.equal(evaluate({ op: 'not', arg: eq }, {}), true);
      assert.equal(evaluate({ op: '!=', field: 'user', value }, {}), !evaluate(eq, {}));
    }
    assert.equal(evaluate({ op: 'in', field: 'user', values: ['SYSTEM', ''] }, {}), false, 'absent is in no list');
  });

  it('present fields still compare ignoring case', () => {
    assert.equal(evaluate(notSystem, { user: 'system' }), false);
    assert.equal(evaluate(notSystem, { user: 'bob' }), true);
    assert.equal(evaluate(notSystem, { user: '' }), true, 'a present empty value differs from SYSTEM');
  });

  it('inside a conjunction: an event with no user still passes the != test', () => {
    const logic: Expr = { op: 'and', args: [{ op: '==', field: 'exe', value: 'cmd.exe' }, notSystem] };
    assert.equal(evaluate(logic, { exe: 'CMD.EXE' }), true);
    assert.equal(evaluate(logic, { exe: 'cmd.exe', user: 'SYSTEM' }), false);
  });
});
