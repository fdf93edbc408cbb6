/** The SIEM query targets: adding one is a generator file plus a line here. */
import { dnifTarget } from './dnif';
import { eqlTarget } from './eql';
import { splTarget } from './spl';
import { QueryTarget } from './target';

export const QUERY_TARGETS: readonly QueryTarget[] = [splTarget, eqlTarget, dnifTarget];

/** The target with this id ('spl', 'eql', 'dnif'), case ignored, or undefined. */
export function findTarget(id: string): QueryTarget | undefined {
  return QUERY_TARGETS.find((t) => t.id === id.toLowerCase());
}

export type { GeneratedQuery, QueryOptions, QueryStyle, QueryTarget } from './target';
