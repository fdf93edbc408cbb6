/**
 * A generated query laid out over lines for reading, apart from the generators: their one-line
 * output (goldens, CAR's published strings) stays as it is, and a face that shows a query to a
 * person (the VS Code editor, `log-hunt query --layout`) lays it out here.
 *
 * The only change is a space, outside every string and DNIF `regex(...)`, replaced by a newline
 * and an indent, so collapsing the inserted whitespace gives the query back and every language
 * here reads a newline there as the space it was:
 * - a new clause starts a line: `| ...` (SPL, ES|QL, KQL, EQL pipes), DNIF's `where` and `limit`;
 * - SPL's first clause puts each top-level group `(...)` / `NOT ...` on its own line, and DNIF
 *   each top-level `AND`/`OR` term;
 * - a line still longer than `width` breaks before the boolean operators of its shallowest
 *   level (`and`/`or`, `AND`/`OR`), and so on inwards; indent is two spaces per level.
 */
import type { TargetId } from './target';

interface Syntax {
  /** Boolean operators a long line may break before, as the language writes them. */
  ops: readonly string[];
  /** Words that start a clause when they follow a space at the top level. */
  clauses: readonly string[];
  /** `@"..."` verbatim strings (a quote doubled, no backslash escapes): KQL. */
  verbatim?: boolean;
  /** `"""..."""` raw strings: ES|QL, Elastic EQL. */
  triple?: boolean;
  /** DNIF's `regex(...)`: unquoted, so read as one piece up to its closing parenthesis. */
  regexCall?: boolean;
  /** Which top-level pieces always get their own line (SPL's first clause, DNIF's where). */
  topBreak?: (gap: Gap) => boolean;
}

const PIPE = ['|'];
const SPL_OPS = ['OR', 'AND', 'NOT'];
const SYNTAX: Partial<Record<TargetId, Syntax>> = {
  // The search before the first pipe: an explicit AND/OR, or a group/NOT after an implicit AND.
  spl: {
    ops: ['OR', 'AND'],
    clauses: PIPE,
    topBreak: (g) => g.clause === undefined && (g.word === 'AND' || g.word === 'OR' || ((g.word.startsWith('(') || g.word === 'NOT') && !SPL_OPS.includes(g.prev))),
  },
  dnif: { ops: ['AND', 'OR'], clauses: ['where', 'limit'], regexCall: true, topBreak: (g) => g.clause === 'where' && (g.word === 'AND' || g.word === 'OR') },
  eql: { ops: ['and', 'or'], clauses: PIPE },
  'elastic-eql': { ops: ['and', 'or'], clauses: PIPE, triple: true },
  esql: { ops: ['AND', 'OR'], clauses: PIPE, triple: true },
  kql: { ops: ['and', 'or'], clauses: PIPE, verbatim: true },
  defender: { ops: ['and', 'or'], clauses: PIPE, verbatim: true },
};

/** A space outside strings, where a line may break. */
interface Gap {
  pos: number;
  depth: number;
  /** The text after the space up to the next space (the word a break would start the line with). */
  word: string;
  /** The text before the space back to the previous space or line start. */
  prev: string;
  /** The clause keyword this gap is in, if any came before it at the top level. */
  clause: string | undefined;
}

export const LAYOUT_WIDTH = 100;

/** The query laid out over lines; a target with no rules here (a Sigma rule's YAML) comes back unchanged. */
export function layoutQuery(target: TargetId, text: string, width = LAYOUT_WIDTH): string {
  const syntax = SYNTAX[target];
  if (!syntax) return text;
  const gaps = scan(text, syntax);
  if (gaps === undefined) return text;
  const indents = new Map<number, number>();
  for (const gap of gaps) {
    if (gap.depth !== 0) continue;
    if (syntax.clauses.includes(gap.word)) indents.set(gap.pos, 0);
    else if (syntax.topBreak?.(gap)) indents.set(gap.pos, 2);
  }
  // Long lines, from the outermost operators inwards.
  const ops = gaps.filter((g) => syntax.ops.includes(g.word));
  for (const line of lines(text, indents)) breakLong(line, ops, indents, width);
  let out = '';
  let last = 0;
  for (const [pos, indent] of [...indents].sort((a, b) => a[0] - b[0])) {
    out += text.slice(last, pos) + '\n' + ' '.repeat(indent);
    last = pos + 1;
  }
  return out + text.slice(last);
}

interface Line {
  start: number;
  end: number;
  indent: number;
}

