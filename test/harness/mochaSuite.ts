// Runs a mocha suite inside the extension host, for the modules the host loads as
// extensionTestsPath (test/integration, test/integration-vsix, bench/vscode): the host awaits
// the promise, and resolve means exit code 0, reject exit code 1.
import * as fs from 'fs';
import Mocha from 'mocha';
import * as path from 'path';

export interface SuiteOptions {
  /** Per-test limit. */
  timeout: number;
  /** Names what failed, e.g. "integration test(s)". */
  what: string;
  /** Test files to run; by default every *.test.js below `dir`. */
  files?: string[];
}

export function runMochaSuite(dir: string, options: SuiteOptions): Promise<void> {
  // No colours: the host's console reaches the harness as plain text.
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: options.timeout });
  const files =
    options.files ??
    fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.test.js')).sort();
  for (const f of files) mocha.addFile(path.join(dir, f));
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} ${options.what} failed`)) : resolve()));
    } catch (err) {
      reject(err); // a test file that throws while loading
    }
  });
}
