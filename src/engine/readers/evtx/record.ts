/**
 * One EVTX record as the engine's ParsedRecord (the same one `parseXmlRecord` gives for the
 * record's XML), and as XML text.
 */
import { quickXmlRecord } from '../xmlQuick';
import { parseXmlRecord } from '../xmlRecord';
import { ParsedRecord, systemAttributeName, toEventId, unnamedDataName } from '../record';
import { Element, Expander, PiNode, StreamParser } from './binxml';
import { readHead } from './head';
import { FieldCollector } from './fields';
import { EvtxChunk, EvtxRecordRef } from './file';
import { EvtxFormatError, hex } from './problems';
import { plannedFields, plannedHead, PlannedRecord, planRecord } from './plan';

/** A decoded record, with where it sits in the file. */
export interface EvtxParsedRecord extends ParsedRecord {
  chunkNumber: number;
  fileOffset: number;
  /** Read from a damaged chunk whose framing still held. */
  recovered: boolean;
}

type Content = Element | string | PiNode;

/** Runs `read` on a record; a failure becomes a problem on the chunk, and undefined. */
export function guarded<T>(chunk: EvtxChunk, ref: EvtxRecordRef, read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    const why = err instanceof EvtxFormatError || err instanceof RangeError ? err.message : String(err);
    chunk.problems.push({
      chunkNumber: chunk.chunkNumber,
      offset: ref.fileOffset,
      recordId: ref.recordId,
      message: `record ${ref.recordId} at ${hex(ref.fileOffset)} (chunk ${chunk.chunkNumber}): ${why}`,
    });
    return undefined;
  }
}

/** The concrete elements of a record, or undefined (and a problem on the chunk) when its BinXML cannot be read. */
export function recordElements(chunk: EvtxChunk, ref: EvtxRecordRef): Content[] | undefined {
  return guarded(chunk, ref, () => new Expander(chunk.context).stream(ref.offset + 24, ref.offset + ref.size - 4));
}

function textOf(element: Element): string {
  let s = '';
  for (const c of element.children) if (typeof c === 'string') s += c;
  return s;
}

function hasElements(element: Element): boolean {
  for (const c of element.children) if (typeof c !== 'string' && !('k' in c)) return true;
  return false;
}

function isElement(c: Content): c is Element {
  return typeof c !== 'string' && !('k' in c);
}

/** The root `<Event>` of a record's content (the first element). */
function eventOf(content: Content[]): Element | undefined {
  for (const c of content) if (isElement(c)) return c;
  return undefined;
}

/**
 * System, EventData and UserData into `system` and `data`, by the rules of parseXmlRecord, from the
 * element tree (the reference for FieldCollector, which decodeRecord uses).
 */
export function recordFieldsFromTree(chunk: EvtxChunk, ref: EvtxRecordRef): { system: Record<string, string>; data: Record<string, string> } | undefined {
  const content = recordElements(chunk, ref);
  if (!content) return undefined;
  const system: Record<string, string> = {};
  const data: Record<string, string> = {};
  const event = eventOf(content);
  if (event) collect(event, system, data);
  return { system, data };
}

function collect(event: Element, system: Record<string, string>, data: Record<string, string>): void {
  for (const section of event.children) {
    if (!isElement(section)) continue;
    if (section.name === 'System') {
      for (const el of section.children) {
        if (!isElement(el)) continue;
        for (const [name, value] of el.attrs) {
          if (name.startsWith('xmlns')) continue;
          system[systemAttributeName(el.name, name)] = value;
        }
        const text = textOf(el);
        if (text !== '' || (!el.declaredAttrs && !hasElements(el))) system[el.name] = text;
      }
    } else if (section.name === 'EventData') {
      let unnamed = 0;
      for (const el of section.children) {
        if (!isElement(el)) continue;
        let name = el.name;
        if (name === 'Data') {
          const named = el.attrs.find((a) => a[0] === 'Name');
          name = named ? named[1] : unnamedDataName(++unnamed);
        }
        data[name] = textOf(el);
      }
    } else if (section.name === 'UserData') {
      const leaves = (el: Element) => {
        for (const c of el.children) {
          if (!isElement(c)) continue;
          if (hasElements(c)) leaves(c);
          else data[c.name] = textOf(c);
        }
      };
      for (const c of section.children) if (isElement(c)) leaves(c);
    }
  }
}

/**
 * Decodes one record into a ParsedRecord; undefined (with a problem on the chunk) when its BinXML
 * cannot be read. `locate` renders the record's XML and finds the field there, so spans refer to
 * renderRecordXml's text.
 */
export function decodeRecord(chunk: EvtxChunk, ref: EvtxRecordRef): EvtxParsedRecord | undefined {
  return fields(chunk, ref, false);
}

/** decodeRecord by the collector's walk alone, never from a template's plan: the reference the tests hold plans to. */
export function decodeRecordWalked(chunk: EvtxChunk, ref: EvtxRecordRef): EvtxParsedRecord | undefined {
  return fields(chunk, ref, false, true);
}

/**
 * The System fields only (EventID, Provider_Name, Channel, ...; `data` stays empty): what a hunt
 * reads first to pick the rules that apply, before it decodes the EventData of the records it needs.
 */
export function decodeSystem(chunk: EvtxChunk, ref: EvtxRecordRef): EvtxParsedRecord | undefined {
  return fields(chunk, ref, true);
}

/** What a hunt reads first to pick the rules that apply. */
export interface EvtxHead {
  eventId?: number;
  provider?: string;
  channel?: string;
}

/**
 * EventID, Provider and Channel only, the cheapest read of a record: from a per-template plan when
 * the template has the plain System shape, else from decodeSystem. Undefined (with a problem on
 * the chunk) when the record cannot be read.
 */
