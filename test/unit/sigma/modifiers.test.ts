/** Each value modifier of the spec's appendix, and modifier errors. */
import assert from 'node:assert/strict';
import { Detection } from '../../../src/engine/rules/rule';
import { compileDetection } from '../../../src/engine/rules/sigma';
import { ruleEvent } from '../../support/ruleEvent';

const sel = (selection: unknown): Detection => compileDetection({ selection, condition: 'selection' });
const on = (d: Detection, fields: Record<string, string | number>): boolean => d.matches(ruleEvent(fields));
const b64 = (s: string, enc: BufferEncoding = 'utf8'): string => Buffer.from(s, enc).toString('base64');

describe('sigma modifiers', () => {
  it('windash: each -/ at a word start stands for - / en dash, em dash, horizontal bar', () => {
    const d = sel({ 'CommandLine|windash|contains': ' -encodedcommand ' });
    for (const dash of ['-', '/', '\u2013', '\u2014', '\u2015']) {
      assert.ok(on(d, { CommandLine: `powershell ${dash}EncodedCommand x` }), `dash ${dash.codePointAt(0)}`);
    }
    assert.ok(!on(d, { CommandLine: 'powershell +encodedcommand x' }));
    // Variants combine: both flags vary independently.
    const two = sel({ 'CommandLine|windash|contains': '-a -b' });
    assert.ok(on(two, { CommandLine: '/a \u2014b' }));
    // Only at a word boundary (pySigma's \B[-/]\b): not inside a word, not before a non-word character.
    const inner = sel({ 'CommandLine|windash': 'x-y --z -' });
    assert.ok(on(inner, { CommandLine: 'x-y --z -' }));
    assert.ok(!on(inner, { CommandLine: 'x/y --z -' }), 'a dash after a word character is kept');
    assert.ok(!on(inner, { CommandLine: 'x-y /-z -' }), 'a dash before a dash is kept');
    assert.ok(on(inner, { CommandLine: 'x-y -/z -' }), 'the second of two dashes varies');
    assert.ok(!on(inner, { CommandLine: 'x-y --z /' }), 'a trailing dash is kept');
    // Order does not matter between windash and contains.
    assert.ok(on(sel({ 'C|contains|windash': '/c' }), { C: 'cmd -c' }));
  });

  it('re: searched anywhere, case-sensitive; i, m, s flags; a leading (?i)', () => {
    const d = sel({ 'CommandLine|re': '\\s-[FTd]\\s' });
    assert.ok(on(d, { CommandLine: 'curl -F x' }) && !on(d, { CommandLine: 'curl -f x' }));
    assert.ok(on(sel({ 'C|re|i': '^c:\\\\users\\\\[^\\\\]+\\\\ntuser\\.dat$' }), { C: 'C:\\Users\\bob\\NTUSER.DAT' }));
    assert.ok(on(sel({ 'C|re': '(?i)\\s(-u|--user)\\s*:' }), { C: 'curl -U : x' }));
    assert.ok(!on(sel({ 'C|re': '^b$' }), { C: 'a\nb' }) && on(sel({ 'C|re|m': '^b$' }), { C: 'a\nb' }));
    assert.ok(!on(sel({ 'C|re': 'a.b' }), { C: 'a\nb' }) && on(sel({ 'C|re|s': 'a.b' }), { C: 'a\nb' }));
    assert.ok(on(sel({ 'C|re': ['APT\\d', 'UNC\\d'] }), { C: 'x UNC2452' }), 'a list of patterns is OR');
    assert.ok(!on(sel({ 'C|re': 'x' }), {}));
  });

  it('re: a pattern RE2 cannot run is refused, not approximated', () => {
    assert.throws(() => sel({ 'C|re': '(?=a)b' }), { category: 'regex' });
    assert.throws(() => sel({ 'C|re': '(?<!x)y' }), { category: 'regex' });
    assert.throws(() => sel({ 'C|re': '(a)\\1' }), { category: 'regex' });
    assert.throws(() => sel({ 'C|contains|re': 'a' }), { category: 'unsupported modifier' });
    assert.throws(() => sel({ 'C|re|contains': 'a' }), { category: 'unsupported modifier' });
    assert.throws(() => sel({ 'C|i': 'a' }), { category: 'unsupported modifier' });
  });

  it('re: a catastrophic pattern runs in linear time', () => {
    const d = sel({ 'C|re': '(a+)+$' });
    const long = 'a'.repeat(100_000) + 'b';
    const t = Date.now();
    assert.ok(!on(d, { C: long }));
    assert.ok(Date.now() - t < 2000, `took ${Date.now() - t} ms`);
    assert.ok(on(d, { C: 'aaa' }));
    assert.throws(() => sel({ 'C|re': '(((a|b|c|d){50}){20})' }), { category: 'regex' }, 'a pattern too large to run on every event');
    assert.throws(() => sel({ 'C|re': 'a{1001}' }), { category: 'regex' });
  });

  it('base64 and base64offset (the three offsets)', () => {
    assert.ok(on(sel({ 'C|base64': 'cmd' }), { C: b64('cmd') }));
    assert.ok(on(sel({ 'C|base64|contains': 'http://' }), { C: `x${b64('http://')}y` }));
    const off = sel({ 'C|base64offset|contains': '/bin/bash' });
    for (const prefix of ['', 'x', 'xy', 'xyz', 'echo ']) {
      assert.ok(on(off, { C: `powershell -e ${b64(`${prefix}/bin/bash -i`)}` }), `offset of '${prefix}'`);
    }
    assert.ok(!on(off, { C: b64('/bin/sh -i') }));
    assert.deepEqual(off.literals, [['9iaw4vymfza', 'vymlul2jhc2', 'l2jpbi9iyxno']]);
    assert.throws(() => sel({ 'C|base64': 'a*' }), { category: 'bad value' });
  });

  it('utf16le, wide, utf16be, utf16 (with BOM), then base64', () => {
    assert.ok(on(sel({ 'C|utf16le|base64': 'Invoke-' }), { C: 'SQBuAHYAbwBrAGUALQA=' }));
    assert.ok(on(sel({ 'C|wide|base64offset|contains': 'cmd' }), { C: `x${b64('echo cmd', 'utf16le')}` }));
    const be = Buffer.from('cmd', 'utf16le').swap16().toString('base64');
    assert.ok(on(sel({ 'C|utf16be|base64': 'cmd' }), { C: be }));
    assert.ok(on(sel({ 'C|utf16|base64': 'cmd' }), { C: '//5jAG0AZAA=' }), 'FF FE then UTF-16LE');
    assert.ok(on(sel({ 'C|wide': 'ab' }), { C: 'a\u0000b\u0000' }));
    assert.throws(() => sel({ 'C|wide|utf16': 'ab' }), { category: 'unsupported modifier' });
  });

  it('cidr: IPv4 and IPv6 networks', () => {
    const v4 = sel({ 'DestinationIp|cidr': ['10.0.0.0/8', '192.168.1.0/24'] });
    assert.ok(on(v4, { DestinationIp: '10.200.3.4' }) && on(v4, { DestinationIp: '192.168.1.255' }));
    assert.ok(!on(v4, { DestinationIp: '192.168.2.1' }) && !on(v4, { DestinationIp: 'not an ip' }) && !on(v4, {}));
    assert.ok(!on(v4, { DestinationIp: '::1' }));
    assert.ok(on(v4, { DestinationIp: '::ffff:10.1.2.3' }), 'an IPv4-mapped IPv6 address');
    const v6 = sel({ 'DestinationIp|cidr': ['fe80::/10', '2001:db8::/32', '::1/128'] });
    assert.ok(on(v6, { DestinationIp: 'fe80:0:0:0:1c2:3:4:5' }) && on(v6, { DestinationIp: 'FEBF::1' }));
    assert.ok(on(v6, { DestinationIp: '2001:0db8:ffff::1' }) && on(v6, { DestinationIp: '::1' }));
    assert.ok(!on(v6, { DestinationIp: 'fec0::1' }) && !on(v6, { DestinationIp: '2001:db9::1' }) && !on(v6, { DestinationIp: '10.0.0.1' }));
    assert.ok(on(sel({ 'Ip|cidr': '172.16.0.0/12' }), { Ip: '172.31.255.1' }) && !on(sel({ 'Ip|cidr': '172.16.0.0/12' }), { Ip: '172.32.0.1' }));
    assert.throws(() => sel({ 'Ip|cidr': '10.0.0.0/33' }), { category: 'bad value' });
    assert.throws(() => sel({ 'Ip|cidr': 'ten' }), { category: 'bad value' });
  });

  it('exists: true and false, whatever the value', () => {
    assert.ok(on(sel({ 'F|exists': true }), { F: '' }) && !on(sel({ 'F|exists': true }), {}));
    assert.ok(on(sel({ 'F|exists': false }), {}) && !on(sel({ 'F|exists': false }), { F: 'x' }));
    assert.throws(() => sel({ 'F|exists': 'yes' }), { category: 'bad value' });
    assert.throws(() => compileDetection({ k: { '|exists': true }, condition: 'k' }), { category: 'unsupported modifier' });
  });

  it('fieldref compares two fields of the event', () => {
    const d = sel({ 'ParentImage|fieldref': 'Image' });
    assert.ok(on(d, { Image: 'C:\\a.exe', ParentImage: 'c:\\A.EXE' }));
    assert.ok(!on(d, { Image: 'C:\\a.exe', ParentImage: 'C:\\b.exe' }) && !on(d, { ParentImage: 'x' }) && !on(d, {}));
    assert.ok(on(sel({ 'CommandLine|fieldref|contains': 'Image' }), { Image: 'x.exe', CommandLine: '"X.EXE" /c' }));
    assert.ok(on(sel({ 'CommandLine|fieldref|endswith': 'Image' }), { Image: 'x.exe', CommandLine: 'run x.exe' }));
    assert.ok(!on(sel({ 'CommandLine|fieldref|startswith': 'Image' }), { Image: 'x.exe', CommandLine: 'run x.exe' }));
    assert.throws(() => sel({ 'F|fieldref': 'Ima*' }), { category: 'bad value' });
  });

  it('gt, gte, lt, lte compare numbers', () => {
    assert.ok(on(sel({ 'N|gt': 10 }), { N: '11' }) && !on(sel({ 'N|gt': 10 }), { N: '10' }));
    assert.ok(on(sel({ 'N|gte': 10 }), { N: '10' }) && !on(sel({ 'N|gte': 10 }), { N: '9.5' }));
    assert.ok(on(sel({ 'N|lt': '0x10' }), { N: '15' }), 'a number as the rule writes it');
    assert.ok(on(sel({ 'N|lte': 1.5 }), { N: ' 1.5 ' }) && !on(sel({ 'N|lte': 1.5 }), { N: 'abc' }) && !on(sel({ 'N|lte': 1.5 }), { N: '' }));
    assert.throws(() => sel({ 'N|gt': 'ten' }), { category: 'bad value' });
    assert.throws(() => sel({ 'N|contains|gt': '1' }), { category: 'unsupported modifier' });
  });

  it('neq negates the item; time parts read a timestamp', () => {
    const d = sel({ 'User|neq': ['SYSTEM', 'LOCAL SERVICE'] });
    assert.ok(on(d, { User: 'bob' }) && !on(d, { User: 'system' }) && !on(d, { User: 'Local Service' }));
    assert.ok(on(sel({ 'UtcTime|hour': 8 }), { UtcTime: '2019-03-02 08:51:00.008' }));
    assert.ok(on(sel({ 'UtcTime|minute': 51, 'UtcTime|day': 2, 'UtcTime|month': 3, 'UtcTime|year': 2019 }), { UtcTime: '2019-03-02T08:51:00Z' }));
    assert.ok(on(sel({ 'T|week': 1 }), { T: '2021-01-04 00:00:00' }) && on(sel({ 'T|week': 53 }), { T: '2021-01-03' }));
    assert.ok(!on(sel({ 'T|hour': 8 }), { T: 'yesterday' }));
  });

  it('unknown modifiers and placeholders are refused with the item in the error', () => {
    assert.throws(() => sel({ 'Image|endwith': 'x' }), (e: { category: string; path: unknown[] }) => {
      assert.equal(e.category, 'unsupported modifier');
      assert.deepEqual(e.path, ['selection', 'Image|endwith']);
      return true;
    });
    assert.throws(() => sel({ 'User|expand': '%Administrators%' }), { category: 'placeholder' });
    assert.throws(() => sel({ 'User|__proto__': 'x' }), { category: 'unsupported modifier' });
  });
});
