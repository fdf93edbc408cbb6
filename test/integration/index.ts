// Test runner that the VS Code extension host loads (extensionTestsPath) and
// whose run() it awaits. Used by both harnesses (test/harness/runIntegration.ts
// and runElectron.ts). Compiled tests sit beside this file.
import { runMochaSuite } from '../harness/mochaSuite';

export function run(): Promise<void> {
  // A real workbench is slow on a loaded CI machine; fail on assertions, not on startup.
  return runMochaSuite(__dirname, { timeout: 60_000, what: 'integration test(s)' });
}
