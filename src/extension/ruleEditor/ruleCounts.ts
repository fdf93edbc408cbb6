/** What the results say about one rule: its matches over the hunted files, in the hunter's words. */
import { FileResult } from '../resultStore';
import { plural } from '../resultsTree';

export interface RuleCount {
  matches: number;
  /** Files with at least one match of the rule. */
  filesWithMatches: number;
  /** Files the rule was hunted in. */
  files: number;
}

/** Counts the rules' matches over `files` (every match counted, also those beyond the stored ones). */
export function countRules(ids: readonly string[], files: readonly FileResult[]): RuleCount {
  const wanted = new Set(ids.map((id) => id.toLowerCase()));
  let matches = 0;
  let filesWithMatches = 0;
  for (const file of files) {
    let here = 0;
    for (const [ruleId, n] of file.matchCounts) if (wanted.has(ruleId.toLowerCase())) here += n;
    matches += here;
    if (here > 0) filesWithMatches++;
  }
  return { matches, filesWithMatches, files: files.length };
}

/** "3 matches in 2 files", or "no matches in 4 files". */
export function countText({ matches, filesWithMatches, files }: RuleCount): string {
  return matches > 0 ? `${plural(matches, 'match')} in ${plural(filesWithMatches, 'file')}` : `no matches in ${plural(files, 'file')}`;
}
