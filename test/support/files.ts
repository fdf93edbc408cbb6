/** Files under a folder, for tests that walk ../shared (rules, regression cases, recordings). */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

/** Every file below `dir` whose name matches `name`, folders walked in name order. Throws if `dir` cannot be read. */
export function filesUnder(dir: string, name: RegExp): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full, name));
    else if (name.test(entry.name)) out.push(full);
  }
  return out;
}
