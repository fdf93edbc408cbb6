/**
 * Safe YAML loading for rule files from any folder: no custom tags, aliases bounded, a size
 * limit, and numbers kept as the rule wrote them (`0x17` stays `0x17`, not 23; Sigma compares
 * numbers as strings anyway). Errors point at a line.
 *
 * Two parsers: js-yaml reads a plain rule about ten times faster than `yaml` (loading every SigmaHQ
 * rule took 1.4 s of YAML alone), but keeps no positions and expands aliases by sharing. So a rule
 * is read by js-yaml first; anything it refuses, and any document whose values share a node (an
 * alias), is read again by `yaml`, whose node tree gives positions and whose alias count is bounded.
 * Positions of a fast-read rule are found when asked: top-level keys by a line scan, the rest
 * by parsing the text again with `yaml` (only rules that are skipped ask).
 */
import { FAILSAFE_SCHEMA, loadAll, Type } from 'js-yaml';
import { Document, isMap, isPair, isScalar, isSeq, LineCounter, Node, parseAllDocuments, Tags } from 'yaml';
import { readRuleYaml } from './yamlLines';

/** Larger files are not Sigma rules (SigmaHQ's largest is about 30 KB). */
export const MAX_RULE_BYTES = 1024 * 1024;
const MAX_ALIASES = 50;
/** Deeper flow nesting is refused before parsing: the parser recurses, and no rule nests so deep. */
const MAX_FLOW_DEPTH = 64;
/** Longest run of indentation and `- ` / `? ` indicators a line may start with, for the same reason. */
const MAX_BLOCK_INDENT = 400;

export interface Position {
  line: number;
  column: number;
}

export interface YamlDoc {
  value: unknown;
  /** Where the document starts. */
  start: Position;
  /** Position of the key (or list item) at `path`, from the document's root; undefined if absent. */
  positionOf(path: (string | number)[]): Position | undefined;
}

export type YamlResult = { docs: YamlDoc[] } | { error: string; position?: Position };

/** Sigma values are strings, numbers kept as written: drop the int and float resolvers. */
const withoutNumbers = (tags: Tags): Tags =>
  tags.filter((t) => typeof t === 'string' || (t.tag !== 'tag:yaml.org,2002:int' && t.tag !== 'tag:yaml.org,2002:float'));

/** A plain scalar of YAML 1.2's core schema, resolved to a JavaScript value. */
function coreScalar(tag: string, values: Record<string, unknown>): Type {
  return new Type(tag, {
    kind: 'scalar',
    resolve: (text: string | null) => text === null || Object.prototype.hasOwnProperty.call(values, text),
    construct: (text: string | null) => (text === null ? null : values[text]),
  });
}

/** js-yaml's schema for the values `yaml` gives here: strings, nulls and booleans; numbers stay text. */
export const FAST_SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: [
    coreScalar('tag:yaml.org,2002:null', { '~': null, null: null, Null: null, NULL: null, '': null }),
    coreScalar('tag:yaml.org,2002:bool', { true: true, True: true, TRUE: true, false: false, False: false, FALSE: false }),
  ],
});

/** Parses every document of `text`; any YAML error or warning (an unknown tag, ...) is an error. */
export function loadYaml(text: string): YamlResult {
  // A UTF-16 unit is at most 3 bytes of UTF-8: a short text need not be measured.
  if (text.length > MAX_RULE_BYTES / 3 && Buffer.byteLength(text, 'utf8') > MAX_RULE_BYTES) {
    return { error: `file is larger than ${MAX_RULE_BYTES / 1024} KB` };
  }
  const deep = nestingTooDeep(text);
  if (deep) return { error: deep.message, position: deep.position };
  return loadFast(text) ?? loadWithPositions(text);
}

/**
 * The documents as the line reader (the plain rule, most of them) or js-yaml reads them, or
 * undefined when `yaml` must read the text (an error, an alias).
 */
