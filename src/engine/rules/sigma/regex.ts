/**
 * Sigma `re` values, run by re2js: linear time, so a pattern from an untrusted rule folder cannot
 * hang a hunt. A pattern RE2 cannot run (lookaround, backreferences, ...) is refused, never
 * rewritten into something that means less.
 */
import { RE2JS } from 're2js';
import { SigmaError } from './errors';
import { lower } from './lower';
import { surelyRuns } from './re2Syntax';
import { foldForLiterals, regexLiterals } from './regexLiterals';

export type RegexFlag = 'i' | 'm' | 's';

/**
 * Largest compiled program allowed (RE2's own measure of a pattern's cost per character matched).
 * SigmaHQ's largest is about 600 (`(.){200,}`); a hostile pattern can be thousands of times that.
 */
export const MAX_REGEX_PROGRAM = 2000;

/** A search test (the pattern may match anywhere in the value) for a Sigma regular expression. */
export function compileRegex(pattern: string, flags: ReadonlySet<RegexFlag>): (value: string) => boolean {
  const re = checkRegex(pattern, flags);
  // Text any match must hold: a value without it is refused by a string search, before re2js.
  const needed = regexLiterals(pattern);
  if (!needed) return (value) => re.test(value);
  return (value) => {
    const folded = foldForLiterals(lower(value));
    for (const lit of needed) if (folded.includes(lit)) return re.test(value);
    return false;
  };
}

/** Verdicts of assertRegexRuns by flags and pattern: the refusal's message, or undefined when RE2 runs it. */
const verdicts = new Map<string, string | undefined>();
/** Bound on the verdicts kept (a process may load many rule sets). */
const MAX_VERDICTS = 4096;

/**
 * Throws the SigmaError that refuses the pattern, as checkRegex, compiling each pattern once per process:
 * rule sets repeat patterns (SigmaHQ's: 169 regular expressions, 120 distinct), and re2js compiles
 * slowly (about a millisecond each while it is cold).
 */
export function assertRegexRuns(pattern: string, flags: ReadonlySet<RegexFlag>): void {
  // A plain pattern is known to run without compiling it (re2Syntax.ts); the hunt compiles the ones it uses.
  if (surelyRuns(pattern, MAX_REGEX_PROGRAM)) return;
  const key = `${[...flags].sort().join('')}/${pattern}`;
  let refusal = verdicts.get(key);
  if (refusal === undefined && !verdicts.has(key)) {
    try {
      checkRegex(pattern, flags);
    } catch (e) {
      if (!(e instanceof SigmaError)) throw e;
      refusal = e.message;
    }
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
    verdicts.set(key, refusal);
  }
  if (refusal !== undefined) throw new SigmaError('regex', refusal);
}

/** The pattern compiled by re2js, or the SigmaError that refuses it (what a rule's load checks). */
export function checkRegex(pattern: string, flags: ReadonlySet<RegexFlag>): RE2JS {
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
  if (re.programSize() > MAX_REGEX_PROGRAM) {
    throw new SigmaError('regex', `regular expression /${pattern}/ is too large (RE2 program size ${re.programSize()}, at most ${MAX_REGEX_PROGRAM})`);
  }
  return re;
}
