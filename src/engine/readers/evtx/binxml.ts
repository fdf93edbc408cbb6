/**
 * BinXML (MS-EVEN6 2.2.12): tokens into a small node tree, template definitions compiled once per
 * chunk (and shared across chunks by GUID), and template instances expanded with their
 * substitution values into concrete elements. Every read is bounded by the chunk's buffer, every
 * loop by the bytes it walks, and recursion by MAX_DEPTH; bad data throws EvtxFormatError, which
 * the record decoder turns into a problem.
 */
import { EvtxFormatError } from './problems';
import { fixedSize, renderArray, renderValue, T_ARRAY, T_BINXML, T_NULL, T_STRING, utf16 } from './values';

/** Nested templates and BinXML values deeper than this are refused (a template that names itself, forged nesting). */
export const MAX_DEPTH = 24;

/**
 * Nodes one record may expand to. Templates can instantiate other templates many times each, so a
 * few hundred forged bytes could otherwise ask for 10^20 nodes; a real record has a few hundred.
 */
export const MAX_NODES = 250_000;

/** Counts the nodes a record expands to; throws past MAX_NODES. */
export class Budget {
  private left = MAX_NODES;
  spend(n: number): void {
    this.left -= n;
    if (this.left < 0) throw new EvtxFormatError(`the record expands to more than ${MAX_NODES} nodes (templates instantiated within templates)`);
  }
}

const TOKEN_EOF = 0x00;
const TOKEN_OPEN = 0x01;
const TOKEN_CLOSE_START = 0x02;
const TOKEN_CLOSE_EMPTY = 0x03;
const TOKEN_END = 0x04;
const TOKEN_VALUE = 0x05;
const TOKEN_ATTRIBUTE = 0x06;
const TOKEN_CDATA = 0x07;
const TOKEN_CHARREF = 0x08;
const TOKEN_ENTITYREF = 0x09;
const TOKEN_PI_TARGET = 0x0a;
const TOKEN_PI_DATA = 0x0b;
const TOKEN_TEMPLATE = 0x0c;
const TOKEN_SUBST = 0x0d;
const TOKEN_OPTIONAL_SUBST = 0x0e;
const TOKEN_FRAGMENT = 0x0f;
const MORE = 0x40;

/** A substitution in a template: value `index` of the instance's array. */
export interface Subst {
  k: 'subst';
  index: number;
  type: number;
  optional: boolean;
}

/** A template instance met in a stream: its compiled template and its values (offsets in the chunk). */
export interface Instance {
  k: 'instance';
  template: Template;
  values: Value[];
}

export interface ElementNode {
  k: 'element';
  name: string;
  attrs: AttrNode[];
  children: Node[];
  /** Does a substitution sit among the children (which may be an array that repeats the element)? */
  substChild: boolean;
}

/** Literal text, or a PI (`<?target data?>`, kept for rendering only). */
export interface PiNode {
  k: 'pi';
  text: string;
}

export interface AttrNode {
  name: string;
  parts: Part[];
  /** Its System field name (`Provider_Name`), worked out once per template by the field collector. */
  systemName?: string;
}

export type Part = string | Subst | Instance;
export type Node = ElementNode | PiNode | Part;

/** One value of a substitution array: its type and where its bytes sit in the chunk. */
export interface Value {
  type: number;
  start: number;
  size: number;
}

export interface Template {
  offset: number;
  guid: string;
  nodes: Node[];
  /** No chunk offsets inside (no nested instances): shareable with other chunks. */
  portable: boolean;
}

/** Template definitions shared across the chunks of one file, by GUID and size. */
export class TemplateCache {
  private readonly map = new Map<string, Template>();
  constructor(private readonly limit = 4096) {}
  get(key: string): Template | undefined {
    return this.map.get(key);
  }
  set(key: string, template: Template): void {
    if (this.map.size >= this.limit) this.map.clear();
    this.map.set(key, template);
  }
  get size(): number {
    return this.map.size;
  }
}

/** Names (by offset) and templates (by offset) of one chunk. */
export class ChunkContext {
  private readonly names = new Map<number, string>();
  private readonly templates = new Map<number, Template>();
  private readonly building = new Set<number>();
  /** Template definitions parsed in this chunk (not taken from the cache): for tests and the bench. */
  templatesParsed = 0;
  /**
   * Use the file's template cache? Not in a chunk that failed a check, either way: a damaged
   * definition must not reach good chunks, and a damaged chunk must decode from its own bytes only,
   * or its records would decode (or not) depending on which chunks were read before it, and two
   * workers, the second starting at that chunk with an empty cache, would disagree with one thread.
   */
  share = true;

  constructor(
    readonly buf: Buffer,
    readonly cache: TemplateCache,
  ) {}

