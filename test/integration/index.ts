// Test runner that the VS Code extension host loads (extensionTestsPath) and
// whose run() it awaits. Used by both harnesses (test/harness/runIntegration.ts
// and runElectron.ts). Compiled tests sit beside this file.
//
// LOG_HUNT_TESTS=rules,tree runs only rules.test.js and tree.test.js: the harness
// passes its environment on to the extension host, and a whole run is slow on a
// shared two-core machine.
import * as fs from 'fs';
import { runMochaSuite } from '../harness/mochaSuite';

function selectedFiles(): string[] | undefined {
  const wanted = process.env.LOG_HUNT_TESTS?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (!wanted || wanted.length === 0) return undefined;
  return fs.readdirSync(__dirname).filter((f) => wanted.some((w) => f === `${w}.test.js`)).sort();
}

export function run(): Promise<void> {
  // A real workbench is slow on a loaded CI machine; fail on assertions, not on startup.
  return runMochaSuite(__dirname, { timeout: 60_000, what: 'integration test(s)', files: selectedFiles() });
}
