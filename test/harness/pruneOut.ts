/**
 * Run after `tsc -p .` (npm run compile-tests): deletes the compiled files in out/ whose TypeScript
 * source is gone. tsc never deletes anything, so a test file that was renamed, split or removed
 * would otherwise keep running from out/ under its old name (mocha's spec globs out/).
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
/** The folders tsconfig.json compiles, as they appear under out/. */
const ROOTS = ['src', 'test', 'bench'];

/** Compiled files under `root`/out whose .ts source is missing, relative to `root`. */
export function orphans(root: string): string[] {
  const found: string[] = [];
  for (const top of ROOTS) {
    const dir = path.join(root, 'out', top);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      const match = /^(.*)\.js(\.map)?$/.exec(entry.name);
      if (!entry.isFile() || !match) continue;
      const compiled = path.join(entry.parentPath, entry.name);
      const source = path.join(root, path.relative(path.join(root, 'out'), entry.parentPath), `${match[1]}.ts`);
      if (!existsSync(source)) found.push(path.relative(root, compiled));
    }
  }
  return found.sort();
}

if (require.main === module) {
  for (const file of orphans(REPO_ROOT)) {
    rmSync(path.join(REPO_ROOT, file), { force: true });
    console.log(`pruned ${file.split(path.sep).join('/')} (its source is gone)`);
  }
}
