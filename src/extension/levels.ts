/** How a rule's level shows in VS Code: a diagnostic severity and a colored icon. */
import * as vscode from 'vscode';
import { Level } from '../engine';

/** critical/high Error, medium Warning, low Information, informational Hint. */
export const LEVEL_SEVERITY: Readonly<Record<Level, vscode.DiagnosticSeverity>> = {
  critical: vscode.DiagnosticSeverity.Error,
  high: vscode.DiagnosticSeverity.Error,
  medium: vscode.DiagnosticSeverity.Warning,
  low: vscode.DiagnosticSeverity.Information,
  informational: vscode.DiagnosticSeverity.Hint,
};

/** The Problems panel's own icons and colors, so a rule row reads like its diagnostics. */
const LEVEL_ICONS: Readonly<Record<Level, [icon: string, color: string]>> = {
  critical: ['flame', 'problemsErrorIcon.foreground'],
  high: ['error', 'problemsErrorIcon.foreground'],
  medium: ['warning', 'problemsWarningIcon.foreground'],
  low: ['info', 'problemsInfoIcon.foreground'],
  informational: ['lightbulb', 'descriptionForeground'],
};

export function levelIcon(level: Level): vscode.ThemeIcon {
  const [icon, color] = LEVEL_ICONS[level] ?? LEVEL_ICONS.informational;
  return new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
}
