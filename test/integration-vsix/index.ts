// Runner for the VSIX smoke suite (npm run test:vsix). The extension host
// require()s this file (extensionTestsPath) and awaits run(). A separate,
// tiny suite rather than a filter on test/integration: the full suite reads
// the repo's fixtures and internals and expects the development copy, while
// this one must only touch what a user's installed copy offers.
import { runMochaSuite } from '../harness/mochaSuite';

export function run(): Promise<void> {
  return runMochaSuite(__dirname, { timeout: 60_000, what: 'VSIX test(s)', files: ['vsixSmoke.test.js'] });
}