/** The lines the text has with the breaks chosen so far (existing newlines included). */
function lines(text: string, indents: Map<number, number>): Line[] {
  const cuts: { pos: number; indent: number }[] = [...indents].map(([pos, indent]) => ({ pos, indent }));
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    let j = i + 1;
    while (text[j] === ' ') j++;
    cuts.push({ pos: i, indent: j - i - 1 });
  }
  cuts.sort((a, b) => a.pos - b.pos);
  const out: Line[] = [];
  let start = 0;
  let indent = 0;
  for (const cut of cuts) {
    out.push({ start, end: cut.pos, indent });
    start = cut.pos + 1 + (text[cut.pos] === '\n' ? cut.indent : 0);
    indent = cut.indent;
  }
  out.push({ start, end: text.length, indent });
  return out;
}

/** Breaks a line longer than `width` before its shallowest operators, then each piece the same way. */
function breakLong(line: Line, ops: readonly Gap[], indents: Map<number, number>, width: number): void {
  if (line.indent + (line.end - line.start) <= width) return;
  // `ops` is in text order: the line's operators are one run of it (a 400 KB query has ~20,000).
  const inLine: Gap[] = [];
  for (let i = firstAfter(ops, line.start); i < ops.length && ops[i].pos < line.end; i++) if (!indents.has(ops[i].pos)) inLine.push(ops[i]);
  if (inLine.length === 0) return;
  const depth = inLine.reduce((min, g) => Math.min(min, g.depth), Infinity);
  const indent = 2 * (depth + 1);
  let start = line.start;
  let pieceIndent = line.indent;
  for (const cut of inLine) {
    if (cut.depth !== depth) continue;
    indents.set(cut.pos, indent);
    breakLong({ start, end: cut.pos, indent: pieceIndent }, ops, indents, width);
    start = cut.pos + 1;
    pieceIndent = indent;
  }
  breakLong({ start, end: line.end, indent: pieceIndent }, ops, indents, width);
}

/** Index of the first gap after `pos` (binary search). */
function firstAfter(gaps: readonly Gap[], pos: number): number {
  let lo = 0;
  let hi = gaps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (gaps[mid].pos <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The spaces outside strings with their depth of parentheses; undefined when the text does not
 * read as expected (an unclosed string, unbalanced parentheses): then it is left as it is.
 */
function scan(text: string, syntax: Syntax): Gap[] | undefined {
  const gaps: Gap[] = [];
  let depth = 0;
  let clause: string | undefined;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ') {
      const word = wordAt(text, i + 1);
      if (depth === 0 && syntax.clauses.includes(word)) clause = word;
      const prev = /[^ \n]*$/.exec(text.slice(Math.max(0, i - 40), i))?.[0] ?? '';
      gaps.push({ pos: i, depth, word, prev, clause });
      i++;
    } else if (c === '\n') {
      // A line the generator began (SPL's `| where`, KQL's pipes) can start a clause too.
      let j = i + 1;
      while (text[j] === ' ') j++;
      if (depth === 0 && syntax.clauses.includes(wordAt(text, j))) clause = wordAt(text, j);
      i = j;
    } else if (c === '(' || c === '[' || c === '{') {
      depth++;
      i++;
    } else if (c === ')' || c === ']' || c === '}') {
      if (--depth < 0) return undefined;
      i++;
    } else if (syntax.regexCall && text.startsWith('regex(', i)) {
      i = regexEnd(text, i + 'regex('.length);
    } else if (syntax.triple && text.startsWith('"""', i)) {
      const end = text.indexOf('"""', i + 3);
      if (end < 0) return undefined;
      i = end + 3;
    } else if (syntax.verbatim && c === '@' && (text[i + 1] === '"' || text[i + 1] === "'")) {
      i = verbatimEnd(text, i + 1);
    } else if (c === '"' || c === "'") {
      i = quotedEnd(text, i);
    } else {
      i++;
    }
    if (i < 0) return undefined;
  }
  return depth === 0 ? gaps : undefined;
}

function wordAt(text: string, i: number): string {
  return /^[^ \n]*/.exec(text.slice(i, i + 40))?.[0] ?? '';
}

/** Index after the string that starts at `i` (backslash escapes), or -1 when it is not closed. */
function quotedEnd(text: string, i: number): number {
  const quote = text[i];
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === quote) return j + 1;
  }
  return -1;
}

/** Index after the verbatim string whose quote is at `i` (the quote doubled inside), or -1. */
function verbatimEnd(text: string, i: number): number {
  const quote = text[i];
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] !== quote) continue;
    if (text[j + 1] === quote) j++;
    else return j + 1;
  }
  return -1;
}

/** Index after DNIF's `regex(...)`, whose text starts at `i`: nested groups counted, a backslash escapes. */
function regexEnd(text: string, i: number): number {
  let depth = 1;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j + 1;
  }
  return -1;
}
