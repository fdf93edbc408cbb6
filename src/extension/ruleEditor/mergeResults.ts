/**
 * Puts one rule's fresh hunt of a file in place of what the last hunt found for that rule, and
 * leaves every other rule's matches as they were.
 */
import * as path from 'path';
import { HuntResult, Match, RuleInfo } from '../../engine';
import { FileResult } from '../resultStore';

/** Which matches belong to the re-run rule file: its rules' ids, and anything compiled from the file before. */
export interface RuleOwnership {
  /** Lower-case rule ids. */
  ids: ReadonlySet<string>;
  /** The rule file, as the engine names it. */
  file: string;
  /** The rules compiled from it, so the results can name them even with no match stored. */
  rules: readonly RuleInfo[];
}

export function ownsMatch(owner: RuleOwnership, match: Match): boolean {
  const { rule } = match;
  return owner.ids.has(rule.id.toLowerCase()) || (rule.kind === 'sigma' && sameFile(rule.source, owner.file));
}

function sameFile(a: string, b: string): boolean {
  return a === b || (path.isAbsolute(a) && path.isAbsolute(b) && path.resolve(a) === path.resolve(b));
}

/**
 * `previous` with the owner's matches and counts replaced by `fresh`'s. Stored matches stay in
 * file order and within `limit`; counts cover every match, stored or not.
 */
export function replaceRuleMatches(previous: FileResult, owner: RuleOwnership, fresh: HuntResult, limit: number): FileResult {
  const dropped = new Set(owner.ids);
  for (const m of previous.result.matches) if (ownsMatch(owner, m)) dropped.add(m.rule.id.toLowerCase());

  const matchCounts = new Map([...previous.matchCounts].filter(([id]) => !dropped.has(id.toLowerCase())));
  for (const [id, count] of Object.entries(fresh.summary.matchesByRule)) {
    if (count > 0) matchCounts.set(id, (matchCounts.get(id) ?? 0) + count);
  }
  const matches = previous.result.matches
    .filter((m) => !ownsMatch(owner, m))
    .concat(fresh.matches)
    .sort(byPosition)
    .slice(0, limit);
  const total = [...matchCounts.values()].reduce((sum, n) => sum + n, 0);
  const summary = {
    ...previous.result.summary,
    matches: total,
    matchesByRule: Object.fromEntries([...matchCounts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))),
    // The old explanation of an empty hunt no longer holds once something matched.
    why: total > 0 ? undefined : previous.result.summary.why ?? fresh.summary.why,
  };
  const rules = new Map([...(previous.rules ?? [])].filter(([id]) => !dropped.has(id.toLowerCase())));
  for (const info of owner.rules) rules.set(info.id, info);
  return { ...previous, result: { ...previous.result, summary, matches }, matchCounts, rules };
}

function byPosition(a: Match, b: Match): number {
  const pa = a.event.range.start;
  const pb = b.event.range.start;
  return pa.line - pb.line || pa.column - pb.column || (a.rule.id < b.rule.id ? -1 : a.rule.id > b.rule.id ? 1 : 0);
}
