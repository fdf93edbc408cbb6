/**
 * `logHunt.generateQuery`: picks an analytic, a SIEM and a style, has the engine write the query,
 * opens it in an editor of that query language and copies it to the clipboard.
 */
import * as vscode from 'vscode';
import { Analytic, ANALYTICS, findAnalytic } from '../engine/analytics';
import { findTarget, QUERY_TARGETS, QueryStyle, QueryTarget } from '../engine/queries';
import { readSettings } from './settings';

/** Arguments that skip the quick picks (tests, keybindings); the tree passes its analytic node. */
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

export async function generateQueryCommand(log: vscode.LogOutputChannel, arg?: unknown): Promise<QueryOutcome | undefined> {
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
    await vscode.window.showTextDocument(document, { preview: false });
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

function toArgs(arg: unknown): QueryArgs {
  if (typeof arg !== 'object' || arg === null) return {};
  // The results tree's analytic row.
  if ((arg as { kind?: unknown }).kind === 'analytic') return { analytic: (arg as { analyticId: string }).analyticId };
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
