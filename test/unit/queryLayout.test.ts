/**
 * layoutQuery (issue 14): a generated query over lines, changed only by spaces outside strings
 * turned into newlines; and the notes that name an option in the words of the face asking.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadRules } from '../../src/engine';
import { findCarQueryRule, findTarget, generateQuery, QUERY_TARGETS, QueryRule, QueryUnsupported, TargetId } from '../../src/engine/queries';
import { queryRulesOf } from '../../src/engine/queries/coverage';
import { LAYOUT_WIDTH, layoutQuery } from '../../src/engine/queries/layout';
import { runCli } from '../support/cli';
import { REPO_ROOT } from '../support/corpus';
import { skipOrFailWithoutShared } from '../support/shared';

const CAR = findCarQueryRule('CAR-2014-05-002') as QueryRule;
const target = (id: string) => findTarget(id) ?? assert.fail(id);
/** The whitespace a layout may insert, collapsed: a newline and its indent read as one space. */
const collapse = (text: string) => text.replace(/\n */g, ' ');

/**
 * The string literals of a query, found independently of layout.ts: each must come out whole.
 * (`@"..."`: KQL verbatim, a quote doubled; `"""..."""`: raw; else backslash escapes.)
 */
function literals(id: TargetId, text: string): string[] {
  const kql = id === 'kql' || id === 'defender';
  const re = kql ? /@"(?:[^"]|"")*"|"(?:[^"\\]|\\.)*"/g : /"""[\s\S]*?"""|"(?:[^"\\]|\\.)*"/g;
  const found: string[] = [...(text.match(re) ?? [])];
  // DNIF's regex(...) is unquoted: take each whole call.
  if (id === 'dnif') found.push(...(text.match(/regex\((?:\\.|[^\\])*?\)i?(?= AND | OR |\)| limit |$)/g) ?? []));
  return found;
}

/** The checks every laid-out query must pass. */
function assertLayout(id: TargetId, text: string, what: string): string {
  const laid = layoutQuery(id, text);
  assert.equal(collapse(laid), collapse(text), `${what}: only whitespace changed`);
  assert.ok(!/ \n|\n\n/.test(laid) || / \n|\n\n/.test(text), `${what}: no trailing space or empty line`);
  let from = 0;
  for (const lit of literals(id, text)) {
    const at = laid.indexOf(lit, from);
    assert.ok(at >= 0, `${what}: the literal ${lit} was broken:\n${laid}`);
    from = at + lit.length;
  }
  return laid;
}

describe('query layout', () => {
  it('SPL: one line per top-level group, the one-line query unchanged', () => {
    const text = generateQuery(target('spl'), CAR, { style: 'precise' }).text;
    assert.equal(text.includes('\n'), false, 'the generator still writes one line');
    assert.equal(
      assertLayout('spl', text, 'spl'),
      [
        'index=main source="*WinEventLog:Microsoft-Windows-Sysmon/Operational" EventCode=1',
        '  (Image="*\\\\cmd.exe" OR Image="cmd.exe")',
        '  (ParentImage="*\\\\services.exe" OR ParentImage="services.exe")',
      ].join('\n'),
    );
  });

  it('DNIF: where, each AND and limit on lines of their own; regex(...) kept whole', () => {
    const text = generateQuery(target('dnif'), CAR, { style: 'precise' }).text;
    assert.equal(
      assertLayout('dnif', text, 'dnif'),
      [
        '_fetch * from event',
        'where $LogName=WINDOWS-SYSMON',
        '  AND $EventID=1',
        '  AND $App=regex(^cmd\\.exe$)i',
        '  AND $ParentProcess=regex(^(.*[\\\\/])?services\\.exe$)i',
        'limit 1000',
      ].join('\n'),
    );
  });

  it('a long ES|QL, Elastic EQL or KQL condition breaks at its outer and, then its or', () => {
    for (const id of ['esql', 'elastic-eql', 'kql', 'defender'] as const) {
      const text = generateQuery(target(id), CAR).text;
      const laid = assertLayout(id, text, id);
      assert.ok(laid.split('\n').length > text.split('\n').length, `${id} gained lines:\n${laid}`);
      for (const line of laid.split('\n')) assert.ok(line.length <= LAYOUT_WIDTH || !/ (and|or|AND|OR) /.test(line.trim()), `${id}: long line left:\n${line}`);
    }
  });

  it('never breaks inside a string, a verbatim string or a regex(...), whatever they hold', () => {
    const spl = 'index=main EventCode=1 (CommandLine="a | b OR (c" OR CommandLine="x \\" (y) OR z") (Image="*\\\\p q.exe")';
    const laid = layoutQuery('spl', spl);
    assert.equal(laid, 'index=main EventCode=1\n  (CommandLine="a | b OR (c" OR CommandLine="x \\" (y) OR z")\n  (Image="*\\\\p q.exe")');
    const kql = `T\n| where A endswith @"\\" or B == @"x "" or y" or ${'C == @"long value and more" or '.repeat(4)}D == 1`;
    const laidKql = assertLayout('kql', kql, 'kql');
    assert.ok(laidKql.includes('@"\\"') && laidKql.includes('@"x "" or y"'), laidKql);
    const dnif = '_fetch * from event where $A=regex(^a AND b (c) OR d$)i AND $B=1 limit 5';
    assert.equal(layoutQuery('dnif', dnif), '_fetch * from event\nwhere $A=regex(^a AND b (c) OR d$)i\n  AND $B=1\nlimit 5');
    // Text it cannot read (an unclosed string) is left as it is.
    assert.equal(layoutQuery('spl', 'index=main (a="x OR y'), 'index=main (a="x OR y');
  });

  it('a Sigma rule (YAML) is returned as it is', () => {
    const text = generateQuery(target('sigma'), CAR).text;
    assert.equal(layoutQuery('sigma', text), text);
  });

  it('over the process_creation rules of SigmaHQ, every target: only whitespace changes and no literal breaks', async function () {
    this.timeout(300_000);
    const dir = path.resolve(REPO_ROOT, '..', 'shared', 'sigma', 'rules', 'windows', 'process_creation');
    if (!fs.existsSync(dir)) skipOrFailWithoutShared(this, '../shared/sigma', 'query layout');
    const { rules } = queryRulesOf(await loadRules({ paths: [dir], builtin: true }));
    assert.ok(rules.length > 1000, `${rules.length} rules`);
    let laidOut = 0;
    for (const t of QUERY_TARGETS) {
      for (const rule of rules) {
        let text: string;
        try {
          text = generateQuery(t, rule).text;
        } catch (e) {
          if (e instanceof QueryUnsupported) continue;
          throw e;
        }
        if (assertLayout(t.id, text, `${t.id} ${rule.info.id}`) !== text) laidOut++;
      }
    }
    assert.ok(laidOut > rules.length, `${laidOut} queries laid out`);
  });
});

