/**
 * Log text is attacker-controlled: a command line can hold Markdown, HTML, `command:` links or
 * `$(icon)` syntax. Everything from a log goes through `escapeMarkdown` into an untrusted
 * MarkdownString, so it always renders as the literal text it is.
 */
import * as vscode from 'vscode';

/** Bidirectional controls can make `exe.cmd` read as `dmc.exe`; hunters must see them. */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Shows bidi control characters as `<U+202E>` so that the text reads as it is stored. */
export function revealBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`);
}

/**
 * Literal text for Markdown: every ASCII punctuation character is backslash-escaped, which
 * CommonMark defines as always literal. That covers Markdown syntax, HTML tags and entities
 * (`<`, `&`), autolinks (`:`, `/`, `.`, `@`) and theme icons (`$(`). Line breaks become ` ↵ `
 * so that one value stays on one line.
 */
export function escapeMarkdown(text: string): string {
  return revealBidi(text)
    .replace(/[!-/:-@[-`{-~]/g, '\\$&')
    .replace(/\r\n|\r|\n/g, ' ↵ ');
}

/** A MarkdownString that can run nothing: no command links, no HTML, no theme icons. */
export function untrustedMarkdown(): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', false);
  md.isTrusted = false;
  md.supportHtml = false;
  md.supportThemeIcons = false;
  return md;
}

/** Shortens one-line text to about `max` characters, marking the cut with an ellipsis. */
export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s*[\r\n]+\s*/g, ' ');
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/**
 * Notifications render `[text](command:…)` as a link, and file names and error messages can hold
 * that syntax. Breaking every `](` keeps them plain text.
 */
export function plainNotification(text: string): string {
  return revealBidi(text).replace(/\]\(/g, '] (');
}

/**
 * Quick pick labels, descriptions and details render `$(name)` as an icon; a backslash before
 * it keeps rule and log text literal. Bidi controls are shown, as everywhere else.
 */
export function plainLabel(text: string): string {
  return revealBidi(text).replace(/\$\(/g, '\\$(');
}
