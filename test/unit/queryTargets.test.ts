/**
 * The rule query targets (issue 13): goldens per target, refusals that name the part, KQL and
 * Defender queries parsed by Microsoft's Kusto language service, Sigma exports validated against
 * the Sigma JSON schema and hunted again on the corpus.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { compileSources, huntFile, QueryUnsupported } from '../../src/engine';
import { CAR_LIBRARY } from '../../src/engine/rules/car';
import { compileSigmaText } from '../../src/engine/rules/sigma';
import { carQueryRule, carSigmaId, findCarQueryRule, findTarget, generateQuery, QUERY_TARGETS, sigmaQueryRule, uuidV5 } from '../../src/engine/queries';
import { detectionExpr, QExpr, QueryRule } from '../../src/engine/queries/ir';
import { corpusEntries, REPO_ROOT } from '../support/corpus';
import { kustoErrors } from '../support/kusto';
import { skipOrFailWithoutShared } from '../support/shared';
import { FEATURE_RULE, GOLDEN, NETWORK_RULE } from './queryTargets.golden';

const SIGMA_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'sigma');
const target = (id: string) => {
  const t = findTarget(id);
  assert.ok(t, id);
  return t;
};
/** The target's query for the rule, or undefined when the target refuses it (QueryUnsupported); other errors throw. */
function queryOrUnsupported(id: string, rule: QueryRule): string | undefined {
  try {
    return generateQuery(target(id), rule).text;
  } catch (e) {
    if (e instanceof QueryUnsupported) return undefined;
    throw e;
  }
}

const rules: Record<'car' | 'feat' | 'net', QueryRule> = {
  car: findCarQueryRule('CAR-2014-05-002') as QueryRule,
  feat: sigmaQueryRule(FEATURE_RULE, 'feature.yml'),
  net: sigmaQueryRule(NETWORK_RULE, 'network.yml'),
};

/** Every .yml under a folder. */
function ymlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? ymlFiles(path.join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(dir, e.name)] : []));
}

/** The process_creation rules of ../shared/sigma/rules/windows that load, as QueryRules. */
function processCreationRules(): QueryRule[] | undefined {
  const dir = path.join(SIGMA_DIR, 'rules', 'windows', 'process_creation');
  if (!fs.existsSync(dir)) return undefined;
  return ymlFiles(dir).flatMap((f) => {
    try {
      return [sigmaQueryRule(fs.readFileSync(f, 'utf8'), f)];
    } catch {
      return [];
    }
  });
}

