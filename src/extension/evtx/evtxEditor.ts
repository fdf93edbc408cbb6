/**
 * Opening an `.evtx` shows this read-only custom editor instead of VS Code's "binary file"
 * notice: a summary of the file (records, chunks, time span, hosts, EventIDs, providers, damaged
 * chunks), a Hunt button that runs Hunt Current File on it, and the file's matches, each a link
 * to its record's XML (evtxDocuments.ts). Everything shown comes from the log or its rules, so
 * every value is escaped; the page runs one inline script under a nonce, and loads nothing.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { EvtxSummary, isEvtxFile, isProcessCreate, Match, summarizeEvtxFile } from '../../engine';
import { revealBidi, shorten } from '../markdown';
import { openMatch, openMatchChunk } from '../matchCommands';
import { ResultStore } from '../resultStore';
import { commandLineOf, displayName, MatchNode, plural } from '../resultsTree';
import { MAX_WHOLE_XML_CHARS, wholeFileUri } from './evtxDocuments';

export const EVTX_VIEW_TYPE = 'logHunt.evtxViewer';
export const OPEN_EVTX_XML_COMMAND = 'logHunt.openEvtxAsXml';
/** Matches listed on the page; the results view lists more. */
const PAGE_MATCHES = 500;
/** Rows of the hosts, EventIDs and providers tables. */
const TABLE_ROWS = 25;
/**
 * Files above this size are not offered as one XML document: their XML would pass the editor's
 * limit (MAX_WHOLE_XML_CHARS) or come near it. Records' XML is about 2 to 4 times their binary size.
 */
export const MAX_WHOLE_XML_FILE_BYTES = MAX_WHOLE_XML_CHARS / 4;

/** What the page shows of a file: for the tests, through the extension's API. */
export interface EvtxView {
  uri: vscode.Uri;
  summary?: EvtxSummary;
  /** Why there is no summary. */
  error?: string;
  /** Matches the last hunt of this file found (0 when it was not hunted). */
  matches: number;
  hunted: boolean;
}

class EvtxViewDocument implements vscode.CustomDocument {
  summary?: EvtxSummary;
  error?: string;
  /** 0 to 100 while the summary is read. */
  percent = 0;
  readonly ready: Promise<void>;
  private readonly abort = new AbortController();

  constructor(readonly uri: vscode.Uri, onProgress: () => void) {
    this.ready = this.read(onProgress);
  }

  private async read(onProgress: () => void): Promise<void> {
    try {
      if (this.uri.scheme !== 'file') throw new Error('Log Hunt reads .evtx files from disk only');
      if (!(await isEvtxFile(this.uri.fsPath))) throw new Error('this file is not a Windows event log (it does not start with "ElfFile"); Hunt reads it as a text log');
      let last = 0;
      this.summary = await summarizeEvtxFile(this.uri.fsPath, {
        signal: this.abort.signal,
        onProgress: (done, total) => {
          this.percent = total > 0 ? Math.floor((done / total) * 100) : 0;
          if (Date.now() - last > 500) {
            last = Date.now();
            onProgress();
          }
        },
      });
    } catch (err) {
      if (!this.abort.signal.aborted) this.error = (err as Error)?.message ?? String(err);
    }
  }

  dispose(): void {
    this.abort.abort();
  }
}

