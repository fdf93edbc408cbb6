/**
 * System, EventData and UserData straight from the template nodes and the substitution values,
 * without building the record's element tree: the fast path of decodeRecord. It follows the rules
 * of parseXmlRecord (and of record.ts's tree-based `collect`, which the tests hold it equal to).
 */
import { ElementNode, Expander, isEmpty, Node, StreamParser, Value, MAX_DEPTH } from './binxml';
import { EvtxFormatError } from './problems';
import { systemAttributeName, unnamedDataName } from '../record';
import { renderArray, renderValue, T_ARRAY, T_BINXML } from './values';

/** What the content being walked is to its holder: which element handler sees its elements, or text. */
const TEXT = 0;
export const ROOT = 1;
export const EVENT = 2;
export const SYSTEM = 3;
export const EVENT_DATA = 4;
export const USER_DATA_TOP = 5;
export const USER_DATA = 6;
/** Where elements sit (plan.ts compiles the same assignments per template). */
export type ElementKind = typeof ROOT | typeof EVENT | typeof SYSTEM | typeof EVENT_DATA | typeof USER_DATA_TOP | typeof USER_DATA;
type Kind = typeof TEXT | ElementKind;

export class FieldCollector {
  readonly system: Record<string, string> = {};
  readonly data: Record<string, string> = {};
  private unnamed = 0;
  private seenEvent = false;
  /** The direct text of the element textOf reads, and whether it has child elements. */
  private text = '';
  private elements = false;

  constructor(
    private readonly expander: Expander,
    /** Read System only (EventID, Provider, ...): EventData and UserData are skipped. */
    private readonly systemOnly: boolean,
  ) {}

  /** The record's BinXML stream at [start, end). */
  run(start: number, end: number): void {
    const nodes = new StreamParser(this.expander.ctx, start, end, false, 0).parse();
    this.content(nodes, [], 0, ROOT, -1);
  }

  /**
   * Walks content: for TEXT, its text into `this.text` (child elements only noted); otherwise each
   * element (once per array item) to the handler of `kind`. `item` picks the array item for
   * substitutions directly in `nodes`.
   */
  private content(nodes: Node[], values: Value[], depth: number, kind: Kind, item: number): void {
    if (depth > MAX_DEPTH) throw new EvtxFormatError(`templates nested more than ${MAX_DEPTH} deep`);
    this.expander.budget.spend(nodes.length);
    const buf = this.expander.ctx.buf;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      if (typeof node === 'string') {
        if (kind === TEXT) this.text += node;
        continue;
      }
      switch (node.k) {
        case 'element': {
          if (kind === TEXT) {
            this.elements = true;
            break;
          }
          const items = this.expander.arrayItems(node, values);
          if (items < 0) this.element(kind, node, values, depth, -1);
          else {
            this.expander.budget.spend(items * (1 + node.children.length));
            for (let copy = 0; copy < items; copy++) this.element(kind, node, values, depth, copy);
          }
          break;
        }
        case 'pi':
          break;
        case 'instance':
          this.content(node.template.nodes, node.values, depth + 1, kind, -1);
          break;
        case 'subst': {
          const value = values[node.index];
          if (value === undefined || (node.optional && isEmpty(value))) break;
          if (value.type === T_BINXML) {
            const nested = new StreamParser(this.expander.ctx, value.start, value.start + value.size, false, depth + 1).parse();
            this.content(nested, [], depth + 1, kind, -1);
          } else if (kind !== TEXT) break;
          else if (value.type & T_ARRAY) {
            const all = renderArray(buf, value.type, value.start, value.size);
            this.text += item >= 0 ? (all[item] ?? '') : all.join(',');
          } else this.text += renderValue(buf, value.type, value.start, value.size);
          break;
        }
      }
    }
  }

  /** The direct text of `node` (this.elements then says whether it has child elements). */
  private textOf(node: ElementNode, values: Value[], depth: number, item: number): string {
    this.text = '';
    this.elements = false;
    this.content(node.children, values, depth, TEXT, item);
    return this.text;
  }

  private element(kind: Kind, node: ElementNode, values: Value[], depth: number, item: number): void {
    switch (kind) {
      case TEXT:
        return;
      case ROOT:
        if (this.seenEvent) return;
        this.seenEvent = true;
        this.content(node.children, values, depth, EVENT, -1);
        return;
      case EVENT:
        if (node.name === 'System') this.content(node.children, values, depth, SYSTEM, -1);
        else if (this.systemOnly) return;
        else if (node.name === 'EventData') this.content(node.children, values, depth, EVENT_DATA, -1);
        // The children of UserData are not leaves themselves (parseXmlRecord keeps leaves two levels down and deeper).
        else if (node.name === 'UserData') this.content(node.children, values, depth, USER_DATA_TOP, -1);
        return;
      case SYSTEM: {
        for (let i = 0; i < node.attrs.length; i++) {
          const a = node.attrs[i];
          if (a.name.startsWith('xmlns')) continue;
          const text = this.expander.attrText(a.parts, values, depth);
          if (text !== undefined) this.system[(a.systemName ??= systemAttributeName(node.name, a.name))] = text;
        }
        const text = this.textOf(node, values, depth, item);
        if (text !== '' || (node.attrs.length === 0 && !this.elements)) this.system[node.name] = text;
        return;
      }
      case EVENT_DATA: {
        let name = node.name;
        if (name === 'Data') {
          let named: string | undefined;
          for (let i = 0; i < node.attrs.length; i++) {
            if (node.attrs[i].name === 'Name') {
              named = this.expander.attrText(node.attrs[i].parts, values, depth);
              break;
            }
          }
          name = named !== undefined ? named : unnamedDataName(++this.unnamed);
        }
        this.data[name] = this.textOf(node, values, depth, item);
        return;
      }
      case USER_DATA_TOP:
        this.content(node.children, values, depth, USER_DATA, item);
        return;
      case USER_DATA: {
        const text = this.textOf(node, values, depth, item);
        if (this.elements) this.content(node.children, values, depth, USER_DATA, item);
        else this.data[node.name] = text;
        return;
      }
    }
  }
}
