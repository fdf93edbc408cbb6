// The ecosystem's standard runner: @vscode/test-electron downloads desktop
// VS Code into .vscode-test/ and runs the same suite (out/test/integration)
// in its Electron extension host. It needs internet access to the VS Code
// update server, so CI uses runIntegration.ts (code-server, offline) instead;
// this one is for developers' machines that have it. See docs/testing.md.
//
//   npm run test:electron            (VSCODE_VERSION=stable|insiders|1.x.y to change VS Code)
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';
import { findRepoRoot } from './codeServer';

async function main(): Promise<void> {
  const repo = findRepoRoot();
  const fixtures = path.join(repo, 'test', 'fixtures');
  const workspace = fs.existsSync(fixtures) ? fixtures : fs.mkdtempSync(path.join(os.tmpdir(), 'lh-ws-'));
  const code = await runTests({
    // Same VS Code as the offline route (code-server 4.100.3) unless told otherwise.
    version: process.env.VSCODE_VERSION ?? '1.100.3',
    extensionDevelopmentPath: repo,
    extensionTestsPath: path.join(repo, 'out', 'test', 'integration', 'index'),
    // Other installed extensions must not interfere with ours.
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
  process.exit(code);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
