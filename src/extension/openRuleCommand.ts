/** `logHunt.openRuleFile`: opens a Sigma rule's file at its `id:`, from a rule row of the results. */
import * as vscode from 'vscode';
import { RuleInfo } from '../engine';
import { plainNotification } from './markdown';
import { ruleFileUri } from './ruleLinks';

export async function openRuleFileCommand(arg?: unknown): Promise<vscode.TextEditor | undefined> {
  const rule = typeof arg === 'object' && arg !== null ? (arg as { rule?: RuleInfo }).rule : undefined;
  if (!rule) return undefined;
  const uri = ruleFileUri(rule);
  if (!uri) {
    // A built-in CAR analytic has no file; its page is the nearest thing.
    void vscode.window.showInformationMessage(plainNotification(`Log Hunt: ${rule.id} is built in; its description is on MITRE CAR's site.`));
    return undefined;
  }
  let document: vscode.TextDocument;
  try {
    document = await vscode.workspace.openTextDocument(uri);
  } catch (err) {
    void vscode.window.showWarningMessage(plainNotification(`Log Hunt: cannot open the rule file ${uri.fsPath}: ${(err as Error).message}`));
    return undefined;
  }
  // A file may hold several rules (YAML documents): select this one's id.
  const text = document.getText();
  const at = text.indexOf(rule.id);
  const selection = at < 0 ? new vscode.Range(0, 0, 0, 0) : new vscode.Range(document.positionAt(at), document.positionAt(at + rule.id.length));
  return vscode.window.showTextDocument(document, { selection, preview: true });
}
