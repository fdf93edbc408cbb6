/** Tells the log's shape from its first bytes, never from the file name. */
import { Framer, isSpace, skipRecordLine } from './framer';
import { JsonFramer } from './jsonFramer';
import { findEventStart, XmlFramer } from './xmlFramer';

/** The text shapes' families, each with its framer. */
export type Family = 'xml' | 'json';

export interface Detected {
  /** A text family, or `evtx` for a binary Windows event log (evtxScan.ts reads those). */
  family: Family | 'evtx';
  /** The framing in words, e.g. "Event Viewer export" or "JSON lines". */
  framing: string;
}

/** A text log's shape: what detectShape finds. */
export interface TextDetected extends Detected {
  family: Family;
}

/** The shape of a text log from its head, or undefined when the head holds no record start yet. */
export function detectShape(head: Buffer, complete: boolean): TextDetected | undefined {
  let i = 0;
  let recordLines = false;
  for (;;) {
    while (i < head.length && isSpace(head[i])) i++;
    const after = skipRecordLine(head, i);
    if (after < 0) break;
    recordLines = true;
    i = after;
  }
  if (i >= head.length) return undefined;
  // A `Record N` line may still be arriving: decide on whole lines.
  if (!complete && head.indexOf(0x0a, i) < 0 && head.length - i < 4096) return undefined;
  const first = head[i];
  const text = head.toString('latin1', i, Math.min(head.length, i + 65536));
  if (first === 0x3c /* < */) {
    // Named from the prolog before the first event, whole, so the name never depends on how much had arrived.
    const event = findEventStart(text, 0);
    if (!complete && event < 0 && text.length < 65536) return undefined;
    const prolog = event >= 0 ? text.slice(0, event) : text;
    let framing = 'wevtutil / Get-WinEvent fragments';
    if (recordLines) framing = 'evtx_dump XML';
    else if (/^<\?xml[^>]*version\s*=\s*["']1\.1/.test(prolog)) framing = 'python-evtx XML';
    else if (/<Events[\s>]/.test(prolog)) framing = 'Event Viewer export';
    return { family: 'xml', framing };
  }
  if (first === 0x7b /* { */ || first === 0x5b /* [ */) {
    let framing: string;
    if (first === 0x5b) framing = 'JSON array';
    else if (recordLines) framing = 'evtx_dump JSON stream';
    else {
      const nl = text.indexOf('\n');
      // Wait for the first line, but never past 64 KiB: a gigabyte on one line is not held.
      if (nl < 0 && !complete && text.length < 65536) return undefined;
      if (nl < 0 && text.length === 65536) framing = 'JSON, first line over 64 KiB';
      else framing = (nl < 0 ? text : text.slice(0, nl)).trimEnd().endsWith('}') ? 'JSON lines' : 'concatenated JSON objects';
    }
    return { family: 'json', framing };
  }
  return { family: 'xml', framing: 'unrecognised text' };
}

/**
 * Bytes of whole blank lines at the start of `head`: dropped while the shape is still unknown.
 * Whole lines only, so the framer still starts at a line start and sees every column as it is.
 */
export function leadingBlankLines(head: Buffer): number {
  let lineStart = 0;
  for (let i = 0; i < head.length && isSpace(head[i]); i++) if (head[i] === 0x0a) lineStart = i + 1;
  return lineStart;
}

/** A framer for `family`; `maxRecord` caps a record's size, `start` is where its first byte sits. */
export function framerFor(family: Family, maxRecord?: number, start = 0): Framer {
  return family === 'xml' ? new XmlFramer(maxRecord, start) : new JsonFramer(maxRecord, start);
}
