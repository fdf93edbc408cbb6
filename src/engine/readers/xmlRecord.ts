/** Reads one `<Event>` record with the SAX parser: System metadata and EventData by name. */
import * as sax from 'sax';
import { ParsedRecord, RecordError, toEventId } from './record';

/** Parses the XML text of one event. Throws RecordError with the parser's words when it is not well-formed. */
export function parseXmlRecord(text: string): ParsedRecord {
  const parser = sax.parser(true, { position: true });
  const record: ParsedRecord = { data: {}, locateImage: () => image };
  let image: [number, number] | undefined;
  const stack: string[] = [];
  let dataName: string | undefined;
  let dataStart = 0;
  let textBuf = '';
  let eventIdText: string | undefined;

  parser.onopentag = (node) => {
    const parent = stack[stack.length - 1];
    stack.push(node.name);
    textBuf = '';
    const attr = node.attributes as Record<string, string>;
    if (parent === 'System') {
      if (node.name === 'Provider') record.provider = attr.Name;
      else if (node.name === 'TimeCreated') record.time = attr.SystemTime;
    } else if (parent === 'EventData' && node.name === 'Data') {
      dataName = attr.Name;
      dataStart = parser.position;
    }
  };
  parser.ontext = (t) => {
    textBuf += t;
  };
  parser.oncdata = (t) => {
    textBuf += t;
  };
  parser.onclosetag = (name) => {
    stack.pop();
    const parent = stack[stack.length - 1];
    if (parent === 'System') {
      if (name === 'EventID') eventIdText = textBuf;
      else if (name === 'Channel') record.channel = textBuf;
      else if (name === 'Computer') record.computer = textBuf;
      else if (name === 'EventRecordID') record.recordId = textBuf;
    } else if (parent === 'EventData' && name === 'Data' && dataName !== undefined) {
      record.data[dataName] = textBuf;
      if (dataName === 'Image') {
        const closeStart = text.lastIndexOf('<', parser.position - 1);
        image = [dataStart, Math.max(dataStart, closeStart)];
      }
      dataName = undefined;
    }
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
  record.eventId = toEventId(eventIdText);
  if (record.time === undefined && record.data.UtcTime !== undefined) record.time = record.data.UtcTime;
  return record;
}
