/**
 * Compiles a Sigma string into a plain string test: equals, startsWith, endsWith and includes for
 * the common shapes, a segment scan for the rest. No regular expressions, so no backtracking.
 */
import { lower } from './lower';
import { normalize, Part, SigmaStr } from './sigmaString';

/** Tests a field value (as the event holds it) against one Sigma string. */
export type StringTest = (value: string) => boolean;

/** One position of a fixed-length segment: a literal character run, any one character, or a class. */
type Item = { t: 'lit'; s: string } | { t: 'one' } | { t: 'cls'; chars: string };

interface Segment {
  items: Item[];
  len: number;
  /** The segment when it is one literal run. */
  lit?: string;
}

/** The test for `str`, ignoring case unless `cased`. */
export function compileStringTest(str: SigmaStr, cased: boolean): StringTest {
  const parts = normalize(str).parts.map((p) => foldPart(p, cased));
  const fold = cased ? (v: string) => v : lower;
  const segments = splitSegments(parts);
  const openStart = parts[0]?.t === 'any';
  const openEnd = parts.length > 0 && parts[parts.length - 1].t === 'any';

  if (segments.every((s) => s.lit !== undefined)) {
    const lits = segments.map((s) => s.lit as string);
    if (lits.length === 0) return openStart ? () => true : (v) => v.length === 0;
    if (lits.length === 1) {
      const l = lits[0];
      if (!openStart && !openEnd) return (v) => v.length === l.length && fold(v) === l;
      if (!openStart) return (v) => v.length >= l.length && fold(v).startsWith(l);
      if (!openEnd) return (v) => v.length >= l.length && fold(v).endsWith(l);
      return (v) => v.length >= l.length && fold(v).includes(l);
    }
    if (lits.length === 2 && !openStart && !openEnd) {
      const [a, b] = lits;
      const min = a.length + b.length;
      return (v) => {
        if (v.length < min) return false;
        const f = fold(v);
        return f.startsWith(a) && f.endsWith(b);
      };
    }
  }
  return (v) => globMatch(fold(v), segments, !openStart, !openEnd);
}

function foldPart(p: Part, cased: boolean): Part {
  if (cased) return p;
  if (p.t === 'lit') return { t: 'lit', s: p.s.toLowerCase() };
  if (p.t === 'cls') return { t: 'cls', chars: p.chars.toLowerCase() };
  return p;
}

/** Splits at `*` into fixed-length segments. */
function splitSegments(parts: Part[]): Segment[] {
  const segments: Segment[] = [];
  let items: Item[] = [];
  const flush = (): void => {
    if (items.length === 0) return;
    const len = items.reduce((n, it) => n + (it.t === 'lit' ? it.s.length : 1), 0);
    const lit = items.length === 1 && items[0].t === 'lit' ? items[0].s : undefined;
    segments.push({ items, len, lit });
    items = [];
  };
  for (const p of parts) {
    if (p.t === 'any') flush();
    else items.push(p);
  }
  flush();
  return segments;
}

function segmentAt(s: string, seg: Segment, pos: number): boolean {
  if (seg.lit !== undefined) return s.startsWith(seg.lit, pos);
  for (const it of seg.items) {
    if (it.t === 'lit') {
      if (!s.startsWith(it.s, pos)) return false;
      pos += it.s.length;
    } else {
      if (pos >= s.length) return false;
      if (it.t === 'cls' && !it.chars.includes(s[pos])) return false;
      pos++;
    }
  }
  return true;
}

/** The first position >= from where the segment occurs, ending at or before `end`; -1 if none. */
function segmentFind(s: string, seg: Segment, from: number, end: number): number {
  const last = end - seg.len;
  if (seg.lit !== undefined) {
    const p = s.indexOf(seg.lit, from);
    return p >= 0 && p <= last ? p : -1;
  }
  for (let p = from; p <= last; p++) if (segmentAt(s, seg, p)) return p;
  return -1;
}

/**
 * Segments are fixed-length, so matching each one at its leftmost place after the previous one
 * is enough: an earlier place never leaves less room for the rest.
 */
function globMatch(s: string, segments: Segment[], anchorStart: boolean, anchorEnd: boolean): boolean {
  if (segments.length === 0) return anchorStart ? s.length === 0 : true;
  let first = 0;
  let last = segments.length - 1;
  let pos = 0;
  let end = s.length;
  if (anchorStart) {
    const seg = segments[0];
    if (seg.len > end || !segmentAt(s, seg, 0)) return false;
    if (segments.length === 1 && anchorEnd) return seg.len === end;
    pos = seg.len;
    first = 1;
  }
  if (anchorEnd) {
    const seg = segments[last];
    if (end - seg.len < pos || !segmentAt(s, seg, end - seg.len)) return false;
    end -= seg.len;
    last--;
  }
  for (let i = first; i <= last; i++) {
    const p = segmentFind(s, segments[i], pos, end);
    if (p < 0) return false;
    pos = p + segments[i].len;
  }
  return true;
}
