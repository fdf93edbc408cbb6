/**
 * Which editor documents are Sigma rules, and where each rule's `title:` and `id:` sit. A rule
 * file is YAML under a configured rule folder (the rule store's), or any YAML with top-level
 * `detection:` and `logsource:` keys. Plain line scanning keeps it cheap on every keystroke; the
 * compiler parses the text for real.
 */
import * as path from 'path';
import * as vscode from 'vscode';

/** A rule file as the loader reads it: larger text is not a rule (the loader's own cap). */
export const MAX_RULE_CHARS = 1 << 20;

const YAML_FILE = /\.ya?ml$/i;
const EDITED_SCHEMES = new Set(['file', 'untitled']);

/** Is this a YAML file below one of the rule folders (which hunts load)? */
export function inRuleFolders(uri: vscode.Uri, folders: readonly string[]): boolean {
  if (uri.scheme !== 'file' || !YAML_FILE.test(uri.path)) return false;
  return folders.some((folder) => {
    const relative = path.relative(folder, uri.fsPath);
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
  });
}

/**
 * Could this document be a rule at all: YAML being edited? Not the old side of a diff, a file
 * from git history or an output channel. Cheap, for every change event.
 */
export function isEditedYaml(document: vscode.TextDocument): boolean {
  return EDITED_SCHEMES.has(document.uri.scheme) && (document.languageId === 'yaml' || YAML_FILE.test(document.uri.path));
}

/** Does this document hold Sigma rules worth compiling? */
export function isSigmaDocument(document: vscode.TextDocument, folders: readonly string[]): boolean {
  if (!isEditedYaml(document)) return false;
  if (inRuleFolders(document.uri, folders)) return true;
  const text = document.getText();
  return text.length <= MAX_RULE_CHARS && /^detection\s*:/m.test(text) && /^logsource\s*:/m.test(text);
}

/** The name a rule file goes by in the engine: its path on disk, or the URI of an unsaved editor. */
export function ruleFileName(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

/** One YAML document of a rule file: its `id:` value and the line a lens goes on. */
export interface RuleHeader {
  /** The `id:` value as written, quotes removed; undefined when the document has none. */
  id?: string;
  /** 0-based line of `title:`, else of `id:`. */
  line: number;
}

/** The top-level `title:`/`id:` of each YAML document (split at `---`) that has either. */
export function ruleHeaders(document: vscode.TextDocument): RuleHeader[] {
  const headers: RuleHeader[] = [];
  let current: { id?: string; idLine?: number; titleLine?: number } = {};
  const flush = (): void => {
    const line = current.titleLine ?? current.idLine;
    if (line !== undefined) headers.push({ id: current.id, line });
    current = {};
  };
  for (let i = 0; i < document.lineCount; i++) {
    const text = document.lineAt(i).text;
    if (/^---\s*$/.test(text)) {
      flush();
      continue;
    }
    const id = /^id\s*:\s*(.*?)\s*$/.exec(text);
    if (id && current.idLine === undefined) {
      current.idLine = i;
      current.id = unquote(id[1].replace(/\s+#.*$/, '')) || undefined;
    } else if (/^title\s*:/.test(text) && current.titleLine === undefined) {
      current.titleLine = i;
    }
  }
  flush();
  return headers;
}

function unquote(value: string): string {
  const quoted = /^(['"])(.*)\1$/.exec(value);
  return quoted ? quoted[2] : value;
}