function loadFast(text: string): { docs: YamlDoc[] } | undefined {
  const plain = readRuleYaml(text);
  let values: unknown[];
  if (plain !== undefined) {
    values = [plain];
  } else {
    try {
      values = loadAll(text, undefined, { schema: FAST_SCHEMA });
    } catch {
      return undefined;
    }
    if (values.some((v) => sharesNodes(v))) return undefined;
  }
  const positions = new LazyPositions(text, values.length);
  const docs: YamlDoc[] = [];
  for (let i = 0; i < values.length; i++) docs.push(new FastDoc(values[i], i, positions));
  return { docs };
}

/** The positions of a fast-read text: `yaml` parses it again only when one is asked for (a skipped rule). */
class LazyPositions {
  private slow: YamlResult | undefined;
  constructor(
    readonly text: string,
    readonly count: number,
  ) {}
  full(): YamlResult {
    return (this.slow ??= loadWithPositions(this.text));
  }
}

/**
 * A fast-read document. A class, not an object literal with a getter: V8 builds such a literal
 * through the runtime, for each of a load's thousands of rules.
 */
class FastDoc implements YamlDoc {
  constructor(
    readonly value: unknown,
    private readonly index: number,
    private readonly positions: LazyPositions,
  ) {}

  get start(): Position {
    const r = this.positions.full();
    return 'docs' in r ? (r.docs[this.index]?.start ?? { line: 1, column: 1 }) : { line: 1, column: 1 };
  }

  positionOf(path: (string | number)[]): Position | undefined {
    if (this.positions.count === 1 && path.length === 1 && typeof path[0] === 'string') {
      const line = topLevelKeyLine(this.positions.text, path[0]);
      if (line !== undefined) return { line, column: 1 };
    }
    const r = this.positions.full();
    return 'docs' in r ? r.docs[this.index]?.positionOf(path) : undefined;
  }
}

/** Does a map or list appear twice in the value (an alias)? Walking such a value could take exponential time. */
function sharesNodes(value: unknown, seen = new Set<object>()): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (seen.has(value)) return true;
  seen.add(value);
  for (const v of Array.isArray(value) ? value : Object.values(value)) if (sharesNodes(v, seen)) return true;
  return false;
}

/** topLevelKeyLine's pattern by key (no `g` flag: exec keeps no state), made once rather than per skipped rule. */
const keyLinePatterns = new Map<string, RegExp>();

/** The 1-based line of a top-level `key:` in a one-document file, if written plainly at column 1. */
function topLevelKeyLine(text: string, key: string): number | undefined {
  let pattern = keyLinePatterns.get(key);
  if (!pattern) {
    const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    pattern = new RegExp(`^(?:${escaped}|'${escaped}'|"${escaped}")[ \t]*:`, 'm');
    // The keys asked for are the few of a rule's attributes; bounded all the same.
    if (keyLinePatterns.size >= 64) keyLinePatterns.clear();
    keyLinePatterns.set(key, pattern);
  }
  const m = pattern.exec(text);
  if (!m) return undefined;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Parses with `yaml`, keeping the node tree for positions (exported for the tests that hold the fast parser to it). */
export function loadWithPositions(text: string): YamlResult {
  const lineCounter = new LineCounter();
  const at = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  try {
    const parsed = parseAllDocuments(text, {
      lineCounter,
      customTags: withoutNumbers,
      merge: false,
      uniqueKeys: true,
      prettyErrors: false,
    });
    const documents: Document[] = Array.isArray(parsed) ? parsed : [];
    const docs: YamlDoc[] = [];
    for (const doc of documents) {
      const problem = doc.errors[0] ?? doc.warnings[0];
      if (problem) return { error: problem.message, position: at(problem.pos[0]) };
      const value: unknown = doc.toJS({ maxAliasCount: MAX_ALIASES });
      const root = doc.contents;
      docs.push({
        value,
        start: at(root?.range?.[0] ?? 0),
        positionOf: (path) => {
          const offset = offsetOf(root, path);
          return offset === undefined ? undefined : at(offset);
        },
      });
    }
    return { docs };
  } catch (e) {
    // Alias bombs (maxAliasCount), and anything else the parser throws.
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** Start offset of the key at the end of `path` (or the list item), walking maps and lists. */
function offsetOf(root: Node | null, path: (string | number)[]): number | undefined {
  let node: unknown = root;
  let offset = root?.range?.[0];
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return offset;
      const key = pair.key as Node;
      offset = key.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) return offset;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      return offset;
    }
  }
  return offset;
}

