/**
 * A reader for the YAML that Sigma rules are written in, line by line: block maps and lists, plain
 * and one-line quoted scalars, `|` and `|-` block text, comments. Loading every SigmaHQ rule spent a
 * third of its time in js-yaml, whose general parser starts cold in every process; this reads the
 * same rules several times faster.
 *
 * It gives up (undefined) on anything else, and the caller reads the text with js-yaml: flow
 * collections, anchors and aliases, tags, several documents, multi-line plain or quoted scalars,
 * folded text, tabs in indentation, unusual escapes, duplicate keys, anything malformed. So a text it
 * reads is one js-yaml reads to the same value (the unit tests hold it to js-yaml on every SigmaHQ
 * rule and on mutations of them), and it never accepts a text js-yaml refuses.
 */

/** Thrown to give up; caught once at the top. */
class GiveUp extends Error {}
const giveUp = (): never => {
  throw new GiveUp();
};

/** Characters js-yaml refuses, or that this reader leaves to it (CR, BOM, controls, lone surrogates). */
const UNUSUAL_CHARS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/;

/** Plain scalars the rule schema resolves to null or a boolean; every other plain scalar is a string. */
const PLAIN_VALUES = new Map<string, null | boolean>([
  ['~', null],
  ['null', null],
  ['Null', null],
  ['NULL', null],
  ['', null],
  ['true', true],
  ['True', true],
  ['TRUE', true],
  ['false', false],
  ['False', false],
  ['FALSE', false],
]);

/** The rule's one YAML document as js-yaml (with the rule schema) reads it, or undefined to leave it to js-yaml. */
export function readRuleYaml(text: string): unknown {
  if (!primed) {
    primed = true;
    for (let i = 0; i < 3; i++) read(PRIMER);
    for (const text of PRIMERS_GIVEN_UP) read(text);
  }
  return read(text);
}

function read(text: string): unknown {
  if (UNUSUAL_CHARS.test(text)) return undefined;
  try {
    return new LineReader(text).document();
  } catch (e) {
    if (e instanceof GiveUp) return undefined;
    throw e;
  }
}

/**
 * Read (three times, and PRIMERS_GIVEN_UP once) before the first rule. V8 optimises the reader's methods after a few hundred rules;
 * a path first taken after that (a quoted key, a comment, block text, a nested list) makes it throw
 * the optimised code away and compile it again, which it did several times per load of the SigmaHQ
 * rules. Having taken every path once, it compiles each method once (-0.05 to -0.1 s of CPU there).
 * The tests check that it is read to js-yaml's value, so that it reaches its last line.
 */
export const PRIMER = [
  'title: A rule # a comment',
  "id: '5f1c'",
  "'quoted': x",
  '"double": y',
  'a#b: c',
  'description: |',
  '    First',
  '',
  '      indented',
  'text: |-',
  '  x',
  'references:',
  '- https://example.com/a?b=c',
  '-   "quoted \\"x\\" \\\\ \\x41 \\t"',
  "- 'it''s'",
  '- -x',
  '- ?y',
  '- x  ',
  '- ~',
  '- true',
  '-',
  '  - nested',
  '- - z',
  'detection:',
  '    selection:',
  "        Image|endswith: '\\cmd.exe'",
  '        CommandLine|contains:',
  "            - ' -enc '",
  '        LogonId: 0x3e7',
  '        Missing: null',
  '        list:',
  '        - a: 1',
  '          b: "2"',
  '    condition: selection and not 1 of list_*',
  'level: high',
  'falsepositives:',
  '- A value',
  '  continued',
  '',
].join('\n');
/** Texts it gives up on, late in a method: a plain value continued after a blank line, a flow list. */
export const PRIMERS_GIVEN_UP = ['a: b\n\n  c\n', 'a: [b]\n'];
let primed = false;

const SPACE = 0x20;
const TAB = 0x09;
const COLON = 0x3a;

/** In `LineReader.indents`: a blank or comment-only line. */
const BLANK = -1;
/** In `LineReader.indents`: a line this reader leaves to js-yaml if it reaches it outside block text. */
const UNREADABLE = -2;

class LineReader {
  private readonly lines: string[];
  /**
   * Indentation of each line (spaces), BLANK or UNREADABLE; all measured first, in one loop: V8 then
   * compiles that loop once, where it used to inline a copy of it into every method that read a line.
   */
  private readonly indents: Int32Array;
  private i = 0;

