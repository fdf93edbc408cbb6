// Runner for the VSIX smoke suite (npm run test:vsix). The extension host
// require()s this file (extensionTestsPath) and awaits run(). A separate,
// tiny suite rather than a filter on test/integration: the full suite reads
// the repo's fixtures and internals and expects the development copy, while
// this one must only touch what a user's installed copy offers.
import Mocha from 'mocha';
import * as path from 'path';

export function run(): Promise<void> {
  // No colours: the output is forwarded to the harness as plain text.
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000 });
  mocha.addFile(path.join(__dirname, 'vsixSmoke.test.js'));
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} VSIX test(s) failed`)) : resolve()));
    } catch (err) {
      reject(err); // a test file that throws while loading
    }
  });
}
