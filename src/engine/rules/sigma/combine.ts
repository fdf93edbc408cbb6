/** Predicates over an event joined by and / or, unrolled for the common short lists (rules run per event). */
import { RuleEvent } from '../rule';

export type Test = (e: RuleEvent) => boolean;

/** Holds when every test holds, in the given order (callers put the cheapest first). */
export function allOf(tests: readonly Test[]): Test {
  if (tests.length === 1) return tests[0];
  if (tests.length === 2) {
    const [a, b] = tests;
    return (e) => a(e) && b(e);
  }
  return (e) => {
    for (const t of tests) if (!t(e)) return false;
    return true;
  };
}

/** Holds when some test holds, tried in the given order. */
export function anyOf(tests: readonly Test[]): Test {
  if (tests.length === 1) return tests[0];
  if (tests.length === 2) {
    const [a, b] = tests;
    return (e) => a(e) || b(e);
  }
  return (e) => {
    for (const t of tests) if (t(e)) return true;
    return false;
  };
}

/**
 * `make()` on the first call, the same value after: rules build their tests when first asked, since
 * most rules of a large set never meet an event that could match them.
 */
export function once<T>(make: () => T): () => T {
  let made = false;
  let value: T | undefined;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value as T;
  };
}
