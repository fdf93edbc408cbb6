/**
 * A quick reader for one plain XML event record: the same ParsedRecord as parseXmlRecord (SAX),
 * found by string search instead of a character-by-character parser. With every rule loaded
 * nearly every record is read, and SAX was about 40% of such a hunt.
 *
 * It reads the plain subset every exporter writes: tags with ASCII names and quoted attributes,
 * text with the five XML entities and numeric character references. It walks the elements the
 * way parseXmlRecord's callbacks do (System children and their attributes, EventData children,
 * UserData leaves), so nesting is read the same. Whatever it is not sure of (CDATA, comments,
 * processing instructions, DOCTYPE, a BOM, an entity or name it does not know, a repeated name,
 * broken markup) gives undefined, and the caller parses with SAX, which also words the errors.
 */
import { ParsedRecord, systemAttributeName, toEventId, unnamedDataName } from './record';

const GT = 0x3e;
const SLASH = 0x2f;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

/** SAX's white space: space, tab, LF, CR. */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** An ASCII name's first character (SAX also takes more of Unicode: those records go to SAX). */
function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f /* _ */ || c === 0x3a /* : */;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d /* - */ || c === 0x2e /* . */;
}

/** The XML Char production, as SAX checks a character reference. */
function isXmlChar(n: number): boolean {
  return n === 0x9 || n === 0xa || n === 0xd || (n >= 0x20 && n <= 0xd7ff) || (n >= 0xe000 && n <= 0xfffd) || (n >= 0x10000 && n <= 0x10ffff);
}

/** A character reference's code point (`#65`, `#x41`), or -1 for anything SAX would refuse or this reader does not take. */
function characterReference(name: string): number {
  const hex = name.charCodeAt(1) === 0x78; /* x */
  let i = hex ? 2 : 1;
  while (i < name.length && name.charCodeAt(i) === 0x30) i++; // leading zeros, as SAX strips them
  const digits = name.length - i;
  if (digits === 0 || digits > (hex ? 6 : 7)) return -1;
  for (let k = i; k < name.length; k++) {
    const c = name.charCodeAt(k);
    const ok = (c >= 0x30 && c <= 0x39) || (hex && ((c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)));
    if (!ok) return -1;
  }
  const n = parseInt(name.slice(i), hex ? 16 : 10);
  return isXmlChar(n) ? n : -1;
}

/** The predefined entities' values, by name. */
function namedEntity(name: string): string | undefined {
  switch (name) {
    case 'lt':
      return '<';
    case 'gt':
      return '>';
    case 'amp':
      return '&';
    case 'quot':
      return '"';
    case 'apos':
      return "'";
    default:
      return undefined;
  }
}

/** Attributes of one tag the quick reader takes (Windows writes at most a few). */
const MAX_ATTRIBUTES = 32;

/** Thrown inside the walk when the record needs SAX; caught once at the top. */
const NEEDS_SAX = new Error('needs the SAX parser');

/**
 * A record's walk: the cursor, the open elements and what parseXmlRecord's callbacks keep. One is
 * reused for every record (reset), so its scratch arrays are not allocated per record; indexed by
 * counters, as setting an array's length costs more than the walk.
 */
class Walk {
  private text = '';
  /** The next `&` at or after the last place asked about (-1: none left), so each text is searched once. */
  private amp = -1;
  data: Record<string, string> = {};
  system: Record<string, string> = {};
  /** Per located field: its name, whether a data field, and its span [a, b). */
  names: string[] = [];
  isData: boolean[] = [];
  spans: number[] = [];

  /** The open elements (the first `depth`): name, where its text starts (just after its start tag), whether it has child elements. */
  private depth = 0;
  private readonly stack: string[] = [];
  private readonly starts: number[] = [];
  private readonly parents: boolean[] = [];
  private dataName: string | undefined;
  private unnamed = 0;
  private userDataDepth = -1;
  private systemTextElement = false;
  /** Where the text since the last tag starts. */
  private textStart = 0;

  /** The attributes of the start tag just read (the first attrCount entries): name, value, value's span. */
  private attrCount = 0;
  private readonly attrNames: string[] = [];
  private readonly attrValues: string[] = [];
  private readonly attrSpans: number[] = [];

  reset(text: string): void {
    this.text = text;
    this.amp = text.indexOf('&');
    this.data = {};
    this.system = {};
    this.names = [];
    this.isData = [];
    this.spans = [];
    this.depth = 0;
    this.dataName = undefined;
    this.unnamed = 0;
    this.userDataDepth = -1;
    this.systemTextElement = false;
    this.textStart = 0;
    this.attrCount = 0;
  }

