// Mocha runner for the VS Code side of `npm run bench:vscode` (bench/vscodeVsCli.ts). The
// extension host loads it as extensionTestsPath and awaits run(). It runs every *.test.js
// beside it (out/bench/vscode/).
import { runMochaSuite } from '../../test/harness/mochaSuite';

export function run(): Promise<void> {
  // A bench of a large file on a loaded machine: the outer script's --timeout is the real limit.
  return runMochaSuite(__dirname, { timeout: 60 * 60_000, what: 'bench suite(s)' });
}
