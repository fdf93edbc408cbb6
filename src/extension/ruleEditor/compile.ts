/** Compiles one rule file's text the way a hunt would, never throwing: a crash is a problem too. */
import { compileSources, LoadedRules, SkippedRule } from '../../engine';

/** Compiled rules ready to hunt, with every problem the compiler found. */
export function compileRuleText(text: string, file: string): LoadedRules {
  try {
    return compileSources([{ kind: 'sigma', file, text }]);
  } catch (err) {
    // A compiler bug must not take the editor down; the user still learns the rule did not load.
    const skipped: SkippedRule = { source: file, category: 'internal error', reason: `the rule could not be compiled: ${(err as Error)?.message ?? String(err)}` };
    return { rules: [], skipped: [skipped], sources: [], selection: {}, unknownIds: [] };
  }
}
