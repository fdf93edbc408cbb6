/**
 * One EVTX record as JSON in evtx_dump's shape (omerbenamram/evtx, `evtx_dump -o jsonl`):
 * `{"Event":{"#attributes":{"xmlns":...},"System":{...},"EventData":{...}}}`.
 *
 * The structure follows evtx_dump's JSON renderer:
 * - an element with neither attributes nor content is `null`; with content only, its value; with
 *   attributes, `{"#attributes":{...}}` plus `"#text"` for its content and its child elements;
 * - an attribute or an element whose content is one integer or boolean substitution is a JSON
 *   number or boolean (int8..uint64, bool), as evtx_dump writes them; everything else is a string
 *   (hex32/hex64/size_t, GUIDs, times, SIDs, binary, floats);
 * - under EventData and UserData, `<Data Name='X'>` is `"X": value` (`""` when empty) as soon as
 *   one Data has a Name; unnamed Data are then left out. With no named Data, the Data are
 *   `"Data":{"#text":value}`, or `"Data":{"#text":[value, ...]}` for more than one;
 * - repeated child elements (an array substitution repeats its element) are `Name`, `Name_1`, `Name_2`, ...
 *   in order, except named Data, which keep their name (the last one wins when read, as in the XML).
 *
 * The values' text is ours (renderRecordXml's, Windows's), not evtx_dump's, so the JSON reads back
 * to the same fields as the XML and as decodeRecord. Where evtx_dump writes otherwise:
 * - GUIDs: evtx_dump `5770385F-C22A-...` (upper case, no braces); ours `{5770385f-c22a-...}`;
 * - FILETIME: evtx_dump six (older) or nine (newer) fraction digits; ours seven, exact (`...51.7935890Z`);
 * - strings: evtx_dump (older) drops a value's trailing whitespace; we keep it (the record holds it);
 * - floats: JavaScript's shortest round-trip text.
 * Where the JSON, read back by parseJsonRecord, differs from decodeRecord (evtx_dump's shape says so;
 * none of it occurs in the corpus or in SigmaHQ's regression files):
 * - an element with no attributes and no content (`<Level/>`, an empty UserData leaf) is `null`, which
 *   reads as no field, where the XML gives '' (a named Data is `""`, and reads as '');
 * - a repeated element other than Data is `Name`, `Name_1`, ...: the first value under `Name`, where
 *   the XML reader keeps the last; named Data stay duplicate keys, so the last one is read, as in the XML;
 * - with named Data, an unnamed Data beside them is left out (the XML reader calls it `Data`, `Data_2`, ...).
 */
import { AttrNode, ElementNode, Expander, isEmpty, MAX_DEPTH, Node, StreamParser, Value } from './binxml';
import { EvtxChunk, EvtxRecordRef } from './file';
import { EvtxFormatError } from './problems';
import { guarded } from './record';
import { renderArray, renderValue, T_ARRAY, T_BINXML, T_BOOL } from './values';

/** A piece of content: literal text, or a substitution's value with its type (for numbers). */
interface Piece {
  text: string;
  /** The value type (without the array bit); undefined for literal text. */
  type?: number;
}

interface JElement {
  name: string;
  /** Attributes whose value is there, as pieces. */
  attrs: [string, Piece[]][];
  children: (JElement | Piece)[];
}

const isElement = (c: JElement | Piece): c is JElement => 'children' in c;

/** Integer types (int8..uint64) and bool: JSON numbers and booleans in evtx_dump. */
function isNumeric(piece: Piece): boolean {
  const t = piece.type;
  return t !== undefined && ((t >= 0x03 && t <= 0x0a) || t === T_BOOL) && piece.text !== '';
}

/** The typed element tree of a record: the Expander's walk, keeping each value's type. */
class TypedExpander {
  constructor(private readonly expander: Expander) {}

  stream(start: number, end: number): JElement[] {
    const nodes = new StreamParser(this.expander.ctx, start, end, false, 0).parse();
    const out: (JElement | Piece)[] = [];
    this.nodes(nodes, [], out, 0, -1);
    return out.filter(isElement);
  }

  private nodes(nodes: Node[], values: Value[], out: (JElement | Piece)[], depth: number, item: number): void {
    if (depth > MAX_DEPTH) throw new EvtxFormatError(`templates nested more than ${MAX_DEPTH} deep`);
    this.expander.budget.spend(nodes.length);
    for (const node of nodes) {
      if (typeof node === 'string') out.push({ text: node });
      else if (node.k === 'element') this.element(node, values, out, depth);
      else if (node.k === 'instance') this.nodes(node.template.nodes, node.values, out, depth + 1, -1);
      else if (node.k === 'subst') {
        const value = values[node.index];
        if (value === undefined || (node.optional && isEmpty(value))) continue;
        const buf = this.expander.ctx.buf;
        if (value.type === T_BINXML) {
          const nested = new StreamParser(this.expander.ctx, value.start, value.start + value.size, false, depth + 1).parse();
          this.nodes(nested, [], out, depth + 1, -1);
        } else if (value.type & T_ARRAY) {
          const items = renderArray(buf, value.type, value.start, value.size);
          if (item >= 0) out.push({ text: items[item] ?? '', type: value.type & 0x7f });
          else out.push({ text: items.join(',') });
        } else out.push({ text: renderValue(buf, value.type, value.start, value.size), type: value.type });
      }
      // Processing instructions have no place in the JSON.
    }
  }

