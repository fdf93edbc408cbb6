/** Test helpers: read a hunted file the way VS Code shows it, and pick out the text of a range. */
import { readFileSync } from 'node:fs';
import { SourceRange } from '../../src/engine/model';

/** The file's text as an editor decodes it (BOM dropped, UTF-16 decoded). */
export function editorText(file: string): string {
  const bytes = readFileSync(file);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes); // drops a UTF-8 BOM
}

/** Lines split as VS Code splits them (CRLF or LF). */
export function editorLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** The text of a 1-based range, across lines. */
export function textOfRange(lines: readonly string[], range: SourceRange): string {
  const { start, end } = range;
  if (start.line === end.line) return lines[start.line - 1].slice(start.column - 1, end.column - 1);
  const parts = [lines[start.line - 1].slice(start.column - 1)];
  for (let l = start.line + 1; l < end.line; l++) parts.push(lines[l - 1]);
  parts.push(lines[end.line - 1].slice(0, end.column - 1));
  return parts.join('\n');
}
