/**
 * Which loaded rules each target can express, and why not the rest: `log-hunt query --coverage`,
 * and the README's numbers.
 */
import { findCarAnalytic } from '../rules/car';
import { LoadedRules } from '../rules/load';
import { SigmaError } from '../rules/sigma/errors';
import { generateQuery, QUERY_TARGETS } from './index';
import { QueryRule, QueryUnsupported } from './ir';
import { carQueryRule, sigmaQueryRule } from './rules';
import { QueryTarget } from './target';

export interface TargetCoverage {
  target: QueryTarget['id'];
  /** Rules the target expressed. */
  expressed: number;
  /** Why the others were refused: category -> number of rules. */
  reasons: Record<string, number>;
  /** One example per reason: rule id and the refusal. */
  examples: Record<string, string>;
}

export interface QueryCoverage {
  /** Loaded rules in the selection (after the category filter). */
  rules: number;
  /** Of those, rules no target reads because none of their event sources is Sysmon. */
  notSysmon: number;
  targets: TargetCoverage[];
}

/** The loaded rules as QueryRules (Sigma ones re-read from their source text), optionally of one Sigma category. */
export function queryRulesOf(loaded: LoadedRules, category?: string): { rules: QueryRule[]; notSysmon: number; selected: number } {
  const texts = new Map(loaded.sources.flatMap((s) => (s.kind === 'sigma' ? [[s.file, s.text] as const] : [])));
  const rules: QueryRule[] = [];
  let notSysmon = 0;
  let selected = 0;
  for (const r of loaded.rules) {
    try {
      let q: QueryRule | undefined;
      if (r.info.kind === 'car') {
        const a = findCarAnalytic(r.info.id);
        if (!a) continue;
        if (category && !a.branches.some((b) => b.logsource.category === category)) continue;
        selected++;
        q = carQueryRule(a);
      } else {
        const text = texts.get(r.info.source);
        if (text === undefined) continue;
        if (category && !new RegExp(`^\\s*category:\\s*['"]?${category.replace(/[^A-Za-z0-9_]/g, '\\$&')}['"]?\\s*$`, 'm').test(text)) continue;
        selected++;
        q = sigmaQueryRule(text, r.info.source);
      }
      rules.push(q);
    } catch (e) {
      if (e instanceof QueryUnsupported || e instanceof SigmaError) notSysmon++;
      else throw e;
    }
  }
  return { rules, notSysmon, selected };
}

export function queryCoverage(loaded: LoadedRules, category?: string, targets: readonly QueryTarget[] = QUERY_TARGETS): QueryCoverage {
  const { rules, notSysmon, selected } = queryRulesOf(loaded, category);
  const out: TargetCoverage[] = targets.map((t) => ({ target: t.id, expressed: 0, reasons: {}, examples: {} }));
  for (const rule of rules) {
    targets.forEach((t, i) => {
      const c = out[i];
      try {
        generateQuery(t, rule);
        c.expressed++;
      } catch (e) {
        if (!(e instanceof QueryUnsupported)) throw e;
        c.reasons[e.category] = (c.reasons[e.category] ?? 0) + 1;
        c.examples[e.category] ??= `${rule.info.id}: ${e.message}`;
      }
    });
  }
  return { rules: selected, notSysmon, targets: out };
}