export class EvtxEditorProvider implements vscode.CustomReadonlyEditorProvider<EvtxViewDocument>, vscode.Disposable {
  private readonly panels = new Map<vscode.WebviewPanel, EvtxViewDocument>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: ResultStore) {
    this.subscription = store.onDidChange(() => {
      for (const [panel, document] of this.panels) this.render(panel, document);
    });
  }

  openCustomDocument(uri: vscode.Uri): EvtxViewDocument {
    const document: EvtxViewDocument = new EvtxViewDocument(uri, () => this.renderAll(document));
    void document.ready.then(() => this.renderAll(document));
    return document;
  }

  resolveCustomEditor(document: EvtxViewDocument, panel: vscode.WebviewPanel): void {
    panel.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [] };
    this.panels.set(panel, document);
    panel.onDidDispose(() => this.panels.delete(panel));
    panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(document, message));
    this.render(panel, document);
  }

  /** What the open viewer of `uri` shows, once its summary is read; undefined when none is open. */
  async shown(uri: vscode.Uri): Promise<EvtxView | undefined> {
    const document = [...this.panels.values()].find((d) => d.uri.toString() === uri.toString());
    if (!document) return undefined;
    await document.ready;
    const result = this.store.get(uri);
    return { uri, summary: document.summary, error: document.error, matches: result?.result.summary.matches ?? 0, hunted: result !== undefined };
  }

  private renderAll(document: EvtxViewDocument): void {
    for (const [panel, d] of this.panels) if (d === document) this.render(panel, d);
  }

  private render(panel: vscode.WebviewPanel, document: EvtxViewDocument): void {
    panel.webview.html = pageHtml(document, this.matchesOf(document.uri));
  }

  private matchesOf(uri: vscode.Uri): { listed: MatchNode[]; total: number } | undefined {
    const file = this.store.get(uri);
    if (!file) return undefined;
    const listed = file.result.matches.slice(0, PAGE_MATCHES).map((match): MatchNode => ({ kind: 'match', uri, match }));
    return { listed, total: file.result.summary.matches };
  }

  private onMessage(document: EvtxViewDocument, message: unknown): void {
    if (typeof message !== 'object' || message === null) return;
    const { action, index } = message as { action?: unknown; index?: unknown };
    const node = typeof index === 'number' ? this.matchesOf(document.uri)?.listed[index] : undefined;
    switch (action) {
      case 'hunt':
        void vscode.commands.executeCommand('logHunt.huntFile', document.uri);
        break;
      case 'xml':
        void vscode.commands.executeCommand(OPEN_EVTX_XML_COMMAND, document.uri);
        break;
      case 'open':
        if (node) void openMatch(node);
        break;
      case 'chunk':
        if (node) void openMatchChunk(node);
        break;
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.panels.clear();
  }
}

/**
 * `logHunt.openEvtxAsXml`: the whole `.evtx` as one XML document, while it is small enough for the
 * editor (VS Code stops syncing documents of about 50 MB and more to extensions).
 */
