/**
 * Loads rules from their sources: Sigma files and folders (read recursively) and the built-in CAR
 * library; compiles each once, filters by level and id, and keeps every skipped rule with its reason.
 */
import { closeSync, Dirent, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { CAR_LIBRARY, findCarAnalytic } from './car';
import { compileCarAnalytic } from './car/compile';
import { CompiledRule, Level, LEVELS, RuleSource, SkippedRule } from './rule';
import { RuleSet } from './ruleSet';
import { compileSearch } from './search';
import { compileSigmaText } from './sigma';

/** Which rules to hunt with. */
export interface RuleSelection {
  /** Sigma rule files or folders (read recursively, `.yml` / `.yaml`). */
  paths?: readonly string[];
  /** The built-in CAR library (default true). */
  builtin?: boolean;
  /** Rules below this level are left out. */
  minLevel?: Level;
  /** Only these rules: CAR ids or Sigma ids, case ignored. */
  ids?: readonly string[];
}

/** Rules ready to hunt, with what did not load; `sources` lets worker threads compile the same set. */
export interface LoadedRules {
  rules: CompiledRule[];
  skipped: SkippedRule[];
  sources: RuleSource[];
  /** The selection, so a worker applies the same filters. */
  selection: Omit<RuleSelection, 'paths'>;
  /** Ids asked for that no loaded rule has. */
  unknownIds: string[];
}

/** Largest rule file read; a Sigma rule is a few KB, so anything this big is not one. */
const MAX_RULE_BYTES = 1 << 20;

/** Reads and compiles the selected rules. A file that cannot be read is skipped with its reason. */
export async function loadRules(selection: RuleSelection = {}): Promise<LoadedRules> {
  const sources: RuleSource[] = [];
  const unreadable: SkippedRule[] = [];
  if (selection.builtin ?? true) for (const a of CAR_LIBRARY) sources.push({ kind: 'car', id: a.id });
  for (const root of selection.paths ?? []) readRuleFiles(await ruleFiles(root, unreadable), sources, unreadable);
  const { paths: _paths, ...rest } = selection;
  const loaded = compileSources(sources, rest);
  loaded.skipped.unshift(...unreadable);
  return loaded;
}

/**
 * Reads the files as sources, or as rules skipped when they cannot be read. (Not in the async
 * loadRules: V8 compiled that whole function again to optimise this loop over thousands of files.)
 */
function readRuleFiles(files: string[], sources: RuleSource[], unreadable: SkippedRule[]): void {
  if (files.length === 0) return;
  // One buffer for every file, a byte longer than the largest rule file: a read that fills it is a file too large.
  const buffer = Buffer.allocUnsafe(MAX_RULE_BYTES + 1);
  for (const file of files) {
    const read = readRuleFile(file, buffer);
    if ('kind' in read) sources.push(read);
    else unreadable.push(read);
  }
}

/**
 * Reads one rule file into `buffer` (MAX_RULE_BYTES + 1 long), and at most that much of it.
 * Synchronously: a rule is a few KB, and an asynchronous read costs four trips to the thread pool
 * (3,141 rules: 0.5 s of CPU against 0.1 s); compiling, after, is synchronous anyway. No stat of each
 * file first: that cost a third of the reading (the size is asked only of a file that fills the buffer).
 */
function readRuleFile(file: string, buffer: Buffer): RuleSource | SkippedRule {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > MAX_RULE_BYTES) {
      const size = fstatSync(fd).size;
      return { source: file, category: 'too large', reason: `the file is ${size} bytes; a rule file is at most ${MAX_RULE_BYTES}` };
    }
    return { kind: 'sigma', file, text: buffer.toString('utf8', 0, length) };
  } catch (err) {
    return { source: file, category: 'unreadable', reason: (err as Error).message };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The rule files under a path: the file itself, or every `.yml`/`.yaml` below a folder, in name
 * order. A path or folder that cannot be read goes to `trouble` with its reason.
 */
export async function ruleFiles(root: string, trouble: SkippedRule[]): Promise<string[]> {
  let info;
  try {
    info = await stat(root);
  } catch (err) {
    trouble.push({ source: root, category: 'unreadable', reason: (err as Error).message });
    return [];
  }
  if (!info.isDirectory()) return [root];
  const out: string[] = [];
  folderFiles(root, out, trouble);
  return out;
}

/**
 * The rule files below a folder, into `out`. Synchronously, as the files are read after: an
 * asynchronous stat and listing of each of SigmaHQ's 175 folders cost more CPU than the listing
 * (and a subfolder needs no stat: its directory entry says what it is).
 */
function folderFiles(dir: string, out: string[], trouble: SkippedRule[]): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    trouble.push({ source: dir, category: 'unreadable', reason: (err as Error).message });
    return;
  }
  const { paths, folders } = listEntries(entries, dir);
  let from = 0;
  for (const at of folders) {
    for (let k = from; k < at; k++) out.push(paths[k]);
    folderFiles(paths[at], out, trouble);
    from = at + 1;
  }
  for (let k = from; k < paths.length; k++) out.push(paths[k]);
}

