/** Sigma values: plain, wildcards, escaping, null and '', numbers, case, lists, maps, keywords. */
import assert from 'node:assert/strict';
import { Detection } from '../../../src/engine/rules/rule';
import { compileDetection } from '../../../src/engine/rules/sigma';
import { ruleEvent, sysmonEvent } from '../../support/ruleEvent';

/** A one-selection detection. */
const sel = (selection: unknown): Detection => compileDetection({ selection, condition: 'selection' });
const on = (d: Detection, fields: Record<string, string | number>): boolean => d.matches(ruleEvent(fields));

describe('sigma values', () => {
  it('a plain value equals the whole field, ignoring case', () => {
    const d = sel({ Image: 'C:\\Windows\\System32\\whoami.exe' });
    assert.ok(on(d, { Image: 'c:\\windows\\system32\\WHOAMI.EXE' }));
    assert.ok(!on(d, { Image: 'C:\\Windows\\System32\\whoami.exe2' }));
    assert.ok(!on(d, { Image: 'D:\\C:\\Windows\\System32\\whoami.exe' }));
    assert.ok(!on(d, {}), 'an absent field equals nothing');
  });

  it('* matches any run and ? exactly one character, inside the value too', () => {
    const d = sel({ Image: 'prog?.exe' });
    assert.ok(on(d, { Image: 'progA.exe' }));
    assert.ok(!on(d, { Image: 'prog.exe' }));
    assert.ok(!on(d, { Image: 'progAB.exe' }));
    const v = sel({ Image: 'antivirus_V*.exe' });
    assert.ok(on(v, { Image: 'antivirus_V1.exe' }) && on(v, { Image: 'ANTIVIRUS_v21.2.1.exe' }) && on(v, { Image: 'antivirus_V.exe' }));
    assert.ok(!on(v, { Image: 'xantivirus_V1.exe' }));
    const many = sel({ CommandLine: '*a*b?c*d' });
    assert.ok(on(many, { CommandLine: 'xxAyyBzCd' }));
    assert.ok(on(many, { CommandLine: 'abxcabzcd' }));
    assert.ok(!on(many, { CommandLine: 'abcd' }));
    assert.ok(!on(many, { CommandLine: 'xxAyyBzCdx' }));
  });

  it('escaping: \\* \\? \\\\ are literal, a backslash before anything else is a backslash', () => {
    assert.ok(on(sel({ F: 'a\\*b' }), { F: 'a*b' }));
    assert.ok(!on(sel({ F: 'a\\*b' }), { F: 'axxb' }));
    assert.ok(on(sel({ F: 'what\\?' }), { F: 'what?' }));
    assert.ok(!on(sel({ F: 'what\\?' }), { F: 'whatX' }));
    // The spec's table: \ and \\ are one backslash before a non-wildcard.
    assert.ok(on(sel({ F: 'C:\\Windows\\' }), { F: 'C:\\Windows\\' }));
    assert.ok(on(sel({ F: 'C:\\\\Windows' }), { F: 'C:\\Windows' }));
    // \\* is a backslash then a wildcard; \\\* a backslash then a star.
    assert.ok(on(sel({ F: 'dir\\\\*' }), { F: 'dir\\anything' }));
    assert.ok(on(sel({ F: 'dir\\\\\\*' }), { F: 'dir\\*' }));
    assert.ok(!on(sel({ F: 'dir\\\\\\*' }), { F: 'dir\\x' }));
    // Three or four backslashes before a non-wildcard are two.
    assert.ok(on(sel({ F: 'a\\\\\\b' }), { F: 'a\\\\b' }));
    assert.ok(on(sel({ F: 'a\\\\\\\\b' }), { F: 'a\\\\b' }));
    assert.ok(on(sel({ F: 'end\\' }), { F: 'end\\' }), 'a trailing backslash is literal');
  });

  it("null is an absent field; '' a present, empty one", () => {
    const isNull = sel({ F: null });
    const isEmpty = sel({ F: '' });
    assert.ok(on(isNull, {}) && !on(isNull, { F: '' }) && !on(isNull, { F: 'x' }));
    assert.ok(on(isEmpty, { F: '' }) && !on(isEmpty, {}) && !on(isEmpty, { F: 'x' }));
    const notNull = compileDetection({ selection: { EventID: 4738 }, filter: { PasswordLastSet: null }, condition: 'selection and not filter' });
    assert.ok(notNull.matches(ruleEvent({ EventID: 4738, PasswordLastSet: '' })));
    assert.ok(!notNull.matches(ruleEvent({ EventID: 4738 })));
  });

  it('numbers are compared as strings', () => {
    const d = sel({ EventID: 4688, Port: '0445' });
    assert.ok(on(d, { EventID: '4688', Port: '0445' }));
    assert.ok(!on(d, { EventID: '4688', Port: '445' }));
    assert.ok(on(sel({ Ratio: 1.5 }), { Ratio: '1.5' }));
    assert.ok(on(sel({ Signed: true }), { Signed: 'TRUE' }));
  });

  it('a map is AND, a value list OR, a list of maps OR', () => {
    const and = sel({ EventLog: 'Security', EventID: [517, 1102] });
    assert.ok(on(and, { EventLog: 'security', EventID: 1102 }));
    assert.ok(!on(and, { EventLog: 'System', EventID: 1102 }));
    assert.ok(!on(and, { EventLog: 'Security', EventID: 4624 }));
    const or = sel([{ 'Image|endswith': '\\example.exe' }, { 'Description|contains': 'Test executable' }]);
    assert.ok(on(or, { Image: 'C:\\example.exe' }));
    assert.ok(on(or, { Description: 'a test EXECUTABLE here' }));
    assert.ok(!on(or, { Image: 'C:\\other.exe', Description: 'x' }));
  });

  it('a long list of plain values still ignores case and matches exactly', () => {
    const names = Array.from({ length: 40 }, (_, i) => `tool${i}.exe`);
    const d = sel({ OriginalFileName: [...names, 'x*y'] });
    assert.ok(on(d, { OriginalFileName: 'TOOL17.EXE' }));
    assert.ok(on(d, { OriginalFileName: 'xay' }));
    assert.ok(!on(d, { OriginalFileName: 'tool17.exe ' }));
    assert.ok(!on(d, {}));
  });

  it('contains, startswith, endswith, and |all makes the list AND', () => {
    assert.ok(on(sel({ 'C|contains': 'mimi' }), { C: 'xMIMIx' }));
    assert.ok(on(sel({ 'C|startswith': 'adm_' }), { C: 'ADM_bob' }) && !on(sel({ 'C|startswith': 'adm_' }), { C: 'xadm_' }));
    assert.ok(on(sel({ 'C|endswith': '\\cmd.exe' }), { C: 'C:\\x\\cmd.exe' }) && !on(sel({ 'C|endswith': '\\cmd.exe' }), { C: 'cmd.exe' }));
    assert.ok(on(sel({ 'C|contains': 'a*c' }), { C: 'xxabbcxx' }), 'wildcards inside a modifier value');
    assert.ok(on(sel({ 'C|startswith': 'a?c' }), { C: 'abcdef' }) && !on(sel({ 'C|startswith': 'a?c' }), { C: 'acdef' }));
    const all = sel({ 'CommandLine|contains|all': ['OabVirtualDirectory', ' -ExternalUrl '] });
    assert.ok(on(all, { CommandLine: 'Set-OabVirtualDirectory -ExternalUrl http://x' }));
    assert.ok(!on(all, { CommandLine: 'Set-OabVirtualDirectory' }));
    const any = sel({ 'CommandLine|contains': ['OabVirtualDirectory', ' -ExternalUrl '] });
    assert.ok(on(any, { CommandLine: 'Set-OabVirtualDirectory' }));
  });

  it('cased matches case-sensitively', () => {
    const d = sel({ 'CommandLine|contains|cased': ' -O ' });
    assert.ok(on(d, { CommandLine: 'wget -O x' }) && !on(d, { CommandLine: 'wget -o x' }));
    assert.ok(on(sel({ 'F|cased': 'Ab*' }), { F: 'Abc' }) && !on(sel({ 'F|cased': 'Ab*' }), { F: 'abc' }));
  });

  it('keywords: a plain keyword is searched for inside every value of the event', () => {
    const d = compileDetection({ keywords: ['event::clear', 'event::drop'], condition: 'keywords' });
    assert.ok(d.matches(sysmonEvent(1, { CommandLine: 'mimikatz "EVENT::Clear" exit' })));
    assert.ok(d.matches(sysmonEvent(1, { Image: 'x', Other: 'event::drop' })));
    assert.ok(!d.matches(sysmonEvent(1, { CommandLine: 'event:: clear' })));
    assert.equal(d.decidingField(sysmonEvent(1, { CommandLine: 'event::drop' })), undefined);
    // A keyword does not span two values.
    assert.ok(!compileDetection({ k: ['ab'], condition: 'k' }).matches(ruleEvent({ A: 'xa', B: 'by' })));
    // Wildcards still work inside a keyword; a single keyword can be a plain scalar.
    assert.ok(compileDetection({ k: 'near "*": syntax error', condition: 'k' }).matches(ruleEvent({ M: 'x near "y": syntax error z' })));
    assert.ok(compileDetection({ k: 4625, condition: 'k' }).matches(ruleEvent({ EventID: 4625 })));
  });

  it("keywords with '|all': each must occur (in any of the values)", () => {
    const d = compileDetection({ keywords_cmdlet: { '|all': ['OabVirtualDirectory', ' -ExternalUrl '] }, condition: 'keywords_cmdlet' });
    assert.ok(d.matches(ruleEvent({ A: 'Set-OabVirtualDirectory', B: 'x -ExternalUrl y' })));
    assert.ok(!d.matches(ruleEvent({ A: 'Set-OabVirtualDirectory' })));
    // An anchoring modifier on a keyword is honoured.
    const starts = compileDetection({ k: { '|startswith': 'abc' }, condition: 'k' });
    assert.ok(starts.matches(ruleEvent({ A: 'abcx' })) && !starts.matches(ruleEvent({ A: 'xabc' })));
  });

  it('refuses malformed values', () => {
    assert.throws(() => sel({ F: { nested: 'map' } }), { name: 'SigmaError', category: 'bad detection' });
    assert.throws(() => sel({ F: [] }), { category: 'bad detection' });
    assert.throws(() => sel({}), { category: 'bad detection' });
    assert.throws(() => sel(null), { category: 'bad detection' });
    assert.throws(() => compileDetection({ k: [null], condition: 'k' }), { category: 'bad detection' });
  });
});
