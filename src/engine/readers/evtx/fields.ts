/**
 * System, EventData and UserData straight from the template nodes and the substitution values,
 * without building the record's element tree: the fast path of decodeRecord. It follows the rules
 * of parseXmlRecord (and of record.ts's tree-based `collect`, which the tests hold it equal to).
 */
import { ElementNode, Expander, isEmpty, Node, StreamParser, Value, MAX_DEPTH } from './binxml';
import { EvtxFormatError } from './problems';
import { systemAttributeName, unnamedDataName } from '../record';
import { renderArray, renderValue, T_ARRAY, T_BINXML } from './values';

/** What content gives to the element that holds it. */
interface Sink {
  text: string;
  elements: boolean;
  element(node: ElementNode, values: Value[], depth: number, item: number): void;
}

/** Collects direct text only; notes that child elements exist, without reading them. */
class TextSink implements Sink {
  text = '';
  elements = false;
  element(): void {
    this.elements = true;
  }
}

export class FieldCollector {
  readonly system: Record<string, string> = {};
  readonly data: Record<string, string> = {};
  private unnamed = 0;
  private seenEvent = false;

  constructor(
    private readonly expander: Expander,
    /** Read System only (EventID, Provider, ...): EventData and UserData are skipped. */
    private readonly systemOnly: boolean,
  ) {}

  /** The record's BinXML stream at [start, end). */
  run(start: number, end: number): void {
    const nodes = new StreamParser(this.expander.ctx, start, end, false, 0).parse();
    this.content(nodes, [], 0, this.root, -1);
  }

  /**
   * Walks content: text to `sink.text`, elements (once per array item) to `sink.element`;
   * `item` picks the array item for substitutions directly in `nodes`.
   */
  private content(nodes: Node[], values: Value[], depth: number, sink: Sink, item: number): void {
    if (depth > MAX_DEPTH) throw new EvtxFormatError(`templates nested more than ${MAX_DEPTH} deep`);
    this.expander.budget.spend(nodes.length);
    const buf = this.expander.ctx.buf;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      if (typeof node === 'string') {
        sink.text += node;
        continue;
      }
      switch (node.k) {
        case 'element': {
          const items = this.expander.arrayItems(node, values);
          sink.elements = true;
          if (items > 0) this.expander.budget.spend(items * (1 + node.children.length));
          if (items < 0) sink.element(node, values, depth, -1);
          else for (let copy = 0; copy < items; copy++) sink.element(node, values, depth, copy);
          break;
        }
        case 'pi':
          break;
        case 'instance':
          this.content(node.template.nodes, node.values, depth + 1, sink, -1);
          break;
        case 'subst': {
          const value = values[node.index];
          if (value === undefined || (node.optional && isEmpty(value))) break;
          if (value.type === T_BINXML) {
            const nested = new StreamParser(this.expander.ctx, value.start, value.start + value.size, false, depth + 1).parse();
            this.content(nested, [], depth + 1, sink, -1);
          } else if (value.type & T_ARRAY) {
            const all = renderArray(buf, value.type, value.start, value.size);
            sink.text += item >= 0 ? (all[item] ?? '') : all.join(',');
          } else sink.text += renderValue(buf, value.type, value.start, value.size);
          break;
        }
      }
    }
  }

  /** One sink for every textOf: its result is read before the next call (TextSink never descends). */
  private readonly scratch = new TextSink();

  private textOf(node: ElementNode, values: Value[], depth: number, item: number): { text: string; elements: boolean } {
    const sink = this.scratch;
    sink.text = '';
    sink.elements = false;
    this.content(node.children, values, depth, sink, item);
    return { text: sink.text, elements: sink.elements };
  }

  private textOnly(node: ElementNode, values: Value[], depth: number, item: number): string {
    const sink = this.scratch;
    sink.text = '';
    sink.elements = false;
    this.content(node.children, values, depth, sink, item);
    return sink.text;
  }

  private readonly root: Sink = {
    text: '',
    elements: false,
    element: (node, values, depth) => {
      if (this.seenEvent) return;
      this.seenEvent = true;
      this.content(node.children, values, depth, this.event, -1);
    },
  };

  private readonly event: Sink = {
    text: '',
    elements: false,
    element: (node, values, depth) => {
      if (node.name === 'System') this.content(node.children, values, depth, this.systemSink, -1);
      else if (this.systemOnly) return;
      else if (node.name === 'EventData') this.content(node.children, values, depth, this.eventData, -1);
      else if (node.name === 'UserData') this.content(node.children, values, depth, this.userDataTop, -1);
    },
  };

  private readonly systemSink: Sink = {
    text: '',
    elements: false,
    element: (node, values, depth, item) => {
      for (const a of node.attrs) {
        if (a.name.startsWith('xmlns')) continue;
        const text = this.expander.attrText(a.parts, values, depth);
        if (text !== undefined) this.system[systemAttributeName(node.name, a.name)] = text;
      }
      const text = this.textOnly(node, values, depth, item);
      if (text !== '' || (node.attrs.length === 0 && !this.scratch.elements)) this.system[node.name] = text;
    },
  };

  private readonly eventData: Sink = {
    text: '',
    elements: false,
    element: (node, values, depth, item) => {
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
      this.data[name] = this.textOnly(node, values, depth, item);
    },
  };

  /** The children of UserData are not leaves themselves (parseXmlRecord keeps leaves two levels down and deeper). */
  private readonly userDataTop: Sink = {
    text: '',
    elements: false,
    element: (node, values, depth, item) => this.content(node.children, values, depth, this.userData, item),
  };

  private readonly userData: Sink = {
    text: '',
    elements: false,
    element: (node, values, depth, item) => {
      const t = this.textOf(node, values, depth, item);
      if (t.elements) this.content(node.children, values, depth, this.userData, item);
      else this.data[node.name] = t.text;
    },
  };
}
