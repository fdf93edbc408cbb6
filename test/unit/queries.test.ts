import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Analytic } from '../../src/engine/analytics/analytic';
import { findAnalytic } from '../../src/engine/analytics';
import { Expr } from '../../src/engine/analytics/expr';
import { QUERY_TARGETS, QueryTarget, findTarget } from '../../src/engine/queries';
import { skipOrFailWithoutShared } from '../support/shared';

const car_2014_05_002 = findAnalytic('CAR-2014-05-002')!;

/** The repo root: the nearest folder above this file with package.json (out/test/unit -> ../../..). */
function repoRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
  }
  return process.cwd();
}

const SEED = '000_19137d4107267b7c.txt';
// shared/ sits beside the repo: ../shared/seeds from the root, ../../../../shared/seeds from out/test/unit.
const SEED_PATHS = [path.resolve(__dirname, '../../../../shared/seeds', SEED), path.resolve(repoRoot(), '../shared/seeds', SEED)];

/** The query block under a seed heading: after the "... version of the above pseudocode." line, up to a blank line. */
function published(seed: string, heading: string): string {
  const lines = seed.split('\n');
  let i = lines.indexOf(heading);
  assert.ok(i >= 0, `seed has no heading ${heading}`);
  while (i < lines.length && !lines[i].endsWith('version of the above pseudocode.')) i++;
  i++;
  while (i < lines.length && lines[i].trim() === '') i++;
  const block: string[] = [];
  while (i < lines.length && lines[i].trim() !== '') block.push(lines[i++]);
  return block.join('\n');
}

const target = (id: string): QueryTarget => {
  const t = findTarget(id);
  assert.ok(t, id);
  return t;
};

const analytic = (logic: Expr): Analytic => ({ ...car_2014_05_002, id: 'TEST-1', title: 'test', logic });

/** Splunk's search-term meaning, in JavaScript: the quoted term is a case-ignoring glob on the whole value. */
function splunkTermMatches(quoted: string, value: string): boolean {
  const inner = quoted.slice(1, -1).replace(/\\(.)/g, '$1');
  const re = inner.split('*').map((s) => s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&')).join('.*');
  return new RegExp(`^${re}$`, 'is').test(value);
}

/** The regex in `$Field=regex(...)i` starting at `from`, found as DNIF must: escapes skipped, parentheses counted. */
function dnifRegexAt(text: string, from: number): { body: string; end: number } {
  const start = text.indexOf('regex(', from) + 'regex('.length;
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && depth-- === 0) return { body: text.slice(start, i), end: i + 1 };
  }
  throw new Error('unterminated regex(');
}

/** `|` outside "..." (with backslash escapes): each one starts a new Splunk command. */
function splPipes(text: string): number {
  let pipes = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    if (quoted && text[i] === '\\') i++;
    else if (text[i] === '"') quoted = !quoted;
    else if (!quoted && text[i] === '|') pipes++;
  }
  assert.equal(quoted, false, 'unbalanced quotes');
  return pipes;
}

/** The string literals of an EQL text, unescaped. */
function eqlStrings(text: string): string[] {
  const map: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"' };
  return [...text.matchAll(/"((?:\\.|[^"\\\n])*)"/g)].map((m) => m[1].replace(/\\(.)/g, (_, c: string) => map[c] ?? assert.fail(`bad escape \\${c}`)));
}

