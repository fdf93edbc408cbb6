/**
 * Shared by the EVTX tests: reading a whole file, and the formatting differences between our
 * rendering and the oracles', normalised one by one (nothing else is).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../../support/corpus';
import { decodeRecord, EvtxParsedRecord, EvtxProblem, readEvtxChunks } from '../../../src/engine/readers/evtx';

export const SHARED_DIR = path.resolve(REPO_ROOT, '..', 'shared');
export const SIGMA_REGRESSION_DIR = path.join(SHARED_DIR, 'sigma', 'regression_data', 'rules');
/** SigmaHQ's Windows rules, which the EVTX tests hunt with to compare paths rule by rule. */
export const SIGMA_WINDOWS_RULES = path.join(SHARED_DIR, 'sigma', 'rules', 'windows');

export interface DecodedFile {
  records: EvtxParsedRecord[];
  /** Record frames found (decoded or not). */
  frames: number;
  chunks: number;
  problems: EvtxProblem[];
}

/** Every chunk and record of a file in memory. */
export function decodeBuffer(buf: Buffer): DecodedFile {
  const problems: EvtxProblem[] = [];
  const out: DecodedFile = { records: [], frames: 0, chunks: 0, problems };
  for (const chunk of readEvtxChunks(buf, problems)) {
    out.chunks++;
    for (const ref of chunk.records) {
      out.frames++;
      const record = decodeRecord(chunk, ref);
      if (record) out.records.push(record);
    }
    problems.push(...chunk.problems);
  }
  return out;
}

export function decodeFile(file: string): DecodedFile {
  return decodeBuffer(readFileSync(file));
}

/** FILETIME text (`2019-04-30T20:26:51.7935890Z`, `2019-04-30 20:26:51.793589`) as microseconds since 1970, or undefined. */
function micros(text: string): bigint | undefined {
  const m = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z?$/.exec(text);
  if (!m) return undefined;
  const seconds = BigInt(Date.parse(`${m[1]}T${m[2]}Z`) / 1000);
  return seconds * 1000000n + BigInt((m[3] ?? '').padEnd(7, '0').slice(0, 6));
}

/**
 * The formatting differences between our text and python-evtx's (the corpus's `.xml`), each normalised:
 * - hex integers (hex32, hex64): python-evtx pads them to 8 or 16 digits (`0x0000000000076073`), we do not (`0x76073`), as Windows;
 * - booleans: python-evtx writes `True`/`False`, we write `true`/`false`, as Windows;
 * - FILETIME: python-evtx writes `2019-04-30 20:26:51.793589`, converting the 100 ns count through a
 *   double (53 bits hold it to about 1.6 µs), so its microseconds can be up to 2 off; we write Windows's `2019-04-30T20:26:51.7935890Z` (seven digits, exact);
 * - GUIDs: case;
 * - an optional substitution with no value: python-evtx keeps its attribute empty (`Qualifiers=""`,
 *   `ActivityID=""`), Windows and we leave the attribute out (see fieldDifferences' emptyMayBeAbsent).
 * `field` is the field's name: only TimeCreated is read as a time.
 */
export function samePythonValue(field: string, ours: string, theirs: string): boolean {
  if (ours === theirs) return true;
  if (/^0x[0-9a-f]+$/i.test(ours) && /^0x[0-9a-f]+$/i.test(theirs)) return BigInt(ours) === BigInt(theirs);
  if (/^(true|false)$/i.test(ours) && ours.toLowerCase() === theirs.toLowerCase()) return true;
  if (field === 'TimeCreated') {
    const a = micros(ours);
    const b = micros(theirs);
    return a !== undefined && b !== undefined && a - b <= 2n && b - a <= 2n;
  }
  if (/^\{[0-9a-f-]{36}\}$/i.test(ours)) return ours.toLowerCase() === theirs.toLowerCase();
  return false;
}

/**
 * The formatting differences between our text and evtx_dump's JSON (SigmaHQ's `.json` twins):
 * - GUIDs: evtx_dump writes them upper case without braces (`5770385F-C22A-...`), we write `{5770385f-c22a-...}`;
 * - FILETIME: evtx_dump writes six fraction digits (`...00.601559Z`), we write seven (`...00.6015599Z`);
 *   one twin was written by another tool with nine (`...26.751156500Z`);
 * - strings: evtx_dump's JSON drops trailing whitespace of a value (`"cmd.exe" ` becomes `"cmd.exe"`);
 *   the bytes of the record hold the space, and python-evtx keeps it too.
 */
export function sameDumpValue(field: string, ours: string, theirs: string): boolean {
  if (ours === theirs) return true;
  if (/^\{[0-9a-f-]{36}\}$/i.test(ours)) return ours.slice(1, -1).toLowerCase() === theirs.toLowerCase();
  if (field === 'TimeCreated') return micros(ours) !== undefined && micros(ours) === micros(theirs);
  return ours.trimEnd() === theirs;
}

/** The JSON objects of a file holding one or more pretty-printed objects one after another. */
export function splitJsonObjects(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && --depth === 0) out.push(text.slice(start, i + 1));
  }
  return out;
}

/** Compares two field maps; returns the differences `samePythonValue`/`sameDumpValue` does not excuse. */
export function fieldDifferences(
  ours: Record<string, string>,
  theirs: Record<string, string>,
  same: (field: string, a: string, b: string) => boolean,
  /** A field the oracle has as '' that we leave out (an optional substitution with no value). */
  emptyMayBeAbsent: boolean,
): string[] {
  const out: string[] = [];
  for (const key of new Set([...Object.keys(ours), ...Object.keys(theirs)])) {
    const a = ours[key];
    const b = theirs[key];
    if (a === undefined && b === '' && emptyMayBeAbsent) continue;
    if (a === undefined || b === undefined || !same(key, a, b)) out.push(`${key}: ours ${JSON.stringify(a)}, theirs ${JSON.stringify(b)}`);
  }
  return out;
}
