// Test runner that the VS Code extension host loads (extensionTestsPath) and
// whose run() it awaits: resolve = exit code 0, reject = exit code 1. Used by
// both harnesses (test/harness/runIntegration.ts and runElectron.ts).
import * as fs from 'fs';
import Mocha from 'mocha';
import * as path from 'path';

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    // The extension host's console is forwarded to the harness as plain text;
    // colour codes would only clutter CI logs.
    color: false,
    // A real workbench is slow on a loaded CI machine; fail on assertions, not on startup.
    timeout: 60_000,
  });
  // Compiled tests sit beside this file (out/test/integration/**/*.test.js).
  const files = fs.readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => {
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else resolve();
      });
    } catch (err) {
      reject(err); // e.g. a test file that throws while loading
    }
  });
}
