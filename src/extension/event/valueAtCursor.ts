/**
 * The value a pivot from the editor looks for: the selection; else the whole value of the field
 * under the cursor (in an event document, or in a log's record found by `eventAt`), unescaped;
 * else the run of characters around the cursor that cannot be markup.
 */
import * as vscode from 'vscode';
import { eventFields } from '../../engine';
import { EventDocuments } from './eventDocuments';
import { eventAt } from './inspector';

export function valueAtCursor(editor: vscode.TextEditor, events: EventDocuments): string | undefined {
  const { document, selection } = editor;
  if (!selection.isEmpty) return document.getText(selection).trim();
  const offset = document.offsetAt(selection.active);
  const inside = (span: [number, number] | undefined) => span !== undefined && span[0] <= offset && offset <= span[1];

  const entry = events.entry(document.uri);
  const rendering = entry && events.rendering(document.uri);
  if (entry && rendering) {
    const field = eventFields(entry.event).find((f) => inside(rendering.locate(f.name)));
    if (field) return field.value;
  } else {
    const found = eventAt(document, selection.active);
    if (found) {
      const field = eventFields(found.record).find((f) => inside(found.locate(f.name)));
      if (field) return field.value;
    }
  }
  const word = document.getWordRangeAtPosition(selection.active, /[^\s"'<>,;=]+/);
  return word ? document.getText(word) : undefined;
}
