/** The hunted files and what each hunt found, shared by the tree, the status bar and the commands. */
import * as vscode from 'vscode';
import { HuntResult, RuleInfo } from '../engine';

export interface FileResult {
  uri: vscode.Uri;
  result: HuntResult;
  /** Matches counted per rule id, including those beyond the stored ones. */
  matchCounts: ReadonlyMap<string, number>;
  /** The rules of `matchCounts`, for those whose matches were all beyond the stored ones. */
  rules?: ReadonlyMap<string, RuleInfo>;
  /** The `logHunt.maxDiagnostics` the file was hunted with. */
  maxDiagnostics: number;
  /** Set when the hunt of the file was cancelled: the result holds what was found before. */
  partial?: PartialHunt;
  /** Set when an edit of the file's text dropped some of its results (editFollow.ts): what to tell the hunter. */
  edited?: string;
}

/** How far a cancelled hunt of a file got. */
export interface PartialHunt {
  bytesDone: number;
  bytesTotal: number;
}

/** How far a cancelled hunt got: `42% (84.0 of 200.0 MB)`. */
export function partialWords(partial: PartialHunt): string {
  const percent = partial.bytesTotal > 0 ? Math.floor((partial.bytesDone / partial.bytesTotal) * 100) : 0;
  return `${percent}% (${(partial.bytesDone / 1e6).toFixed(1)} of ${(partial.bytesTotal / 1e6).toFixed(1)} MB)`;
}

/** What the last hunt ran with, for the results view's notices. */
export interface RulesUsed {
  ran: number;
  /** The hunt ran only the rules picked with Select Rules. */
  selected: boolean;
  /** Rules the loader skipped (correlations, other products, errors). */
  skipped: number;
}

export class ResultStore implements vscode.Disposable {
  private readonly files = new Map<string, FileResult>();
  /** Set by the hunt before its results; read by the tree. */
  rulesUsed?: RulesUsed;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  /** Replaces the file's previous result, if any. */
  set(file: FileResult): void {
    this.files.set(file.uri.toString(), file);
    this.changed.fire();
  }

  /** Forgets the file's result, if any. */
  delete(uri: vscode.Uri): void {
    if (this.files.delete(uri.toString())) this.changed.fire();
  }

  clear(): void {
    this.files.clear();
    this.rulesUsed = undefined;
    this.changed.fire();
  }

  /** The result of this file, if it was hunted. */
  get(uri: vscode.Uri): FileResult | undefined {
    return this.files.get(uri.toString());
  }

  all(): FileResult[] {
    return [...this.files.values()];
  }

  get isEmpty(): boolean {
    return this.files.size === 0;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
