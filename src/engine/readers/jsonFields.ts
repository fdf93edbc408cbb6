/**
 * What the JSON shapes build values with: a parsed record's values as text (numbers and booleans
 * as JSON wrote them, with a watch for numbers too long for JSON.parse), and where each came from.
 */
import { JsonPath } from './jsonLocate';
import { toEventId } from './record';

/** A parsed JSON object. */
export type Json = Record<string, unknown>;

/** Is this a JSON object (not an array, not null)? */
export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * JSON.parse rounds numbers past 2^53 (a forged record number 123456789012345678901234567890 would
 * read 1.2345678901234568e+29). Rather than scan every record for long numbers before parsing it,
 * the readers note here when a number they turn into a value could have lost digits; the record is
 * then read again from a parse that keeps long numbers as text (see parseJsonRecord).
 */
let lostDigits = false;

/** Starts watching for a long number, before building values. */
export function resetLostDigits(): void {
  lostDigits = false;
}

/** Did a value built since resetLostDigits come from a number that may have lost digits? */
export function lostDigitsSeen(): boolean {
  return lostDigits;
}

function noteNumber(value: number): void {
  if (!Number.isSafeInteger(value) || Math.abs(value) >= 1e15) lostDigits = true;
}

/** A string, number or boolean as text; anything else is undefined. */
export function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') noteNumber(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** An EventID as a number, noting a number too long to trust. */
export function eventIdOf(value: unknown): number | undefined {
  if (typeof value === 'number') noteNumber(value);
  return toEventId(value);
}

/** The value at `path`: object keys, and array indexes as numbers. */
export function get(obj: unknown, ...path: (string | number)[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (typeof key === 'number' ? !Array.isArray(cur) : !isObject(cur)) return undefined;
    cur = (cur as Json)[key];
  }
  return cur;
}

/** The value at a path, without the spread of get(). */
export function at(obj: unknown, path: JsonPath): unknown {
  let cur = obj;
  for (const key of path) {
    if (typeof key === 'number' ? !Array.isArray(cur) : !isObject(cur)) return undefined;
    cur = (cur as Json)[key];
  }
  return cur;
}

/** Where a field's value sits: a path in the record, or in the JSON held by the string at `outer` (Sentinel). */
export interface Where {
  path: JsonPath;
  outer?: JsonPath;
  /** Characters of the located string before the value (Splunk's `WinEventLog:` before a channel). */
  skip?: number;
}

/**
 * Fields as a shape lists them, and, only when a match is being located, where each value came
 * from. Values are strings, as in the XML; numbers and booleans are written as JSON wrote them.
 */
export class Fields {
  readonly values: Record<string, string> = {};

  constructor(
    /** Set only to locate: records each field's path. */
    readonly where?: Map<string, Where>,
    /** The path of the string that holds the JSON these paths are in (Sentinel's EventData). */
    private readonly outer?: JsonPath,
  ) {}

  /** The value at `base`/`key`, when it is a string, number or boolean. */
  put(name: string, value: unknown, base: JsonPath, key: string | number, skip?: number): void {
    const s = str(value);
    if (s === undefined) return;
    this.values[name] = skip ? s.slice(skip) : s;
    this.where?.set(name, { path: [...base, key], outer: this.outer, skip });
  }

  /** A value built from verbatim pieces (User from user.domain and user.name), located at `path`. */
  putBuilt(name: string, value: string, path: JsonPath): void {
    this.values[name] = value;
    this.where?.set(name, { path, outer: this.outer });
  }

  /** Every scalar member of `obj` under its own name, but those `skip` names. */
  putAll(obj: unknown, base: JsonPath, skip?: (key: string, value: unknown) => boolean): void {
    if (!isObject(obj)) return;
    const where = this.where;
    for (const key in obj) {
      const value = obj[key];
      if (skip?.(key, value)) continue;
      const s = str(value);
      if (s === undefined) continue;
      this.values[key] = s;
      where?.set(key, { path: [...base, key], outer: this.outer });
    }
  }

  /** Takes a field out again (a name the ECS pipeline gave, once its Sysmon name is back). */
  delete(name: string): void {
    delete this.values[name];
    this.where?.delete(name);
  }
}

