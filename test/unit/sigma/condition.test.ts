/** The condition language: operators, precedence, x of, them, old-style lists, errors. */
import assert from 'node:assert/strict';
import { Detection } from '../../../src/engine/rules/rule';
import { compileDetection } from '../../../src/engine/rules/sigma';
import { parseCondition } from '../../../src/engine/rules/sigma/condition';
import { ruleEvent } from '../../support/ruleEvent';

/** Searches a, b, c, _u (each: field of the same name equals 'y') under `condition`. */
const cond = (condition: unknown, extra: Record<string, unknown> = {}): Detection =>
  compileDetection({ a: { a: 'y' }, b: { b: 'y' }, c: { c: 'y' }, _u: { u: 'y' }, ...extra, condition });
/** The event in which exactly the named searches hold. */
const holding = (...names: string[]) => ruleEvent(Object.fromEntries(names.map((n) => [n, 'y'])));
const truth = (d: Detection, ...names: string[]): boolean => d.matches(holding(...names));

describe('sigma conditions', () => {
  it('and, or, not, parentheses', () => {
    assert.ok(truth(cond('a and b'), 'a', 'b') && !truth(cond('a and b'), 'a'));
    assert.ok(truth(cond('a or b'), 'b') && !truth(cond('a or b'), 'c'));
    assert.ok(truth(cond('a and not b'), 'a') && !truth(cond('a and not b'), 'a', 'b'));
    assert.ok(truth(cond('not not a'), 'a'));
    assert.ok(truth(cond('a and (b or c)'), 'a', 'c') && !truth(cond('a and (b or c)'), 'b', 'c'));
  });

  it('precedence: or < and < not', () => {
    // a or b and c = a or (b and c)
    assert.ok(truth(cond('a or b and c'), 'a'));
    assert.ok(!truth(cond('(a or b) and c'), 'a'));
    // not a and b = (not a) and b
    assert.ok(truth(cond('not a and b'), 'b') && !truth(cond('not a and b'), 'a', 'b') && !truth(cond('not a and b')));
    // not a or b = (not a) or b
    assert.ok(truth(cond('not a or b'), 'a', 'b') && truth(cond('not a or b')) && !truth(cond('not a or b'), 'a'));
    assert.deepEqual(parseCondition('a or b and not c'), {
      op: 'or',
      args: [{ op: 'id', name: 'a' }, { op: 'and', args: [{ op: 'id', name: 'b' }, { op: 'not', arg: { op: 'id', name: 'c' } }] }],
    });
  });

  it('x of binds tighter than not: not 1 of filter* negates the whole group', () => {
    const extra = { filter_1: { f1: 'y' }, filter_2: { f2: 'y' } };
    const d = cond('a and not 1 of filter_*', extra);
    assert.ok(truth(d, 'a') && !truth(d, 'a', 'f2') && !truth(d, 'a', 'f1'));
    assert.deepEqual(parseCondition('not 1 of filter*'), { op: 'not', arg: { op: 'of', all: false, pattern: 'filter*' } });
  });

  it('1 of and all of a pattern; * anywhere in it', () => {
    const extra = { selection_img: { i: 'y' }, selection_cli: { l: 'y' }, sel_x: { x: 'y' } };
    assert.ok(truth(cond('1 of selection_*', extra), 'l') && !truth(cond('1 of selection_*', extra), 'x'));
    assert.ok(truth(cond('all of selection_*', extra), 'i', 'l') && !truth(cond('all of selection_*', extra), 'i', 'x'));
    assert.ok(truth(cond('1 of *_img', extra), 'i') && !truth(cond('1 of *_img', extra), 'l'));
    assert.ok(truth(cond('1 of s*l*', extra), 'x'));
    assert.ok(truth(cond('any of selection_*', extra), 'i'), 'any is pySigma\'s synonym of 1');
  });

  it('1 of them / all of them leave out searches starting with _', () => {
    assert.ok(truth(cond('1 of them'), 'c') && !truth(cond('1 of them'), 'u'));
    assert.ok(truth(cond('all of them'), 'a', 'b', 'c'), '_u need not hold');
    assert.ok(!truth(cond('all of them'), 'a', 'b', 'u'));
    assert.ok(truth(cond('1 of _*'), 'u'), 'an explicit pattern can pick _ searches');
  });

  it('a list of conditions is OR', () => {
    const d = cond(['a and b', 'c']);
    assert.ok(truth(d, 'a', 'b') && truth(d, 'c') && !truth(d, 'a'));
  });

  it('bad conditions are refused with their category', () => {
    const bad = { category: 'bad condition' };
    assert.throws(() => cond('a and missing'), bad);
    assert.throws(() => cond('a and'), bad);
    assert.throws(() => cond('(a or b'), bad);
    assert.throws(() => cond('a b'), bad);
    assert.throws(() => cond('a or )'), bad);
    assert.throws(() => cond('2 of them'), bad);
    assert.throws(() => cond('1 of nothing*'), bad);
    assert.throws(() => cond(''), bad);
    assert.throws(() => cond(['a', 42]), (e: { category: string; path: unknown[] }) => e.category === 'bad condition' && e.path[1] === 1);
    assert.throws(() => compileDetection({ a: { a: 'y' } }), { category: 'missing condition' });
  });

  it('aggregations and near are refused with their own categories', () => {
    assert.throws(() => cond('a | count() by User > 10'), { category: 'aggregation' });
    assert.throws(() => cond('a | count(b) > 1'), { category: 'aggregation' });
    assert.throws(() => cond('a | near b'), { category: 'near' });
    assert.throws(() => cond('a near b'), { category: 'near' });
  });

  it('operators ignore case; identifiers may hold - and .', () => {
    const d = compileDetection({ 'sel-1.x': { a: 'y' }, b: { b: 'y' }, condition: 'sel-1.x AND NOT b' });
    assert.ok(d.matches(holding('a')) && !d.matches(holding('a', 'b')));
  });
});
