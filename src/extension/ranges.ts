/** The engine counts lines and columns from 1 (UTF-16 columns, as VS Code does); VS Code from 0. */
import * as vscode from 'vscode';
import { Match, Position, SourceRange } from '../engine';

export function toVsPosition(position: Position): vscode.Position {
  return new vscode.Position(position.line - 1, position.column - 1);
}

export function toVsRange(range: SourceRange): vscode.Range {
  return new vscode.Range(toVsPosition(range.start), toVsPosition(range.end));
}

/**
 * Where a match is shown: the value of the field that decided it, or else the first line of the
 * event (a keyword rule, or a shape whose value cannot be placed in the text). Columns past the line's end are clamped by the editor.
 */
export function matchRange(match: Match): vscode.Range {
  const { valueRange } = match;
  const { range } = match.event;
  if (valueRange) return toVsRange(valueRange);
  const start = toVsPosition(range.start);
  const end = range.end.line === range.start.line ? toVsPosition(range.end) : new vscode.Position(start.line, Number.MAX_SAFE_INTEGER);
  return new vscode.Range(start, end);
}