describe('query notes name options as the face asking does', () => {
  it('default: the option\'s name; given names: the face\'s words; noteOptions says which', () => {
    const plain = generateQuery(target('spl'), CAR);
    assert.ok(plain.notes.some((n) => n.includes('set the splunkIndex option')), plain.notes.join('\n'));
    assert.deepEqual(plain.noteOptions, ['splunkIndex']);
    const words = { splunkIndex: 'the logHunt.splunkIndex setting', dnifLimit: 'the logHunt.dnifLimit setting' };
    for (const style of ['precise', 'car'] as const) {
      const spl = generateQuery(target('spl'), CAR, { style, optionNames: words });
      assert.ok(spl.notes.some((n) => n.includes('the logHunt.splunkIndex setting')), spl.notes.join('\n'));
      assert.ok(!spl.notes.some((n) => /pass |splunkIndex option|--index/.test(n)), spl.notes.join('\n'));
    }
    const sigma = generateQuery(target('spl'), findCarQueryRule('CAR-2013-02-003') as QueryRule, { optionNames: words });
    assert.ok(sigma.notes.some((n) => n.includes('set the logHunt.splunkIndex setting')), sigma.notes.join('\n'));
    const dnif = generateQuery(target('dnif'), CAR, { optionNames: words });
    assert.ok(dnif.notes.some((n) => n.includes('the logHunt.dnifLimit setting changes it')), dnif.notes.join('\n'));
    assert.deepEqual(dnif.noteOptions, ['dnifLimit']);
    // An index given: no note asks for one.
    assert.deepEqual(generateQuery(target('spl'), CAR, { splunkIndex: 'sysmon' }).noteOptions, []);
  });

  it('log-hunt query says --index and --limit', async () => {
    const spl = await runCli('query', '--target', 'spl', '--analytic', 'CAR-2014-05-002');
    assert.equal(spl.status, 0);
    assert.ok(spl.err.some((l) => l.includes('set --index if your Sysmon events')), spl.err.join('\n'));
    const dnif = await runCli('query', '--target', 'dnif', '--analytic', 'CAR-2013-02-003');
    assert.ok(dnif.err.some((l) => l.includes('--limit changes it')), dnif.err.join('\n'));
    assert.ok(![...spl.err, ...dnif.err].some((l) => /setting|splunkIndex/.test(l)));
  });

  it('log-hunt query --layout prints the laid-out query; without it, the one line', async () => {
    const plain = await runCli('query', '--target', 'dnif', '--analytic', 'CAR-2014-05-002');
    const laid = await runCli('query', '--target', 'dnif', '--analytic', 'CAR-2014-05-002', '--layout');
    assert.equal(plain.out.length, 1);
    assert.equal(laid.status, 0);
    assert.deepEqual(laid.out.join('\n'), layoutQuery('dnif', plain.out[0]));
    assert.ok(laid.out.join('\n').split('\n').length >= 4, laid.out.join('\n'));
  });
});
