/**
 * Lower-cased field values, cached: hundreds of rules read the same few fields of one event, so
 * each value is lower-cased once rather than once per rule. The cache is keyed by content and
 * emptied when it grows, so it holds at most the last few events' values.
 */
const cache = new Map<string, string>();
const MAX_ENTRIES = 2048;

/** `s.toLowerCase()`, computed once per distinct value while it is recent. */
export function lower(s: string): string {
  const hit = cache.get(s);
  if (hit !== undefined) return hit;
  const low = s.toLowerCase();
  if (low === s) return s;
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(s, low);
  return low;
}
