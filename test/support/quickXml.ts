/**
 * The quick XML reader against SAX on one record text, for its unit test and the fuzzer: the quick
 * reader must give undefined, or exactly parseXmlRecord's record (metadata, data and System with
 * their key order, and the span of every field).
 */
import { isDeepStrictEqual } from 'node:util';
import { detectShape, framerFor } from '../../src/engine/readers/detect';
import { ParsedRecord, RecordError } from '../../src/engine/readers/record';
import { quickXmlRecord } from '../../src/engine/readers/xmlQuick';
import { parseXmlRecord } from '../../src/engine/readers/xmlRecord';

const META = ['eventId', 'provider', 'channel', 'recordId', 'time', 'computer'] as const;

export interface QuickVersusSax {
  /** Did the quick reader give a record (rather than leave the text to SAX)? */
  taken: boolean;
  /** What differs from SAX, in words; undefined when nothing does. */
  difference?: string;
}

/** Names that locate() is asked about: every field of either record, and some that no record has. */
function askedNames(a: ParsedRecord, b: ParsedRecord): string[] {
  const names = [...Object.keys(a.data), ...Object.keys(a.system), ...Object.keys(b.data), ...Object.keys(b.system)];
  return [...new Set([...names, 'Nope', 'Data', 'TimeCreated', 'EventID', 'Provider_Name'])];
}

export function quickVersusSax(text: string): QuickVersusSax {
  const quick = quickXmlRecord(text);
  let sax: ParsedRecord;
  try {
    sax = parseXmlRecord(text);
  } catch (err) {
    if (!(err instanceof RecordError)) throw err;
    return { taken: quick !== undefined, difference: quick ? `SAX refuses it (${err.message}), the quick reader read it` : undefined };
  }
  if (!quick) return { taken: false };
  const differ = (what: string, a: unknown, b: unknown) => ({ taken: true, difference: `${what}: quick ${JSON.stringify(a)}, SAX ${JSON.stringify(b)}` });
  for (const key of META) if (quick[key] !== sax[key]) return differ(key, quick[key], sax[key]);
  // Entries, not objects: the key order must be the same too.
  for (const part of ['data', 'system'] as const) {
    const [a, b] = [Object.entries(quick[part]), Object.entries(sax[part])];
    if (!isDeepStrictEqual(a, b)) return differ(part, a, b);
  }
  for (const name of askedNames(quick, sax)) {
    const [a, b] = [quick.locate(name), sax.locate(name)];
    if (!isDeepStrictEqual(a, b)) return differ(`locate(${name})`, a, b);
  }
  return { taken: true };
}

/**
 * For the fuzzer: the first record of an XML input (UTF-8, framed by the project's framer) on which
 * the quick reader and SAX disagree, in words; undefined when they agree on all (or it is not XML).
 */
export function quickXmlDisagreement(bytes: Buffer): string | undefined {
  if (detectShape(bytes, true)?.family !== 'xml') return undefined;
  const texts: string[] = [];
  framerFor('xml').frame({ bytes, base: 0 }, true, {
    record: (start, end) => texts.push(bytes.toString('utf8', start, end)),
    malformed: () => undefined,
  });
  for (const text of texts) {
    const { difference } = quickVersusSax(text);
    if (difference) return `quick XML reader differs from SAX: ${difference} on ${JSON.stringify(text)}`;
  }
  return undefined;
}