  constructor(text: string) {
    this.lines = text.split('\n');
    this.indents = measureIndents(this.lines);
  }

  document(): unknown {
    const first = this.nextContent();
    if (first < 0) giveUp();
    const value = this.node(-1, -1);
    if (this.nextContent() >= 0) giveUp();
    return value;
  }

  /** Indentation of line `k`: -1 for a blank or comment-only line. */
  private indentOf(k: number): number {
    const n = this.indents[k];
    if (n === UNREADABLE) giveUp();
    return n;
  }

  /** Line `k` after its indentation (where a list item's `- ` became indentation, after that). */
  private textOf(k: number): string {
    return this.lines[k].slice(this.indents[k]);
  }

  /** The next line from `this.i` on with content, skipping blanks and comments; -1 at the end. */
  private nextContent(): number {
    while (this.i < this.lines.length && this.indentOf(this.i) < 0) this.i++;
    return this.i < this.lines.length ? this.i : -1;
  }

  /**
   * The block node starting at the next content line, indented more than `parent`; `listAt`: a list may
   * start at this indentation too (a map's value). Null when the node is empty.
   */
  private node(parent: number, listAt: number): unknown {
    const k = this.nextContent();
    if (k < 0) return null;
    const indent = this.indentOf(k);
    const text = this.textOf(k);
    if (isItem(text)) {
      if (indent > parent || indent === listAt) return this.list(indent);
      return null;
    }
    if (indent <= parent) return null;
    return this.map(indent);
  }

  /** The next content line of a block at `indent`, or -1 where the block ends; a deeper line is not this reader's YAML. */
  private lineOf(indent: number): number {
    const k = this.nextContent();
    if (k < 0) return -1;
    const at = this.indentOf(k);
    if (at < indent) return -1;
    if (at > indent) giveUp();
    return k;
  }

  private list(indent: number): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      const k = this.lineOf(indent);
      if (k < 0) break;
      const text = this.textOf(k);
      if (!isItem(text)) break;
      let skip = 1;
      while (skip < text.length && text.charCodeAt(skip) === SPACE) skip++;
      const rest = text.slice(skip);
      if (rest === '' || rest[0] === '#') {
        this.i = k + 1;
        out.push(this.node(indent, -1));
      } else if (rest[0] === '|' || rest[0] === '>') {
        out.push(this.blockText(k, rest, indent));
      } else if (isItem(rest) || keyOf(rest) !== undefined) {
        // `- key: value` or `- - x`: the item is a node whose first line starts after the dash.
        this.indents[k] = indent + skip; // so textOf(k) is now `rest`
        this.i = k;
        out.push(this.node(indent, -1));
      } else {
        this.i = k + 1;
        out.push(this.inline(rest, indent));
      }
    }
    return out;
  }

  private map(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (;;) {
      const k = this.lineOf(indent);
      if (k < 0) break;
      const text = this.textOf(k);
      if (isItem(text)) giveUp();
      const key = keyOf(text);
      if (key === undefined || Object.prototype.hasOwnProperty.call(out, key.name)) giveUp();
      const name = (key as Key).name;
      let from = (key as Key).end;
      while (from < text.length && text.charCodeAt(from) === SPACE) from++;
      const rest = text.slice(from);
      let value: unknown;
      if (rest === '' || rest[0] === '#') {
        this.i = k + 1;
        value = this.node(indent, indent);
      } else if (rest[0] === '|' || rest[0] === '>') {
        value = this.blockText(k, rest, indent);
      } else {
        this.i = k + 1;
        value = this.inline(rest, indent);
      }
      out[name] = value;
    }
    return out;
  }

  /** A scalar written after `key: ` or `- `; a more indented line after it would continue it: left to js-yaml. */
  private inline(text: string, parent: number): unknown {
    const value = scalar(text);
    const next = this.i;
    const k = this.nextContent();
    if (k >= 0 && this.indentOf(k) > parent) {
      // Continued on the very next line: plain text folded; after a blank or comment line, left to js-yaml.
      if (k !== next) giveUp();
      return this.folded(text, parent);
    }
    return value;
  }

  /**
   * A plain value continued on more indented lines (two SigmaHQ rules wrap a condition or a false
   * positive so): each line trimmed, joined by one space, as YAML folds it. Only lines of plain words:
   * a comment, a quote, a tab, `: ` or an indicator in them leaves the text to js-yaml.
   */
  private folded(first: string, parent: number): string {
    if (!plainWords(first, true)) giveUp();
    let text = first.replace(/[ ]+$/, '');
    let k = this.i;
    const lines = this.lines;
    while (k < lines.length) {
      const indent = this.indents[k];
      if (indent <= parent) break; // a blank or comment line (BLANK), or the next key or item
      const line = lines[k].slice(indent);
      if (!plainWords(line, false)) giveUp();
      text += ' ' + line.replace(/[ ]+$/, '');
      k++;
    }
    this.i = k;
    const after = this.nextContent();
    if (after >= 0 && this.indentOf(after) > parent) giveUp(); // more text after a blank or comment line
    return text;
  }

  /** `|` or `|-` text, its header on line `k`, its lines indented more than `parent`. */
  private blockText(k: number, header: string, parent: number): string {
    const h = header.replace(/ +$/, '');
    if (h !== '|' && h !== '|-') giveUp();
    const lines = this.lines;
    const first = k + 1;
    if (first >= lines.length) giveUp();
    let indent = 0;
    const line = lines[first];
    while (indent < line.length && line.charCodeAt(indent) === SPACE) indent++;
    // Leading blank lines and empty text have their own rules: left to js-yaml.
    if (indent === line.length || indent <= parent || line[indent] === '\t') giveUp();
    const out: string[] = [];
    let blanks = 0;
    let j = first;
    for (; j < lines.length; j++) {
      const l = lines[j];
      let n = 0;
      while (n < l.length && n < indent && l.charCodeAt(n) === SPACE) n++;
      if (n === l.length) {
        blanks++;
        continue;
      }
      if (n < indent) {
        if (/^[ \t]*$/.test(l)) giveUp();
        break;
      }
      const content = l.slice(indent);
      if (/^[ \t]*$/.test(content)) giveUp(); // spaces past the indentation: content, by rules left to js-yaml
      for (; blanks > 0; blanks--) out.push('');
      out.push(content);
    }
    // Text running to the end without a final line break is chomped by rules left to js-yaml.
    if (j === lines.length && blanks === 0) giveUp();
    this.i = j;
    const body = out.join('\n');
    return h === '|' ? body + '\n' : body;
  }
}

