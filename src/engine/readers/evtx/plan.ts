/**
 * A record's fields from per-template plans: each template is compiled once (for the place it is
 * used: the record itself, or a BinXML value inside System, EventData, ...) into the list of
 * assignments the field collector (fields.ts) would make for it (`system[name] = the text of
 * these parts`, `data[name] = ...`, or "the BinXML value at substitution i, read with its own
 * template's plan"), in the collector's order and with its rules for empty values. A record is
 * then its substitution values, read straight from the bytes (no node tree, no value objects), and
 * those assignments: every field, or only the ones asked for (a hunt reads EventID, Provider and
 * Channel, then only the fields its rules read).
 *
 * A plan is only made where the collector's walk cannot depend on the values: no template
 * instance inside a template, EventData names that are literals. A record whose values could
 * change the walk (an array repeats its element; BinXML in a text or an unexpected place) is not
 * planned (planRecord gives undefined) and the callers walk it with the collector. So a planned
 * record gives the collector's system and data maps exactly, keys in the same order (the tests
 * hold it so, on every corpus record).
 */
import { ChunkContext, ElementNode, Node, Part, Subst, Template } from './binxml';
import { EvtxChunk, EvtxRecordRef } from './file';
import { systemAttributeName, unnamedDataName } from '../record';
import { renderValue, T_ARRAY, T_BINXML, T_NULL } from './values';
import { ElementKind, EVENT, EVENT_DATA, ROOT, SYSTEM, USER_DATA, USER_DATA_TOP } from './fields';

/** Where content sits, as the collector's kinds: it decides what an element there assigns. */
type Kind = ElementKind;

/** An attribute: left out when it is a single optional substitution with no value. */
const ATTR = 0;
/** A System element's text: assigned when not empty, or (KEEP) when the element has no attributes and no child elements. */
const TEXT_KEEP_EMPTY = 1;
const TEXT_SKIP_EMPTY = 2;
/** An EventData or UserData value: always assigned. */
const DATA = 3;
/** A substitution among elements: a BinXML value there is read with its template's plan for `kind`. */
const NESTED = 4;
type Mode = typeof ATTR | typeof TEXT_KEEP_EMPTY | typeof TEXT_SKIP_EMPTY | typeof DATA | typeof NESTED;

interface Step {
  mode: Mode;
  system: boolean;
  name: string;
  parts: Part[];
  /** NESTED: the substitution and the kind its content is read as. */
  subst?: Subst;
  kind?: Kind;
}

export interface FieldPlan {
  steps: Step[];
  /** The NESTED steps' indices, in order. */
  nested: number[];
  /** Substitutions whose value must not be an array (every one: an array repeats its element). */
  noArray: number[];
  /** Substitutions in a text or at the root, whose value must not be BinXML. */
  noBinxml: number[];
  /** Field name -> the steps that assign it, in order. */
  dataSteps: Map<string, number[]>;
  systemSteps: Map<string, number[]>;
  /** Per substitution index: NO_ARRAY and NO_BINXML bits, checked as the values are read. */
  checks: Uint8Array;
  /** Template nodes walked: records over MAX_PLAN_NODES (nested plans together) are left to the collector and its node budget. */
  nodes: number;
}

const NO_ARRAY = 1;
const NO_BINXML = 2;

/** Well below binxml.ts's MAX_NODES: the collector walks each node at most three times. */
const MAX_PLAN_NODES = 50_000;
/** BinXML values inside BinXML values, at most. */
const MAX_NESTING = 4;

const plans = new WeakMap<Template, (FieldPlan | null | undefined)[]>();

/** The plan of `template` used where `kind` says, made once; null when the collector's walk could depend on the values. */
function planOf(template: Template, kind: Kind): FieldPlan | null {
  let byKind = plans.get(template);
  if (!byKind) plans.set(template, (byKind = []));
  let plan = byKind[kind];
  if (plan === undefined) byKind[kind] = plan = compile(template, kind);
  return plan;
}

class NoPlan extends Error {}