describe('query targets for every rule', function () {
  // Parsing some 2,400 queries in the Kusto service and hunting the corpus twice take minutes on a busy machine.
  this.timeout(600_000);
  describe('goldens', () => {
    for (const [name, byTarget] of Object.entries(GOLDEN) as [keyof typeof GOLDEN, Record<string, string>][]) {
      for (const [id, text] of Object.entries(byTarget)) {
        it(`${name} in ${id}`, () => {
          if (text.startsWith('REFUSED: ')) {
            assert.throws(() => generateQuery(target(id), rules[name]), (e: unknown) => e instanceof QueryUnsupported && e.message === text.slice('REFUSED: '.length));
          } else {
            assert.equal(generateQuery(target(id), rules[name]).text, text);
          }
        });
      }
    }
    it('notes where the meaning differs a little', () => {
      assert.ok(generateQuery(target('esql'), rules.car).notes.some((n) => n.includes('1000 rows')));
      assert.ok(generateQuery(target('defender'), rules.car).notes.some((n) => n.includes('FolderPath')));
      assert.ok(generateQuery(target('kql'), sigmaQueryRule(FEATURE_RULE, 'f.yml')).notes.some((n) => n.includes('Security 4688')));
    });
  });

  describe('refusals name the part', () => {
    const rule = (detection: string, category = 'process_creation') =>
      sigmaQueryRule(`title: t\nlogsource:\n  product: windows\n  category: ${category}\ndetection:\n${detection}\n  condition: sel\n`, 't.yml');
    it('fieldref: every target but sigma', () => {
      const r = rule("  sel:\n    User|fieldref: ParentUser");
      for (const t of QUERY_TARGETS.filter((x) => x.id !== 'sigma')) {
        assert.throws(() => generateQuery(t, r), /sel: User\|fieldref/);
      }
    });
    it('keywords', () => {
      assert.throws(() => generateQuery(target('kql'), rule("  sel:\n    - 'mimikatz'")), /sel: keywords/);
    });
    it('a split ECS field, a Defender column that does not exist, a Lucene-less regex', () => {
      assert.throws(() => generateQuery(target('elastic-eql'), rule("  sel:\n    User|contains: 'AUTHORI'")), /sel: User\|contains: the ECS pipeline splits User/);
      assert.throws(() => generateQuery(target('defender'), rule("  sel:\n    Hashes|contains: 'IMPHASH='")), /DeviceProcessEvents has no column for the Sysmon field Hashes/);
      assert.throws(() => generateQuery(target('esql'), rule("  sel:\n    CommandLine|re: '\\bfoo\\b'")), /uses \\b/);
      assert.throws(() => generateQuery(target('defender'), rule("  sel:\n    TargetObject|contains: 'Run'", 'registry_set')), /no table with Sysmon EventID 13/);
    });
    it('the CLI exits 2 with the refusal', async () => {
      const { main } = await import('../../src/cli/main');
      const err: string[] = [];
      const status = await main(['query', '--target', 'defender', '--analytic', 'CAR-2021-11-001'], () => undefined, (l) => err.push(l));
      assert.equal(status, 2);
      assert.match(err.join('\n'), /no defender query: .*EventID 13/);
    });
  });

  describe('the IR reads the detection as the hunt does', () => {
    it("'all of them' leaves out _names; '1 of x*' picks by pattern; |all ANDs the values; neq negates", () => {
      const e = detectionExpr({
        sel_a: { 'CommandLine|contains|all': ['a', 'b'] },
        sel_b: { Image: 'x' },
        _hidden: { Image: 'y' },
        condition: 'all of them',
      });
      assert.equal(e.op, 'and');
      const args = (e as { args: QExpr[] }).args;
      assert.equal(args.length, 2);
      assert.equal(args[0].op, 'and'); // contains|all: one test per value
      assert.deepEqual(
        (detectionExpr({ s1: { A: 'x' }, s2: { B: 'y' }, t: { C: 'z' }, condition: '1 of s* and not t' }) as { args: QExpr[] }).args.map((a) => a.op),
        ['or', 'not'],
      );
      assert.throws(() => detectionExpr({ s: { 'A|nosuchmodifier': 'x' }, condition: 's' }), /unknown modifier/);
    });
  });

  describe('log-hunt query', () => {
    const cli = async (...argv: string[]) => {
      const { main } = await import('../../src/cli/main');
      const out: string[] = [];
      const err: string[] = [];
      const status = await main(argv, (l) => out.push(l), (l) => err.push(l));
      return { status, out: out.join('\n'), err: err.join('\n') };
    };
    const rulesDir = path.join(REPO_ROOT, 'test', 'fixtures', 'rules');
    it('--analytic takes a Sigma id with --rules', async () => {
      const r = await cli('query', '--target', 'kql', '--analytic', '9a1e3c5d-7b2f-4e6a-8c0d-1f2e3a4b5c6d', '--rules', rulesDir);
      assert.equal(r.status, 0, r.err);
      assert.match(r.out, /^Event\n\| where Source == @"Microsoft-Windows-Sysmon" and EventID == 1\n/);
      assert.match(r.err, /note: The rule also runs on Security 4688/);
    });
    it('--style car exists only where CAR publishes queries', async () => {
      const r = await cli('query', '--target', 'kql', '--style', 'car', '--analytic', 'CAR-2014-05-002');
      assert.equal(r.status, 2);
      assert.match(r.err, /style car writes MITRE CAR's published queries/);
      assert.equal((await cli('query', '--target', 'eql', '--style', 'car', '--analytic', 'CAR-2014-05-002')).status, 0);
    });
    it('--coverage counts per target, with the reasons', async () => {
      const r = await cli('query', '--coverage', '--rules', rulesDir);
      assert.equal(r.status, 0, r.err);
      assert.match(r.out, /^\d+ rule\(s\)/);
      for (const t of QUERY_TARGETS) assert.match(r.out, new RegExp(`^${t.id}  \\d+/\\d+  `, 'm'));
      const json = await cli('query', '--coverage', '--json', '--no-builtin', '--rules', rulesDir, '--category', 'process_creation');
      const report = JSON.parse(json.out) as { rules: number; notSysmon: number; targets: { target: string; expressed: number }[] };
      assert.ok(report.rules - report.notSysmon > 0);
      assert.equal(report.targets.find((t) => t.target === 'sigma')?.expressed, report.rules - report.notSysmon);
    });
  });

  describe('Regex translation for Lucene', () => {
    it('keeps meaning or refuses', () => {
      const esql = (re: string) => generateQuery(target('esql'), sigmaQueryRule(`title: t\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n  sel:\n    CommandLine|re: '${re}'\n  condition: sel\n`, 't.yml')).text;
      assert.match(esql('^abc$'), /RLIKE """abc"""/);
      assert.match(esql('a(?:b|c)+?d'), /RLIKE """\.\*a\(b\|c\)\+d\.\*"""/);
      assert.match(esql('(?i)ab'), /RLIKE """\.\*\[aA\]\[bB\]\.\*"""/);
      assert.throws(() => esql('^a|b'), /anchor beside a top-level alternation/);
      assert.throws(() => esql('a\\Bc'), /uses \\B/);
    });
  });

  describe("Microsoft's Kusto language service accepts every kql and defender query", () => {
    for (const id of ['kql', 'defender']) {
      it(`${id}: CAR-2014-05-002, the fixtures and every built-in analytic it can express`, () => {
        const errors: string[] = [];
        const all = [rules.car, rules.feat, rules.net, ...CAR_LIBRARY.map(carQueryRule)];
        for (const r of all) {
          const text = queryOrUnsupported(id, r);
          if (text === undefined) continue;
          for (const m of kustoErrors(text)) errors.push(`${r.info.id}: ${m}`);
        }
        assert.deepEqual(errors, []);
      });
      it(`${id}: every process_creation rule of ../shared/sigma it can express`, function () {
        const all = processCreationRules();
        if (!all) skipOrFailWithoutShared(this, `${SIGMA_DIR}/rules/windows`, 'Kusto language service');
        const errors: string[] = [];
        let expressed = 0;
        for (const r of all) {
          const text = queryOrUnsupported(id, r);
          if (text === undefined) continue;
          expressed++;
          for (const m of kustoErrors(text)) errors.push(`${r.info.source}: ${m}`);
        }
        assert.deepEqual(errors.slice(0, 10), []);
        assert.ok(expressed >= 0.9 * all.length, `${id} expressed ${expressed} of ${all.length}`);
      });
    }
    it('the checker does find errors', () => {
      assert.notDeepEqual(kustoErrors('Event | where NoSuchColumn == 1'), []);
      assert.notDeepEqual(kustoErrors('DeviceProcessEvents | where FolderPath endswith'), []);
    });
  });

  describe('coverage of the process_creation rules (README numbers)', () => {
    it('at least 90% in spl, elastic-eql, esql and kql', function () {
      const all = processCreationRules();
      if (!all) skipOrFailWithoutShared(this, `${SIGMA_DIR}/rules/windows`, 'query coverage');
      for (const id of ['spl', 'elastic-eql', 'esql', 'kql']) {
        let n = 0;
        for (const r of all) {
          if (queryOrUnsupported(id, r) !== undefined) n++;
        }
        assert.ok(n >= 0.9 * all.length, `${id}: ${n} of ${all.length}`);
      }
    });
  });

  describe('sigma export', () => {
    const schemaFile = path.join(SIGMA_DIR, 'specification', 'json-schema', 'sigma-detection-rule-schema.json');
    it('ids are UUID v5, stable per CAR id', () => {
      assert.equal(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8'), '2ed6657d-e927-568b-95e1-2665a8aea6a2');
      assert.equal(carSigmaId('CAR-2014-05-002'), carSigmaId('car-2014-05-002'));
      assert.equal(new Set(CAR_LIBRARY.map((a) => carSigmaId(a.id))).size, CAR_LIBRARY.length);
    });
    it('every built-in analytic exports to a rule that validates against the Sigma JSON schema and loads back', function () {
      if (!fs.existsSync(schemaFile)) skipOrFailWithoutShared(this, schemaFile, 'sigma export');
      const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as Record<string, unknown>;
      delete schema.$schema; // "...2020-12/schema#": Ajv2020 knows the draft without the fragment
      const ajv = new Ajv2020({ strict: false, allErrors: true });
      addFormats(ajv);
      const validate = ajv.compile(schema);
      for (const a of CAR_LIBRARY) {
        const text = generateQuery(target('sigma'), carQueryRule(a)).text;
        const doc = parse(text) as Record<string, unknown>;
        assert.ok(validate(doc), `${a.id}: ${JSON.stringify(validate.errors)}`);
        assert.equal(doc.id, carSigmaId(a.id));
        const back = compileSigmaText(text, `${a.id}.yml`);
        assert.deepEqual(back.skipped, [], a.id);
        assert.equal(back.rules.length, 1);
      }
    });
    const entries = corpusEntries();
    it("CAR-2014-05-002's export, loaded back, finds the manifest's matches in every corpus file", async function () {
      if (!entries) skipOrFailWithoutShared(this, '../shared/corpus', 'sigma export round trip');
      const text = generateQuery(target('sigma'), rules.car).text;
      const loaded = compileSources([{ kind: 'sigma', file: 'car-2014-05-002.yml', text }]);
      assert.equal(loaded.rules.length, 1);
      const id = loaded.rules[0].info.id;
      for (const entry of entries) {
        const { summary } = await huntFile(entry.path, { rules: loaded });
        assert.equal(summary.matchesByRule[id] ?? 0, entry.matches, entry.file);
      }
    });
    it('a multi-branch analytic becomes one rule over Sysmon', () => {
      const multi = CAR_LIBRARY.filter((a) => a.branches.length > 1);
      assert.ok(multi.length > 0);
      for (const a of multi) {
        const text = generateQuery(target('sigma'), carQueryRule(a)).text;
        const doc = parse(text) as { logsource: Record<string, string>; detection: Record<string, unknown> };
        assert.deepEqual(doc.logsource, { product: 'windows', service: 'sysmon' });
        assert.ok('b1_source' in doc.detection && 'b2_source' in doc.detection, a.id);
      }
    });
    it('every export finds what its built-in analytic finds, in every corpus file', async function () {
      if (!entries) skipOrFailWithoutShared(this, '../shared/corpus', 'sigma export round trip');
      const sources = [
        ...CAR_LIBRARY.map((a) => ({ kind: 'car' as const, id: a.id })),
        ...CAR_LIBRARY.map((a) => ({ kind: 'sigma' as const, file: `${a.id}.yml`, text: generateQuery(target('sigma'), carQueryRule(a)).text })),
      ];
      const loaded = compileSources(sources);
      assert.equal(loaded.rules.length, 2 * CAR_LIBRARY.length);
      let total = 0;
      for (const entry of entries) {
        const { summary } = await huntFile(entry.path, { rules: loaded });
        for (const a of CAR_LIBRARY) {
          assert.equal(summary.matchesByRule[carSigmaId(a.id)] ?? 0, summary.matchesByRule[a.id] ?? 0, `${entry.file}: ${a.id}`);
          total += summary.matchesByRule[a.id] ?? 0;
        }
      }
      assert.ok(total > 0);
    });
  });
});
