/**
 * The XML of a binary `.evtx` file as read-only virtual documents (scheme `loghunt-evtx`): one
 * record, pretty-printed (`…/file.evtx.record-9804.xml?offset=1234`), one chunk with a record per
 * line (`…/file.evtx.chunk-3.xml?chunk=3`), or the whole file while it is small enough for the
 * editor (`…/file.evtx.xml?whole`). The paths end in `.xml`, so VS Code highlights them as XML;
 * documents of a content provider are read-only and never ask to be saved.
 */
import * as vscode from 'vscode';
import { dumpEvtx, locateInRecordXml, Match, readEvtxChunkXml, readEvtxRecordXml, RecordPlace } from '../../engine';

export const EVTX_SCHEME = 'loghunt-evtx';
/**
 * VS Code stops syncing a document to extensions above 50 MB (its model sync limit), so a whole
 * file opens as XML only below this many characters; larger ones are for `log-hunt dump`.
 */
export const MAX_WHOLE_XML_CHARS = 48 * 1024 * 1024;
/** Records kept rendered: those of the diagnostics (logHunt.maxDiagnostics) and a few opened. */
const CACHE_RECORDS = 5_000;

const SUFFIX = /(\.record-[^/]*|\.chunk-\d+)?\.xml$/;

/** The pretty XML of the record at `place` of `file`: what a record document shows. */
export function recordUri(file: vscode.Uri, place: Pick<RecordPlace, 'offset'>, recordId?: string): vscode.Uri {
  const name = recordId !== undefined && /^\d+$/.test(recordId) ? recordId : `at-0x${place.offset.toString(16)}`;
  return vscode.Uri.from({ scheme: EVTX_SCHEME, path: `${file.path}.record-${name}.xml`, query: `offset=${place.offset}` });
}

export function chunkUri(file: vscode.Uri, chunk: number): vscode.Uri {
  return vscode.Uri.from({ scheme: EVTX_SCHEME, path: `${file.path}.chunk-${chunk}.xml`, query: `chunk=${chunk}` });
}

export function wholeFileUri(file: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({ scheme: EVTX_SCHEME, path: `${file.path}.xml`, query: 'whole' });
}

/** The `.evtx` file a `loghunt-evtx` document renders; undefined for any other URI. */
export function evtxFileOf(uri: vscode.Uri): vscode.Uri | undefined {
  if (uri.scheme !== EVTX_SCHEME || !SUFFIX.test(uri.path)) return undefined;
  return vscode.Uri.from({ scheme: 'file', path: uri.path.replace(SUFFIX, '') });
}

type What = { kind: 'record'; offset: number } | { kind: 'chunk'; chunk: number } | { kind: 'whole' };

function whatOf(uri: vscode.Uri): What | undefined {
  const query = new URLSearchParams(uri.query);
  const offset = query.get('offset');
  const chunk = query.get('chunk');
  if (offset !== null && /^\d+$/.test(offset)) return { kind: 'record', offset: Number(offset) };
  if (chunk !== null && /^\d+$/.test(chunk)) return { kind: 'chunk', chunk: Number(chunk) };
  if (query.has('whole')) return { kind: 'whole' };
  return undefined;
}

/** Rendered records, by file and offset; forgotten when the file is hunted again (it may have changed). */
const records = new Map<string, Promise<string | undefined>>();

/** The pretty XML of one record, read once and kept: the diagnostics' ranges are computed in this very text. */
export function recordText(file: vscode.Uri, offset: number): Promise<string | undefined> {
  const key = `${file.toString()}#${offset}`;
  let text = records.get(key);
  if (text) {
    // Most recently used last, so the oldest go first.
    records.delete(key);
  } else {
    text = readEvtxRecordXml(file.fsPath, { offset }, { pretty: true });
    text.catch(() => records.delete(key));
  }
  records.set(key, text);
  while (records.size > CACHE_RECORDS) records.delete(records.keys().next().value!);
  return text;
}

/** Drops the rendered records of `file`. */
export function forgetRecords(file: vscode.Uri): void {
  const prefix = `${file.toString()}#`;
  for (const key of [...records.keys()]) if (key.startsWith(prefix)) records.delete(key);
}

/** The whole file as one XML document, or a message saying why not (too large for the editor). */
async function wholeFileXml(file: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
  const parts: string[] = [];
  let chars = 0;
  const abort = new AbortController();
  const listener = token.onCancellationRequested(() => abort.abort());
  try {
    await dumpEvtx(file.fsPath, 'xml', (text) => {
      chars += text.length;
      if (chars > MAX_WHOLE_XML_CHARS) throw new WholeFileTooLarge();
      parts.push(text);
    }, { signal: abort.signal });
  } finally {
    listener.dispose();
  }
  return parts.join('');
}

export class WholeFileTooLarge extends Error {
  constructor() {
    super(`its XML is over ${MAX_WHOLE_XML_CHARS / 1024 / 1024} MB, more than VS Code syncs to extensions`);
  }
}

export class EvtxDocumentProvider implements vscode.TextDocumentContentProvider {
  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const file = evtxFileOf(uri);
    const what = whatOf(uri);
    if (!file || !what) return `<!-- Log Hunt: ${xmlComment(uri.toString())} names no record or chunk of an .evtx file -->\n`;
    try {
      switch (what.kind) {
        case 'record':
          return (await recordText(file, what.offset)) ?? `<!-- Log Hunt: no readable record starts at offset 0x${what.offset.toString(16)} of ${xmlComment(file.fsPath)} -->\n`;
        case 'chunk':
          return (await readEvtxChunkXml(file.fsPath, what.chunk)) ?? `<!-- Log Hunt: ${xmlComment(file.fsPath)} has no chunk ${what.chunk} -->\n`;
        case 'whole':
          return await wholeFileXml(file, token);
      }
    } catch (err) {
      return `<!-- Log Hunt: cannot read ${xmlComment(file.fsPath)}: ${xmlComment((err as Error)?.message ?? String(err))} -->\n`;
    }
  }
}

/** Text that cannot close an XML comment. */
function xmlComment(text: string): string {
  return text.replace(/--/g, '- -');
}

/** The 0-based position of UTF-16 offset `offset` in `text`. */
function positionAt(text: string, offset: number): vscode.Position {
  let line = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return new vscode.Position(line, offset - start);
}

/** Where a match is in its record's pretty XML: the deciding value, else the record's first line. */
export function rangeInRecord(text: string, match: Match): vscode.Range {
  const span = match.field !== undefined ? locateInRecordXml(text, match.field) : undefined;
  if (span) return new vscode.Range(positionAt(text, span[0]), positionAt(text, span[1]));
  const firstLine = text.indexOf('\n');
  return new vscode.Range(0, 0, 0, firstLine < 0 ? text.length : firstLine);
}

/**
 * Where a match is in its chunk's document, a record per line: the same columns as in the
 * record's one-line XML (the match's own positions), on the record's line.
 */
export function rangeInChunk(text: string, match: Match): vscode.Range | undefined {
  const id = match.event.recordId;
  if (id === undefined) return undefined;
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(`<EventRecordID>${id}</EventRecordID>`));
  if (line < 0) return undefined;
  const { valueRange } = match;
  if (!valueRange) return new vscode.Range(line, 0, line, lines[line].length);
  return new vscode.Range(line, valueRange.start.column - 1, line, valueRange.end.column - 1);
}
