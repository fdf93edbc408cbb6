/**
 * Sigma's condition language: and, or, not, parentheses, `1 of X*`, `all of X*`, `1 of them`,
 * with the spec's precedence (or < and < not < x of < parentheses). Parsed into a small tree;
 * detection.ts binds it to the selections.
 */
import { SigmaError } from './errors';
import { compileStringTest } from './glob';
import { Part } from './sigmaString';

export type Condition =
  | { op: 'id'; name: string }
  | { op: 'not'; arg: Condition }
  | { op: 'and' | 'or'; args: Condition[] }
  /** `1 of pattern` (`any` too) or `all of pattern`; `pattern` undefined for `them`. */
  | { op: 'of'; all: boolean; pattern: string | undefined };

interface Token {
  text: string;
  /** 0-based offset in the condition. */
  at: number;
}

const TOKEN = /\s*(\(|\)|[^\s()]+)/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN.exec(text))) tokens.push({ text: m[1], at: m.index + m[0].length - m[1].length });
  return tokens;
}

const bad = (message: string): SigmaError => new SigmaError('bad condition', message);
const IDENT = /^[\p{L}\p{N}_.*-]+$/u;
/** IDENT for ASCII names (nearly all): V8 builds the Unicode one's tables only when a name needs them. */
const ASCII_IDENT = /^[A-Za-z0-9_.*-]+$/;
const isIdent = (text: string): boolean => ASCII_IDENT.test(text) || IDENT.test(text);
const isWord = (t: Token | undefined, w: string): boolean => t !== undefined && t.text.toLowerCase() === w;

/** Parsed conditions by text: SigmaHQ's 3,141 rules hold 328 distinct ones ("selection": 1,473). */
const parsed = new Map<string, Condition>();
/** Bound on the conditions kept (a process may load many rule sets). */
const MAX_PARSED = 4096;

/**
 * Parses one condition, once per distinct text (the tree is read, never changed, by its users).
 * Aggregations (`| count() ...`) and `near` are refused with their own categories: they need several
 * events, which this tool does not correlate.
 */
export function parseCondition(text: string): Condition {
  let tree = parsed.get(text);
  if (tree === undefined) {
    tree = parse(text);
    if (parsed.size >= MAX_PARSED) parsed.clear();
    parsed.set(text, tree);
  }
  return tree;
}

function parse(text: string): Condition {
  const pipe = text.indexOf('|');
  if (pipe >= 0) {
    const tail = text.slice(pipe + 1).trim();
    if (/^near\b/i.test(tail)) throw new SigmaError('near', `'near' correlates several events: ${text.trim()}`);
    throw new SigmaError('aggregation', `aggregation '| ${tail}' needs several events: ${text.trim()}`);
  }
  const tokens = tokenize(text);
  if (tokens.some((t) => isWord(t, 'near'))) throw new SigmaError('near', `'near' correlates several events: ${text.trim()}`);
  if (tokens.length === 0) throw bad('the condition is empty');
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const where = (t: Token | undefined): string => (t ? `'${t.text}' at column ${t.at + 1}` : 'the end');

  const parseOr = (): Condition => {
    const args = [parseAnd()];
    while (isWord(peek(), 'or')) {
      i++;
      args.push(parseAnd());
    }
    return args.length === 1 ? args[0] : { op: 'or', args };
  };
  const parseAnd = (): Condition => {
    const args = [parseNot()];
    while (isWord(peek(), 'and')) {
      i++;
      args.push(parseNot());
    }
    return args.length === 1 ? args[0] : { op: 'and', args };
  };
  const parseNot = (): Condition => {
    if (isWord(peek(), 'not')) {
      i++;
      return { op: 'not', arg: parseNot() };
    }
    return parsePrimary();
  };
  const parsePrimary = (): Condition => {
    const t = peek();
    if (!t) throw bad(`'${text.trim()}' ends where an identifier was expected`);
    if (t.text === '(') {
      i++;
      const inner = parseOr();
      if (peek()?.text !== ')') throw bad(`expected ')' but found ${where(peek())} in '${text.trim()}'`);
      i++;
      return inner;
    }
    const q = t.text.toLowerCase();
    if (isWord(tokens[i + 1], 'of')) {
      if (q !== '1' && q !== 'any' && q !== 'all') throw bad(`'${t.text} of' is not Sigma: use '1 of' or 'all of'`);
      const target = tokens[i + 2];
      if (!target || !isIdent(target.text)) throw bad(`'${t.text} of' needs a pattern or 'them', found ${where(target)}`);
      i += 3;
      const them = target.text.toLowerCase() === 'them';
      return { op: 'of', all: q === 'all', pattern: them ? undefined : target.text };
    }
    if (['and', 'or', 'not', 'of', ')'].includes(q) || !isIdent(t.text) || t.text.includes('*')) {
      throw bad(`unexpected ${where(t)} in '${text.trim()}'`);
    }
    i++;
    return { op: 'id', name: t.text };
  };

  const tree = parseOr();
  if (i < tokens.length) throw bad(`unexpected ${where(peek())} in '${text.trim()}'`);
  return tree;
}

/** The selection names a `1 of` / `all of` pattern picks (`*` matches any run); `them` skips names starting with `_`. */
export function namesMatching(pattern: string | undefined, names: string[]): string[] {
  if (pattern === undefined) return names.filter((n) => !n.startsWith('_'));
  let test = patternTests.get(pattern);
  if (test === undefined) {
    const parts: Part[] = [];
    pattern.split('*').forEach((s, k) => {
      if (k > 0) parts.push({ t: 'any' });
      if (s) parts.push({ t: 'lit', s });
    });
    test = compileStringTest({ parts, bytes: false }, true);
    if (patternTests.size >= MAX_PARSED) patternTests.clear();
    patternTests.set(pattern, test);
  }
  return names.filter(test);
}

/** `1 of` / `all of` patterns' tests by pattern: rules repeat a few (`selection_*`, `filter_main_*`). */
const patternTests = new Map<string, (name: string) => boolean>();
