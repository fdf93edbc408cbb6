/** Detection.literals (sound text for the fast path) and Detection.decidingField. */
import assert from 'node:assert/strict';
import { compileDetection } from '../../../src/engine/rules/sigma';
import { ruleEvent } from '../../support/ruleEvent';

const lits = (detection: Record<string, unknown>): string[][] => compileDetection(detection).literals;

describe('sigma literals and deciding field', () => {
  it('equals/contains/startswith/endswith give their value, lower-cased and unescaped', () => {
    assert.deepEqual(lits({ s: { Image: 'C:\\Windows\\CMD.exe' }, condition: 's' }), [['c:\\windows\\cmd.exe']]);
    assert.deepEqual(lits({ s: { 'Image|endswith': '\\cmd.exe', 'CommandLine|contains': '/C' }, condition: 's' }), [['\\cmd.exe'], ['/c']]);
    assert.deepEqual(lits({ s: { F: 'a\\*b' }, condition: 's' }), [['a*b']]);
  });

  it('with wildcards: the longest wildcard-free run', () => {
    assert.deepEqual(lits({ s: { F: 'ab*longest?x' }, condition: 's' }), [['longest']]);
    assert.deepEqual(lits({ s: { F: '*' }, condition: 's' }), []);
  });

  it('a value list is one set; |all gives one set per value', () => {
    assert.deepEqual(lits({ s: { F: ['A.exe', 'b.exe'] }, condition: 's' }), [['a.exe', 'b.exe']]);
    assert.deepEqual(lits({ s: { 'F|contains|all': ['-nop', 'hidden'] }, condition: 's' }), [['-nop'], ['hidden']]);
    // A set whose literal contains another's is reduced to the shorter one.
    assert.deepEqual(lits({ s: { 'F|contains': ['cmd', 'cmd.exe'] }, condition: 's' }), [['cmd']]);
  });

  it('sets: duplicates dropped, shortest first, a literal containing another dropped, up to 64 distinct literals', () => {
    // Duplicate literals and sets, in a small set and in one of more than 64 values with fewer than 64 distinct.
    assert.deepEqual(lits({ s: { 'F|contains': ['bb', 'a', 'bb', 'ca'] }, t: { 'G|contains': ['ca', 'a', 'bb'] }, condition: 's and t' }), [['a', 'bb']]);
    const many = Array.from({ length: 70 }, (_, i) => `x${i % 30}`);
    assert.deepEqual(lits({ s: { 'F|contains': [...many, 'x1'] }, condition: 's' }), [['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8', 'x9']]);
    // More than 64 distinct: unique and sorted, with no containment pass.
    const distinct = Array.from({ length: 65 }, (_, i) => `y${64 - i}`);
    const big = lits({ s: { 'F|contains': [...distinct, 'y3'] }, condition: 's' });
    assert.equal(big.length, 1);
    assert.deepEqual(big[0], [...distinct].sort((a, b) => a.length - b.length || (a < b ? -1 : 1)));
    // A set reduced to one literal is the same set as that literal alone.
    assert.deepEqual(lits({ s: { 'F|contains': ['ab', 'abc'] }, t: { G: 'ab' }, condition: 's and t' }), [['ab']]);
  });

  it('windash gives every variant', () => {
    const l = lits({ s: { 'F|windash|contains': '-enc' }, condition: 's' });
    assert.equal(l.length, 1);
    assert.deepEqual([...l[0]].sort(), ['-enc', '/enc', '\u2013enc', '\u2014enc', '\u2015enc'].sort());
  });

  it('not, null, exists, re, cidr, fieldref, comparisons require nothing', () => {
    for (const s of [
      { 'F|re': 'abc' },
      { 'F|cidr': '10.0.0.0/8' },
      { F: null },
      { 'F|exists': true },
      { 'F|fieldref': 'G' },
      { 'F|gt': 3 },
      { 'F|neq': 'abc' },
      { F: '' },
    ]) {
      assert.deepEqual(lits({ s, condition: 's' }), [], JSON.stringify(s));
    }
    assert.deepEqual(lits({ s: { F: 'abc' }, condition: 'not s' }), []);
  });

  it('AND is the union of sets; OR one set with each branch\'s most selective set', () => {
    const d = { a: { A: 'alpha' }, b: { 'B|contains|all': ['x', 'beta12'] }, c: { C: 'gamma' }, n: { 'N|re': 'x' } };
    assert.deepEqual(lits({ ...d, condition: 'a and c' }), [['alpha'], ['gamma']]);
    assert.deepEqual(lits({ ...d, condition: 'a or b' }), [['alpha', 'beta12']]);
    assert.deepEqual(lits({ ...d, condition: 'a or n' }), [], 'a branch that requires nothing');
    assert.deepEqual(lits({ ...d, condition: 'c and (a or n)' }), [['gamma']]);
    assert.deepEqual(lits({ ...d, condition: '1 of them' }), []);
    assert.deepEqual(lits({ ...d, condition: 'all of them' }), [['alpha'], ['x'], ['beta12'], ['gamma']]);
    assert.deepEqual(lits({ s: [{ A: 'one' }, { B: 'two', C: 'three33' }], condition: 's' }), [['one', 'three33']]);
    assert.deepEqual(lits({ s: [{ A: 'one' }, { 'B|re': 'two' }], condition: 's' }), []);
  });

  it('keywords require their text too', () => {
    assert.deepEqual(lits({ k: ['Event::Clear', 'event::drop'], condition: 'k' }), [['event::clear', 'event::drop']]);
  });

  it('is sound: a matching event holds one literal of each set in some value', () => {
    const detection = {
      img: { 'Image|endswith': ['\\powershell.exe', '\\pwsh.exe'] },
      cli: { 'CommandLine|windash|contains': ['-enc ', '-e '] },
      b64: { 'CommandLine|base64offset|contains': 'IEX' },
      filter: { ParentImage: 'C:\\ok.exe' },
    };
    const d = compileDetection({ ...detection, condition: 'img and (cli or b64) and not filter' });
    const events = [
      { Image: 'C:\\PWSH.EXE', CommandLine: 'pwsh \u2014e AAA' },
      { Image: 'C:\\x\\powershell.exe', CommandLine: `powershell ${Buffer.from('xIEX(').toString('base64')}` },
    ];
    for (const fields of events) {
      const e = ruleEvent(fields);
      assert.ok(d.matches(e), JSON.stringify(fields));
      const values = Object.values(fields).map((v) => v.toLowerCase());
      for (const set of d.literals) assert.ok(set.some((l) => values.some((v) => v.includes(l))), `${set.join(', ')} in ${JSON.stringify(fields)}`);
    }
  });

  it('deciding field: first selection that holds, in condition order, not under not', () => {
    const d = compileDetection({
      sel_cli: { 'CommandLine|contains': 'x', Image: 'a' },
      sel_img: [{ 'Image|endswith': 'nope' }, { OriginalFileName: 'a.exe', Image: 'b' }],
      filter: { User: 'bob' },
      condition: 'not filter and (sel_cli or sel_img)',
    });
    assert.equal(d.decidingField(ruleEvent({ CommandLine: 'x', Image: 'a' })), 'CommandLine');
    assert.equal(d.decidingField(ruleEvent({ OriginalFileName: 'a.exe', Image: 'b' })), 'OriginalFileName');
    const k = compileDetection({ k: ['abc'], s: { F: 'v' }, condition: 'k or s' });
    assert.equal(k.decidingField(ruleEvent({ X: 'abc' })), undefined);
    assert.equal(k.decidingField(ruleEvent({ X: 'abc', F: 'v' })), 'F', 'a field selection after a keyword one');
  });
});