  /** The name at `offset`; `inlineAt` is where the stream stands, so an inline name can be skipped. Returns [name, position after]. */
  name(offset: number, inlineAt: number): [string, number] {
    const buf = this.buf;
    if (offset + 8 > buf.length) throw new EvtxFormatError(`a name offset 0x${offset.toString(16)} past the chunk`);
    const count = buf.readUInt16LE(offset + 6);
    const end = offset + 8 + 2 * count;
    if (end > buf.length) throw new EvtxFormatError(`a name of ${count} characters past the chunk`);
    let name = this.names.get(offset);
    if (name === undefined) {
      name = buf.toString('utf16le', offset + 8, end);
      this.names.set(offset, name);
    }
    return [name, offset === inlineAt ? end + 2 : inlineAt];
  }

  /** The compiled template whose definition is at `offset`. */
  template(offset: number, depth: number): Template {
    const known = this.templates.get(offset);
    if (known) return known;
    const buf = this.buf;
    if (offset < 512 || offset + 24 > buf.length) throw new EvtxFormatError(`a template offset 0x${offset.toString(16)} outside the chunk`);
    if (this.building.has(offset)) throw new EvtxFormatError(`the template at 0x${offset.toString(16)} references itself`);
    const size = buf.readUInt32LE(offset + 20);
    const start = offset + 24;
    if (start + size > buf.length) throw new EvtxFormatError(`the template at 0x${offset.toString(16)} runs past the chunk (${size} bytes)`);
    const guidText = buf.toString('hex', offset + 4, offset + 20);
    const key = `${guidText}:${size}`;
    const shared = this.share ? this.cache.get(key) : undefined;
    if (shared) {
      this.templates.set(offset, shared);
      return shared;
    }
    this.building.add(offset);
    try {
      const parser = new StreamParser(this, start, start + size, true, depth + 1);
      const nodes = parser.parse();
      const template: Template = { offset, guid: guidText, nodes, portable: !parser.sawInstance };
      this.templates.set(offset, template);
      if (template.portable && this.share) this.cache.set(key, template);
      this.templatesParsed++;
      return template;
    } finally {
      this.building.delete(offset);
    }
  }
}

/** Parses one BinXML stream into nodes. */
export class StreamParser {
  private pos: number;
  sawInstance = false;

  constructor(
    private readonly ctx: ChunkContext,
    start: number,
    private readonly end: number,
    /** Inside a template definition, element starts carry a dependency id. */
    private readonly inTemplate: boolean,
    private readonly depth: number,
  ) {
    if (depth > MAX_DEPTH) throw new EvtxFormatError(`BinXML nested more than ${MAX_DEPTH} deep`);
    if (end > ctx.buf.length) throw new EvtxFormatError('a BinXML stream past the chunk');
    this.pos = start;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new EvtxFormatError(`BinXML cut short at 0x${this.pos.toString(16)}`);
  }

  private u8(): number {
    this.need(1);
    return this.ctx.buf[this.pos++];
  }

  private u16(): number {
    this.need(2);
    const v = this.ctx.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }

