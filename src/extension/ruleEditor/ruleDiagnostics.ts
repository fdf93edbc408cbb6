/**
 * Problems in Sigma rule files, as the user types: each open rule file is compiled (debounced)
 * and every rule the compiler skips becomes a diagnostic on the line and column it names.
 */
import * as vscode from 'vscode';
import { SkippedRule } from '../../engine';
import { DIAGNOSTIC_SOURCE } from '../diagnostics';
import { compileRuleText } from './compile';
import { isEditedYaml, isSigmaDocument, MAX_RULE_CHARS, ruleFileName } from './sigmaDocument';

/** Long enough to skip most keystrokes, short enough to feel immediate. */
const DEBOUNCE_MS = 300;

/**
 * The compiler's categories for rules that are valid Sigma Log Hunt does not run (another
 * platform, correlations, a regex beyond the linear-time engine): a warning. Everything else
 * (YAML, modifiers, conditions, values, missing parts) is a mistake in the rule: an error.
 */
const NOT_SUPPORTED = new Set(['not windows', 'unknown logsource', 'correlation', 'aggregation', 'near', 'placeholder', 'filter', 'regex']);

export class RuleDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('logHunt.rules');
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly folders: () => readonly string[]) {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((d) => this.update(d)),
      vscode.workspace.onDidChangeTextDocument((e) => isEditedYaml(e.document) && this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
    ];
    this.updateAll();
  }

  /** Compiles the document now and publishes its problems (none: clears them). */
  update(document: vscode.TextDocument): void {
    this.cancel(document.uri);
    if (document.isClosed || !isSigmaDocument(document, this.folders())) {
      this.collection.delete(document.uri);
      return;
    }
    const text = document.getText();
    const file = ruleFileName(document.uri);
    // The hunt's loader skips such a file unread; say so rather than compile a megabyte per keystroke.
    const skipped = text.length > MAX_RULE_CHARS
      ? [{ source: file, category: 'too large', reason: `the file holds ${text.length} characters; a rule file is at most ${MAX_RULE_CHARS}` }]
      : compileRuleText(text, file).skipped;
    this.collection.set(document.uri, skipped.map((s) => toDiagnostic(document, s)));
  }

  /** Every open document again: the rule folders changed. */
  updateAll(): void {
    for (const document of vscode.workspace.textDocuments) this.update(document);
  }

  private schedule(document: vscode.TextDocument): void {
    this.cancel(document.uri);
    this.pending.set(document.uri.toString(), setTimeout(() => this.update(document), DEBOUNCE_MS));
  }

  private cancel(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.delete(key);
  }

  private forget(uri: vscode.Uri): void {
    this.cancel(uri);
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}

function toDiagnostic(document: vscode.TextDocument, skipped: SkippedRule): vscode.Diagnostic {
  const severity = NOT_SUPPORTED.has(skipped.category) ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Error;
  const diagnostic = new vscode.Diagnostic(problemRange(document, skipped), skipped.reason, severity);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = skipped.category;
  return diagnostic;
}

/**
 * From the column the compiler names to the end of that line's text; the whole line when only
 * the line is known; the first line when neither is (a problem of the file as a whole).
 */
function problemRange(document: vscode.TextDocument, { line, column }: SkippedRule): vscode.Range {
  if (document.lineCount === 0) return new vscode.Range(0, 0, 0, 0);
  const index = line !== undefined && line >= 1 ? Math.min(line, document.lineCount) - 1 : 0;
  const text = document.lineAt(index);
  const end = text.range.end.character;
  const lineStart = text.firstNonWhitespaceCharacterIndex;
  const start = line !== undefined && column !== undefined && column >= 1 ? Math.min(column - 1, end) : lineStart;
  // An empty span (a column at the line's end): mark the whole line, or nothing would show.
  return start < end ? new vscode.Range(index, start, index, end) : new vscode.Range(index, lineStart, index, end);
}
