/**
 * `logHunt.generateQuery`: picks an analytic, a SIEM and a style, has the engine write the query,
 * opens it in an editor of that query language and copies it to the clipboard. The generators
 * know the built-in CAR analytics that carry logic over CAR's data model; other rules get a
 * clear word instead of a query.
 */
import * as vscode from 'vscode';
import { Analytic, ANALYTICS, findAnalytic, findTarget, QUERY_TARGETS, QueryStyle, QueryTarget, RuleInfo } from '../engine';
import { plainNotification } from './markdown';
import { readSettings } from './settings';

/** Arguments that skip the quick picks (tests, keybindings); the tree passes its rule node. */
export interface QueryArgs {
  analytic?: string;
  /** 'spl', 'eql' or 'dnif'. */
  target?: string;
  style?: QueryStyle;
}

export interface QueryOutcome {
  document: vscode.TextDocument;
  text: string;
  notes: string[];
  target: QueryTarget['id'];
  style: QueryStyle;
}

const STYLES: { style: QueryStyle; label: string; detail: string }[] = [
  { style: 'precise', label: 'Precise', detail: "As near the local hunt's meaning as the SIEM allows" },
  { style: 'car', label: 'CAR', detail: "MITRE CAR's published conventions for the language" },
];

/** Why a rule has no query yet, in words for a notification. */
export function noQueryMessage(rule: Pick<RuleInfo, 'id' | 'title' | 'kind'>): string {
  const which = `"${rule.title}" (${rule.id})`;
  return rule.kind === 'sigma'
    ? `Log Hunt: no SIEM query for the Sigma rule ${which}: SIEM queries for Sigma rules come in a later issue. Today the queries cover the built-in CAR analytics written over CAR's data model (${ANALYTICS.map((a) => a.id).join(', ')}).`
    : `Log Hunt: no SIEM query for ${which} yet: the query generators know only the built-in CAR analytics written over CAR's data model (${ANALYTICS.map((a) => a.id).join(', ')}).`;
}

export async function generateQueryCommand(log: vscode.LogOutputChannel, arg?: unknown): Promise<QueryOutcome | undefined> {
  const rule = ruleOf(arg);
  if (rule && !findAnalytic(rule.id)) {
    void vscode.window.showInformationMessage(plainNotification(noQueryMessage(rule)));
    return undefined;
  }
  const args = toArgs(arg);
  const settings = readSettings();
  try {
    const analytic = args.analytic !== undefined ? known(findAnalytic(args.analytic), 'analytic', args.analytic) : await pickAnalytic();
    if (!analytic) return undefined;
    const target = args.target !== undefined ? known(findTarget(args.target), 'query target', args.target) : await pickTarget();
    if (!target) return undefined;
    const style = args.style ?? (await pickStyle(settings.queryStyle));
    if (!style) return undefined;

    const query = target.generate(analytic, { style, splunkIndex: settings.splunkIndex, dnifLimit: settings.dnifLimit });
    const document = await vscode.workspace.openTextDocument({ language: target.languageId, content: query.text });
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    if (document.getText() !== query.text) {
      // An untitled editor closed a moment ago can leave a backup that VS Code restores over the
      // content of the next one of the same name: the last query would show instead of this one.
      const all = document.validateRange(new vscode.Range(0, 0, document.lineCount, 0));
      await editor.edit((edit) => edit.replace(all, query.text));
    }
    await vscode.env.clipboard.writeText(query.text);

    // Notes go to the output channel, not into the query: each language comments differently.
    log.info(`${target.label} query for ${analytic.id} (${style} style), ${query.notes.length} notes`);
    for (const note of query.notes) log.info(`  note: ${note}`);
    const notes = query.notes.length === 0 ? '' : ` ${query.notes.length} notes on where it differs from the local hunt: see the output "Log Hunt".`;
    void vscode.window
      .showInformationMessage(`Log Hunt: copied the ${target.label} query for ${analytic.id} to the clipboard.${notes}`, ...(notes ? ['Show Notes'] : []))
      .then((choice) => choice && log.show(true));
    return { document, text: query.text, notes: query.notes, target: target.id, style };
  } catch (err) {
    const message = (err as Error)?.message ?? String(err);
    log.error(`query generation: ${message}`);
    void vscode.window.showErrorMessage(`Log Hunt: ${message}`);
    return undefined;
  }
}

/** The results tree's rule row passes its node. */
function ruleOf(arg: unknown): RuleInfo | undefined {
  if (typeof arg !== 'object' || arg === null || (arg as { kind?: unknown }).kind !== 'rule') return undefined;
  return (arg as { rule: RuleInfo }).rule;
}

function toArgs(arg: unknown): QueryArgs {
  if (typeof arg !== 'object' || arg === null) return {};
  const rule = ruleOf(arg);
  if (rule) return { analytic: rule.id };
  const { analytic, target, style } = arg as Record<string, unknown>;
  return {
    analytic: typeof analytic === 'string' ? analytic : undefined,
    target: typeof target === 'string' ? target : undefined,
    style: style === 'precise' || style === 'car' ? style : undefined,
  };
}

function known<T>(value: T | undefined, what: string, name: string): T {
  if (value === undefined) throw new Error(`unknown ${what}: ${name}`);
  return value;
}

async function pickAnalytic(): Promise<Analytic | undefined> {
  if (ANALYTICS.length === 1) return ANALYTICS[0];
  const picked = await vscode.window.showQuickPick(
    ANALYTICS.map((a) => ({ label: a.id, description: a.title, analytic: a })),
    { title: 'Log Hunt: Generate SIEM Query', placeHolder: 'Which analytic?' },
  );
  return picked?.analytic;
}

async function pickTarget(): Promise<QueryTarget | undefined> {
  const picked = await vscode.window.showQuickPick(
    QUERY_TARGETS.map((t) => ({ label: t.label, description: `.${t.languageId}`, target: t })),
    { title: 'Log Hunt: Generate SIEM Query (1/2)', placeHolder: 'Which SIEM?' },
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