  private u32(): number {
    this.need(4);
    const v = this.ctx.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  /** A u16 count of UTF-16 characters and the characters. */
  private string(): string {
    const count = this.u16();
    this.need(2 * count);
    const s = this.ctx.buf.toString('utf16le', this.pos, this.pos + 2 * count);
    this.pos += 2 * count;
    return s;
  }

  private name(): string {
    const offset = this.u32();
    const [name, after] = this.ctx.name(offset, this.pos);
    if (after > this.end) throw new EvtxFormatError('an inline name past the stream');
    this.pos = after;
    return name;
  }

  /**
   * Does this element start carry a dependency id? Template definitions always do; elsewhere it
   * is usually absent, so check which reading puts the name offset where a name can be.
   */
  private hasDependencyId(): boolean {
    if (this.inTemplate) return true;
    const buf = this.ctx.buf;
    const p = this.pos;
    const plausible = (at: number) => {
      if (at + 4 > this.end) return false;
      const offset = buf.readUInt32LE(at);
      return offset === at + 4 || (offset >= 512 && offset < p && offset + 8 <= buf.length);
    };
    if (plausible(p + 4)) return false;
    return plausible(p + 6);
  }

  parse(): Node[] {
    const root: Node[] = [];
    const stack: ElementNode[] = [];
    let attr: AttrNode | undefined;
    const add = (node: Node) => {
      if (attr) attr.parts.push(node as Part);
      else if (stack.length > 0) {
        const parent = stack[stack.length - 1];
        parent.children.push(node);
        if (typeof node !== 'string' && node.k === 'subst') parent.substChild = true;
      } else root.push(node);
    };
    const buf = this.ctx.buf;
    while (this.pos < this.end) {
      const token = buf[this.pos++];
      switch (token & ~MORE) {
        case TOKEN_EOF:
          return root;
        case TOKEN_FRAGMENT:
          this.need(3);
          this.pos += 3;
          break;
        case TOKEN_OPEN: {
          attr = undefined;
          if (this.hasDependencyId()) this.u16();
          this.u32(); // data size
          const name = this.name();
          if (token & MORE) this.u32(); // attribute list size
          const element: ElementNode = { k: 'element', name, attrs: [], children: [], substChild: false };
          add(element);
          stack.push(element);
          break;
        }
        case TOKEN_CLOSE_START:
          attr = undefined;
          break;
        case TOKEN_CLOSE_EMPTY:
        case TOKEN_END:
          attr = undefined;
          if (stack.length === 0) throw new EvtxFormatError(`an element end with no element open at 0x${(this.pos - 1).toString(16)}`);
          stack.pop();
          break;
        case TOKEN_ATTRIBUTE: {
          if (stack.length === 0) throw new EvtxFormatError('an attribute outside an element');
          const name = this.name();
          attr = { name, parts: [] };
          stack[stack.length - 1].attrs.push(attr);
          break;
        }
        case TOKEN_VALUE: {
          const type = this.u8();
          if (type !== T_STRING) throw new EvtxFormatError(`a value token of type 0x${type.toString(16)}`);
          add(this.string());
          break;
        }
        case TOKEN_CDATA:
          add(this.string());
          break;
        case TOKEN_CHARREF:
          add(String.fromCharCode(this.u16()));
          break;
        case TOKEN_ENTITYREF:
          add(entity(this.name()));
          break;
        case TOKEN_PI_TARGET: {
          const target = this.name();
          let text = target;
          if (this.pos < this.end && buf[this.pos] === TOKEN_PI_DATA) {
            this.pos++;
            text += ` ${this.string()}`;
          }
          add({ k: 'pi', text });
          break;
        }
        case TOKEN_PI_DATA:
          add({ k: 'pi', text: this.string() });
          break;
        case TOKEN_TEMPLATE:
          this.sawInstance = true;
          add(this.instance());
          break;
        case TOKEN_SUBST:
        case TOKEN_OPTIONAL_SUBST: {
          const index = this.u16();
          const type = this.u8();
          add({ k: 'subst', index, type, optional: (token & ~MORE) === TOKEN_OPTIONAL_SUBST });
          break;
        }
        default:
          throw new EvtxFormatError(`an unknown BinXML token 0x${token.toString(16)} at 0x${(this.pos - 1).toString(16)}`);
      }
    }
    return root;
  }

  /** A template instance: the definition (inline the first time), then the value descriptors and values. */
  private instance(): Instance {
    this.u8();
    this.u32(); // template id
    const offset = this.u32();
    const buf = this.ctx.buf;
    if (offset === this.pos) {
      this.need(24);
      const size = buf.readUInt32LE(this.pos + 20);
      this.need(24 + size);
      this.pos += 24 + size;
    }
    const template = this.ctx.template(offset, this.depth);
    const count = this.u32();
    if (count * 4 > this.end - this.pos) throw new EvtxFormatError(`${count} substitution values do not fit in the record`);
    const values: Value[] = new Array<Value>(count);
    let p = this.pos + 4 * count;
    for (let i = 0; i < count; i++) {
      const size = buf.readUInt16LE(this.pos + 4 * i);
      const type = buf[this.pos + 4 * i + 2];
      values[i] = { type, start: p, size };
      p += size;
    }
    if (p > this.end) throw new EvtxFormatError(`substitution values run past the record (${p - this.end} bytes)`);
    this.pos = p;
    return { k: 'instance', template, values };
  }
}

function entity(name: string): string {
  switch (name) {
    case 'amp':
      return '&';
    case 'lt':
      return '<';
    case 'gt':
      return '>';
    case 'quot':
      return '"';
    case 'apos':
      return "'";
    default:
      return `&${name};`;
  }
}

/** A concrete element: the record as it reads, substitutions filled in. */
export interface Element {
  name: string;
  /** Attributes whose value is there (an optional substitution with no value leaves its attribute out). */
  attrs: [string, string][];
  /** Did the template give this element attributes at all (`<Correlation/>` did, `<Level/>` did not)? */
  declaredAttrs: boolean;
  children: (Element | string | PiNode)[];
}

/** Is the value absent (a null, or no bytes), so an optional substitution leaves its place out? */
export function isEmpty(value: Value | undefined): boolean {
  return value === undefined || value.type === T_NULL || value.size === 0;
}

/** Expands nodes (with the instance's values) into concrete children of `out`. */
export class Expander {
  readonly budget = new Budget();
  constructor(readonly ctx: ChunkContext) {}

