/** Assertions that cannot pass vacuously. */
import assert from 'node:assert/strict';

/**
 * Asserts that `items` is not empty and that every item satisfies `predicate`. A bare
 * `assert.ok(items.every(...))` passes on an empty list, so a bug that drops every item (no
 * notes printed, no diagnostics made) would pass it too.
 */
export function assertEvery<T>(items: readonly T[], predicate: (item: T) => boolean, what: string): void {
  assert.ok(items.length > 0, `${what}: the list is empty, so "every" would hold vacuously`);
  const failing = items.filter((item) => !predicate(item));
  assert.deepEqual(failing, [], `${what}: ${failing.length} of ${items.length} do not hold`);
}