  /** The text [from, to) with its entities replaced; only what SAX reads the same way. */
  private decode(from: number, to: number): string {
    const text = this.text;
    if (this.amp >= 0 && this.amp < from) this.amp = text.indexOf('&', from);
    if (this.amp < 0 || this.amp >= to) return text.substring(from, to);
    let out = '';
    let k = from;
    for (let at = this.amp; at >= 0 && at < to; at = text.indexOf('&', k)) {
      const semi = text.indexOf(';', at + 1);
      if (semi < 0 || semi >= to || semi - at > 12) throw NEEDS_SAX;
      const name = text.substring(at + 1, semi);
      let value = namedEntity(name);
      if (value === undefined) {
        const code = name.charCodeAt(0) === 0x23 /* # */ ? characterReference(name) : -1;
        if (code < 0) throw NEEDS_SAX;
        value = String.fromCodePoint(code);
      }
      out += text.substring(k, at) + value;
      k = semi + 1;
    }
    this.amp = text.indexOf('&', k);
    return out + text.substring(k, to);
  }

  /** Reads the whole record; throws NEEDS_SAX when it cannot be sure. */
  run(): void {
    const text = this.text;
    const n = text.length;
    let pos = 0;
    let rooted = false;
    for (;;) {
      const lt = text.indexOf('<', pos);
      if (this.depth === 0) {
        // Outside the root: only white space, and one root.
        for (let k = pos, end = lt < 0 ? n : lt; k < end; k++) if (!isSpace(text.charCodeAt(k))) throw NEEDS_SAX;
        if (lt < 0) break;
        if (rooted) throw NEEDS_SAX;
        rooted = true;
      } else if (lt < 0) throw NEEDS_SAX;
      const c = text.charCodeAt(lt + 1);
      pos = c === SLASH ? this.closeTag(lt) : this.startTag(lt);
    }
    if (!rooted) throw NEEDS_SAX;
  }

  /** The end of the name that starts at `i`, which must start one. */
  private nameEnd(i: number): number {
    const text = this.text;
    if (!isNameStart(text.charCodeAt(i))) throw NEEDS_SAX;
    let j = i + 1;
    while (isNameChar(text.charCodeAt(j))) j++;
    return j;
  }

  private skipSpace(i: number): number {
    while (isSpace(this.text.charCodeAt(i))) i++;
    return i;
  }

  /** Reads the start tag at `lt`, with its attributes; returns where the text after it starts. */
  private startTag(lt: number): number {
    const text = this.text;
    // The text before it is not kept, but SAX refuses a bad entity there too.
    if (this.depth > 0 && this.amp >= 0 && this.amp < lt) this.decode(this.textStart, lt);
    const nameEnd = this.nameEnd(lt + 1); // also refuses `<!` and `<?`
    const name = text.substring(lt + 1, nameEnd);
    const attrNames = this.attrNames;
    let count = 0;
    let j = nameEnd;
    let selfClosing = false;
    for (;;) {
      let c = text.charCodeAt(j);
      if (isSpace(c)) {
        j = this.skipSpace(j + 1);
        c = text.charCodeAt(j);
        if (isNameStart(c)) {
          const attrEnd = this.nameEnd(j);
          const attr = text.substring(j, attrEnd);
          j = this.skipSpace(attrEnd);
          if (text.charCodeAt(j) !== EQUALS) throw NEEDS_SAX;
          j = this.skipSpace(j + 1);
          const quote = text.charCodeAt(j);
          if (quote !== DQUOTE && quote !== SQUOTE) throw NEEDS_SAX;
          const close = text.indexOf(quote === DQUOTE ? '"' : "'", j + 1);
          // The repeat check is quadratic: a tag with more attributes than any exporter writes goes to SAX.
          if (close < 0 || count === MAX_ATTRIBUTES || this.attrIndex(attr, count) >= 0) throw NEEDS_SAX;
          attrNames[count] = attr;
          this.attrValues[count] = this.decode(j + 1, close);
          this.attrSpans[2 * count] = j + 1;
          this.attrSpans[2 * count + 1] = close;
          count++;
          j = close + 1;
          // SAX wants white space, `>` or `/>` after a value.
          c = text.charCodeAt(j);
          if (!isSpace(c) && c !== GT && c !== SLASH) throw NEEDS_SAX;
          continue;
        }
      }
      if (c === GT) {
        j++;
        break;
      }
      if (c === SLASH && text.charCodeAt(j + 1) === GT) {
        j += 2;
        selfClosing = true;
        break;
      }
      throw NEEDS_SAX;
    }
    this.attrCount = count;
    this.open(name, j, selfClosing);
    if (selfClosing) this.close(name, j, j, true);
    return j;
  }

  /** Where attribute `name` is among the first `count`, or -1. */
  private attrIndex(name: string, count: number): number {
    for (let i = 0; i < count; i++) if (this.attrNames[i] === name) return i;
    return -1;
  }

