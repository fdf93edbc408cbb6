/**
 * Reads one `<Event>` record with the SAX parser: every System field, every EventData value and
 * the leaf elements of UserData, each with where its value sits in the text.
 */
import * as sax from 'sax';
import { ParsedRecord, RecordError, systemAttributeName, toEventId, unnamedDataName } from './record';

/** One attribute after the tag name or another attribute: its name, and its value in either quotes. */
const ATTRIBUTE = /\s+([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;

/** The span of the value of attribute `name` of the tag whose `<` is at `tag`. */
function attributeSpan(text: string, tag: number, name: string): [number, number] | undefined {
  ATTRIBUTE.lastIndex = tag + 1;
  while (ATTRIBUTE.lastIndex < text.length && !/[\s/>]/.test(text[ATTRIBUTE.lastIndex])) ATTRIBUTE.lastIndex++;
  for (let m = ATTRIBUTE.exec(text); m; m = ATTRIBUTE.exec(text)) {
    const value = m[2] ?? m[3];
    const end = ATTRIBUTE.lastIndex - 1;
    if (m[1] === name) return [end - value.length, end];
  }
  return undefined;
}

const DATA_TEXT = 0;
const SYSTEM_TEXT = 1;
const SYSTEM_ATTRIBUTE = 2;

/**
 * Where the values sit, recorded as the parser passes them and turned into spans only when asked.
 * Flat arrays, not maps: a record is parsed for each event, and located only for a match.
 */
class Marks {
  private readonly fields: string[] = [];
  /** Per field: its kind; element text as [start, end of the closing tag]; an attribute as [start of its tag, 0]. */
  private readonly marks: number[] = [];

  add(field: string, kind: number, a: number, b: number): void {
    this.fields.push(field);
    this.marks.push(kind, a, b);
  }

  /** The last mark of `field` among data marks (`data`) or System marks, as a span. */
  span(text: string, field: string, data: boolean): [number, number] | undefined {
    for (let i = this.fields.length - 1; i >= 0; i--) {
      const kind = this.marks[3 * i];
      if (this.fields[i] !== field || (kind === DATA_TEXT) !== data) continue;
      const a = this.marks[3 * i + 1];
      const b = this.marks[3 * i + 2];
      if (kind === SYSTEM_ATTRIBUTE) return attributeSpan(text, a, field === 'TimeCreated' ? 'SystemTime' : field.slice(field.indexOf('_') + 1));
      return [a, Math.max(a, text.lastIndexOf('<', b - 1))];
    }
    return undefined;
  }
}

/** Parses the XML text of one event. Throws RecordError with the parser's words when it is not well-formed. */
export function parseXmlRecord(text: string): ParsedRecord {
  const parser = sax.parser(true, { position: true });
  const data: Record<string, string> = {};
  const system: Record<string, string> = {};
  const marks = new Marks();
  const locate = (field: string) => marks.span(text, field, Object.hasOwn(data, field));
  const record: ParsedRecord = { data, system, locate };

  const stack: string[] = [];
  /** Where each open element's text starts. */
  const starts: number[] = [];
  /** Did the open element have child elements (UserData keeps only leaves)? */
  const parents: boolean[] = [];
  /** The EventData name of the open Data element. */
  let dataName: string | undefined;
  let unnamed = 0;
  let userDataDepth = -1;
  let textBuf = '';
  /** Does the open System element count as text even when empty (`<Level></Level>`, not `<Correlation/>`)? */
  let systemTextElement = false;

  parser.onopentag = (node) => {
    const parent = stack[stack.length - 1];
    if (parents.length > 0) parents[parents.length - 1] = true;
    stack.push(node.name);
    starts.push(parser.position);
    parents.push(false);
    textBuf = '';
    const attributes = node.attributes as Record<string, string>;
    if (parent === 'System') {
      systemTextElement = !node.isSelfClosing;
      for (const attribute in attributes) {
        systemTextElement = false;
        if (attribute.startsWith('xmlns')) continue;
        const name = systemAttributeName(node.name, attribute);
        system[name] = attributes[attribute];
        marks.add(name, SYSTEM_ATTRIBUTE, parser.startTagPosition - 1, 0);
      }
    } else if (parent === 'EventData') {
      const name = attributes.Name;
      dataName = node.name !== 'Data' ? node.name : name !== undefined ? name : unnamedDataName(++unnamed);
    } else if (node.name === 'UserData' && parent === 'Event') userDataDepth = stack.length;
  };
  parser.ontext = (t) => {
    textBuf += t;
  };
  parser.oncdata = (t) => {
    textBuf += t;
  };
  parser.onclosetag = (name) => {
    const depth = stack.length;
    stack.pop();
    const start = starts.pop()!;
    const hadChildren = parents.pop()!;
    const parent = stack[stack.length - 1];
    if (parent === 'System') {
      // `<Correlation/>` has no text; `<EventID Qualifiers=''>1</EventID>` has both.
      if (textBuf !== '' || (systemTextElement && !hadChildren)) {
        system[name] = textBuf;
        marks.add(name, SYSTEM_TEXT, start, parser.position);
      }
    } else if (parent === 'EventData' && dataName !== undefined) {
      data[dataName] = textBuf;
      marks.add(dataName, DATA_TEXT, start, parser.position);
      dataName = undefined;
    } else if (userDataDepth >= 0 && depth > userDataDepth + 1 && !hadChildren) {
      data[name] = textBuf;
      marks.add(name, DATA_TEXT, start, parser.position);
    }
    if (name === 'UserData' && depth === userDataDepth) userDataDepth = -1;
    textBuf = '';
  };
  let failure: string | undefined;
  parser.onerror = (err) => {
    failure ??= err.message.split('\n')[0];
    throw new RecordError(failure);
  };
  try {
    parser.write(text).close();
  } catch (err) {
    throw err instanceof RecordError ? err : new RecordError(String((err as Error).message ?? err));
  }
  record.eventId = toEventId(system.EventID);
  record.provider = system.Provider_Name;
  record.channel = system.Channel;
  record.computer = system.Computer;
  record.recordId = system.EventRecordID;
  record.time = system.TimeCreated ?? data.UtcTime;
  return record;
}
