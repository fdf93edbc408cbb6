/** Compiles a built-in CAR analytic with the Sigma detection compiler, so both run the same way. */
import { scopesFor } from '../logsources';
import { CompiledRule, RuleInfo } from '../rule';
import { compileDetection, withWhere } from '../sigma';
import { CarAnalytic } from './analytic';

/** The user-facing metadata of a CAR analytic. */
export function carInfo(a: CarAnalytic): RuleInfo {
  return {
    id: a.id,
    title: a.title,
    level: a.level,
    kind: 'car',
    source: 'car',
    author: 'MITRE CAR',
    description: a.description,
    references: a.references,
    falsepositives: a.falsepositives ?? [],
    tags: a.attack.map((t) => `attack.${t.id.toLowerCase()}`),
    attack: a.attack.map((t) => t.id),
    tactics: [...new Set(a.attack.flatMap((t) => t.tactics.map((x) => x.toLowerCase().replace(/ /g, '-'))))],
  };
}

/** Compiles every branch; a branch whose logsource maps to no scope is a defect of the library, so it throws. */
export function compileCarAnalytic(a: CarAnalytic): CompiledRule {
  const branches = a.branches.flatMap((branch) => {
    const scopes = scopesFor(branch.logsource);
    if (!Array.isArray(scopes)) throw new Error(`${a.id}: ${scopes.reason}`);
    const detection = compileDetection(branch.detection);
    return scopes.map((scope) => ({ scope, detection: withWhere(detection, scope) }));
  });
  return { info: carInfo(a), branches };
}