export function decodeHead(chunk: EvtxChunk, ref: EvtxRecordRef): EvtxHead | undefined {
  const planned = planRecord(chunk, ref);
  if (planned) return headOf(planned);
  const head = guarded(chunk, ref, () => readHead(new StreamParser(chunk.context, ref.offset + 24, ref.offset + ref.size - 4, false, 0), chunk.context.buf) ?? null);
  if (head === undefined) return undefined;
  if (head !== null) return { eventId: toEventId(head.eventId), provider: head.provider, channel: head.channel };
  const system = decodeSystem(chunk, ref);
  return system && { eventId: system.eventId, provider: system.provider, channel: system.channel };
}

/** A planned record's EventID, Provider and Channel: decodeHead's answer, and decodeRecord's. */
export function headOf(planned: PlannedRecord): EvtxHead {
  const head = plannedHead(planned);
  return { eventId: toEventId(head.eventId), provider: head.provider, channel: head.channel };
}

/** A planned record as decodeRecord gives it. */
export function plannedRecord(chunk: EvtxChunk, ref: EvtxRecordRef, planned: PlannedRecord): EvtxParsedRecord {
  const { system, data } = plannedFields(planned, false);
  return parsedRecord(chunk, ref, system, data);
}

function fields(chunk: EvtxChunk, ref: EvtxRecordRef, systemOnly: boolean, walk = false): EvtxParsedRecord | undefined {
  const planned = walk ? undefined : planRecord(chunk, ref);
  if (planned) {
    const { system, data } = plannedFields(planned, systemOnly);
    return parsedRecord(chunk, ref, system, data);
  }
  const collector = new FieldCollector(new Expander(chunk.context), systemOnly);
  const ran = guarded(chunk, ref, () => {
    collector.run(ref.offset + 24, ref.offset + ref.size - 4);
    return true;
  });
  if (!ran) return undefined;
  return parsedRecord(chunk, ref, collector.system, collector.data);
}

/**
 * A record's `locate`: the field's span in its XML (`xml()`, rendered on the first call; undefined
 * when the record's XML could not be rendered: `<Event/>` then).
 */
export function xmlLocator(xml: () => string | undefined): (field: string) => [number, number] | undefined {
  let located: ParsedRecord | null | undefined;
  return (field: string) => {
    if (located === undefined) {
      try {
        // Rendered XML is plain: the quick reader gives SAX's record (spans included) for a fifth of its cost.
        const text = xml() ?? '<Event/>';
        located = quickXmlRecord(text) ?? parseXmlRecord(text);
      } catch {
        // A damaged chunk can hold a name XML cannot (found by the fuzzer): the value is not placed.
        located = null;
      }
    }
    return located?.locate(field);
  };
}

function parsedRecord(chunk: EvtxChunk, ref: EvtxRecordRef, system: Record<string, string>, data: Record<string, string>): EvtxParsedRecord {
  const locate = xmlLocator(() => renderRecordXml(chunk, ref));
  return {
    eventId: toEventId(system.EventID),
    provider: system.Provider_Name,
    channel: system.Channel,
    computer: system.Computer,
    recordId: system.EventRecordID ?? String(ref.recordId),
    time: system.TimeCreated ?? data.UtcTime,
    data,
    system,
    locate,
    chunkNumber: chunk.chunkNumber,
    fileOffset: ref.fileOffset,
    recovered: ref.recovered,
  };
}

function escapeText(s: string): string {
  return /[&<>]/.test(s) ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : s;
}

function escapeAttr(s: string): string {
  return /[&<>'"]/.test(s) ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;').replace(/"/g, '&quot;') : s;
}

/**
 * Appends `c` as XML. With `indent` (pretty), an element whose children are all elements puts each
 * on a line of its own, indented; an element holding text stays on one line, so values are untouched.
 */
function render(c: Content, out: string[], indent?: string): void {
  if (typeof c === 'string') {
    out.push(escapeText(c));
    return;
  }
  if (!isElement(c)) {
    out.push(`<?${c.text}?>`);
    return;
  }
  out.push('<', c.name);
  for (const [name, value] of c.attrs) out.push(' ', name, "='", escapeAttr(value), "'");
  if (c.children.length === 0) {
    out.push('/>');
    return;
  }
  out.push('>');
  if (indent !== undefined && c.children.every((child) => typeof child !== 'string')) {
    const inner = `${indent}  `;
    for (const child of c.children) {
      out.push('\n', inner);
      render(child, out, inner);
    }
    out.push('\n', indent);
  } else {
    for (const child of c.children) render(child, out);
  }
  out.push('</', c.name, '>');
}

function renderElements(content: Content[], pretty: boolean): string {
  const out: string[] = [];
  for (const c of content) render(c, out, pretty ? '' : undefined);
  return out.join('');
}

/**
 * The record as XML, in the shape `wevtutil qe /f:xml` gives: one line, single-quoted attributes,
 * empty elements self-closed, and an optional substitution with no value leaving its attribute out.
 * Differences from wevtutil that a reader of the file alone cannot avoid:
 * - no `<RenderingInfo>` (it comes from the provider's message files, not from the log);
 * - GUIDs are lower case in braces everywhere (Windows writes some upper case);
 * - floats and doubles are JavaScript's shortest round-trip text;
 * - processing instructions are kept, entity references other than the five of XML are left as `&name;`.
 * `pretty` lays elements out over indented lines, for reading (values are the same).
 * Undefined (with a problem on the chunk) when the record's BinXML cannot be read.
 */
export function renderRecordXml(chunk: EvtxChunk, ref: EvtxRecordRef, options: { pretty?: boolean } = {}): string | undefined {
  const content = recordElements(chunk, ref);
  return content ? renderElements(content, options.pretty === true) : undefined;
}