  /** Reads the end tag at `lt`; returns where the text after it starts. */
  private closeTag(lt: number): number {
    const text = this.text;
    const nameEnd = this.nameEnd(lt + 2);
    const end = this.skipSpace(nameEnd);
    if (text.charCodeAt(end) !== GT) throw NEEDS_SAX;
    const name = text.substring(lt + 2, nameEnd);
    if (this.depth === 0 || name !== this.stack[this.depth - 1]) throw NEEDS_SAX;
    this.close(name, lt, end + 1, false);
    return end + 1;
  }

  private locate(field: string, data: boolean, a: number, b: number): void {
    this.names.push(field);
    this.isData.push(data);
    this.spans.push(a, b);
  }

  /** A field's value, once: a repeated name (SAX keeps the last), or one objects inherit (`__proto__`, `constructor`), goes to SAX. */
  private set(target: Record<string, string>, field: string, value: string): void {
    if (target[field] !== undefined) throw NEEDS_SAX;
    target[field] = value;
  }

  /** parseXmlRecord's onopentag: `at` is just after the start tag. */
  private open(name: string, at: number, selfClosing: boolean): void {
    const { stack, parents } = this;
    const parent = this.depth > 0 ? stack[this.depth - 1] : undefined;
    if (this.depth > 0) parents[this.depth - 1] = true;
    stack[this.depth] = name;
    this.starts[this.depth] = at;
    parents[this.depth] = false;
    this.depth++;
    this.textStart = at;
    const attrNames = this.attrNames;
    if (parent === 'System') {
      this.systemTextElement = !selfClosing && this.attrCount === 0;
      for (let i = 0; i < this.attrCount; i++) {
        const attr = attrNames[i];
        if (attr.startsWith('xmlns')) continue;
        // parseXmlRecord finds an attribute again from its field name (after the first `_`).
        if (name.includes('_')) throw NEEDS_SAX;
        const field = systemAttributeName(name, attr);
        this.set(this.system, field, this.attrValues[i]);
        this.locate(field, false, this.attrSpans[2 * i], this.attrSpans[2 * i + 1]);
      }
    } else if (parent === 'EventData') {
      const named = this.attrIndex('Name', this.attrCount);
      this.dataName = name !== 'Data' ? name : named >= 0 ? this.attrValues[named] : unnamedDataName(++this.unnamed);
    } else if (name === 'UserData' && parent === 'Event') this.userDataDepth = this.depth;
  }

  /** parseXmlRecord's onclosetag: the end tag is [lt, end); a self-closing tag has lt = end. */
  private close(name: string, lt: number, end: number, selfClosing: boolean): void {
    const depth = this.depth;
    const value = selfClosing ? '' : this.decode(this.textStart, lt);
    const top = --this.depth;
    const start = this.starts[top];
    const hadChildren = this.parents[top];
    const parent = top > 0 ? this.stack[top - 1] : undefined;
    // SAX's span: from the end of the start tag to the `<` of the end tag.
    const spanEnd = selfClosing ? start : lt;
    if (parent === 'System') {
      if (value !== '' || (this.systemTextElement && !hadChildren)) {
        this.set(this.system, name, value);
        this.locate(name, false, start, spanEnd);
      }
    } else if (parent === 'EventData' && this.dataName !== undefined) {
      this.set(this.data, this.dataName, value);
      this.locate(this.dataName, true, start, spanEnd);
      this.dataName = undefined;
    } else if (this.userDataDepth >= 0 && depth > this.userDataDepth + 1 && !hadChildren) {
      this.set(this.data, name, value);
      this.locate(name, true, start, spanEnd);
    }
    if (name === 'UserData' && depth === this.userDataDepth) this.userDataDepth = -1;
    this.textStart = end;
  }
}

const walk = new Walk();

/**
 * The record parseXmlRecord would give for this text, or undefined when the text is not plain
 * enough to be sure (then parse it with parseXmlRecord). Never reports an error.
 */
export function quickXmlRecord(text: string): ParsedRecord | undefined {
  walk.reset(text);
  try {
    walk.run();
  } catch (err) {
    if (err === NEEDS_SAX) return undefined;
    throw err;
  }
  const { data, system, names, isData, spans } = walk;
  const locate = (field: string): [number, number] | undefined => {
    const inData = Object.hasOwn(data, field);
    for (let i = names.length - 1; i >= 0; i--) if (names[i] === field && isData[i] === inData) return [spans[2 * i], spans[2 * i + 1]];
    return undefined;
  };
  // Keys in parseXmlRecord's order.
  return {
    data,
    system,
    locate,
    eventId: toEventId(system.EventID),
    provider: system.Provider_Name,
    channel: system.Channel,
    computer: system.Computer,
    recordId: system.EventRecordID,
    time: system.TimeCreated ?? data.UtcTime,
  };
}
