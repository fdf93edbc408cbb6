// Mocha runner for the VS Code side of `npm run bench:vscode` (bench/vscodeVsCli.ts). The
// extension host loads it as extensionTestsPath and awaits run(): resolve = exit code 0,
// reject = exit code 1. It runs every *.test.js beside it (out/bench/vscode/).
import * as fs from 'fs';
import Mocha from 'mocha';
import * as path from 'path';

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    // A bench of a large file on a loaded machine: the outer script's --timeout is the real limit.
    timeout: 60 * 60_000,
  });
  const files = fs.readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => {
        if (failures > 0) reject(new Error(`${failures} bench suite(s) failed`));
        else resolve();
      });
    } catch (err) {
      reject(err);
    }
  });
}