/** A line starting too deep, tried at one place. */
const TOO_DEEP_AT = new RegExp(`[ \\t?:-]{${MAX_BLOCK_INDENT + 1}}`, 'y');

/**
 * Does the first line, or a line after a line feed, start too deep? Those are the lines nestingTooDeep
 * walks (a multiline regex, which it ran before, also tried lines after \r, \u2028 and \u2029, which the
 * walk then passed over). The run is tried only at the start of a line longer than MAX_BLOCK_INDENT:
 * the regex tried every character of every rule.
 */
function startsTooDeep(text: string): boolean {
  if (text.length <= MAX_BLOCK_INDENT) return false;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end - start > MAX_BLOCK_INDENT && tooDeepAt(text, start)) return true;
    start = end + 1;
  }
  return false;
}

/** A long line is rare: its own function, which V8 leaves out of startsTooDeep's optimised loop. */
function tooDeepAt(text: string, start: number): boolean {
  TOO_DEEP_AT.lastIndex = start;
  return TOO_DEEP_AT.test(text);
}

/** How many `[` and `{` the text holds, counted up to one past MAX_FLOW_DEPTH (by indexOf: no loop over every character). */
function flowOpeners(text: string): number {
  let n = 0;
  for (const c of ['[', '{']) for (let i = text.indexOf(c); i >= 0 && n <= MAX_FLOW_DEPTH; i = text.indexOf(c, i + 1)) n++;
  return n;
}

/** The characters the nesting scan acts on; it jumps from one to the next. */
const NESTING_CHARS = /[\n'"#[\]{}]/g;

/**
 * A cheap scan for nesting a rule never has: parsing it would recurse to the stack's limit, which
 * the parser survives slowly and V8's regex compiler near that limit not always.
 */
function nestingTooDeep(text: string): { message: string; position: Position } | undefined {
  // Most rules have neither deep indentation nor enough brackets to nest too deep: skip the walk.
  const deepIndent = startsTooDeep(text);
  if (!deepIndent && flowOpeners(text) <= MAX_FLOW_DEPTH) return undefined;
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  let quote = '';
  const next = new RegExp(NESTING_CHARS);
  for (let m = next.exec(text); m; m = next.exec(text)) {
    const i = m.index;
    const c = text[i];
    if (c === '\n') {
      line++;
      lineStart = i + 1;
      quote = '';
      // Without a line found by startsTooDeep none starts too deep: the check is for texts that have one.
      if (!deepIndent) continue;
      const indent = /^[ \t?:-]*/.exec(text.slice(lineStart, lineStart + MAX_BLOCK_INDENT + 1))?.[0].length ?? 0;
      if (indent > MAX_BLOCK_INDENT) return { message: 'nesting too deep (indentation)', position: { line, column: 1 } };
      continue;
    }
    if (quote) {
      if (c === quote && !(quote === '"' && text[i - 1] === '\\')) quote = '';
    } else if ((c === "'" || c === '"') && (i === lineStart || /[\s[{,:]/.test(text[i - 1]))) {
      // Only where a quoted scalar can start: a quote inside a plain scalar (it's) is just a character.
      quote = c;
    } else if (c === '#' && (i === lineStart || /\s/.test(text[i - 1]))) {
      const end = text.indexOf('\n', i);
      next.lastIndex = end < 0 ? text.length : end;
    } else if (c === '[' || c === '{') {
      if (++depth > MAX_FLOW_DEPTH) return { message: 'nesting too deep (flow collections)', position: { line, column: i - lineStart + 1 } };
    } else if ((c === ']' || c === '}') && depth > 0) {
      depth--;
    }
  }
  const first = /^[ \t?:-]*/.exec(text.slice(0, MAX_BLOCK_INDENT + 1))?.[0].length ?? 0;
  if (first > MAX_BLOCK_INDENT) return { message: 'nesting too deep (indentation)', position: { line: 1, column: 1 } };
  return undefined;
}