describe('query generation', () => {
  describe('CAR-2014-05-002, car style, against the seed (byte for byte)', function () {
    let seed: string | undefined;
    before(function () {
      const found = SEED_PATHS.find((p) => fs.existsSync(p));
      if (!found) skipOrFailWithoutShared(this, `the seed file (${SEED_PATHS.join(' or ')})`, 'CAR golden queries');
      seed = fs.readFileSync(found, 'utf8');
    });
    const cases: [string, string][] = [['spl', 'Splunk, Sysmon native'], ['eql', 'Eql, EQL native'], ['dnif', 'Dnif, Sysmon native']];
    for (const [id, heading] of cases) {
      it(`${id} reproduces "${heading}"`, () => {
        const expected = published(seed!, heading);
        assert.ok(expected.length > 20, 'seed parsing found the query');
        assert.equal(target(id).generate(car_2014_05_002, { style: 'car' }).text, expected);
      });
    }
    it('the seed EQL really has the line break and indent', () => {
      assert.match(published(seed!, 'Eql, EQL native'), /and\n {2}\(process_name/);
    });
  });

  describe('CAR-2014-05-002, precise style (the default)', () => {
    const spl = 'index=main source="*WinEventLog:Microsoft-Windows-Sysmon/Operational" EventCode=1 (Image="*\\\\cmd.exe" OR Image="cmd.exe") (ParentImage="*\\\\services.exe" OR ParentImage="services.exe")';
    const eql = 'process where subtype.create and\n  (process_name == "cmd.exe" and parent_process_name == "services.exe")';
    const dnif = '_fetch * from event where $LogName=WINDOWS-SYSMON AND $EventID=1 AND $App=regex(^cmd\\.exe$)i AND $ParentProcess=regex(^(.*[\\\\/])?services\\.exe$)i limit 1000';

    it('generates the documented texts', () => {
      assert.equal(target('spl').generate(car_2014_05_002).text, spl);
      assert.equal(target('eql').generate(car_2014_05_002).text, eql);
      assert.equal(target('dnif').generate(car_2014_05_002).text, dnif);
      assert.equal(target('spl').generate(car_2014_05_002, { style: 'precise' }).text, spl);
    });

    it('SPL: the file-name test matches as the local hunt does', () => {
      const image = (v: string) => splunkTermMatches('"*\\\\cmd.exe"', v) || splunkTermMatches('"cmd.exe"', v);
      for (const v of ['C:\\Windows\\System32\\cmd.exe', 'C:\\WINDOWS\\SysWOW64\\CMD.EXE', '\\\\?\\C:\\Windows\\system32\\cmd.exe', 'D:\\tools\\cmd.exe', 'cmd.exe']) {
        assert.ok(image(v), v);
      }
      for (const v of ['C:\\x\\xcmd.exe', 'cmd.exe.bak', 'cmdXexe']) assert.ok(!image(v), v);
      // The car glob, by contrast, misses other drives and \\?\ paths.
      assert.ok(!splunkTermMatches('"C:\\\\Windows\\\\*\\\\cmd.exe"', 'D:\\tools\\cmd.exe'));
      assert.ok(!splunkTermMatches('"C:\\\\Windows\\\\*\\\\cmd.exe"', '\\\\?\\C:\\Windows\\system32\\cmd.exe'));
    });

    it('DNIF: the regexes are anchored, case-ignoring file-name tests', () => {
      const parent = new RegExp(dnifRegexAt(dnif, dnif.indexOf('$ParentProcess')).body, 'i');
      for (const v of ['C:\\Windows\\System32\\services.exe', '\\\\?\\C:\\WINDOWS\\system32\\SERVICES.EXE', 'services.exe']) assert.ok(parent.test(v), v);
      for (const v of ['C:\\Windows\\notservices.exe', 'C:\\services.exe.bak', 'C:\\servicesXexe']) assert.ok(!parent.test(v), v);
      const app = new RegExp(dnifRegexAt(dnif, dnif.indexOf('$App')).body, 'i');
      assert.ok(app.test('CMD.exe') && !app.test('xcmd.exe') && !app.test('cmdXexe'));
    });

    it('states how each query differs from the local hunt', () => {
      const notes = (id: string, style: 'car' | 'precise') => target(id).generate(car_2014_05_002, { style }).notes.join('\n');
      assert.match(notes('spl', 'precise'), /index=main/);
      assert.match(notes('spl', 'car'), /placeholder/);
      assert.match(notes('spl', 'car'), /C:\\Windows/);
      assert.match(notes('eql', 'precise'), /case-sensitive/);
      assert.match(notes('dnif', 'car'), /substring/);
      assert.match(notes('dnif', 'car'), /at most 30/);
      assert.match(notes('dnif', 'precise'), /at most 1000/);
    });
  });

  describe('options', () => {
    it('uses the given Splunk index, quoting one that is not a plain name', () => {
      const car = target('spl').generate(car_2014_05_002, { style: 'car', splunkIndex: 'sysmon' });
      assert.match(car.text, /^index=sysmon EventCode=1 /);
      assert.ok(!car.notes.some((n) => n.includes('placeholder')));
      assert.match(target('spl').generate(car_2014_05_002, { splunkIndex: 'a b"c' }).text, /^index="a b\\"c" source=/);
    });
    it('uses the given DNIF limit and rejects a bad one', () => {
      assert.match(target('dnif').generate(car_2014_05_002, { style: 'car', dnifLimit: 5 }).text, / limit 5$/);
      assert.throws(() => target('dnif').generate(car_2014_05_002, { dnifLimit: 0 }), RangeError);
      assert.throws(() => target('dnif').generate(car_2014_05_002, { dnifLimit: 1.5 }), RangeError);
    });
    it('rejects an unknown style and an empty and/or/in', () => {
      assert.throws(() => target('eql').generate(car_2014_05_002, { style: 'loose' as 'car' }));
      for (const t of QUERY_TARGETS) {
        assert.throws(() => t.generate(analytic({ op: 'or', args: [] })), /no operands/);
        assert.throws(() => t.generate(analytic({ op: 'in', field: 'exe', values: [] })), /no values/);
      }
    });
  });

  describe('a made-up analytic with or, not, in and !=', () => {
    const made = analytic({
      op: 'and',
      args: [
        { op: 'in', field: 'exe', values: ['powershell.exe', 'pwsh.exe'] },
        { op: 'or', args: [{ op: '==', field: 'parent_exe', value: 'winword.exe' }, { op: '==', field: 'parent_exe', value: 'excel.exe' }] },
        { op: 'not', arg: { op: 'and', args: [{ op: '==', field: 'command_line', value: '-NoProfile' }, { op: '!=', field: 'user', value: 'NT AUTHORITY\\SYSTEM' }] } },
        { op: '!=', field: 'integrity_level', value: 'System' },
      ],
    });
    const expected: Record<string, [string, string]> = {
      spl: [
        'index=main source="*WinEventLog:Microsoft-Windows-Sysmon/Operational" EventCode=1 (Image="*\\\\powershell.exe" OR Image="powershell.exe" OR Image="*\\\\pwsh.exe" OR Image="pwsh.exe") (ParentImage="*\\\\winword.exe" OR ParentImage="winword.exe" OR ParentImage="*\\\\excel.exe" OR ParentImage="excel.exe") NOT (CommandLine="-NoProfile" NOT User="NT AUTHORITY\\\\SYSTEM") NOT IntegrityLevel="System"',
        'index=__your_sysmon_index__ EventCode=1 (Image="C:\\\\Windows\\\\*\\\\powershell.exe" OR Image="C:\\\\Windows\\\\*\\\\pwsh.exe") (ParentImage="C:\\\\Windows\\\\*\\\\winword.exe" OR ParentImage="C:\\\\Windows\\\\*\\\\excel.exe") NOT (CommandLine="-NoProfile" NOT User="NT AUTHORITY\\\\SYSTEM") NOT IntegrityLevel="System"',
      ],
      eql: [
        'process where subtype.create and\n  (process_name in ("powershell.exe", "pwsh.exe") and (parent_process_name == "winword.exe" or parent_process_name == "excel.exe") and not (command_line == "-NoProfile" and user != "NT AUTHORITY\\\\SYSTEM") and IntegrityLevel != "System")',
        'process where subtype.create and\n  (process_name in ("powershell.exe", "pwsh.exe") and (parent_process_name == "winword.exe" or parent_process_name == "excel.exe") and not (command_line == "-NoProfile" and user != "NT AUTHORITY\\\\SYSTEM") and IntegrityLevel != "System")',
      ],
      dnif: [
        '_fetch * from event where $LogName=WINDOWS-SYSMON AND $EventID=1 AND ($App=regex(^powershell\\.exe$)i OR $App=regex(^pwsh\\.exe$)i) AND ($ParentProcess=regex(^(.*[\\\\/])?winword\\.exe$)i OR $ParentProcess=regex(^(.*[\\\\/])?excel\\.exe$)i) NOT ($Process=regex(^\\-NoProfile$)i NOT $User=regex(^NT AUTHORITY\\\\SYSTEM$)i) NOT $IntegrityLevel=regex(^System$)i limit 1000',
        '_fetch * from event where $LogName=WINDOWS-SYSMON AND $EventID=1 AND ($App=powershell.exe OR $App=pwsh.exe) AND ($ParentProcess=regex(.*winword.exe.*)i OR $ParentProcess=regex(.*excel.exe.*)i) NOT ($Process=regex(.*\\-NoProfile.*)i NOT $User=regex(^NT AUTHORITY\\\\SYSTEM$)i) NOT $IntegrityLevel=System limit 30',
      ],
    };
    // The CAR data-model generators; the rule targets' goldens are in queryTargets.test.ts.
    for (const t of QUERY_TARGETS.filter((x) => x.id in expected)) {
      it(`generates in ${t.id}, both styles`, () => {
        assert.equal(t.generate(made).text, expected[t.id][0]);
        assert.equal(t.generate(made, { style: 'car' }).text, expected[t.id][1]);
      });
    }
    it('notes fields the target has no established name for', () => {
      assert.ok(target('eql').generate(made).notes.some((n) => n.includes('IntegrityLevel')));
      assert.ok(target('dnif').generate(made).notes.some((n) => n.includes('$User') && n.includes('guess')));
    });
    it('a lone negated comparison stays on one line, as CAR writes it', () => {
      const lone = analytic({ op: 'not', arg: { op: '==', field: 'pid', value: '42' } });
      assert.equal(target('eql').generate(lone).text, 'process where subtype.create and pid != 42');
      assert.equal(target('dnif').generate(lone).text, '_fetch * from event where $LogName=WINDOWS-SYSMON AND $EventID=1 NOT $CPID=42 limit 1000');
      assert.match(target('spl').generate(lone).text, / EventCode=1 NOT ProcessId="42"$/);
    });
  });

  describe('escaping hostile values', () => {
    const HOSTILE = 'a"b\\c|d*e\nf(x)i\'q';
    const NO_STAR = 'q"u\\o|te (x)i';
    const hostile = analytic({
      op: 'or',
      args: [
        { op: '==', field: 'command_line', value: HOSTILE },
        { op: '!=', field: 'parent_exe', value: 'p|a"r*en\nt' },
      ],
    });

    it('SPL: a value without * stays one quoted search term and matches literally', () => {
      const text = target('spl').generate(analytic({ op: '==', field: 'command_line', value: NO_STAR })).text;
      assert.equal(splPipes(text), 0);
      const term = text.slice(text.indexOf('CommandLine=') + 'CommandLine='.length);
      assert.equal(term, '"q\\"u\\\\o|te (x)i"');
      assert.ok(splunkTermMatches(term, NO_STAR.toUpperCase()) && !splunkTermMatches(term, NO_STAR + 'x'));
    });

    for (const style of ['precise', 'car'] as const) {
      it(`SPL ${style}: a value with * or a newline moves to | where match(), literal`, () => {
        const text = target('spl').generate(hostile, { style }).text;
        assert.equal(splPipes(text), 1, text);
        assert.ok(!text.includes('\n'));
        const regexes = [...text.matchAll(/match\((\w+), "((?:\\.|[^"\\])*)"\)/g)].map((m) => ({
          field: m[1],
          re: new RegExp(m[2].replace(/\\(.)/g, '$1').replace(/^\(\?is\)/, ''), 'is'),
        }));
        const cmd = regexes.filter((r) => r.field === 'CommandLine');
        assert.equal(cmd.length, 1);
        assert.ok(cmd[0].re.test(HOSTILE) && cmd[0].re.test(HOSTILE.toUpperCase()));
        assert.ok(!cmd[0].re.test('x' + HOSTILE) && !cmd[0].re.test(HOSTILE.replace('*', 'zz')));
        const parent = regexes.filter((r) => r.field === 'ParentImage');
        assert.ok(parent.some((r) => r.re.test('C:\\Windows\\System32\\p|a"r*en\nt')));
        assert.ok(!parent.some((r) => r.re.test('C:\\Windows\\System32\\p|a"rXen\nt')));
      });
    }

    for (const style of ['precise', 'car'] as const) {
      it(`EQL ${style}: strings round-trip, and * never becomes a wildcard`, () => {
        const text = target('eql').generate(hostile, { style }).text;
        assert.equal(text.split('\n').length, 2);
        assert.deepEqual(eqlStrings(text), [HOSTILE, 'p|a"r*en\nt']);
        assert.match(text, /command_line in \("/);
        assert.match(text, /parent_process_name not in \("/);
        assert.match(target('eql').generate(analytic({ op: '!=', field: 'command_line', value: NO_STAR }), { style }).text, / != "q\\"u\\\\o\|te \(x\)i"$/);
      });
    }

    for (const style of ['precise', 'car'] as const) {
      it(`DNIF ${style}: the value cannot close regex(...) and matches literally`, () => {
        const text = target('dnif').generate(hostile, { style }).text;
        assert.ok(!/["'\n]/.test(text), text);
        const cmd = dnifRegexAt(text, text.indexOf('$Process='));
        assert.match(text.slice(cmd.end), /^i NOT |^i OR /);
        const re = new RegExp(cmd.body, 'i');
        assert.ok(re.test(HOSTILE) && re.test(HOSTILE.toUpperCase()) && !re.test(HOSTILE.replace('*', 'zz')));
        if (style === 'precise') assert.ok(!re.test('x' + HOSTILE) && !re.test(HOSTILE + 'x'));
        const parent = new RegExp(dnifRegexAt(text, text.indexOf('$ParentProcess=')).body, 'i');
        assert.ok(parent.test('C:\\x\\p|a"r*en\nt') && !parent.test('C:\\x\\p|a"rXen\nt'));
      });
    }

    it('a car-style DNIF value that is not a plain word becomes an anchored regex', () => {
      const text = target('dnif').generate(analytic({ op: '==', field: 'exe', value: 'my tool.exe' }), { style: 'car' }).text;
      assert.match(text, /\$App=regex\(\^my tool\\\.exe\$\)i limit 30$/);
    });
  });

  describe('registry', () => {
    it('lists every target with labels and language ids', () => {
      assert.deepEqual(
        QUERY_TARGETS.map((t) => [t.id, t.languageId]),
        [['spl', 'spl'], ['eql', 'eql'], ['elastic-eql', 'eql'], ['esql', 'esql'], ['kql', 'kql'], ['defender', 'kql'], ['dnif', 'dnif'], ['sigma', 'yaml']],
      );
      assert.equal(findTarget('SPL')?.label, 'Splunk SPL');
      assert.equal(findTarget('KQL')?.product, 'Microsoft Sentinel');
      assert.equal(findTarget('lucene'), undefined);
    });
  });

  describe('grammars', () => {
    const dir = path.join(repoRoot(), 'syntaxes');
    for (const id of ['spl', 'eql', 'dnif', 'kql', 'esql']) {
      it(`${id}: valid JSON, scope source.${id}, includes resolve, regexes compile`, () => {
        const grammar = JSON.parse(fs.readFileSync(path.join(dir, `${id}.tmLanguage.json`), 'utf8')) as { scopeName: string; repository: Record<string, unknown> };
        JSON.parse(fs.readFileSync(path.join(dir, `${id}.language-configuration.json`), 'utf8'));
        assert.equal(grammar.scopeName, `source.${id}`);
        let regexes = 0;
        const walk = (node: unknown): void => {
          if (Array.isArray(node)) return node.forEach(walk);
          if (!node || typeof node !== 'object') return;
          for (const [key, value] of Object.entries(node)) {
            if (['match', 'begin', 'end'].includes(key) && typeof value === 'string') {
              assert.doesNotThrow(() => new RegExp(value), `${id} ${key}: ${value}`);
              regexes++;
            } else if (key === 'include' && typeof value === 'string' && value.startsWith('#')) {
              assert.ok(grammar.repository[value.slice(1)], `${id}: missing ${value}`);
            } else walk(value);
          }
        };
        walk(grammar);
        assert.ok(regexes > 10);
      });
    }
  });
});