/** A folder's rule files and subfolders, in name order, and where the subfolders are among them. */
function listEntries(entries: Dirent[], root: string): { paths: string[]; folders: number[] } {
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const paths: string[] = [];
  const folders: number[] = [];
  // path.join normalises the whole path again for each of thousands of entries; an entry's name holds
  // no separator and is never `.` or `..`, so the folder's part of the first joined path serves them all.
  let folder: string | undefined;
  for (const entry of entries) {
    folder ??= path.join(root, entry.name).slice(0, -entry.name.length);
    if (entry.isDirectory()) {
      folders.push(paths.length);
      paths.push(folder + entry.name);
    } else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) paths.push(folder + entry.name);
  }
  return { paths, folders };
}

/** Is the rule at `minLevel` or above (every rule, without a minimum)? */
export function meetsLevel(level: Level, minLevel: Level | undefined): boolean {
  return minLevel === undefined || LEVELS.indexOf(level) >= LEVELS.indexOf(minLevel);
}

/** Compiles rule sources (on the main thread or a worker) and applies the selection's filters. */
export function compileSources(sources: readonly RuleSource[], selection: Omit<RuleSelection, 'paths'> = {}): LoadedRules {
  const rules: CompiledRule[] = [];
  const skipped: SkippedRule[] = [];
  for (const source of sources) {
    if (source.kind === 'car') {
      const analytic = findCarAnalytic(source.id);
      if (analytic) rules.push(compileCarAnalytic(analytic));
      else skipped.push({ source: 'car', id: source.id, category: 'unknown', reason: `no built-in analytic ${source.id}` });
    } else if (source.kind === 'search') {
      rules.push(compileSearch(source));
    } else {
      const compiled = compileSigmaText(source.text, source.file);
      rules.push(...compiled.rules);
      skipped.push(...compiled.skipped);
    }
  }
  const wanted = selection.ids?.map((id) => id.toLowerCase());
  const kept = rules.filter((r) => meetsLevel(r.info.level, selection.minLevel) && (!wanted || wanted.includes(r.info.id.toLowerCase())));
  const known = new Set(rules.map((r) => r.info.id.toLowerCase()));
  return {
    rules: kept,
    skipped,
    sources: [...sources],
    selection,
    unknownIds: (selection.ids ?? []).filter((id) => !known.has(id.toLowerCase())),
  };
}

/** The built-in library alone, compiled once per process: the default of every hunt. */
let builtin: LoadedRules | undefined;
export function builtinRules(): LoadedRules {
  builtin ??= compileSources(CAR_LIBRARY.map((a) => ({ kind: 'car' as const, id: a.id })));
  return builtin;
}

/** A rule set, indexed once per loaded set and cached beside it. */
const sets = new WeakMap<LoadedRules, RuleSet>();
export function ruleSetOf(loaded: LoadedRules): RuleSet {
  let set = sets.get(loaded);
  if (!set) sets.set(loaded, (set = new RuleSet(loaded.rules)));
  return set;
}
