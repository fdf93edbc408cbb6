/** The analytic evaluator, the literals the fast path derives, and the why-nothing explanations. */
import assert from 'node:assert/strict';
import { ANALYTICS, findAnalytic } from '../../src/engine/analytics';
import { evaluate, formatExpr } from '../../src/engine/analytics/evaluate';
import { Expr } from '../../src/engine/analytics/expr';
import { requiredLiterals } from '../../src/engine/analytics/literals';
import { ProcessFields } from '../../src/engine/model';

const car = findAnalytic('car-2014-05-002')!;
const proc = (image: string, parent: string): ProcessFields => ({
  exe: image.split('\\').pop(),
  parent_exe: parent.split('\\').pop(),
  image_path: image,
  parent_image_path: parent,
});

describe('analytics', () => {
  it('CAR-2014-05-002 is defined as data with its ATT&CK mapping', () => {
    assert.equal(ANALYTICS.length, 1);
    assert.equal(car.title, 'Services launching Cmd');
    assert.deepEqual(car.attack.map((t) => [t.id, t.tactics]), [['T1543.003', ['Persistence', 'Privilege Escalation']]]);
    assert.equal(formatExpr(car.logic), 'exe == "cmd.exe" and parent_exe == "services.exe"');
  });

  it('matches by file name, ignoring case, anywhere on disk', () => {
    assert.ok(evaluate(car.logic, proc('C:\\Windows\\System32\\cmd.exe', 'C:\\Windows\\System32\\services.exe')));
    assert.ok(evaluate(car.logic, proc('D:\\x\\CMD.EXE', '\\\\?\\C:\\Windows\\SysWOW64\\Services.exe')));
  });

  it('does not match near misses', () => {
    assert.ok(!evaluate(car.logic, proc('C:\\Windows\\System32\\cmd.exe', 'C:\\Windows\\explorer.exe')));
    assert.ok(!evaluate(car.logic, proc('C:\\x\\notcmd.exe', 'C:\\Windows\\System32\\services.exe')));
    assert.ok(!evaluate(car.logic, proc('C:\\Windows\\System32\\cmd.exe', 'C:\\x\\notservices.exe')));
    assert.ok(!evaluate(car.logic, { exe: 'cmd.exe' }), 'an absent field equals nothing');
  });

  it('evaluates or, not, in and !=', () => {
    const logic: Expr = {
      op: 'and',
      args: [
        { op: 'in', field: 'exe', values: ['powershell.exe', 'pwsh.exe'] },
        { op: 'not', arg: { op: '==', field: 'parent_exe', value: 'explorer.exe' } },
        { op: 'or', args: [{ op: '!=', field: 'user', value: 'SYSTEM' }, { op: '==', field: 'integrity_level', value: 'High' }] },
      ],
    };
    assert.ok(evaluate(logic, { exe: 'PWSH.exe', parent_exe: 'winword.exe', user: 'bob' }));
    assert.ok(!evaluate(logic, { exe: 'pwsh.exe', parent_exe: 'Explorer.EXE', user: 'bob' }));
    assert.ok(!evaluate(logic, { exe: 'pwsh.exe', parent_exe: 'winword.exe', user: 'system', integrity_level: 'Low' }));
    assert.ok(evaluate(logic, { exe: 'pwsh.exe', parent_exe: 'winword.exe', user: 'system', integrity_level: 'high' }));
  });

  it('derives the text a match must contain from the logic', () => {
    assert.deepEqual(requiredLiterals(car.logic), [['cmd.exe'], ['services.exe']]);
    assert.deepEqual(requiredLiterals({ op: 'in', field: 'exe', values: ['A.exe', 'b.exe'] }), [['a.exe', 'b.exe']]);
    assert.deepEqual(
      requiredLiterals({ op: 'or', args: [{ op: '==', field: 'exe', value: 'a' }, { op: '==', field: 'exe', value: 'b' }] }),
      [['a', 'b']],
    );
    assert.deepEqual(requiredLiterals({ op: 'not', arg: { op: '==', field: 'exe', value: 'a' } }), []);
    assert.deepEqual(requiredLiterals({ op: '!=', field: 'exe', value: 'a' }), []);
    assert.deepEqual(requiredLiterals({ op: '==', field: 'exe', value: '' }), [], 'an empty value implies no text');
  });
});
