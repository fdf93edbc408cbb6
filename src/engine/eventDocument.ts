/**
 * One event as a readable document: pretty XML (Event Viewer's form) or pretty JSON, with every
 * field under Sysmon's / Windows' names, and where each value lies in that text. Built from what
 * an event holds (its System fields and EventData), never from the original file, so it works for
 * a record of any file whatever its size or shape, and shows the same names for every shape.
 */
import type { SysmonEvent } from './model';

export type EventFormat = 'xml' | 'json';

/** What a document is made from: a matched event, or a parsed record (which has every System field). */
export type EventLike = Pick<SysmonEvent, 'eventId' | 'provider' | 'channel' | 'recordId' | 'time' | 'computer' | 'data'> & {
  /** System fields under the rules' names (Provider_Name, EventID, TimeCreated, Execution_ProcessID, ...). */
  system?: Record<string, string>;
};

export interface EventField {
  section: 'System' | 'EventData';
  name: string;
  value: string;
}

/** Where System's fields go in Windows' order; an event without its `system` map (made by hand, or by an older hunt) gives its header only. */
const SYSTEM_ORDER = ['Provider_Name', 'Provider_Guid', 'EventID', 'Version', 'Level', 'Task', 'Opcode', 'Keywords', 'TimeCreated', 'EventRecordID'];

/**
 * The System fields an event holds: its `system` map, with the header's fields where the map has
 * none (a JSON shape's map may lack some, such as ECS's Computer, which comes from host.name).
 */
export function systemFields(event: EventLike): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (name: string, value: string | number | undefined) => {
    if (value !== undefined && value !== '') out[name] = String(value);
  };
  put('Provider_Name', event.provider);
  put('EventID', event.eventId);
  put('TimeCreated', event.time);
  put('EventRecordID', event.recordId);
  put('Channel', event.channel);
  put('Computer', event.computer);
  return { ...out, ...event.system };
}

/** Every field of the event, System first (in Windows' order where known), then EventData in the record's order. */
export function eventFields(event: EventLike): EventField[] {
  const system = Object.entries(systemFields(event));
  const rank = (name: string) => {
    const i = SYSTEM_ORDER.indexOf(name);
    return i < 0 ? SYSTEM_ORDER.length : i;
  };
  system.sort((a, b) => rank(a[0]) - rank(b[0]));
  return [
    ...system.map(([name, value]): EventField => ({ section: 'System', name, value })),
    ...Object.entries(event.data).map(([name, value]): EventField => ({ section: 'EventData', name, value })),
  ];
}

/** A rendered event: its text, and the UTF-16 span [start, end) of each field's value in it. */
export interface EventDocument {
  format: EventFormat;
  text: string;
  /** The span of a field's value (an EventData name first, then a System name), as it is written (escaped). */
  locate(field: string): [number, number] | undefined;
}

/** Builds text while remembering where values went. */
class Writer {
  private readonly parts: string[] = [];
  private length = 0;
  readonly data = new Map<string, [number, number]>();
  readonly system = new Map<string, [number, number]>();

  write(text: string): void {
    this.parts.push(text);
    this.length += text.length;
  }

  value(section: EventField['section'], name: string, written: string): void {
    const spans = section === 'System' ? this.system : this.data;
    if (!spans.has(name)) spans.set(name, [this.length, this.length + written.length]);
    this.write(written);
  }

  done(format: EventFormat): EventDocument {
    const { data, system } = this;
    return { format, text: this.parts.join(''), locate: (field) => data.get(field) ?? system.get(field) };
  }
}

export function renderEvent(event: EventLike, format: EventFormat): EventDocument {
  return format === 'xml' ? renderEventXml(event) : renderEventJson(event);
}

const NS = 'http://schemas.microsoft.com/win/2004/08/events/event';

/** Text content: `&`, `<` and `>` escaped (`>` too, so `]]>` never appears). */
export function xmlText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A double-quoted attribute's value; tabs and line breaks as references, since attribute values are normalised. */
export function xmlAttribute(value: string): string {
  return xmlText(value).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

/** Characters XML 1.0 cannot hold at all, even escaped, written as `\uXXXX`, so the document stays well-formed. */
function xmlSafe(value: string): string {
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Event Viewer's XML: System with attributes where Windows writes them (`Provider_Name` is
 * `<Provider Name=…/>`, `TimeCreated` is `<TimeCreated SystemTime=…/>`), then one `<Data Name=…>`
 * per EventData field.
 */
export function renderEventXml(event: EventLike): EventDocument {
  const w = new Writer();
  w.write(`<Event xmlns="${NS}">\n  <System>\n`);
  // Group `Element_Attribute` names into one element each, in first-seen order.
  const elements = new Map<string, { attributes: [string, string, string][]; text?: [string, string] }>();
  for (const { name, value } of eventFields(event).filter((f) => f.section === 'System')) {
    const cut = name.indexOf('_');
    const [element, attribute] = name === 'TimeCreated' ? ['TimeCreated', 'SystemTime'] : cut > 0 ? [name.slice(0, cut), name.slice(cut + 1)] : [name, undefined];
    if (!/^[A-Za-z][\w.-]*$/.test(element) || (attribute !== undefined && !/^[A-Za-z][\w.-]*$/.test(attribute))) continue;
    let entry = elements.get(element);
    if (!entry) elements.set(element, (entry = { attributes: [] }));
    if (attribute === undefined) entry.text = [name, value];
    else entry.attributes.push([attribute, name, value]);
  }
  for (const [element, { attributes, text }] of elements) {
    w.write(`    <${element}`);
    for (const [attribute, name, value] of attributes) {
      w.write(` ${attribute}="`);
      w.value('System', name, xmlAttribute(xmlSafe(value)));
      w.write('"');
    }
    if (!text) {
      w.write(' />\n');
      continue;
    }
    w.write('>');
    w.value('System', text[0], xmlText(xmlSafe(text[1])));
    w.write(`</${element}>\n`);
  }
  w.write('  </System>\n  <EventData>\n');
  for (const [name, value] of Object.entries(event.data)) {
    w.write(`    <Data Name="${xmlAttribute(xmlSafe(name))}">`);
    w.value('EventData', name, xmlText(xmlSafe(value)));
    w.write('</Data>\n');
  }
  w.write('  </EventData>\n</Event>\n');
  return w.done('xml');
}

/** Pretty JSON: `{"Event": {"System": {...}, "EventData": {...}}}`, every value a string as the event holds it. */
export function renderEventJson(event: EventLike): EventDocument {
  const w = new Writer();
  const section = (label: EventField['section'], fields: [string, string][], last: boolean) => {
    w.write(`    ${JSON.stringify(label)}: {`);
    fields.forEach(([name, value], i) => {
      w.write(`${i === 0 ? '' : ','}\n      ${JSON.stringify(name)}: "`);
      // The span is the string's content, without its quotes.
      w.value(label, name, JSON.stringify(value).slice(1, -1));
      w.write('"');
    });
    w.write(`${fields.length > 0 ? '\n    ' : ''}}${last ? '' : ','}\n`);
  };
  const system = eventFields(event).filter((f) => f.section === 'System').map((f): [string, string] => [f.name, f.value]);
  w.write('{\n  "Event": {\n');
  section('System', system, false);
  section('EventData', Object.entries(event.data), true);
  w.write('  }\n}\n');
  return w.done('json');
}