/** Each line's indentation, BLANK, or UNREADABLE: a tab where indentation continues, or (at column 0) a document marker or directive. */
function measureIndents(lines: string[]): Int32Array {
  const indents = new Int32Array(lines.length);
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k];
    let n = 0;
    while (n < line.length && line.charCodeAt(n) === SPACE) n++;
    if (n === line.length) n = BLANK;
    else {
      const c = line.charCodeAt(n);
      if (c === HASH) n = BLANK;
      else if (c === TAB) n = UNREADABLE;
      else if (n === 0 && (line.startsWith('---') || line.startsWith('...') || c === PERCENT)) n = UNREADABLE;
    }
    indents[k] = n;
  }
  return indents;
}

const HASH = 0x23;
const PERCENT = 0x25;
const DASH = 0x2d;
// Lengths checked before reading: a read past the end costs a deoptimisation in V8.
const isItem = (text: string): boolean => text.length > 0 && text.charCodeAt(0) === DASH && (text.length === 1 || text.charCodeAt(1) === SPACE);

interface Key {
  name: string;
  /** Offset just after the key's colon. */
  end: number;
}

/** The key of a `key: value` line (plain or quoted), or undefined when the text is no simple key. */
function keyOf(text: string): Key | undefined {
  const c = text[0];
  if (c === "'" || c === '"') {
    const q = c === "'" ? singleQuoted(text) : doubleQuoted(text);
    if (!q) return undefined;
    let p = q.end;
    while (p < text.length && text.charCodeAt(p) === SPACE) p++;
    if (text[p] !== ':' || !(p + 1 === text.length || text.charCodeAt(p + 1) === SPACE)) return undefined;
    return { name: checkedKey(q.value), end: p + 1 };
  }
  let colon = text.indexOf(': ');
  if (colon < 0 && text.endsWith(':')) colon = text.length - 1;
  if (colon <= 0) return undefined;
  const name = text.slice(0, colon);
  const last = name.charCodeAt(name.length - 1);
  if (!plainStart(name) || last === SPACE || last === TAB || last === COLON) return undefined;
  if ((name.includes('#') && /[ \t]#/.test(name)) || name.includes(':\t')) return undefined;
  if (PLAIN_VALUES.has(name)) return undefined;
  return { name: checkedKey(name), end: colon + 1 };
}

/** Keys js-yaml treats specially, or that are too long for an implicit key. */
function checkedKey(name: string): string {
  if (name === '__proto__' || name === '<<' || name.length > 1000) giveUp();
  return name;
}

/**
 * A line of a folded plain value this reader takes: plain from its first character (and, continuing
 * it, no `-`, `?` or `:` first), no tab, no comment, no `:` before a blank or at the end; the first
 * line must also read as a string.
 */
function plainWords(text: string, first: boolean): boolean {
  if (text.length === 0 || !plainStart(text) || /\t| #|:(?: |$)/.test(text)) return false;
  if (first) return !PLAIN_VALUES.has(text.replace(/[ ]+$/, ''));
  return !'-?:'.includes(text[0]);
}

/** Can a plain scalar start this way (no indicator character)? */
function plainStart(text: string): boolean {
  const c = text[0];
  if (c === undefined || '[]{},#&*!|>\'"%@`\t'.includes(c)) return false;
  // `-`, `?` and `:` start a plain scalar when a character other than a blank follows (SigmaHQ has
  // `- :\ProgramData'`, a quote missing); before a blank they are indicators.
  if ((c === '-' || c === '?' || c === ':') && (text.length === 1 || text[1] === ' ' || text[1] === '\t')) return false;
  return true;
}

/** A one-line scalar: quoted, or plain (resolved as the rule schema does); a trailing comment is dropped. */
function scalar(text: string): unknown {
  const c = text[0];
  if (c === "'" || c === '"') {
    const q = c === "'" ? singleQuoted(text) : doubleQuoted(text);
    if (!q) giveUp();
    const end = (q as Quoted).end;
    if (end < text.length && !/^(?:[ \t]*|[ \t]+#.*)$/.test(text.slice(end))) giveUp();
    return (q as Quoted).value;
  }
  if (!plainStart(text)) giveUp();
  // Regexes only where the characters they look for occur: most values have no comment, colon or trailing blank.
  let plain = text;
  if (plain.includes('#')) {
    const comment = /[ \t]#/.exec(plain);
    if (comment) plain = plain.slice(0, comment.index);
  }
  const last = plain.charCodeAt(plain.length - 1);
  if (last === SPACE || last === TAB) plain = plain.replace(/[ \t]+$/, '');
  if (plain.includes(':') && (plain.includes(': ') || plain.includes(':\t') || plain.endsWith(':'))) giveUp();
  const special = PLAIN_VALUES.get(plain);
  return special === undefined ? plain : special;
}

interface Quoted {
  value: string;
  /** Offset after the closing quote. */
  end: number;
}

/** A single-quoted scalar closed on this line (`''` is a quote). */
function singleQuoted(text: string): Quoted | undefined {
  let value = '';
  let from = 1;
  for (;;) {
    const q = text.indexOf("'", from);
    if (q < 0) return undefined;
    value += text.slice(from, q);
    if (text[q + 1] === "'") {
      value += "'";
      from = q + 2;
    } else {
      return { value, end: q + 1 };
    }
  }
}

const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', r: '\r', '0': '\0' };
const HEX_DIGITS: Record<string, number> = { x: 2, u: 4 };

/** A double-quoted scalar closed on this line, with the common escapes (others: left to js-yaml). */
function doubleQuoted(text: string): Quoted | undefined {
  let value = '';
  let from = 1;
  for (let p = 1; p < text.length; p++) {
    const c = text[p];
    if (c === '"') return { value: value + text.slice(from, p), end: p + 1 };
    if (c !== '\\') continue;
    value += text.slice(from, p);
    const e = text[p + 1];
    if (e !== undefined && Object.prototype.hasOwnProperty.call(ESCAPES, e)) {
      value += ESCAPES[e];
      p++;
    } else if (e !== undefined && Object.prototype.hasOwnProperty.call(HEX_DIGITS, e)) {
      const digits = text.slice(p + 2, p + 2 + HEX_DIGITS[e]);
      if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== HEX_DIGITS[e]) giveUp();
      const code = parseInt(digits, 16);
      if (code >= 0xd800 && code <= 0xdfff) giveUp();
      value += String.fromCharCode(code);
      p += 1 + digits.length;
    } else {
      giveUp();
    }
    from = p + 1;
  }
  return undefined;
}