  /** The concrete content of a record's BinXML at [start, end). */
  stream(start: number, end: number): (Element | string | PiNode)[] {
    const nodes = new StreamParser(this.ctx, start, end, false, 0).parse();
    const out: (Element | string | PiNode)[] = [];
    this.nodes(nodes, [], out, 0);
    return out;
  }

  private nodes(nodes: Node[], values: Value[], out: (Element | string | PiNode)[], depth: number): void {
    if (depth > MAX_DEPTH) throw new EvtxFormatError(`templates nested more than ${MAX_DEPTH} deep`);
    this.budget.spend(nodes.length);
    for (let i = 0; i < nodes.length; i++) this.node(nodes[i], values, out, depth);
  }

  private node(node: Node, values: Value[], out: (Element | string | PiNode)[], depth: number): void {
    if (typeof node === 'string') out.push(node);
    else if (node.k === 'element') this.element(node, values, out, depth);
    else if (node.k === 'pi') out.push(node);
    else if (node.k === 'instance') this.nodes(node.template.nodes, node.values, out, depth + 1);
    else this.subst(node, values, out, depth, -1);
  }

  /** Substitution `s`; `item` picks one item of an array value (-1: all of it). */
  private subst(s: Subst, values: Value[], out: (Element | string | PiNode)[], depth: number, item: number): void {
    const value = values[s.index];
    if (value === undefined || (s.optional && isEmpty(value))) return;
    const buf = this.ctx.buf;
    if (value.type === T_BINXML) {
      const nodes = new StreamParser(this.ctx, value.start, value.start + value.size, false, depth + 1).parse();
      this.nodes(nodes, [], out, depth + 1);
      return;
    }
    if (value.type & T_ARRAY) {
      const items = renderArray(buf, value.type, value.start, value.size);
      if (item >= 0) out.push(items[item] ?? '');
      else out.push(items.join(','));
      return;
    }
    out.push(renderValue(buf, value.type, value.start, value.size));
  }

  /** The text of an attribute's parts; undefined when an optional substitution with no value leaves it out. */
  attrText(parts: Part[], values: Value[], depth: number): string | undefined {
    if (parts.length === 1 && typeof parts[0] !== 'string' && parts[0].k === 'subst' && parts[0].optional && isEmpty(values[parts[0].index])) {
      return undefined;
    }
    if (parts.length === 1) {
      const part = parts[0];
      if (typeof part === 'string') return part;
      if (part.k === 'subst') {
        const value = values[part.index];
        if (value === undefined) return '';
        if (!(value.type & T_ARRAY) && value.type !== T_BINXML) return renderValue(this.ctx.buf, value.type, value.start, value.size);
      }
    }
    const out: (Element | string | PiNode)[] = [];
    this.nodes(parts, values, out, depth);
    let s = '';
    for (const o of out) if (typeof o === 'string') s += o;
    return s;
  }

  /** An array substitution as the element's content repeats the element once per item: how many, or -1 for no array. */
  arrayItems(node: ElementNode, values: Value[]): number {
    if (!node.substChild) return -1;
    for (const child of node.children) {
      if (typeof child !== 'string' && child.k === 'subst') {
        const value = values[child.index];
        if (value && value.type & T_ARRAY && value.type !== (T_ARRAY | T_BINXML)) return renderArray(this.ctx.buf, value.type, value.start, value.size).length;
      }
    }
    return -1;
  }

  private element(node: ElementNode, values: Value[], out: (Element | string | PiNode)[], depth: number): void {
    const arrayItems = this.arrayItems(node, values);
    const copies = arrayItems < 0 ? 1 : arrayItems;
    this.budget.spend(copies * (1 + node.children.length));
    for (let copy = 0; copy < copies; copy++) {
      const attrs: [string, string][] = [];
      for (let i = 0; i < node.attrs.length; i++) {
        const a = node.attrs[i];
        const text = this.attrText(a.parts, values, depth);
        if (text !== undefined) attrs.push([a.name, text]);
      }
      const element: Element = { name: node.name, attrs, declaredAttrs: node.attrs.length > 0, children: [] };
      for (let i = 0; i < node.children.length; i++) {
        const child = node.children[i];
        if (arrayItems >= 0 && typeof child !== 'string' && child.k === 'subst') this.subst(child, values, element.children, depth, copy);
        else this.node(child, values, element.children, depth);
      }
      out.push(element);
    }
  }
}

/** The fixed size of a value type, for callers that peek at values (re-exported for the record reader). */
export { fixedSize, utf16 };
