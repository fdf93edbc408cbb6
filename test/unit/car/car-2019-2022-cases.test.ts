/**
 * Each built-in CAR analytic of 2019 to 2022, compiled as the hunt compiles it, on true positives
 * and on near misses of the same shape with one thing different (cases in
 * car-2019-2022-cases-process.ts and car-2019-2022-cases-other.ts).
 */
import assert from 'node:assert/strict';
import { CATALOG_2019_2022 } from '../../../src/engine/rules/car/catalog-2019-2022';
import { compileCarAnalytic } from '../../../src/engine/rules/car/compile';
import { CompiledRule, RuleEvent, Scope } from '../../../src/engine/rules/rule';
import { ruleEvent, sysmonEvent } from '../../support/ruleEvent';
import { OTHER_CASES } from './car-2019-2022-cases-other';
import { PROCESS_CASES } from './car-2019-2022-cases-process';
import { Case, proc, Sample, SYS32 } from './car-2019-2022-samples';

/** Sysmon's own service-state event: no analytic here runs on it. */
const SYSMON_STATE_CHANGE = 4;

const CASES: Case[] = [...PROCESS_CASES, ...OTHER_CASES].sort((a, b) => a.id.localeCompare(b.id));

/** Does the scope take this event: its EventID, its provider or channel when named, and its `where` fields. */
function scopeAccepts(scope: Scope, event: RuleEvent): boolean {
  if (scope.eventIds && !scope.eventIds.includes(Number(event.get('EventID')))) return false;
  if (scope.providers || scope.channels) {
    const provider = event.get('Provider_Name')?.toLowerCase();
    const channel = event.get('Channel')?.toLowerCase();
    const named =
      (provider !== undefined && (scope.providers ?? []).includes(provider)) ||
      (channel !== undefined && (scope.channels ?? []).includes(channel));
    if (!named) return false;
  }
  return Object.entries(scope.where ?? {}).every(([field, values]) => {
    const value = event.get(field)?.toLowerCase();
    return value !== undefined && values.some((v) => v.toLowerCase() === value);
  });
}

function firesOn(rule: CompiledRule, event: RuleEvent): boolean {
  return rule.branches.some((b) => scopeAccepts(b.scope, event) && b.detection.matches(event));
}

const fires = (rule: CompiledRule, sample: Sample): boolean => firesOn(rule, sysmonEvent(sample.eventId, sample.data));

describe('CAR library 2019-2022: true positives and near misses', () => {
  const rules = new Map(CATALOG_2019_2022.map((a) => [a.id, compileCarAnalytic(a)]));
  const rule = (id: string): CompiledRule => {
    const r = rules.get(id);
    assert.ok(r, `${id} is not in the catalog`);
    return r;
  };

  it('has a true positive and a near miss for every analytic, once each', () => {
    assert.deepEqual(CASES.map((c) => c.id), CATALOG_2019_2022.map((a) => a.id));
    for (const c of CASES) assert.ok(c.hits.length > 0 && c.misses.length > 0, c.id);
  });

  for (const c of CASES) {
    describe(c.id, () => {
      for (const [name, sample] of c.hits) {
        it(`matches ${name}`, () => assert.ok(fires(rule(c.id), sample)));
      }
      for (const [name, sample] of c.misses) {
        it(`does not match ${name}`, () => assert.ok(!fires(rule(c.id), sample)));
      }
      it("keeps its true positives past the fast path's required literals", () => {
        for (const [name, sample] of c.hits) {
          const event = sysmonEvent(sample.eventId, sample.data);
          const text = [...event.values()].join('\n').toLowerCase();
          const branch = rule(c.id).branches.find((b) => scopeAccepts(b.scope, event) && b.detection.matches(event));
          assert.ok(branch, name);
          for (const alternatives of branch.detection.literals) {
            assert.ok(alternatives.some((l) => text.includes(l)), `${name}: none of ${alternatives.join(' | ')}`);
          }
        }
      });
      it('does not match its true positives under an EventID it does not read', () => {
        for (const [, sample] of c.hits) assert.ok(!fires(rule(c.id), { eventId: SYSMON_STATE_CHANGE, data: sample.data }));
      });
    });
  }

  it('runs on Sysmon only, as CAR defines its analytics: not on Security 4688', () => {
    const event = ruleEvent({
      EventID: 4688,
      Provider_Name: 'Microsoft-Windows-Security-Auditing',
      Channel: 'Security',
      NewProcessName: `${SYS32}\\whoami.exe`,
      Image: `${SYS32}\\whoami.exe`,
      ParentProcessName: `${SYS32}\\inetsrv\\w3wp.exe`,
      ParentImage: `${SYS32}\\inetsrv\\w3wp.exe`,
      CommandLine: 'whoami /all',
    });
    assert.ok(!firesOn(rule('CAR-2021-02-001'), event));
  });

  it('matches file names in any case', () => {
    const sample = proc({ Image: 'C:\\WINDOWS\\SYSTEM32\\WHOAMI.EXE', CommandLine: 'WHOAMI', ParentImage: 'c:\\windows\\system32\\inetsrv\\W3WP.exe' });
    assert.ok(fires(rule('CAR-2021-02-001'), sample));
  });

  it('matches a file name alone, as when a log records no folder', () => {
    assert.ok(fires(rule('CAR-2021-02-001'), proc({ Image: 'cmd.exe', ParentImage: 'w3wp.exe' })));
    assert.ok(!fires(rule('CAR-2021-02-001'), proc({ Image: 'notcmd.exe', ParentImage: 'w3wp.exe' })));
  });

  it('keeps the CAR metadata on the compiled rule', () => {
    const info = rule('CAR-2021-11-002').info;
    assert.equal(info.kind, 'car');
    assert.equal(info.id, 'CAR-2021-11-002');
    assert.deepEqual(info.attack, ['T1547.004', 'T1112']);
    assert.deepEqual(info.tactics, ['persistence', 'privilege-escalation', 'defense-evasion']);
    assert.equal(info.references[0], 'https://car.mitre.org/analytics/CAR-2021-11-002/');
  });

  it('compiles a branch per event source for the analytics that read several', () => {
    const labels = (id: string) => rule(id).branches.map((b) => b.scope.label);
    assert.deepEqual(labels('CAR-2021-04-001'), ['Sysmon EventID 1', 'Sysmon EventID 5']);
    assert.deepEqual(labels('CAR-2022-03-001'), ['Sysmon EventID 1', 'Sysmon EventID 13']);
  });
});
