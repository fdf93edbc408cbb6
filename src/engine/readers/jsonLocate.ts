/**
 * Finds where a value sits in a record's JSON text, for diagnostics ranges. Used only for matches,
 * but those are many on an incident's log (two per event with every rule loaded).
 */

/** Object keys, and array indexes as numbers. */
export type JsonPath = readonly (string | number)[];

/**
 * UTF-16 offsets [start, end) of the value at `path`: the contents of a string (between its
 * quotes), the token of a number or boolean; undefined for anything else or when absent.
 */
export function locateJsonValue(text: string, path: JsonPath): [number, number] | undefined {
  let i = skipSpace(text, 0);
  for (const key of path) {
    const found = typeof key === 'number' ? (text[i] === '[' ? findIndex(text, i, key) : -1) : text[i] === '{' ? findKey(text, i, key) : -1;
    if (found < 0) return undefined;
    i = found;
  }
  if (text[i] === '"') return [i + 1, stringEnd(text, i)];
  if (text[i] === '{' || text[i] === '[' || text.startsWith('null', i)) return undefined;
  const end = skipValue(text, i);
  return end > i ? [i, end] : undefined;
}

/** UTF-16 offsets [start, end) of the contents of the string value at `path`, or undefined. */
export function locateJsonString(text: string, path: JsonPath): [number, number] | undefined {
  const found = locateJsonValue(text, path);
  return found && text[found[0] - 1] === '"' ? found : undefined;
}

/**
 * Like locateJsonString, descending into a string value that itself holds JSON (Sentinel's
 * EventData), and mapping offsets in the decoded inner text back to the raw outer text.
 */
export function locateNestedJsonString(text: string, outerPath: JsonPath, innerPath: JsonPath): [number, number] | undefined {
  const outer = locateJsonString(text, outerPath);
  if (!outer) return undefined;
  const raw = text.slice(outer[0], outer[1]);
  let inner: string;
  try {
    inner = JSON.parse(`"${raw}"`) as string;
  } catch {
    return undefined;
  }
  const found = locateJsonValue(inner, innerPath);
  if (!found) return undefined;
  return [outer[0] + rawIndex(raw, found[0]), outer[0] + rawIndex(raw, found[1])];
}

/** The offset in a raw JSON string body of the decoded character at `decoded`. */
function rawIndex(raw: string, decoded: number): number {
  let i = 0;
  for (let d = 0; d < decoded && i < raw.length; d++) {
    if (raw[i] !== '\\') i++;
    else i += raw[i + 1] === 'u' ? 6 : 2;
  }
  return i;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/**
 * Index of the closing quote of the string starting at `start` (text.length if none): the next
 * quote not escaped, i.e. after an even run of backslashes. (By string search: matches are many on
 * an incident's log, and a character loop made locating them a twentieth of the hunt.)
 */
function stringEnd(text: string, start: number): number {
  for (let q = text.indexOf('"', start + 1); q >= 0; q = text.indexOf('"', q + 1)) {
    let run = 0;
    while (text.charCodeAt(q - 1 - run) === 0x5c) run++;
    if (run % 2 === 0) return q;
  }
  return text.length;
}

/** Index after any JSON value starting at i. */
function skipValue(text: string, i: number): number {
  const first = text.charCodeAt(i);
  if (first === 0x22 /* " */) return stringEnd(text, i) + 1;
  if (first === 0x7b /* { */ || first === 0x5b /* [ */) {
    let depth = 0;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x22) i = stringEnd(text, i);
      else if (c === 0x7b || c === 0x5b) depth++;
      else if ((c === 0x7d || c === 0x5d) && --depth === 0) return i + 1;
    }
    return text.length;
  }
  while (i < text.length && !',}] \n\r\t'.includes(text[i])) i++;
  return i;
}

function hasBackslash(text: string, from: number, to: number): boolean {
  for (let j = from; j < to; j++) if (text.charCodeAt(j) === 0x5c) return true;
  return false;
}

/** Index of the value of `key` in the object starting at `open`, or -1; the last one wins, as in JSON.parse. */
function findKey(text: string, open: number, key: string): number {
  let found = -1;
  let i = skipSpace(text, open + 1);
  while (i < text.length && text.charCodeAt(i) === 0x22) {
    const keyEnd = stringEnd(text, i);
    let isKey: boolean;
    if (!hasBackslash(text, i + 1, keyEnd)) {
      // A name with no escape is its text: compared in place, without a parse (matches are located often).
      isKey = keyEnd - i - 1 === key.length && text.startsWith(key, i + 1);
    } else {
      try {
        isKey = (JSON.parse(text.slice(i, keyEnd + 1)) as string) === key;
      } catch {
        return found;
      }
    }
    i = skipSpace(text, keyEnd + 1);
    if (text.charCodeAt(i) !== 0x3a /* : */) return found;
    i = skipSpace(text, i + 1);
    if (isKey) found = i;
    i = skipSpace(text, skipValue(text, i));
    if (text.charCodeAt(i) === 0x2c /* , */) i = skipSpace(text, i + 1);
  }
  return found;
}

/** Index of element `index` of the array starting at `open`, or -1. */
function findIndex(text: string, open: number, index: number): number {
  let i = skipSpace(text, open + 1);
  for (let n = 0; i < text.length && text[i] !== ']'; n++) {
    if (n === index) return i;
    i = skipSpace(text, skipValue(text, i));
    if (text[i] !== ',') return -1;
    i = skipSpace(text, i + 1);
  }
  return -1;
}
