/**
 * EventID, Provider and Channel of a record without walking its template: each template gets a
 * small plan (which substitution, or which literal, holds each of the three), made once and kept on
 * the template. A template whose System does not have the plain shape gets no plan, and the record
 * is read with the full System walk instead.
 */
import { ElementNode, Instance, isEmpty, Node, Part, StreamParser, Template, Value } from './binxml';
import { renderValue, T_ARRAY, T_BINXML } from './values';

/** Where one field's text comes from: a literal, a substitution, or nowhere (the element is absent). */
type Source = { literal: string } | { index: number; optional: boolean } | undefined;

export interface HeadPlan {
  eventId: Source;
  provider: Source;
  channel: Source;
  /** Do EventID / Channel declare attributes (then an empty text is no field, as parseXmlRecord reads it)? */
  eventIdAttrs: boolean;
  channelAttrs: boolean;
}

const plans = new WeakMap<Template, HeadPlan | null>();

function elementChild(nodes: Node[], name: string): ElementNode | undefined {
  for (const n of nodes) if (typeof n !== 'string' && n.k === 'element' && n.name === name) return n;
  return undefined;
}

/** A single literal or a single substitution; 'complex' for anything else (several parts, nested templates). */
function source(parts: Part[] | Node[]): Source | 'complex' {
  if (parts.length === 0) return { literal: '' };
  if (parts.length !== 1) return 'complex';
  const p = parts[0];
  if (typeof p === 'string') return { literal: p };
  if (p.k === 'subst') return { index: p.index, optional: p.optional };
  return 'complex';
}

function makePlan(template: Template): HeadPlan | null {
  const event = elementChild(template.nodes, 'Event');
  const system = event && elementChild(event.children, 'System');
  if (!system) return null;
  const eventIdEl = elementChild(system.children, 'EventID');
  const providerEl = elementChild(system.children, 'Provider');
  const channelEl = elementChild(system.children, 'Channel');
  const eventId = eventIdEl ? source(eventIdEl.children) : undefined;
  const nameAttr = providerEl?.attrs.find((a) => a.name === 'Name');
  const provider = nameAttr ? source(nameAttr.parts) : undefined;
  const channel = channelEl ? source(channelEl.children) : undefined;
  if (eventId === 'complex' || provider === 'complex' || channel === 'complex') return null;
  // Two elements of the same name would make the last one win in parseXmlRecord: leave those to the full walk.
  const count = (name: string) => system.children.filter((n) => typeof n !== 'string' && n.k === 'element' && n.name === name).length;
  if (count('EventID') > 1 || count('Provider') > 1 || count('Channel') > 1) return null;
  return { eventId, provider, channel, eventIdAttrs: (eventIdEl?.attrs.length ?? 0) > 0, channelAttrs: (channelEl?.attrs.length ?? 0) > 0 };
}

/** The text of a source: undefined when absent, null when the value needs the full walk. */
function text(buf: Buffer, src: Source, values: Value[], attribute: boolean): string | undefined | null {
  if (src === undefined) return undefined;
  if ('literal' in src) return src.literal;
  const value = values[src.index];
  if (value === undefined) return '';
  if (src.optional && isEmpty(value)) return attribute ? undefined : '';
  if (value.type === T_BINXML || value.type & T_ARRAY) return null;
  return renderValue(buf, value.type, value.start, value.size);
}

export interface Head {
  eventId?: string;
  provider?: string;
  channel?: string;
}

/**
 * The head of a record whose stream is a fragment header and one template instance (every record
 * Windows writes); undefined when the plan does not apply (the caller walks System instead).
 * Throws EvtxFormatError on bad data, like the other readers.
 */
export function readHead(parser: StreamParser, buf: Buffer): Head | undefined {
  const nodes = parser.parse();
  let instance: Instance | undefined;
  for (const n of nodes) {
    if (typeof n === 'string') return undefined;
    if (n.k !== 'instance' || instance) return undefined;
    instance = n;
  }
  if (!instance) return undefined;
  let plan = plans.get(instance.template);
  if (plan === undefined) {
    plan = makePlan(instance.template);
    plans.set(instance.template, plan);
  }
  if (!plan) return undefined;
  const values = instance.values;
  const eventId = text(buf, plan.eventId, values, false);
  const provider = text(buf, plan.provider, values, true);
  const channel = text(buf, plan.channel, values, false);
  if (eventId === null || provider === null || channel === null) return undefined;
  return {
    eventId: eventId === '' && plan.eventIdAttrs ? undefined : eventId,
    provider,
    channel: channel === '' && plan.channelAttrs ? undefined : channel,
  };
}
