/**
 * Reads one `<Event>` record with the SAX parser: every System field, every EventData value and
 * the leaf elements of UserData, each with where its value sits in the text.
 */
import * as sax from 'sax';
import { ParsedRecord, RecordError, systemAttributeName, toEventId, unnamedDataName } from './record';

/**
 * Where a value sits, kept as the parser saw it and turned into a span only when asked:
 * element text as [start, end of its closing tag], an attribute as [-1, index of its closing quote].
 */
type Mark = [number, number];

function spanOf(text: string, mark: Mark | undefined): [number, number] | undefined {
  if (!mark) return undefined;
  const [start, close] = mark;
  if (start < 0) return [text.lastIndexOf(text[close], close - 1) + 1, close];
  return [start, Math.max(start, text.lastIndexOf('<', close - 1))];
}

/** Parses the XML text of one event. Throws RecordError with the parser's words when it is not well-formed. */
export function parseXmlRecord(text: string): ParsedRecord {
  const parser = sax.parser(true, { position: true });
  const data: Record<string, string> = {};
  const system: Record<string, string> = {};
  const dataAt = new Map<string, Mark>();
  const systemAt = new Map<string, Mark>();
  const locate = (field: string) => spanOf(text, dataAt.get(field) ?? systemAt.get(field));
  const record: ParsedRecord = { data, system, locate, locateImage: () => locate('Image') };

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

  parser.onattribute = (attr) => {
    if (stack[stack.length - 1] !== 'System' || attr.name.startsWith('xmlns')) return;
    const name = systemAttributeName(parser.tag.name, attr.name);
    system[name] = attr.value;
    systemAt.set(name, [-1, parser.position - 1]);
  };
  parser.onopentag = (node) => {
    const parent = stack[stack.length - 1];
    if (parents.length > 0) parents[parents.length - 1] = true;
    stack.push(node.name);
    starts.push(parser.position);
    parents.push(false);
    textBuf = '';
    if (parent === 'System') systemTextElement = !node.isSelfClosing && Object.keys(node.attributes).length === 0;
    else if (parent === 'EventData') {
      const name = (node.attributes as Record<string, string>).Name;
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
    const mark: Mark = [start, parser.position];
    if (parent === 'System') {
      // `<Correlation/>` has no text; `<EventID Qualifiers=''>1</EventID>` has both.
      if (textBuf !== '' || (systemTextElement && !hadChildren)) {
        system[name] = textBuf;
        systemAt.set(name, mark);
      }
    } else if (parent === 'EventData' && dataName !== undefined) {
      data[dataName] = textBuf;
      dataAt.set(dataName, mark);
      dataName = undefined;
    } else if (userDataDepth >= 0 && depth > userDataDepth + 1 && !hadChildren) {
      data[name] = textBuf;
      dataAt.set(name, mark);
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
