/**
 * Sigma `re` values, run by re2js: linear time, so a pattern from an untrusted rule folder cannot
 * hang a hunt. A pattern RE2 cannot run (lookaround, backreferences, ...) is refused, never
 * rewritten into something that means less.
 */
import { RE2JS } from 're2js';
import { SigmaError } from './errors';

export type RegexFlag = 'i' | 'm' | 's';

/** A search test (the pattern may match anywhere in the value) for a Sigma regular expression. */
export function compileRegex(pattern: string, flags: ReadonlySet<RegexFlag>): (value: string) => boolean {
  let bits = 0;
  if (flags.has('i')) bits |= RE2JS.CASE_INSENSITIVE;
  if (flags.has('m')) bits |= RE2JS.MULTILINE;
  if (flags.has('s')) bits |= RE2JS.DOTALL;
  let re: RE2JS;
  try {
    // RE2 reads inline flags such as a leading (?i) itself.
    re = RE2JS.compile(pattern, bits);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new SigmaError('regex', `regular expression /${pattern}/ cannot run in RE2 (linear time): ${why}`);
  }
  return (value) => re.test(value);
}
