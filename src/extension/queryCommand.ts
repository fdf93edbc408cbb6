/**
 * `logHunt.generateQuery`: picks a rule (a built-in CAR analytic, or the Sigma rule of a tree row
 * or a rule file), a SIEM by product and, where CAR publishes queries, a style; has the engine
 * write the query, lays it out over lines (`layoutQuery`), opens it read-only in an editor of that
 * query language (queryDocuments.ts) and copies it to the clipboard. The notes name settings as
 * VS Code shows them. A rule the target cannot express gets the engine's reason, naming the part,
 * and no query.
 */
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import {
  CAR_LIBRARY, findAnalytic, findCarQueryRule, findTarget, generateQuery, layoutQuery, OptionNames, QUERY_TARGETS, QueryRule, QueryStyle, QueryTarget,
  QueryUnsupported, RuleInfo, sigmaQueryRule, TargetId,
} from '../engine';
import { plainNotification } from './markdown';
import { QueryFileSystem, queryUri } from './queryDocuments';
import { readSettings } from './settings';

/** Arguments that skip the quick picks (tests, keybindings); the tree passes its rule node. */
export interface QueryArgs {
  /** A CAR id, or the id of the Sigma rule in `ruleFile`/`ruleText`. */
  analytic?: string;
  /** A target id: 'spl', 'eql', 'elastic-eql', 'esql', 'kql', 'defender', 'dnif', 'sigma'. */
  target?: string;
  style?: QueryStyle;
  /** A Sigma rule file, for a rule that is not built in. */
  ruleFile?: string;
  /** Its text, when the editor holds it (unsaved changes). */
  ruleText?: string;
}

export interface QueryOutcome {
  /** The read-only query document, laid out over lines. */
  document: vscode.TextDocument;
  /** The query as the engine wrote it (one line for most targets). */
  text: string;
  notes: string[];
  target: TargetId;
  style: QueryStyle;
}

const STYLES: { style: QueryStyle; label: string; detail: string }[] = [
  { style: 'precise', label: 'Precise', detail: "As near the local hunt's meaning as the SIEM allows" },
  { style: 'car', label: 'CAR', detail: "MITRE CAR's published conventions for the language" },
];

/** The settings the engine's notes may tell the user to change, in the words of the Settings editor. */
export const SETTING_NAMES: Required<OptionNames> = { splunkIndex: 'the logHunt.splunkIndex setting', dnifLimit: 'the logHunt.dnifLimit setting' };

/** Targets whose CAR data-model generators have CAR's published style (CAR-2014-05-002). */
const CAR_STYLED = new Set<TargetId>(['spl', 'eql', 'dnif']);

/** Why a rule has no query, in words for a notification (a rule that did not load, or a Sigma rule with no file). */
export function noQueryMessage(rule: Pick<RuleInfo, 'id' | 'title' | 'kind'>): string {
  const which = `"${rule.title}" (${rule.id})`;
  return rule.kind === 'sigma'
    ? `Log Hunt: no SIEM query for the Sigma rule ${which}: use Generate SIEM Query… on its row in the results or on its file in the editor.`
    : `Log Hunt: no SIEM query for ${which}: it is not a built-in analytic.`;
}

export async function generateQueryCommand(log: vscode.LogOutputChannel, documents: QueryFileSystem, arg?: unknown): Promise<QueryOutcome | undefined> {
  const args = toArgs(arg);
  const settings = readSettings();
  try {
    const rule = await chooseRule(args);
    if (!rule) return undefined;
    const target = args.target !== undefined ? known(findTarget(args.target), 'query target', args.target) : await pickTarget(settings.queryTarget);
    if (!target) return undefined;
    const styled = CAR_STYLED.has(target.id) && rule.info.kind === 'car' && findAnalytic(rule.info.id) !== undefined;
    const style = styled ? (args.style ?? (await pickStyle(settings.queryStyle))) : 'precise';
    if (!style) return undefined;

    let query;
    try {
      query = generateQuery(target, rule, { style, splunkIndex: settings.splunkIndex, dnifLimit: settings.dnifLimit, optionNames: SETTING_NAMES });
    } catch (e) {
      if (!(e instanceof QueryUnsupported)) throw e;
      const message = `Log Hunt: no ${target.label} query for ${rule.info.id}: ${e.message}`;
      log.warn(message);
      void vscode.window.showWarningMessage(plainNotification(message));
      return undefined;
    }
    const shown = layoutQuery(target.id, query.text);
    const uri = queryUri(target, rule.info, style);
    documents.set(uri, shown);
    let document = await vscode.workspace.openTextDocument(uri);
    // Open already with an earlier text: the editor reloads it after the file system's change event.
    if (document.getText() !== shown) await textChanged(document, shown);
    // The path's extension gives the mode; say it outright too (a Sigma rule's .yml, a language another extension claims).
    if (document.languageId !== target.languageId) document = await vscode.languages.setTextDocumentLanguage(document, target.languageId);
    await vscode.window.showTextDocument(document, { preview: false });
    await vscode.env.clipboard.writeText(shown);

    // Notes go to the output channel, not into the query: each language comments differently.
    log.info(`${target.label} query for ${rule.info.id} (${style} style), ${query.notes.length} notes`);
    for (const note of query.notes) log.info(`  note: ${note}`);
    const notes = query.notes.length === 0 ? '' : ` ${query.notes.length} notes on where it differs from the local hunt: see the output "Log Hunt".`;
    const setting = query.noteOptions?.[0];
    const actions = [...(notes ? ['Show Notes'] : []), ...(setting ? ['Open Setting'] : [])];
    void vscode.window
      .showInformationMessage(plainNotification(`Log Hunt: copied the ${target.label} query for ${rule.info.id} to the clipboard.${notes}`), ...actions)
      .then((choice) => {
        if (choice === 'Show Notes') log.show(true);
        else if (choice === 'Open Setting' && setting) void vscode.commands.executeCommand('workbench.action.openSettings', `logHunt.${setting}`);
      });
    return { document, text: query.text, notes: query.notes, target: target.id, style };
  } catch (err) {
    const message = (err as Error)?.message ?? String(err);
    log.error(`query generation: ${message}`);
    void vscode.window.showErrorMessage(plainNotification(`Log Hunt: ${message}`));
    return undefined;
  }
}

