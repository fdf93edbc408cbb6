/**
 * ../shared beside the repository holds what tests check against (the corpus, CAR's files, the
 * seeds). Away from CI a missing part is skipped, loudly; under CI it fails: a pending test there
 * reads as a green run that checked nothing.
 */

/** Is this a CI run? CI set to anything but "", "false" or "0" (GitHub, GitLab and most set CI=true). */
export function sharedRequired(): boolean {
  const ci = (process.env.CI ?? '').trim().toLowerCase();
  return ci !== '' && ci !== 'false' && ci !== '0';
}

/** The failure a CI run reports for a missing part of ../shared. */
export function sharedMissingMessage(what: string, suite: string): string {
  return `${suite}: ${what} is absent, and CI must run these tests (CI=${process.env.CI ?? ''}); put ../shared beside the repository`;
}

/** Call in a test or hook that cannot run without `what`: fails under CI, else skips it loudly. */
export function skipOrFailWithoutShared(context: Mocha.Context, what: string, suite: string): never {
  if (sharedRequired()) throw new Error(sharedMissingMessage(what, suite));
  console.warn(`\n  !!! ${suite}: ${what} is absent, so these tests were SKIPPED !!!\n`);
  context.skip();
}
