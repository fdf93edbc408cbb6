/** The hunted files and what each hunt found, shared by the tree, the status bar and the commands. */
import * as vscode from 'vscode';
import { HuntResult } from '../engine/huntTypes';

export interface FileResult {
  uri: vscode.Uri;
  result: HuntResult;
  /** Matches counted per analytic id, including those beyond the stored ones. */
  matchCounts: ReadonlyMap<string, number>;
  /** The `logHunt.maxDiagnostics` the file was hunted with. */
  maxDiagnostics: number;
}

export class ResultStore implements vscode.Disposable {
  private readonly files = new Map<string, FileResult>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  /** Replaces the file's previous result, if any. */
  set(file: FileResult): void {
    this.files.set(file.uri.toString(), file);
    this.changed.fire();
  }

  clear(): void {
    this.files.clear();
    this.changed.fire();
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
