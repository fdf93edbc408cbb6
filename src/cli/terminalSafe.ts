/**
 * Log text is attacker-controlled: before it reaches a terminal, control characters (ANSI
 * escapes, C1 controls) and bidirectional overrides are shown as visible escapes instead.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escape(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Text safe to print on a terminal, every unsafe character written as `\uXXXX`. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, escape);
}

/** JSON text whose string values cannot drive a terminal either (JSON.stringify leaves C1 and bidi raw). */
export function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE, escape);
}
