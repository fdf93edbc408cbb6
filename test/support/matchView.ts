/**
 * The one place tests read a Match's internals. The match model is being reshaped (rules instead
 * of analytics, the deciding field's range instead of the Image's), so a reshape is one edit here
 * instead of one in every guard. Prefer the CLI's --json output or HuntResult.summary elsewhere.
 */
import { Match, SourceRange } from '../../src/engine';

/** The id of the rule that matched: `CAR-2014-05-002`, or a Sigma rule's id. */
export function ruleIdOf(match: Match): string {
  return match.rule.id;
}

/** Where the squiggle goes: the deciding value (the Image, for CAR-2014-05-002), else undefined. */
export function squiggleOf(match: Match): SourceRange | undefined {
  return match.valueRange;
}

/** The record id the event carries (EventRecordID, RecordNumber, record_id, ...). */
export function recordIdOf(match: Match): string | undefined {
  return match.event.recordId;
}