/** Resolves once `document` holds `text` (or after 2 s: it is shown as it is). */
function textChanged(document: vscode.TextDocument, text: string): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      listener.dispose();
      clearTimeout(timer);
      resolve();
    };
    const listener = vscode.workspace.onDidChangeTextDocument((e) => e.document === document && document.getText() === text && done());
    const timer = setTimeout(done, 2000);
  });
}

/** The rule of the arguments: a Sigma file's rule, a built-in analytic, or one picked from the library. */
async function chooseRule(args: QueryArgs): Promise<QueryRule | undefined> {
  if (args.ruleFile !== undefined || args.ruleText !== undefined) {
    const file = args.ruleFile ?? 'rule.yml';
    const text = args.ruleText ?? (await readFile(file, 'utf8'));
    return sigmaQueryRule(text, file);
  }
  if (args.analytic !== undefined) return known(findCarQueryRule(args.analytic), 'analytic', args.analytic);
  return pickRule();
}

/** The results tree's rule row passes its node. */
function ruleOf(arg: unknown): RuleInfo | undefined {
  if (typeof arg !== 'object' || arg === null || (arg as { kind?: unknown }).kind !== 'rule') return undefined;
  return (arg as { rule: RuleInfo }).rule;
}

function toArgs(arg: unknown): QueryArgs {
  if (typeof arg !== 'object' || arg === null) return {};
  const rule = ruleOf(arg);
  if (rule) return rule.kind === 'sigma' ? { analytic: rule.id, ruleFile: rule.source } : { analytic: rule.id };
  const { analytic, target, style, ruleFile, ruleText } = arg as Record<string, unknown>;
  return {
    analytic: typeof analytic === 'string' ? analytic : undefined,
    target: typeof target === 'string' ? target : undefined,
    style: style === 'precise' || style === 'car' ? style : undefined,
    ruleFile: typeof ruleFile === 'string' ? ruleFile : undefined,
    ruleText: typeof ruleText === 'string' ? ruleText : undefined,
  };
}

function known<T>(value: T | undefined, what: string, name: string): T {
  if (value === undefined) throw new Error(`unknown ${what}: ${name}`);
  return value;
}

/** The built-in library; the analytics with CAR's own published queries first. */
async function pickRule(): Promise<QueryRule | undefined> {
  const ordered = [...CAR_LIBRARY].sort((a, b) => Number(!!b.logic) - Number(!!a.logic));
  const picked = await vscode.window.showQuickPick(
    ordered.map((a) => ({ label: a.id, description: a.title, detail: a.logic ? 'CAR publishes queries for it: the CAR style reproduces them' : undefined, id: a.id })),
    { title: 'Log Hunt: Generate SIEM Query', placeHolder: 'Which analytic?', matchOnDescription: true },
  );
  return picked && findCarQueryRule(picked.id);
}

/** By product; the setting's target comes first, so Enter keeps it. */
async function pickTarget(preferred: string): Promise<QueryTarget | undefined> {
  const ordered = [...QUERY_TARGETS].sort((a, b) => Number(b.id === preferred) - Number(a.id === preferred));
  const picked = await vscode.window.showQuickPick(
    ordered.map((t) => ({ label: t.product, description: `${t.label}${t.id === preferred ? ' · logHunt.queryTarget' : ''}`, target: t })),
    { title: 'Log Hunt: Generate SIEM Query (1/2)', placeHolder: 'Which SIEM?', matchOnDescription: true },
  );
  return picked?.target;
}

/** The setting's style comes first, so Enter keeps it. */
async function pickStyle(preferred: QueryStyle): Promise<QueryStyle | undefined> {
  const ordered = [...STYLES].sort((a, b) => Number(b.style === preferred) - Number(a.style === preferred));
  const picked = await vscode.window.showQuickPick(
    ordered.map((s) => ({ label: s.label, description: s.style === preferred ? 'logHunt.queryStyle' : undefined, detail: s.detail, style: s.style })),
    { title: 'Log Hunt: Generate SIEM Query (2/2)', placeHolder: 'Which style?' },
  );
  return picked?.style;
}
