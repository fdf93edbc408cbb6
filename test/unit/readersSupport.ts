/** Checks shared by the reader tests: each field's located span holds exactly its value. */
import assert from 'node:assert/strict';
import { ParsedRecord } from '../../src/engine/readers/record';

/** XML text with its entities and CDATA sections decoded. */
export function decodeXml(raw: string): string {
  return raw.replace(/<!\[CDATA\[([\s\S]*?)\]\]>|&(#x[0-9a-f]+|#\d+|amp|lt|gt|apos|quot);/gi, (_m, cdata: string | undefined, entity: string) => {
    if (cdata !== undefined) return cdata;
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', apos: "'", quot: '"' };
    if (entity.startsWith('#x') || entity.startsWith('#X')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return named[entity];
  });
}

/** A JSON value's text: a string body (between quotes) decoded, or a number or boolean token as is. */
function decodeJson(text: string, span: [number, number]): string {
  const raw = text.slice(...span);
  return text[span[0] - 1] === '"' && text[span[1]] === '"' ? (JSON.parse(`"${raw}"`) as string) : raw;
}

export interface LocateOptions {
  /** Data values sit in a JSON string inside the record (Sentinel's EventData): decode twice. */
  nestedData?: boolean;
  /** Fields built from pieces (User = domain\name): the span holds the last piece. */
  joined?: readonly string[];
}

/** Every data and system field of `record` is located, and its span decodes to its value. */
export function assertLocated(record: ParsedRecord, text: string, family: 'xml' | 'json', options: LocateOptions = {}): void {
  const check = (field: string, value: string, nested: boolean) => {
    const span = record.locate(field);
    assert.ok(span, `${field} is located`);
    assert.ok(span[0] >= 0 && span[0] <= span[1] && span[1] <= text.length, `${field}: ${JSON.stringify(span)} is within the text`);
    const raw = text.slice(...span);
    const unquote = (s: string) => JSON.parse(`"${s}"`) as string;
    const found = family === 'xml' ? decodeXml(raw) : nested ? unquote(unquote(raw)) : decodeJson(text, span);
    if (options.joined?.includes(field) && found !== value) assert.ok(value.endsWith(`\\${found}`), `${field}: ${value} ends with the located ${found}`);
    else assert.equal(found, value, `${field} at ${JSON.stringify(span)}`);
  };
  for (const [field, value] of Object.entries(record.data)) check(field, value, options.nestedData === true);
  for (const [field, value] of Object.entries(record.system)) if (record.data[field] === undefined) check(field, value, false);
}
