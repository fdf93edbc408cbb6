/** The SIEM query targets: adding one is a generator file, a field map in fields/, and a line here. */
import { ANALYTICS, findAnalytic } from '../analytics';
import { defenderTarget } from './defender';
import { dnifTarget } from './dnif';
import { elasticEqlTarget } from './elasticEql';
import { eqlTarget } from './eql';
import { esqlTarget } from './esql';
import { QueryRule, QueryUnsupported } from './ir';
import { kqlTarget } from './kql';
import { sigmaTarget } from './sigmaExport';
import { splTarget } from './spl';
import { GeneratedQuery, QueryOptions, QueryTarget } from './target';

export const QUERY_TARGETS: readonly QueryTarget[] = [splTarget, eqlTarget, elasticEqlTarget, esqlTarget, kqlTarget, defenderTarget, dnifTarget, sigmaTarget];

/** The target with this id ('spl', 'elastic-eql', 'kql', ...), case ignored, or undefined. */
export function findTarget(id: string): QueryTarget | undefined {
  return QUERY_TARGETS.find((t) => t.id === id.toLowerCase());
}

const ANALYTIC_IDS = () => ANALYTICS.map((a) => a.id);

/** Targets whose CAR data-model generator (with its `car` style) serves analytics that carry CAR logic. */
const CAR_STYLED = new Set(['spl', 'eql', 'dnif']);

/**
 * The query for any rule. A built-in analytic with CAR data-model logic (CAR-2014-05-002) keeps
 * its CAR generators for spl, eql and dnif (so `--style car` reproduces CAR's published strings);
 * every other rule and target goes through the rule IR. Throws QueryUnsupported naming the part a
 * target cannot express.
 */
export function generateQuery(target: QueryTarget, rule: QueryRule, options?: QueryOptions): GeneratedQuery {
  const analytic = rule.info.kind === 'car' ? findAnalytic(rule.info.id) : undefined;
  if (analytic && CAR_STYLED.has(target.id)) return target.generate(analytic, options);
  if (options?.style === 'car') {
    throw new QueryUnsupported('style', `style car writes MITRE CAR's published queries (spl, eql, dnif of ${[...new Set(ANALYTIC_IDS())].join(', ')}); ${target.id} of ${rule.info.id} has only the precise style`);
  }
  return target.generateRule(rule, options);
}

export { QueryUnsupported } from './ir';
export type { QExpr, QueryRule } from './ir';
export { carQueryRule, findCarQueryRule, sigmaQueryRule } from './rules';
export { carSigmaId, uuidV5 } from './sigmaExport';
export type { GeneratedQuery, OptionNames, QueryOptionName, QueryOptions, QueryStyle, QueryTarget, TargetId } from './target';
export { layoutQuery, LAYOUT_WIDTH } from './layout';