function compile(template: Template, start: Kind): FieldPlan | null {
  if (!template.portable) return null; // a template instance inside
  const steps: Step[] = [];
  const noArray = new Set<number>();
  const noBinxml = new Set<number>();
  let nodes = 0;
  let seenEvent = false;
  let unnamed = 0;
  const count = (list: readonly (Node | Part)[]) => {
    for (const n of list) {
      if (++nodes > MAX_PLAN_NODES) throw new NoPlan();
      if (typeof n === 'string') continue;
      if (n.k === 'subst') noArray.add(n.index);
      else if (n.k === 'instance') throw new NoPlan();
      else if (n.k === 'element') {
        for (const a of n.attrs) count(a.parts);
        count(n.children);
      }
    }
  };
  /** An element's direct text (the collector's textOf): its parts, and whether it has child elements. */
  const textParts = (node: ElementNode): { parts: Part[]; elements: boolean } => {
    const parts: Part[] = [];
    let elements = false;
    for (const c of node.children) {
      if (typeof c === 'string') parts.push(c);
      else if (c.k === 'element') elements = true;
      else if (c.k === 'subst') {
        parts.push(c);
        noBinxml.add(c.index);
      } else if (c.k === 'instance') throw new NoPlan();
      // a processing instruction adds no text
    }
    return { parts, elements };
  };
  const attrParts = (parts: Part[]): Part[] => {
    for (const p of parts) if (typeof p !== 'string' && p.k === 'subst') noBinxml.add(p.index);
    return parts;
  };
  const content = (list: Node[], kind: Kind) => {
    for (const n of list) {
      if (typeof n === 'string' || n.k === 'pi') continue;
      if (n.k === 'instance') throw new NoPlan();
      if (n.k === 'subst') {
        if (kind === ROOT) noBinxml.add(n.index);
        else steps.push({ mode: NESTED, system: false, name: '', parts: [], subst: n, kind });
        continue;
      }
      element(n, kind);
    }
  };
  const element = (node: ElementNode, kind: Kind) => {
    switch (kind) {
      case ROOT:
        if (seenEvent) return;
        seenEvent = true;
        content(node.children, EVENT);
        return;
      case EVENT:
        if (node.name === 'System') content(node.children, SYSTEM);
        else if (node.name === 'EventData') content(node.children, EVENT_DATA);
        else if (node.name === 'UserData') content(node.children, USER_DATA_TOP);
        return;
      case SYSTEM: {
        for (const a of node.attrs) {
          if (a.name.startsWith('xmlns')) continue;
          steps.push({ mode: ATTR, system: true, name: systemAttributeName(node.name, a.name), parts: attrParts(a.parts) });
        }
        const { parts, elements } = textParts(node);
        steps.push({ mode: node.attrs.length === 0 && !elements ? TEXT_KEEP_EMPTY : TEXT_SKIP_EMPTY, system: true, name: node.name, parts });
        return;
      }
      case EVENT_DATA: {
        let name = node.name;
        if (name === 'Data') {
          const named = node.attrs.find((a) => a.name === 'Name');
          // Unnamed Data are numbered across the whole record: only the record's own plan numbers them.
          if (!named) {
            if (start !== ROOT) throw new NoPlan();
            name = unnamedDataName(++unnamed);
          } else if (named.parts.length === 0) name = '';
          else if (named.parts.length === 1 && typeof named.parts[0] === 'string') name = named.parts[0];
          else throw new NoPlan(); // a name from a value
        }
        steps.push({ mode: DATA, system: false, name, parts: textParts(node).parts });
        return;
      }
      case USER_DATA_TOP:
        content(node.children, USER_DATA);
        return;
      case USER_DATA: {
        const { parts, elements } = textParts(node);
        if (!elements) steps.push({ mode: DATA, system: false, name: node.name, parts });
        else {
          // Its text is walked too (and dropped): a BinXML value among its children would be read twice.
          for (const c of node.children) if (typeof c !== 'string' && c.k === 'subst') noBinxml.add(c.index);
          content(node.children.filter((c) => typeof c === 'string' || c.k !== 'subst'), USER_DATA);
        }
        return;
      }
    }
  };
  try {
    count(template.nodes);
    content(template.nodes, start);
    // A plain object ignores `__proto__ = text`: leave such a name to the collector.
    if (steps.some((s) => s.name === '__proto__')) throw new NoPlan();
  } catch (err) {
    if (err instanceof NoPlan) return null;
    throw err;
  }
  const dataSteps = new Map<string, number[]>();
  const systemSteps = new Map<string, number[]>();
  const nested: number[] = [];
  steps.forEach((s, i) => {
    if (s.mode === NESTED) return void nested.push(i);
    const map = s.system ? systemSteps : dataSteps;
    map.set(s.name, [...(map.get(s.name) ?? []), i]);
  });
  const checks = new Uint8Array(Math.max(0, ...noArray, ...noBinxml) + 1);
  for (const i of noArray) checks[i] |= NO_ARRAY;
  for (const i of noBinxml) checks[i] |= NO_BINXML;
  return { steps, nested, noArray: [...noArray], noBinxml: [...noBinxml], checks, dataSteps, systemSteps, nodes };
}

