/**
 * Text a matching event must contain, for the fast path that skips records unparsed: a
 * conjunction of sets, each a disjunction of lower-case literals. Sound by construction: a set is
 * only required where every match must contain one of its literals.
 */
import { Part, SigmaStr } from './sigmaString';

export type Cnf = string[][];

/** Most variants a run with character classes (windash) may expand into before we use a shorter run. */
const MAX_VARIANTS = 32;
/** Largest set whose literals are checked for containing one another. */
const MAX_SUBSUMPTION = 64;

/**
 * The literals one of which the value must contain: its longest wildcard-free run (a run with
 * windash classes gives all its variants); undefined when the value requires nothing.
 */
export function bestLiterals(str: SigmaStr): string[] | undefined {
  const parts = str.parts;
  // Classes (windash's) are rare: their search is its own function, which V8 then neither optimises
  // nor inlines into this one, run for every value of every rule at load.
  for (let i = 0; i < parts.length; i++) if (parts[i].t === 'cls') return classLiterals(parts);
  const run = longestRun(parts);
  return run === undefined ? undefined : [run.toLowerCase()];
}

/** Without classes: the first longest run of literal text (what the general case finds, without its variants). */
function longestRun(parts: Part[]): string | undefined {
  let best = '';
  let run = '';
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p.t === 'lit') {
      run += p.s;
    } else {
      if (run.length > best.length) best = run;
      run = '';
    }
  }
  if (run.length > best.length) best = run;
  return best === '' ? undefined : best;
}

/** bestLiterals of parts with classes. */
function classLiterals(parts: Part[]): string[] | undefined {
  let best: string[] | undefined;
  let bestLen = 0;
  const consider = (variants: string[], len: number): void => {
    if (len > bestLen || (len === bestLen && best && variants.length < best.length)) {
      best = variants;
      bestLen = len;
    }
  };
  let run: (string | string[])[] = [];
  const flushRun = (): void => {
    // The whole run, with its classes expanded, if that stays small.
    const count = run.reduce((n, r) => n * (typeof r === 'string' ? 1 : r.length), 1);
    const len = run.reduce((n, r) => n + (typeof r === 'string' ? r.length : 1), 0);
    if (count <= MAX_VARIANTS && len > 0) consider(expand(run), len);
    // Class-free stretches of it.
    for (const r of run) if (typeof r === 'string' && r.length > 0) consider([r], r.length);
    run = [];
  };
  for (const p of parts) {
    if (p.t === 'lit') run.push(p.s);
    else if (p.t === 'cls') run.push([...p.chars]);
    else flushRun();
  }
  flushRun();
  if (!best) return undefined;
  // Pushed, like the one-literal answer above: V8 gives map()'s result another array shape, and the
  // load's optimised code was thrown away when the first windash value brought it.
  const lowered: string[] = [];
  for (let i = 0; i < best.length; i++) lowered.push(best[i].toLowerCase());
  return lowered;
}

function expand(run: (string | string[])[]): string[] {
  let out = [''];
  for (const r of run) {
    const options = typeof r === 'string' ? [r] : r;
    out = out.flatMap((prefix) => options.map((o) => prefix + o));
  }
  return out;
}

/** Both must hold: every set of each. */
export function andCnf(parts: Cnf[]): Cnf {
  if (parts.length === 1) return dedupe(parts[0]);
  const sets: string[][] = [];
  for (let p = 0; p < parts.length; p++) for (let k = 0; k < parts[p].length; k++) sets.push(parts[p][k]);
  return dedupe(sets);
}

/**
 * One of them holds: each branch contributes its most selective set to one set, and a branch
 * that requires nothing makes the whole require nothing.
 */
export function orCnf(parts: Cnf[]): Cnf {
  if (parts.length === 0) return [];
  const set: string[] = [];
  for (let p = 0; p < parts.length; p++) {
    if (parts[p].length === 0) return [];
    const best = mostSelective(parts[p]);
    for (let k = 0; k < best.length; k++) set.push(best[k]);
  }
  return dedupe([set]);
}

/** The set whose shortest literal is longest, then the one with fewest literals. */
function mostSelective(cnf: Cnf): string[] {
  let best = cnf[0];
  if (cnf.length === 1) return best;
  let bestShortest = shortest(best);
  for (let i = 1; i < cnf.length; i++) {
    const set = cnf[i];
    const a = shortest(set);
    if (a > bestShortest || (a === bestShortest && set.length < best.length)) {
      best = set;
      bestShortest = a;
    }
  }
  return best;
}

/** Length of the set's shortest literal (Infinity for an empty set, as Math.min() gives). */
function shortest(set: string[]): number {
  let n = Infinity;
  for (let i = 0; i < set.length; i++) if (set[i].length < n) n = set[i].length;
  return n;
}

/**
 * Drops empty literals' sets, duplicate literals, literals that contain another literal of the
 * same set (the shorter one occurs whenever the longer does), and duplicate sets. Loops over arrays
 * rather than Sets: a detection's CNF holds a few sets, and V8 compiled the Sets' hashing and
 * iteration into every optimised caller of this, which every selection of every rule runs.
 */
export function dedupe(cnf: Cnf): Cnf {
  const out: Cnf = [];
  for (let i = 0; i < cnf.length; i++) {
    const set = cnf[i];
    if (set.length === 0 || hasEmpty(set)) continue;
    // The usual set, one literal, has nothing to sort or subsume.
    const kept = set.length === 1 ? set : canonicalSet(set);
    if (!hasSet(out, kept)) out.push(kept.length === 1 && kept === set ? [kept[0]] : kept);
  }
  return out.slice();
}

function hasEmpty(set: string[]): boolean {
  for (let i = 0; i < set.length; i++) if (set[i].length === 0) return true;
  return false;
}

/** Does `cnf` hold a set with the same literals in the same order? */
function hasSet(cnf: Cnf, set: string[]): boolean {
  for (let i = 0; i < cnf.length; i++) {
    const other = cnf[i];
    if (other.length !== set.length) continue;
    let same = true;
    for (let k = 0; k < set.length && same; k++) same = other[k] === set[k];
    if (same) return true;
  }
  return false;
}

/** The set's unique literals, shortest first, without those containing a shorter one; exactly sized (rules keep their literals). */
function canonicalSet(set: string[]): string[] {
  // Searching an array for duplicates is quadratic: a large set goes through a Set.
  const unique = set.length > MAX_SUBSUMPTION ? uniqueLarge(set) : uniqueSmall(set);
  unique.sort(shorterFirst);
  // The containment pass is quadratic: only for sets of a usual size.
  if (unique.length > MAX_SUBSUMPTION) return unique;
  const kept: string[] = [];
  for (let i = 0; i < unique.length; i++) {
    const s = unique[i];
    let contains = false;
    for (let k = 0; k < kept.length && !contains; k++) contains = s.includes(kept[k]);
    if (!contains) kept.push(s);
  }
  return kept.slice();
}

function uniqueSmall(set: string[]): string[] {
  const unique: string[] = [];
  for (let i = 0; i < set.length; i++) if (!unique.includes(set[i])) unique.push(set[i]);
  return unique;
}

function uniqueLarge(set: string[]): string[] {
  return [...new Set(set)];
}

const shorterFirst = (a: string, b: string): number => a.length - b.length || (a < b ? -1 : 1);
