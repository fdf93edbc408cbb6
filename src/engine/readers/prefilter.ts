/**
 * The fast path: decides from a record's raw bytes, without parsing it, that it cannot be a match,
 * so that only candidates reach the SAX parser or JSON.parse. Every shortcut here must agree with
 * the full parse; wherever markup, an escape or an entity could hide something, it answers PARSE.
 */
import { Analytic } from '../analytics/analytic';
import { Requirement, requiredLiterals } from '../analytics/literals';
import { EVENT_ID_KEYS } from './jsonShapes';

/** Classify's answer when the record must be parsed; otherwise it returns the record's EventID. */
export const PARSE = -1;

export interface Prefilter {
  /**
   * PARSE, or the EventID of a record that cannot match any analytic. For the latter,
   * `processCreate` then tells whether it is a Sysmon process create.
   */
  classify(bytes: Buffer, start: number, end: number): number;
  processCreate: boolean;
}

const SYSMON_PROVIDER = 'microsoft-windows-sysmon';
const SYSMON_CHANNEL = 'microsoft-windows-sysmon/operational';

/** Characters whose raw XML form differs from their value, so a literal holding them cannot be searched raw. */
const XML_UNSEARCHABLE = /[&<>"'\u0080-\uffff]/;

/**
 * Literal sets per analytic, as lower-case bytes; undefined for an analytic whose literals cannot be
 * searched raw, which therefore needs every process create parsed.
 */
function literalBytes(analytics: readonly Analytic[], unsearchable: RegExp): (Buffer[][] | undefined)[] {
  return analytics.map((a) => {
    const req: Requirement = requiredLiterals(a.logic);
    if (req.some((set) => set.some((lit) => unsearchable.test(lit)))) return undefined;
    return req.map((set) => set.map((lit) => Buffer.from(lit, 'latin1')));
  });
}

/** Non-ASCII characters whose toLowerCase() holds ASCII letters: KELVIN SIGN and LATIN CAPITAL I WITH DOT. */
const FOLDS_TO_ASCII = [Buffer.from('\u212a', 'utf8'), Buffer.from('\u0130', 'utf8')];

/** Lower-cases ASCII letters of bytes[start, end) into a reusable scratch buffer. */
class Lowercaser {
  private scratch = Buffer.allocUnsafe(1 << 16);

  lower(bytes: Buffer, start: number, end: number): Buffer {
    const n = end - start;
    if (this.scratch.length < n) this.scratch = Buffer.allocUnsafe(n * 2);
    const out = this.scratch;
    for (let i = 0; i < n; i++) {
      const b = bytes[start + i];
      out[i] = b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
    }
    return out.subarray(0, n);
  }
}

/** Could an analytic match this (lower-cased) record? True when some analytic's literals are all there. */
function mayMatch(lowered: Buffer, perAnalytic: (Buffer[][] | undefined)[]): boolean {
  if (FOLDS_TO_ASCII.some((seq) => lowered.includes(seq))) return true;
  return perAnalytic.some(
    (req) => req === undefined || req.every((set) => set.some((lit) => lowered.includes(lit))),
  );
}

const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;

/** Index of the single occurrence of `tag` in view[from, to); -1 if none; -2 if there are several. */
function single(view: Buffer, tag: Buffer, from: number): number {
  const first = view.indexOf(tag, from);
  if (first < 0) return -1;
  return view.indexOf(tag, first + tag.length) < 0 ? first : -2;
}

const TAG = {
  system: Buffer.from('<System>'),
  systemEnd: Buffer.from('</System>'),
  systemName: Buffer.from('System>'),
  eventId: Buffer.from('<EventID'),
  provider: Buffer.from('<Provider'),
  channel: Buffer.from('<Channel>'),
  markup: Buffer.from('<!'),
  instruction: Buffer.from('<?'),
};

export class XmlPrefilter implements Prefilter {
  processCreate = false;
  private readonly literals: (Buffer[][] | undefined)[];
  private readonly lowercaser = new Lowercaser();

  constructor(analytics: readonly Analytic[]) {
    this.literals = literalBytes(analytics, XML_UNSEARCHABLE);
  }

  classify(bytes: Buffer, start: number, end: number): number {
    const record = bytes.subarray(start, end);
    const sysStart = record.indexOf(TAG.system);
    if (sysStart < 0) return PARSE;
    const sysEnd = record.indexOf(TAG.systemEnd, sysStart);
    if (sysEnd < 0) return PARSE;
    const system = record.subarray(0, sysEnd);
    // Comments, CDATA and processing instructions can hold text that looks like tags; and a
    // second System is another event swallowed by a cut-short one. Either way, parse.
    if (system.includes(TAG.markup) || system.includes(TAG.instruction)) return PARSE;
    if (record.indexOf(TAG.systemName, sysEnd + TAG.systemEnd.length) >= 0) return PARSE;
    const id = this.eventId(system, sysStart);
    if (id === PARSE) return PARSE;
    this.processCreate = false;
    if (id !== 1) return id;
    if (mayMatch(this.lowercaser.lower(bytes, start, end), this.literals)) return PARSE;
    // Cannot match, but is it a Sysmon process create? Read provider and channel raw.
    const provider = this.providerName(system, sysStart);
    const channel = this.channel(system, sysStart);
    if (provider === undefined || channel === undefined) return PARSE;
    this.processCreate = provider === SYSMON_PROVIDER || channel === SYSMON_CHANNEL;
    return id;
  }

  /** The digits of the one `<EventID>` in System, or PARSE. */
  private eventId(system: Buffer, from: number): number {
    const at = single(system, TAG.eventId, from);
    if (at < 0) return PARSE;
    let i = at + TAG.eventId.length;
    // `<EventID>` or `<EventID Qualifiers=''>`. An attribute may hold '>', but then no digits-then-`</` follow it.
    if (system[i] !== GT && system[i] !== 0x20 && system[i] !== 0x09) return PARSE;
    const close = system.indexOf(GT, i);
    if (close < 0 || system.subarray(i, close).includes(LT) || system[close - 1] === 0x2f /* / */) return PARSE;
    let value = 0;
    let digits = 0;
    for (i = close + 1; i < system.length && system[i] >= 0x30 && system[i] <= 0x39 && digits < 9; i++, digits++) {
      value = value * 10 + (system[i] - 0x30);
    }
    if (digits === 0 || system[i] !== LT || system[i + 1] !== 0x2f) return PARSE;
    return value;
  }

  /** The lower-cased Name of the one `<Provider>` in System, '' when it has none, or undefined to parse. */
  private providerName(system: Buffer, from: number): string | undefined {
    const at = single(system, TAG.provider, from);
    if (at === -2) return undefined;
    if (at === -1) return '';
    const close = system.indexOf(GT, at);
    if (close < 0) return undefined;
    const tag = system.toString('latin1', at, close);
    if (tag.includes('&') || tag.includes('<', 1)) return undefined;
    const name = /\sName\s*=\s*(?:'([^']*)'|"([^"]*)")/.exec(tag);
    if (!name) return '';
    if ((tag.match(/\sName\s*=/g) ?? []).length > 1) return undefined;
    return (name[1] ?? name[2]).toLowerCase();
  }

  /** The lower-cased text of the one `<Channel>` in System, '' when it has none, or undefined to parse. */
  private channel(system: Buffer, from: number): string | undefined {
    const at = single(system, TAG.channel, from);
    if (at === -2) return undefined;
    if (at === -1) return '';
    const textStart = at + TAG.channel.length;
    const textEnd = system.indexOf(LT, textStart);
    if (textEnd < 0 || system.subarray(textStart, textEnd).includes(AMP)) return undefined;
    return system.toString('latin1', textStart, textEnd).toLowerCase();
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const ESCAPED_UNICODE = Buffer.from('\\u');
const ID_KEYS = EVENT_ID_KEYS.map((k) => Buffer.from(JSON.stringify(k)));

function isJsonSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

export class JsonPrefilter implements Prefilter {
  processCreate = false;

  /**
   * Skips a record only when every key any shape reads the EventID from holds a plain integer
   * other than 1; a process create (EventID 1) is always parsed, since shapes name the provider differently.
   */
  classify(bytes: Buffer, start: number, end: number): number {
    const record = bytes.subarray(start, end);
    if (record.includes(ESCAPED_UNICODE)) return PARSE;
    let first = PARSE;
    for (const key of ID_KEYS) {
      for (let at = record.indexOf(key); at >= 0; at = record.indexOf(key, at + key.length)) {
        if (at > 0 && record[at - 1] === BACKSLASH) return PARSE;
        const id = this.valueAt(record, at + key.length);
        if (id === PARSE || id === 1) return PARSE;
        if (first === PARSE) first = id;
      }
    }
    if (first === PARSE) return PARSE;
    this.processCreate = false;
    return first;
  }

  /** After a key: `: 5`, `: "5"`; anything else is PARSE. */
  private valueAt(record: Buffer, i: number): number {
    while (i < record.length && isJsonSpace(record[i])) i++;
    if (record[i++] !== 0x3a /* : */) return PARSE;
    while (i < record.length && isJsonSpace(record[i])) i++;
    const quoted = record[i] === QUOTE;
    if (quoted) i++;
    let value = 0;
    let digits = 0;
    for (; i < record.length && record[i] >= 0x30 && record[i] <= 0x39 && digits < 9; i++, digits++) {
      value = value * 10 + (record[i] - 0x30);
    }
    if (digits === 0) return PARSE;
    if (quoted && record[i++] !== QUOTE) return PARSE;
    while (i < record.length && isJsonSpace(record[i])) i++;
    return record[i] === 0x2c /* , */ || record[i] === 0x7d /* } */ ? value : PARSE;
  }

}

/** The fast path for a family of shapes. */
export function prefilterFor(family: 'xml' | 'json', analytics: readonly Analytic[]): Prefilter {
  return family === 'xml' ? new XmlPrefilter(analytics) : new JsonPrefilter();
}
