/**
 * The rules a fuzz run hunts with: the built-in ones, or every rule of a folder (`npm run fuzz --
 * --rules DIR`), so that the fast path's raw-text picks for thousands of rules meet mutated input.
 */
import { HuntOptions } from '../../src/engine/huntTypes';
import { LoadedRules, loadRules } from '../../src/engine/rules/load';

let loaded: LoadedRules | undefined;

/** Loads the rules of `dir` for every hunt of this fuzz run (in this thread). */
export async function useFuzzRules(dir: string): Promise<number> {
  loaded = await loadRules({ paths: [dir] });
  return loaded.rules.length;
}

/** `options` with the run's rules, when a folder was given. */
export function withFuzzRules(options: HuntOptions): HuntOptions {
  return loaded ? { ...options, rules: loaded } : options;
}

/** A case may take this much longer with a folder of rules: the plain path evaluates every one. */
export function fuzzTimeFactor(): number {
  return loaded ? 4 : 1;
}
