/**
 * Pivot: Find Events with This Value. Every event of the hunted files (the last hunts' files; if
 * none, the current file) where any field holds the value, case ignored, found by the engine's
 * `searchFiles` as a streaming hunt with progress and a Cancel button. Each pivot is a group of
 * the results tree (pivotNodes.ts), newest first; each of its events opens as its event document.
 */
import * as vscode from 'vscode';
import { searchFiles, SearchHit } from '../../engine';
import { huntWorkers } from '../huntWorkers';
import { plainNotification } from '../markdown';
import { ResultStore } from '../resultStore';

export const PIVOT_COMMAND = 'logHunt.pivot';
export const PIVOT_SELECTION_COMMAND = 'logHunt.pivotSelection';
/** Pivots kept in the tree; older ones go. */
const MAX_PIVOTS = 5;
/** Events listed per pivot; the rest are counted. */
const MAX_LISTED = 10_000;

export type PivotState = 'running' | 'done' | 'cancelled' | 'failed';

/** One pivot: its value, where it looked, what it found so far. */
export interface PivotRun {
  id: number;
  value: string;
  files: vscode.Uri[];
  hits: SearchHit[];
  /** Every event found, also beyond the listed ones. */
  count: number;
  state: PivotState;
  /** Files that could not be searched, or what failed. */
  problems: string[];
}

/** What a pivot command gives back (the tests read it). */
export interface PivotOutcome {
  run?: PivotRun;
  /** Why there was no pivot: no value, no file. */
  refused?: string;
}

/** What the pivot command takes: the value, and for tests and other callers the files and a cancel token. */
export interface PivotRequest {
  value: string;
  files?: readonly vscode.Uri[];
  token?: vscode.CancellationToken;
}

export class Pivots implements vscode.Disposable {
  private runs: PivotRun[] = [];
  private nextId = 1;
  /** The format of each searched file's events (a summary's `format`), for their event documents. */
  private readonly formats = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly store: ResultStore) {}

  all(): readonly PivotRun[] {
    return this.runs;
  }

  formatOf(file: vscode.Uri): string | undefined {
    return this.formats.get(file.toString());
  }

  clear(): void {
    this.runs = [];
    this.changed.fire();
  }

  /** The files a pivot searches when none are given: the hunted ones, else the active editor's file. */
  defaultFiles(): vscode.Uri[] {
    const hunted = this.store.all().map((f) => f.uri).filter((u) => u.scheme === 'file');
    if (hunted.length > 0) return hunted;
    const active = vscode.window.activeTextEditor?.document.uri;
    return active?.scheme === 'file' ? [active] : [];
  }

  async run(request: PivotRequest): Promise<PivotOutcome> {
    const value = request.value;
    if (value.trim() === '') return this.refuse('select a value, or put the cursor on one, to find the events that hold it');
    const files = request.files ? [...request.files] : this.defaultFiles();
    if (files.length === 0) return this.refuse('no file to search: hunt a log, or open one');
    const run: PivotRun = { id: this.nextId++, value, files, hits: [], count: 0, state: 'running', problems: [] };
    this.runs = [run, ...this.runs].slice(0, MAX_PIVOTS);
    this.changed.fire();
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Log Hunt: events with ${JSON.stringify(shortValue(value))}`, cancellable: true },
      (progress, progressToken) => this.search(run, progress, [progressToken, request.token]),
    );
    this.changed.fire();
    return { run };
  }

  private refuse(why: string): PivotOutcome {
    void vscode.window.showInformationMessage(plainNotification(`Log Hunt: ${why}.`));
    return { refused: why };
  }

  private async search(run: PivotRun, progress: vscode.Progress<{ message?: string }>, tokens: (vscode.CancellationToken | undefined)[]): Promise<void> {
    const abort = new AbortController();
    const listeners = tokens.map((t) => t?.onCancellationRequested(() => abort.abort()));
    if (tokens.some((t) => t?.isCancellationRequested)) abort.abort();
    // The tree is refreshed at most every 300 ms while events stream in.
    let pending: ReturnType<typeof setTimeout> | undefined;
    const refreshSoon = () => {
      pending ??= setTimeout(() => {
        pending = undefined;
        this.changed.fire();
      }, 300);
    };
    try {
      const result = await searchFiles({ value: run.value }, run.files.map((u) => u.fsPath), {
        signal: abort.signal,
        pool: huntWorkers(),
        maxStoredMatches: MAX_LISTED,
        onFile: (file, i, n) => progress.report({ message: `${i + 1} of ${n}: ${file.split(/[\\/]/).pop() ?? file}` }),
        onResult: (hit) => {
          run.count++;
          if (run.hits.length < MAX_LISTED) run.hits.push(hit);
          refreshSoon();
        },
      });
      for (const [i, file] of result.files.entries()) this.formats.set(vscode.Uri.file(file.summary.file || run.files[i].fsPath).toString(), file.summary.format);
      run.problems = result.failures.map((f) => `${f.file}: ${f.message}`);
      run.state = 'done';
    } catch (err) {
      if (abort.signal.aborted) run.state = 'cancelled';
      else {
        run.state = 'failed';
        run.problems = [(err as Error)?.message ?? String(err)];
      }
    } finally {
      if (pending) clearTimeout(pending);
      for (const l of listeners) l?.dispose();
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function shortValue(value: string): string {
  return value.length > 60 ? `${value.slice(0, 59)}…` : value;
}
