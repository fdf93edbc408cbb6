/**
 * The built-in CAR library as data: each analytic keeps its CAR id, title and ATT&CK mapping,
 * stays Sysmon-only, and every CAR analytic is either translated or left out with a reason. The
 * matching itself is tested per analytic in car-*-cases.test.ts.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CAR_LIBRARY } from '../../../src/engine/rules/car';
import { CarAnalytic } from '../../../src/engine/rules/car/analytic';
import { LEFT_OUT_2013_2016 } from '../../../src/engine/rules/car/catalog-2013-2016';
import { LEFT_OUT_2019_2022 } from '../../../src/engine/rules/car/catalog-2019-2022';
import { compileCarAnalytic } from '../../../src/engine/rules/car/compile';
import { LEVELS } from '../../../src/engine/rules/rule';
import { assertEvery } from '../../support/assertions';
import { CAR_DIR, carYaml, expectedAttack, TACTICS } from '../../support/carYaml';
import { REPO_ROOT } from '../../support/corpus';
import { skipOrFailWithoutShared } from '../../support/shared';

const LEFT_OUT: Readonly<Record<string, string>> = { ...LEFT_OUT_2013_2016, ...LEFT_OUT_2019_2022 };

describe('CAR library: the analytics as data', () => {
  it('has unique CAR ids, in id order', () => {
    const ids = CAR_LIBRARY.map((a) => a.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(ids, [...ids].sort());
    assertEvery(ids, (id) => /^CAR-20\d\d-\d\d-\d{3}$/.test(id), 'CAR ids');
  });

  it('exports each analytic from its own file under the name of its id', () => {
    for (const a of CAR_LIBRARY) {
      const file = path.resolve(REPO_ROOT, 'src', 'engine', 'rules', 'car', `${a.id.toLowerCase()}.ts`);
      const text = readFileSync(file, 'utf8');
      assert.match(text, new RegExp(`export const ${a.id.toLowerCase().replace(/-/g, '_')}: CarAnalytic`), a.id);
      assert.match(text, new RegExp(`id: '${a.id}'`), a.id);
    }
  });

  it('gives each analytic its CAR page first, a level, ATT&CK techniques and Sysmon-only branches', () => {
    for (const a of CAR_LIBRARY) {
      assert.equal(a.references[0], `https://car.mitre.org/analytics/${a.id}/`, a.id);
      assertEvery(a.references, (r) => /^https:\/\/\S+$/.test(r), `${a.id} references`);
      assert.ok(LEVELS.includes(a.level), a.id);
      assert.ok(a.attack.length > 0, `${a.id} has no ATT&CK technique`);
      for (const t of a.attack) {
        assert.match(t.id, /^T\d{4}(\.\d{3})?$/, a.id);
        assert.ok(t.name && t.tactics.length > 0, `${a.id} ${t.id}`);
        assertEvery(t.tactics, (x) => Object.values(TACTICS).includes(x), `${a.id} ${t.id} tactics`);
      }
      assert.ok(a.description.length > 0 && a.falsepositives?.length, a.id);
      assert.ok(a.branches.length > 0, a.id);
      for (const b of a.branches) {
        assert.equal(b.logsource.product, 'windows', a.id);
        assert.equal(b.logsource.service, 'sysmon', a.id);
        assert.ok(b.logsource.category, a.id);
        assert.equal(typeof b.detection.condition, 'string', a.id);
      }
    }
  });

  it('compiles every analytic, each branch to Sysmon events of named EventIDs only', () => {
    for (const a of CAR_LIBRARY) {
      const rule = compileCarAnalytic(a);
      assert.ok(rule.branches.length >= a.branches.length, a.id);
      for (const b of rule.branches) {
        assert.ok(b.scope.eventIds?.length, `${a.id}: ${b.scope.label}`);
        assert.match(b.scope.label, /^Sysmon EventID /, a.id);
      }
    }
  });

  describe("against CAR's own files", function () {
    before(function () {
      if (!existsSync(CAR_DIR)) skipOrFailWithoutShared(this, '../shared/car/analytics', 'CAR file checks');
    });

    it("keeps each analytic's CAR id and title", () => {
      for (const a of CAR_LIBRARY) {
        const yaml = carYaml(a.id);
        assert.equal(yaml.id, a.id);
        assert.equal(a.title, yaml.title, a.id);
      }
    });

    it("keeps CAR's ATT&CK techniques and tactics", () => {
      const actual = (a: CarAnalytic) => new Map(a.attack.map((t) => [t.id, new Set(t.tactics)]));
      for (const a of CAR_LIBRARY) assert.deepEqual(actual(a), expectedAttack(carYaml(a.id)), a.id);
    });

    it('translates or leaves out, with a reason, every CAR analytic', () => {
      const all = readdirSync(CAR_DIR)
        .filter((f) => /^CAR-.*\.yaml$/.test(f))
        .map((f) => f.replace(/\.yaml$/, ''));
      assert.ok(all.length >= 102, `only ${all.length} CAR analytics`);
      const translated = CAR_LIBRARY.map((a) => a.id);
      const leftOut = Object.keys(LEFT_OUT);
      assert.deepEqual(translated.filter((id) => leftOut.includes(id)), [], 'both translated and left out');
      assert.deepEqual([...translated, ...leftOut].sort(), all.sort());
      for (const id of leftOut) {
        assert.equal(carYaml(id).id, id);
        assert.ok(LEFT_OUT[id].length > 10, id);
      }
    });
  });
});
