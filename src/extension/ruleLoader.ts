/**
 * The engine's loadRules, one file at a time and remembered. Compiling is synchronous, and a
 * whole SigmaHQ checkout (about 3,000 files) takes seconds of CPU: done in one go it would
 * freeze the extension host, and every other extension with it, at each settings change or
 * rule edit. So the files are listed here and handed to loadRules one by one, with the event
 * loop free in between, and a file unchanged since the last load (same size and mtime) is not
 * compiled again: saving one rule recompiles that rule.
 */
import { stat } from 'fs/promises';
import { builtinRules, Level, LoadedRules, loadRules, meetsLevel, ruleFiles } from '../engine';

export interface StepSelection {
  /** Absolute Sigma files or folders. */
  paths: readonly string[];
  builtin: boolean;
  minLevel: Level;
}

/** Thrown when `superseded()` says a newer load started; the caller drops this one. */
export class SupersededError extends Error {}

interface Compiled {
  mtimeMs: number;
  size: number;
  /** Compiled with no level filter, so a minLevel change needs no recompile. */
  part: LoadedRules;
}

export class RuleLoader {
  private cache = new Map<string, Compiled>();

  async load(selection: StepSelection, superseded: () => boolean = () => false): Promise<LoadedRules> {
    const { builtin, minLevel } = selection;
    const merged: LoadedRules = { rules: [], skipped: [], sources: [], selection: { builtin, minLevel }, unknownIds: [] };
    const add = (part: LoadedRules): void => {
      // The same filter compileSources applies, so worker threads compiling `sources` agree.
      merged.rules.push(...part.rules.filter((r) => meetsLevel(r.info.level, minLevel)));
      merged.skipped.push(...part.skipped);
      merged.sources.push(...part.sources);
    };
    if (builtin) add(builtinRules());
    const files: string[] = [];
    for (const root of selection.paths) files.push(...(await ruleFiles(root, merged.skipped)));
    const fresh = new Map<string, Compiled>();
    for (const file of files) {
      if (superseded()) throw new SupersededError('a newer rule load started');
      add(await this.compile(file, fresh));
    }
    // Files gone from the folders leave the cache too.
    this.cache = fresh;
    return merged;
  }

  private async compile(file: string, fresh: Map<string, Compiled>): Promise<LoadedRules> {
    let info;
    try {
      info = await stat(file);
    } catch {
      // loadRules says why, in its words.
      return loadRules({ paths: [file], builtin: false });
    }
    const known = this.cache.get(file);
    const compiled = known && known.mtimeMs === info.mtimeMs && known.size === info.size
      ? known
      : { mtimeMs: info.mtimeMs, size: info.size, part: await loadRules({ paths: [file], builtin: false }) };
    fresh.set(file, compiled);
    return compiled.part;
  }
}
