/** Why a hunt found nothing, in the analyst's words: what the file held, and what the rules needed. */
import { HuntSummary } from './huntTypes';
import type { NearMissReport } from './nearMiss';
import { CompiledRule } from './rules/rule';

type Counted = Omit<HuntSummary, 'why'>;

function tally(entries: [string, number][], limit = 6): string {
  // Ties by EventID, so the text is the same however the file was split across threads.
  const top = entries.sort((a, b) => b[1] - a[1] || Number(a[0]) - Number(b[0]) || (a[0] < b[0] ? -1 : 1)).slice(0, limit).map(([id, n]) => `${id} ×${n}`);
  return entries.length > limit ? `${top.join(', ')}, …` : top.join(', ');
}

/** The EventIDs the rules look at; undefined when some rule takes any EventID. */
function wantedIds(rules: readonly CompiledRule[]): Set<string> | undefined {
  const ids = new Set<string>();
  for (const rule of rules) {
    for (const branch of rule.branches) {
      if (!branch.scope.eventIds) return undefined;
      for (const id of branch.scope.eventIds) ids.add(String(id));
    }
  }
  return ids;
}

/** Undefined when the hunt matched; otherwise one or two sentences on what the file held. */
export function explainEmpty(summary: Counted, eventIds: ReadonlyMap<string, number>, rules: readonly CompiledRule[]): string | undefined {
  if (summary.matches > 0) return undefined;
  const bad = summary.malformed > 0 ? ` ${summary.malformed} malformed record(s) were skipped; see the warnings.` : '';
  if (summary.events === 0) {
    return summary.malformed > 0 ? `No events could be read.${bad}` : 'The file holds no events: it is empty or holds no Windows event records.';
  }
  const ruleWord = `${rules.length} rule${rules.length === 1 ? '' : 's'}`;
  if (rules.length === 0) return `${summary.events} events, but no rules were loaded (check the rule paths, --min-level and --analytic).${bad}`;
  const wanted = wantedIds(rules);
  const seen = [...eventIds.entries()];
  const looked = wanted ? seen.filter(([id]) => wanted.has(id)) : seen;
  const ignored = wanted ? seen.filter(([id]) => !wanted.has(id)) : [];
  const needed = wanted ? [...wanted].sort((a, b) => Number(a) - Number(b)).join(', ') : 'any';
  const onlyProcessCreates = wanted?.size === 1 && wanted.has('1');
  if (onlyProcessCreates && summary.processCreates === 0) {
    return (
      `${summary.events} events but no Sysmon process creates (EventID 1 from Microsoft-Windows-Sysmon), ` +
      `which the ${ruleWord} need. EventIDs seen: ${tally(seen)}.${bad}`
    );
  }
  if (looked.length === 0) {
    return `${summary.events} events, but no rule looks at their EventIDs (seen: ${tally(seen)}); the ${ruleWord} need EventIDs ${needed}.${bad}`;
  }
  const considered = looked.reduce((n, [, c]) => n + c, 0);
  const creates = summary.processCreates > 0 ? ` (${summary.processCreates} Sysmon process creates among them)` : '';
  const single = rules.length === 1 ? ` (${rules[0].info.id}: ${rules[0].info.title})` : '';
  const rest = ignored.length > 0 ? ` No rule looks at EventID ${tally(ignored)}.` : '';
  return `${ruleWord}${single} ran over the ${considered} events of the EventIDs they need${creates}; none matched.${rest}${bad}`;
}

/**
 * The near misses in words, to follow explainEmpty's: the closest rules' sentences, or that no
 * event came within one test of a rule.
 */
export function nearMissWords(report: NearMissReport): string {
  if (report.rules.length === 0) {
    const read = report.stoppedEarly ? ` (in the first ${report.eventsRead.toLocaleString('en-US')} events)` : '';
    return `No event came within one test of a rule${read}.`;
  }
  return `Closest ${report.rules.length === 1 ? 'rule' : 'rules'}: ${report.words.join(' ')}`;
}