/** A record (or a BinXML value in it) read through its template's plan. */
export interface PlannedRecord {
  plan: FieldPlan;
  buf: Buffer;
  /** Per value: type, start, size. */
  values: number[];
  count: number;
  /** Per NESTED step of the plan: the BinXML value it reads, or null when it adds nothing. */
  nested: (PlannedRecord | null)[];
}

const TOKEN_FRAGMENT = 0x0f;
const TOKEN_TEMPLATE = 0x0c;
const MORE = 0x40;

/**
 * The record read through its template's plan, or undefined when that is not certain to give what
 * the collector gives (then the caller walks it): a stream that is not fragment headers, one
 * template instance and an end; anything StreamParser would refuse (the walk then reports it); a
 * template without a plan; an array, or BinXML where no plan reads it. Never throws.
 */
export function planRecord(chunk: EvtxChunk, ref: EvtxRecordRef): PlannedRecord | undefined {
  const budget = { nodes: 0 };
  return readStream(chunk.context, ref.offset + 24, ref.offset + ref.size - 4, ROOT, 0, budget);
}

/** A BinXML stream [start, end) that holds one template instance, read with its plan for `kind`; `level` 0 is the record's own. */
function readStream(ctx: ChunkContext, start: number, end: number, kind: Kind, level: number, budget: { nodes: number }): PlannedRecord | undefined {
  const buf = ctx.buf;
  if (end > buf.length || level > MAX_NESTING) return undefined;
  let pos = start;
  while (pos < end && (buf[pos] & ~MORE) === TOKEN_FRAGMENT) pos += 4;
  if (pos + 10 > end || (buf[pos] & ~MORE) !== TOKEN_TEMPLATE) return undefined;
  const offset = buf.readUInt32LE(pos + 6);
  pos += 10;
  if (offset === pos) {
    if (pos + 24 > end) return undefined;
    pos += 24 + buf.readUInt32LE(pos + 20);
    if (pos > end) return undefined;
  }
  let template: Template;
  try {
    template = ctx.template(offset, 2 * level); // the depth StreamParser reaches it at
  } catch {
    return undefined; // the walk reports it
  }
  const plan = planOf(template, kind);
  if (!plan || pos + 4 > end) return undefined;
  budget.nodes += plan.nodes;
  if (budget.nodes > MAX_PLAN_NODES) return undefined;
  const count = buf.readUInt32LE(pos);
  pos += 4;
  if (count * 4 > end - pos) return undefined;
  const values = new Array<number>(3 * count);
  const checks = plan.checks;
  let p = pos + 4 * count;
  for (let i = 0; i < count; i++) {
    const at = pos + 4 * i;
    const size = buf[at] | (buf[at + 1] << 8);
    const type = buf[at + 2];
    const check = i < checks.length ? checks[i] : 0;
    if (check !== 0 && ((check & NO_ARRAY && type & T_ARRAY) || (check & NO_BINXML && type === T_BINXML))) return undefined;
    values[3 * i] = type;
    values[3 * i + 1] = p;
    values[3 * i + 2] = size;
    p += size;
  }
  if (p > end) return undefined;
  // After the instance the stream must end (or hold an end-of-stream token): anything else is for StreamParser.
  if (p < end && (buf[p] & ~MORE) !== 0) return undefined;
  const nested: (PlannedRecord | null)[] = [];
  for (const s of plan.nested) {
    const step = plan.steps[s];
    const i = step.subst!.index;
    const type = values[3 * i];
    // As the collector: no value, or an optional one that is empty, adds nothing; nor does a non-BinXML value among elements.
    if (i >= count || type !== T_BINXML || (step.subst!.optional && values[3 * i + 2] === 0)) {
      nested.push(null);
      continue;
    }
    const inner = readStream(ctx, values[3 * i + 1], values[3 * i + 1] + values[3 * i + 2], step.kind!, level + 1, budget);
    if (!inner) return undefined;
    nested.push(inner);
  }
  return { plan, buf, values, count, nested };
}

