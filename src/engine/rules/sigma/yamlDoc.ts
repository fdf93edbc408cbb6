/**
 * Safe YAML loading for rule files from any folder: no custom tags, aliases bounded, a size
 * limit, and numbers kept as the rule wrote them (`0x17` stays `0x17`, not 23; Sigma compares
 * numbers as strings anyway). Keeps the node tree so errors can point at a line.
 */
import { Document, isMap, isPair, isScalar, isSeq, LineCounter, Node, parseAllDocuments, Tags } from 'yaml';

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

/** Parses every document of `text`; any YAML error or warning (an unknown tag, ...) is an error. */
export function loadYaml(text: string): YamlResult {
  if (Buffer.byteLength(text, 'utf8') > MAX_RULE_BYTES) {
    return { error: `file is larger than ${MAX_RULE_BYTES / 1024} KB` };
  }
  const deep = nestingTooDeep(text);
  if (deep) return { error: deep.message, position: deep.position };
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

/**
 * A cheap scan for nesting a rule never has: parsing it would recurse to the stack's limit, which
 * the parser survives slowly and V8's regex compiler near that limit not always.
 */
function nestingTooDeep(text: string): { message: string; position: Position } | undefined {
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      line++;
      lineStart = i + 1;
      quote = '';
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
      i = (end < 0 ? text.length : end) - 1;
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
