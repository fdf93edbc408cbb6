/**
 * A lean lineage note of an XML process create no rule wants, read from its raw text: only the ids
 * the graph needs (ProcessGuid, ParentProcessGuid, ProcessId, ParentProcessId, UtcTime, Computer),
 * by plain searches, without the parser and without reading the other fields. The rest is read back
 * later, for the few processes a lineage names (lineageRead.ts).
 */
import { idsNote, NoteWhere, ProcessNote, timeOf, xmlText } from './lineage';
import { XmlFound } from './readers/prefilter';

const TIME_CREATED = /<TimeCreated\s[^>]*?\bSystemTime\s*=\s*(?:"([^"]*)"|'([^']*)')/;
const DATA = '<Data';
/** A comment, CDATA, a doctype or a processing instruction: one search, not two (1.4 against 2.2 µs a create). */
const MARKUP = /<[!?]/;
const ASCII = /^[\x00-\x7f]*$/;
const NAME = ' Name=';
const END = '</Data>';
const EVENT_DATA = '<EventData>';
const EVENT_DATA_END = '</EventData>';

/** The first position from `at` that is not XML white space. */
function skipSpace(text: string, at: number): number {
  for (let c = text.charCodeAt(at); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text.charCodeAt(++at));
  return at;
}

/**
 * The slot a lean create note keeps the Data field named at `start` (`length` characters) in:
 * ProcessGuid 0, ParentProcessGuid 1, ProcessId 2, ParentProcessId 3, UtcTime 4; -1 for any other
 * (by its length first: most names have none of these lengths).
 */
function slotOf(record: string, start: number, length: number): number {
  switch (length) {
    case 7:
      return record.startsWith('UtcTime', start) ? 4 : -1;
    case 9:
      return record.startsWith('ProcessId', start) ? 2 : -1;
    case 11:
      return record.startsWith('ProcessGuid', start) ? 0 : -1;
    case 15:
      return record.startsWith('ParentProcessId', start) ? 3 : -1;
    case 17:
      return record.startsWith('ParentProcessGuid', start) ? 1 : -1;
    default:
      return -1;
  }
}

/**
 * The lean note of a Sysmon process create (EventID 1, provider or channel already checked on the
 * raw text), or undefined when the text is anything but plain: a `<Data` not written
 * `<Data Name="...">` (or `'...'`) or `<Data>`, a field of these twice, CDATA, a comment, an unknown entity, a
 * CR. The caller then parses it. Its values are the parser's (the lineage tests compare the paths).
 * `asciiOnly`: `record` is the latin1 view of UTF-8 bytes, so a value with other than ASCII in it
 * gives undefined (the caller reads the decoded text again). `known`: what the fast path found of this very text (XmlFound).
 */
export function quickXmlCreateNote(record: string, where: NoteWhere, asciiOnly: boolean, known?: XmlFound): ProcessNote | undefined {
  if (!known?.markupFree && MARKUP.test(record)) return undefined;
  const systemEnd = known?.systemEnd ?? record.indexOf('</System>');
  if (systemEnd < 0) return undefined;
  // EventData must follow `</System>` and hold only Data elements and white space: sax also reads
  // `<\rData` or an `<Image>` element as fields, and a `</System>` inside an attribute is not its end.
  let expect = skipSpace(record, systemEnd + 9);
  if (!record.startsWith(EVENT_DATA, expect)) return undefined;
  expect = skipSpace(record, expect + EVENT_DATA.length);
  const values: (string | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
  for (let at = record.indexOf(DATA, expect); at >= 0; at = record.indexOf(DATA, at + DATA.length)) {
    if (at !== expect && skipSpace(record, expect) !== at) return undefined;
    const next = record.charCodeAt(at + DATA.length);
    if (next === 0x3e /* > */) {
      // Unnamed Data: plain text to its end.
      const valueEnd = record.indexOf('<', at + DATA.length + 1);
      if (valueEnd < 0 || !record.startsWith(END, valueEnd)) return undefined;
      at = valueEnd;
      expect = valueEnd + END.length;
      continue;
    }
    if (!record.startsWith(NAME, at + DATA.length)) return undefined;
    const quote = record.charCodeAt(at + DATA.length + NAME.length);
    if (quote !== 0x22 /* " */ && quote !== 0x27 /* ' */) return undefined;
    const nameStart = at + DATA.length + NAME.length + 1;
    const nameEnd = record.indexOf(quote === 0x22 ? '"' : "'", nameStart);
    if (nameEnd < 0) return undefined;
    const slot = slotOf(record, nameStart, nameEnd - nameStart);
    const tagEnd = nameEnd + 1;
    if (record.charCodeAt(tagEnd) === 0x2f /* / */ && record.charCodeAt(tagEnd + 1) === 0x3e) {
      if (slot >= 0 && values[slot] !== undefined) return undefined;
      if (slot >= 0) values[slot] = '';
      expect = tagEnd + 2;
      continue;
    }
    if (record.charCodeAt(tagEnd) !== 0x3e) return undefined;
    // Any field's value is plain text up to `</Data>`: an element inside one needs the parser.
    const valueEnd = record.indexOf('<', tagEnd + 1);
    if (valueEnd < 0 || !record.startsWith(END, valueEnd)) return undefined;
    at = valueEnd;
    expect = valueEnd + END.length;
    if (slot < 0) continue;
    if (values[slot] !== undefined) return undefined;
    const value = xmlText(record.slice(tagEnd + 1, valueEnd));
    if (value === undefined || (asciiOnly && !ASCII.test(value))) return undefined;
    values[slot] = value;
  }
  if (!record.startsWith(EVENT_DATA_END, skipSpace(record, expect))) return undefined;
  const [guid, parentGuid, pid, ppid] = values;
  const system = record.slice(0, systemEnd);
  // An empty UtcTime is the parser's '' too: it is the time (NaN), not TimeCreated.
  let time: string | undefined = values[4];
  if (time === undefined) {
    const m = TIME_CREATED.exec(system);
    const created = m ? xmlText(m[1] ?? m[2] ?? '') : undefined;
    if (m && (created === undefined || (asciiOnly && !ASCII.test(created)))) return undefined;
    time = created;
  }
  let host: string | undefined;
  const computer = system.indexOf('<Computer');
  if (computer >= 0) {
    // `<Computer>name</Computer>`, once; any other form is the parser's.
    const end = system.indexOf('<', computer + 10);
    if (!system.startsWith('<Computer>', computer) || end < 0 || !system.startsWith('</Computer>', end) || system.includes('<Computer', end)) return undefined;
    host = xmlText(system.slice(computer + 10, end));
    if (host === undefined || (asciiOnly && !ASCII.test(host))) return undefined;
  } else if (system.includes('Computer')) {
    return undefined; // `<\tComputer>`, which sax reads
  }
  const ids: Record<string, string | undefined> = { ProcessGuid: guid, ProcessId: pid, Computer: host, ParentProcessGuid: parentGuid, ParentProcessId: ppid };
  const note = idsNote('create', timeOf(time), (name) => ids[name], where);
  note.deferred = true;
  return note;
}