/** The text of one part: a literal, or a substitution's value ('' when absent, or optional and empty). */
function partText(r: PlannedRecord, part: Part): string {
  if (typeof part === 'string') return part;
  const s = part as Subst;
  if (s.index >= r.count) return '';
  const at = 3 * s.index;
  const type = r.values[at];
  const size = r.values[at + 2];
  if (s.optional && (type === T_NULL || size === 0)) return '';
  return renderValue(r.buf, type, r.values[at + 1], size);
}

/** What step `i` (not NESTED) assigns, or undefined when it assigns nothing for this record. */
function stepText(r: PlannedRecord, i: number): string | undefined {
  const step = r.plan.steps[i];
  const parts = step.parts;
  let text: string;
  if (parts.length === 1) {
    const part = parts[0];
    if (step.mode === ATTR && typeof part !== 'string' && (part as Subst).optional) {
      const at = 3 * (part as Subst).index;
      if (at >= 3 * r.count || r.values[at] === T_NULL || r.values[at + 2] === 0) return undefined;
    }
    text = partText(r, part);
  } else {
    text = '';
    for (let k = 0; k < parts.length; k++) text += partText(r, parts[k]);
  }
  return text === '' && step.mode === TEXT_SKIP_EMPTY ? undefined : text;
}

/**
 * The value the collector leaves in `system[name]` (or `data[name]`): the last assignment, in the
 * record's own steps and its nested values' together. Undefined when none assigns it.
 */
function lookup(r: PlannedRecord, system: boolean, name: string): string | undefined {
  const plan = r.plan;
  const own = (system ? plan.systemSteps : plan.dataSteps).get(name);
  let i = own ? own.length - 1 : -1;
  let k = plan.nested.length - 1;
  while (i >= 0 || k >= 0) {
    if (k >= 0 && (i < 0 || plan.nested[k] > own![i])) {
      const inner = r.nested[k--];
      const text = inner && lookup(inner, system, name);
      if (text !== undefined && text !== null) return text;
    } else {
      const text = stepText(r, own![i--]);
      if (text !== undefined) return text;
    }
  }
  return undefined;
}

/** system.EventID, system.Provider_Name and system.Channel, as the collector leaves them. */
export function plannedHead(r: PlannedRecord): { eventId?: string; provider?: string; channel?: string } {
  return { eventId: lookup(r, true, 'EventID'), provider: lookup(r, true, 'Provider_Name'), channel: lookup(r, true, 'Channel') };
}

/**
 * A field as a rule reads it from the collector's maps (ruleSet's ruleEventOf): `data[name]` if
 * the record has that EventData/UserData field, else `system[name]`, else undefined.
 */
export function plannedField(r: PlannedRecord, name: string): string | undefined {
  return lookup(r, false, name) ?? lookup(r, true, name);
}

/** Every field (System only with `systemOnly`), as the collector gives them. */
export function plannedFields(r: PlannedRecord, systemOnly: boolean): { system: Record<string, string>; data: Record<string, string> } {
  const out = { system: {} as Record<string, string>, data: {} as Record<string, string> };
  apply(r, systemOnly, out);
  return out;
}

function apply(r: PlannedRecord, systemOnly: boolean, out: { system: Record<string, string>; data: Record<string, string> }): void {
  const steps = r.plan.steps;
  let k = 0;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (step.mode === NESTED) {
      const inner = r.nested[k++];
      if (inner) apply(inner, systemOnly, out);
      continue;
    }
    if (systemOnly && !step.system) continue;
    const text = stepText(r, i);
    if (text !== undefined) (step.system ? out.system : out.data)[step.name] = text;
  }
}