  private attr(a: AttrNode, values: Value[], depth: number): Piece[] | undefined {
    const parts = a.parts;
    if (parts.length === 1 && typeof parts[0] !== 'string' && parts[0].k === 'subst') {
      const s = parts[0];
      const value = values[s.index];
      if (s.optional && isEmpty(value)) return undefined;
      if (value !== undefined && !(value.type & T_ARRAY) && value.type !== T_BINXML) {
        return [{ text: renderValue(this.expander.ctx.buf, value.type, value.start, value.size), type: value.type }];
      }
    }
    const text = this.expander.attrText(parts, values, depth);
    return text === undefined ? undefined : [{ text }];
  }

  private element(node: ElementNode, values: Value[], out: (JElement | Piece)[], depth: number): void {
    const arrayItems = this.expander.arrayItems(node, values);
    const copies = arrayItems < 0 ? 1 : arrayItems;
    this.expander.budget.spend(copies * (1 + node.children.length));
    for (let copy = 0; copy < copies; copy++) {
      const attrs: [string, Piece[]][] = [];
      for (const a of node.attrs) {
        const pieces = this.attr(a, values, depth);
        if (pieces !== undefined) attrs.push([a.name, pieces]);
      }
      const element: JElement = { name: node.name, attrs, children: [] };
      for (const child of node.children) {
        if (arrayItems >= 0 && typeof child !== 'string' && child.k === 'subst') this.nodes([child], values, element.children, depth, copy);
        else this.nodes([child], values, element.children, depth, -1);
      }
      out.push(element);
    }
  }
}

const hasText = (pieces: readonly (JElement | Piece)[]) => pieces.some((p) => !isElement(p) && p.text !== '');
const hasElements = (e: JElement) => e.children.some(isElement);
const hasAttrText = (e: JElement) => e.attrs.some(([, pieces]) => hasText(pieces));

/** Content as a JSON value: a number or boolean when it is exactly one such value, else its text. */
function contentValue(pieces: readonly (JElement | Piece)[], skipElements: boolean): string {
  const content = skipElements ? pieces.filter((p): p is Piece => !isElement(p) && p.text !== '') : pieces;
  if (content.length === 1 && !isElement(content[0]) && isNumeric(content[0])) return content[0].text;
  let s = '';
  for (const p of content) if (!isElement(p)) s += p.text;
  return JSON.stringify(s);
}

function attrsObject(e: JElement): string {
  const members: string[] = [];
  for (const [name, pieces] of e.attrs) if (hasText(pieces)) members.push(`${JSON.stringify(name)}:${contentValue(pieces, false)}`);
  return `{${members.join(',')}}`;
}

/** An element's value: null, its content, or an object of attributes, text and children. */
function elementValue(e: JElement, container: boolean): string {
  const text = hasText(e.children);
  const elements = hasElements(e);
  const attrText = hasAttrText(e);
  // A numeric value always has text, so `!text` means nothing but empty strings.
  if (!elements && !attrText) return text ? contentValue(e.children, false) : 'null';
  return body(e, container, false, text);
}

/** A Data element's value under EventData/UserData: as elementValue, but `""` when empty and no attributes. */
function dataValue(e: JElement): string {
  const text = hasText(e.children);
  const elements = hasElements(e);
  if (!text && !elements) return '""';
  if (elements) return body(e, false, true, text);
  return contentValue(e.children, false);
}

function nameText(e: JElement): string | undefined {
  const name = e.attrs.find(([n]) => n === 'Name');
  if (!name || !hasText(name[1])) return undefined;
  return name[1].map((p) => p.text).join('');
}

function body(e: JElement, container: boolean, omitAttributes: boolean, text: boolean): string {
  const members: string[] = [];
  if (!omitAttributes && hasAttrText(e)) members.push(`"#attributes":${attrsObject(e)}`);
  if (text) members.push(`"#text":${contentValue(e.children, true)}`);
  const children = e.children.filter(isElement);
  const named = container && children.some((c) => c.name === 'Data' && nameText(c) !== undefined);
  const positional = container && !named ? children.filter((c) => c.name === 'Data') : [];
  let positionalDone = false;
  const counts = new Map<string, number>();
  for (const child of children) {
    if (container && child.name === 'Data') {
      if (named) {
        const name = nameText(child);
        if (name !== undefined) members.push(`${JSON.stringify(name)}:${dataValue(child)}`);
      } else if (!positionalDone) {
        positionalDone = true;
        const values = positional.map(dataValue);
        members.push(`"Data":{"#text":${values.length === 1 ? values[0] : `[${values.join(',')}]`}}`);
      }
      continue;
    }
    const n = counts.get(child.name) ?? 0;
    counts.set(child.name, n + 1);
    const key = n === 0 ? child.name : `${child.name}_${n}`;
    members.push(`${JSON.stringify(key)}:${elementValue(child, child.name === 'EventData' || child.name === 'UserData')}`);
  }
  return `{${members.join(',')}}`;
}

/**
 * The record as one line of evtx_dump-style JSON (no newline); undefined (with a problem on the
 * chunk) when its BinXML cannot be read. See the module's comment for the shape and the differences.
 */
export function renderRecordJson(chunk: EvtxChunk, ref: EvtxRecordRef): string | undefined {
  return guarded(chunk, ref, () => {
    const roots = new TypedExpander(new Expander(chunk.context)).stream(ref.offset + 24, ref.offset + ref.size - 4);
    const root = roots[0];
    if (!root) throw new EvtxFormatError('the record holds no element');
    return `{${JSON.stringify(root.name)}:${elementValue(root, false)}}`;
  });
}