export async function openEvtxAsXml(arg?: unknown): Promise<vscode.TextEditor | undefined> {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const uri = arg instanceof vscode.Uri ? arg : input instanceof vscode.TabInputCustom ? input.uri : undefined;
  if (!uri) {
    void vscode.window.showWarningMessage('Log Hunt: open an .evtx file first.');
    return undefined;
  }
  const bytes = await vscode.workspace.fs.stat(uri).then((s) => s.size, () => 0);
  if (bytes > MAX_WHOLE_XML_FILE_BYTES) {
    void vscode.window.showWarningMessage(
      `Log Hunt: ${displayName(uri)} (${(bytes / 1e6).toFixed(1)} MB) is too large to open as one XML document: VS Code stops syncing documents over 50 MB to extensions. ` +
        'Open a match\'s record or chunk instead, or convert it with `log-hunt dump --out FILE.xml`.',
    );
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument(wholeFileUri(uri));
  return vscode.window.showTextDocument(document, { preview: false });
}

/** Text for HTML: every character that could open markup or an attribute is an entity. */
export function escapeHtml(text: string): string {
  return revealBidi(text).replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function countTable(title: string, counts: Record<string, number>, what: string): string {
  const rows = Object.entries(counts);
  if (rows.length === 0) return '';
  const shown = rows.slice(0, TABLE_ROWS).map(([name, n]) => `<tr><td>${escapeHtml(name)}</td><td class="num">${n.toLocaleString('en-US')}</td></tr>`);
  const more = rows.length > TABLE_ROWS ? `<tr><td colspan="2" class="dim">and ${rows.length - TABLE_ROWS} more ${escapeHtml(what)}</td></tr>` : '';
  return `<section><h2>${escapeHtml(title)} (${rows.length.toLocaleString('en-US')})</h2><table><tbody>${shown.join('')}${more}</tbody></table></section>`;
}

function summaryHtml(summary: EvtxSummary): string {
  const span = summary.firstTime ? `${summary.firstTime} – ${summary.lastTime ?? summary.firstTime}` : 'no times';
  const facts: [string, string][] = [
    ['Records', summary.records.toLocaleString('en-US')],
    ['Chunks', summary.chunks.toLocaleString('en-US')],
    ['Size', `${(summary.bytes / 1e6).toFixed(2)} MB`],
    ['Time span', span],
    ['Hosts', Object.keys(summary.hosts).length.toLocaleString('en-US')],
    ['Damaged', summary.problems.length === 0 ? 'none' : plural(summary.problems.length, 'problem')],
  ];
  const problems = summary.problems.length === 0 ? '' : `<section><h2 class="warn">Damage (${summary.problems.length})</h2><ul>${summary.problems.slice(0, 100).map((p) =>
    `<li>${p.chunkNumber !== undefined ? `chunk ${p.chunkNumber}, ` : ''}offset 0x${p.offset.toString(16)}${p.recordId !== undefined ? `, record ${p.recordId}` : ''}: ${escapeHtml(p.message)}</li>`).join('')}</ul></section>`;
  return `<table class="facts"><tbody>${facts.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</tbody></table>` +
    problems +
    `<div class="tables">${countTable('Hosts', summary.hosts, 'hosts')}${countTable('EventIDs', summary.eventIds, 'EventIDs')}${countTable('Providers', summary.providers, 'providers')}</div>`;
}

function matchText(match: Match): string {
  const e = match.event;
  if (isProcessCreate(e)) return `${e.fields.parent_exe ?? '?'} -> ${e.fields.exe ?? '?'}  ${commandLineOf(match) ?? ''}`;
  const value = match.field !== undefined ? e.data[match.field] : undefined;
  return `EventID ${e.eventId ?? '?'}${value !== undefined ? `  ${match.field}: ${value}` : ''}`;
}

function matchesHtml(matches: { listed: MatchNode[]; total: number } | undefined): string {
  if (!matches) return '<section><h2>Matches</h2><p class="dim">Not hunted yet. Hunt runs the loaded rules (Sigma folders and the built-in CAR analytics) over every record.</p></section>';
  if (matches.total === 0) return '<section><h2>Matches</h2><p>No matches: the results view and the output "Log Hunt" say why.</p></section>';
  const rows = matches.listed.map(({ match }, i) => {
    const e = match.event;
    return `<tr><td><a href="#" data-action="open" data-index="${i}">record ${escapeHtml(e.recordId ?? '?')}</a> <a href="#" class="dim" data-action="chunk" data-index="${i}">chunk ${e.place?.chunk ?? '?'}</a></td>` +
      `<td>${escapeHtml(match.rule.title)} <span class="dim">(${escapeHtml(match.rule.level)})</span></td>` +
      `<td>${escapeHtml(e.time ?? '')}</td><td>${escapeHtml(e.computer ?? '')}</td><td class="mono">${escapeHtml(shorten(matchText(match), 300))}</td></tr>`;
  });
  const more = matches.total > matches.listed.length ? `<p class="dim">Listing ${matches.listed.length.toLocaleString('en-US')} of ${matches.total.toLocaleString('en-US')} matches; the results view lists more.</p>` : '';
  return `<section><h2>Matches (${matches.total.toLocaleString('en-US')})</h2>${more}<table class="matches"><thead><tr><th>Record</th><th>Rule</th><th>Time</th><th>Host</th><th>What</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function pageHtml(document: EvtxViewDocument, matches: { listed: MatchNode[]; total: number } | undefined): string {
  const nonce = randomBytes(16).toString('base64');
  const name = escapeHtml(displayName(document.uri));
  const body = document.summary ? summaryHtml(document.summary)
    : document.error ? `<p class="warn">${escapeHtml(document.error)}</p>`
      : `<p class="dim">Reading the file… ${document.percent}%</p>`;
  const xmlButton = document.summary && document.summary.bytes <= MAX_WHOLE_XML_FILE_BYTES ? '<button data-action="xml" class="secondary">Open as XML</button>' : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${name}</title>
<style nonce="${nonce}">
body { color: var(--vscode-foreground); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); padding: 0 20px 20px; }
h1 { font-size: 1.4em; font-weight: 600; }
h2 { font-size: 1.1em; font-weight: 600; margin: 1.2em 0 0.4em; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: 2px 10px 2px 0; vertical-align: top; }
thead th, .facts th { color: var(--vscode-descriptionForeground); font-weight: normal; }
.matches td { border-top: 1px solid var(--vscode-panel-border, transparent); }
.matches td:first-child, .matches td:nth-child(3) { white-space: nowrap; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.mono { font-family: var(--vscode-editor-font-family); word-break: break-all; }
.dim { color: var(--vscode-descriptionForeground); }
.warn { color: var(--vscode-errorForeground); }
.tables { display: flex; flex-wrap: wrap; gap: 0 40px; }
a { color: var(--vscode-textLink-foreground); text-decoration: none; }
a:hover { text-decoration: underline; }
button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: none; padding: 4px 14px; cursor: pointer; margin-right: 8px; }
button:hover { background: var(--vscode-button-hoverBackground); }
button.secondary { background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); }
</style>
</head>
<body>
<h1>${name} <span class="dim">Windows event log (EVTX), read-only</span></h1>
<p><button data-action="hunt">Hunt</button>${xmlButton}</p>
${body}
${matchesHtml(matches)}
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest('[data-action]') : null;
  if (!target) return;
  event.preventDefault();
  const index = target.getAttribute('data-index');
  vscode.postMessage({ action: target.getAttribute('data-action'), index: index === null ? undefined : Number(index) });
});
</script>
</body>
</html>`;
}
