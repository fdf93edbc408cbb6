/**
 * The fast path equals the plain path on every text file of the corpus with every SigmaHQ
 * windows rule loaded (the other corpus suites hunt with the built-in rules): the raw-text scan
 * then keys 2,400 rules by their literals' raw forms (quotes, `&`, `/`, dashes and emoji as
 * UTF-8), and any of them wrongly keyed would lose a match here.
 */
import { existsSync } from 'node:fs';
import { LoadedRules, loadRules } from '../../src/engine/rules/load';
import { corpusAbsentTest, corpusEntries } from '../support/corpus';
import { skipOrFailWithoutShared } from '../support/shared';
import { SIGMA_WINDOWS_RULES } from './evtx/support';
import { assertSame } from './fastPathSupport';

const SUITE = 'fast path equality with every windows rule';

describe(SUITE, function () {
  this.timeout(600_000);
  const entries = corpusEntries();
  if (!entries) {
    corpusAbsentTest(SUITE);
    return;
  }
  let rules: LoadedRules;
  before(async function () {
    if (!existsSync(SIGMA_WINDOWS_RULES)) return skipOrFailWithoutShared(this, '../shared/sigma/rules/windows', SUITE);
    rules = await loadRules({ paths: [SIGMA_WINDOWS_RULES] });
  });
  for (const entry of entries.filter((e) => !e.path.endsWith('.evtx'))) {
    it(entry.file, async () => {
      await assertSame(entry.path, { rules });
    });
  }
});
