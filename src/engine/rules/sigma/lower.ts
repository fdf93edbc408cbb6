/**
 * Lower-cased field values, cached: hundreds of rules read the same few fields of one event, so
 * each value is lower-cased once rather than once per rule. The cache is keyed by content and
 * emptied when it holds too much, so it keeps only the last few events' values.
 */
const cache = new Map<string, string>();
const MAX_ENTRIES = 2048;
/** Characters held (keys and values), so that long command lines cannot pile up. */
const MAX_CHARS = 4 * 1024 * 1024;
let chars = 0;

/** `s.toLowerCase()`, computed once per distinct value while it is recent. */
export function lower(s: string): string {
  const hit = cache.get(s);
  if (hit !== undefined) return hit;
  const low = s.toLowerCase();
  if (low === s) return s;
  if (cache.size >= MAX_ENTRIES || chars + 2 * s.length > MAX_CHARS) {
    cache.clear();
    chars = 0;
  }
  cache.set(s, low);
  chars += 2 * s.length;
  return low;
}
