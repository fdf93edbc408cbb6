/** Where a rule lives: its Sigma file, or its page on MITRE CAR's site. */
import * as vscode from 'vscode';
import { RuleInfo } from '../engine';

/** The Sigma file, or undefined for a built-in rule. */
export function ruleFileUri(rule: RuleInfo): vscode.Uri | undefined {
  return rule.kind === 'sigma' ? vscode.Uri.file(rule.source) : undefined;
}

/** What a diagnostic's code links to: the rule's file for Sigma, CAR's page for CAR. */
export function ruleTarget(rule: RuleInfo): vscode.Uri {
  return ruleFileUri(rule) ?? vscode.Uri.parse(carPage(rule));
}

function carPage(rule: RuleInfo): string {
  const page = rule.references.find((r) => r.startsWith('https://car.mitre.org/'));
  return page ?? `https://car.mitre.org/analytics/${encodeURIComponent(rule.id)}/`;
}
