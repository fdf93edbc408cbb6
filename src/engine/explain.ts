/** Why a hunt found nothing, in the analyst's words. */
import { Analytic } from './analytics/analytic';
import { formatExpr } from './analytics/evaluate';
import { HuntSummary } from './huntTypes';

/** Undefined when the hunt matched; otherwise one or two sentences on what the file held. */
export function explainEmpty(
  summary: Omit<HuntSummary, 'why'>,
  eventIds: ReadonlyMap<string, number>,
  analytics: readonly Analytic[],
): string | undefined {
  if (summary.matches > 0) return undefined;
  const bad = summary.malformed > 0 ? ` ${summary.malformed} malformed record(s) were skipped; see the warnings.` : '';
  if (summary.events === 0) {
    return summary.malformed > 0
      ? `No events could be read.${bad}`
      : 'The file holds no events: it is empty or holds no Windows event records.';
  }
  if (summary.processCreates === 0) {
    const top = [...eventIds.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([id, n]) => `${id} ×${n}`)
      .join(', ');
    return (
      `${summary.events} events but no Sysmon process creates (EventID 1 from Microsoft-Windows-Sysmon), ` +
      `which the analytics need. EventIDs seen: ${top}.${bad}`
    );
  }
  const logic = analytics.map((a) => `${a.id}: ${formatExpr(a.logic)}`).join('; ');
  return `${summary.processCreates} Sysmon process creates, of which none matched (${logic}).${bad}`;
}
