/**
 * The fast path: decides from a record's raw text, without parsing it, that it cannot be a match,
 * so that only candidates reach the SAX parser or JSON.parse. Every shortcut here must agree with
 * the full parse; wherever markup, an escape or an entity could hide something, it answers PARSE.
 *
 * Records arrive as latin1 strings (one character per byte): offsets are byte offsets and
 * non-ASCII bytes never compare equal to ASCII, so raw UTF-8 can be searched exactly.
 */
import { escapeRegExp, RawLiteral, RawPicks, RuleSet } from '../rules/ruleSet';
import { EVENT_ID_KEYS } from './jsonShapes';

const LT = 0x3c;
const GT = 0x3e;

/** Classify's answer when the record must be parsed; otherwise it returns the record's EventID. */
export const PARSE = -1;

export interface Prefilter {
  /**
   * PARSE, or the EventID of a record that no rule can match. For the latter, `processCreate`
   * then tells whether it is a Sysmon process create; for PARSE, `candidate` tells whether a rule
   * could match it (false: only its metadata need be read, to count it).
   */
  classify(record: string): number;
  processCreate: boolean;
  candidate: boolean;
  /** For a candidate: the branches the raw-text scan left possible (RuleSet.evaluate's picks), when it made one. */
  picks: RawPicks | undefined;
  /** XML, for a record classify gave an EventID: what it found of the text, for a reader of it to reuse. */
  found?: XmlFound;
}

/**
 * What the XML fast path found of a record it did not send to the parser: where its first
 * `</System>` starts, and whether it saw no `<!` or `<?` in it (lineage's raw reading of a create
 * would search for both again: a microsecond each).
 */
export interface XmlFound {
  systemEnd: number;
  markupFree: boolean;
}

const SYSMON_PROVIDER = 'microsoft-windows-sysmon';
const SYSMON_CHANNEL = 'microsoft-windows-sysmon/operational';

/**
 * Can a character beyond ASCII be searched as its UTF-8 bytes? Only when no other character
 * lower-cases to it, since a value matches a literal once both are lower-cased: so not a letter
 * with a case (`É`), and not U+0307, which `İ` lower-cases into. Dashes, emoji and marks like
 * U+202E qualify (windash's en dash, em dash and horizontal bar among them). Entities (`&#`) and
 * `\u` escapes, which could spell one, send a record to the parser (hidesLetters).
 */
export function searchableWide(ch: string): boolean {
  // Nor U+FFFD, which a value holds where the file's bytes were not UTF-8, nor a lone surrogate.
  if (ch === '\u0307' || ch === '\ufffd' || (ch.length === 1 && ch >= '\ud800' && ch <= '\udfff')) return false;
  return ch.toLowerCase() === ch && ch.toUpperCase() === ch;
}

/** A character as it appears in a record's latin1 view: beyond ASCII, its UTF-8 bytes. */
function latin1Of(ch: string): string {
  return ch.charCodeAt(0) < 0x80 ? ch : Buffer.from(ch, 'utf8').toString('latin1');
}

/**
 * A literal's longest run that a raw search can find, written as the record's text holds it
 * (`rawOf` gives each character's one raw form, or undefined when it has none or several);
 * '' when there is none.
 */
function searchablePart(rawOf: (ch: string) => string | undefined): RawLiteral {
  return (literal) => {
    let best = '';
    let run = '';
    for (const ch of literal) {
      const raw = rawOf(ch);
      if (raw !== undefined) run += raw;
      else {
        if (run.length > best.length) best = run;
        run = '';
      }
    }
    return run.length > best.length ? run : best;
  };
}

/** ASCII as itself, a caseless character beyond ASCII as its UTF-8 bytes; undefined for one with a case. */
function plainRaw(ch: string): string | undefined {
  return ch.charCodeAt(0) < 0x80 || searchableWide(ch) ? latin1Of(ch) : undefined;
}

/**
 * XML text: `&` and `<` are always entities (`&amp;`, `&lt;`); `>` and quotes may be written raw or
 * as entities (Event Viewer writes `&quot;`), so they are not searched. (`&#` references send the
 * record to the parser.)
 */
function xmlRaw(ch: string): string | undefined {
  if (ch === '&') return '&amp;';
  if (ch === '<') return '&lt;';
  if (ch === '>' || ch === '"' || ch === "'") return undefined;
  return plainRaw(ch);
}

/**
 * JSON strings: a backslash is always `\\`, a quote `\"`; control characters have several forms.
 * (`\u` escapes send the record to the parser (JsonPrefilter.classify), and `\/` for `/` too (jsonHidesLetters).)
 */
function jsonRaw(ch: string): string | undefined {
  if (ch === '\\') return '\\\\';
  if (ch === '"') return '\\"';
  if (ch.charCodeAt(0) < 0x20) return undefined;
  return plainRaw(ch);
}

/**
 * UTF-8 of KELVIN SIGN and LATIN CAPITAL I WITH DOT (as latin1): the non-ASCII characters whose
 * toLowerCase() holds ASCII letters. (Plain string searches: faster here than one regex.)
 */
function hasFoldingLetters(record: string): boolean {
  return record.includes('\u00e2\u0084\u00aa') || record.includes('\u00c4\u00b0');
}

/**
 * Could XML markup spell or hide a letter? `&#` can spell any; a comment, CDATA section or
 * processing instruction can split a value the parser joins again: `cmd<!---->.exe`,
 * `cmd<![CDATA[.exe]]>` and `cmd<?x?>.exe` all read as cmd.exe.
 */
function xmlHidesLetters(record: string): boolean {
  return record.includes('&#') || hasTag(record, '<!') || hasTag(record, '<?') || hasFoldingLetters(record);
}

/** Is `tag` (which starts with `<`) in text? */
function hasTag(text: string, tag: string): boolean {
  return tagAt(text, tag, 0) >= 0;
}

/**
 * Index of the first `tag` (which starts with `<`) at or after `from`, or -1. V8's string search
 * first looks for the needle's first character, and `<` starts every tag: the needle without it,
 * checked for the `<` before, is found several times faster in XML.
 */
function tagAt(text: string, tag: string, from: number): number {
  const rest = tag.slice(1);
  for (let at = text.indexOf(rest, from + 1); at >= 0; at = text.indexOf(rest, at + 1)) {
    if (text.charCodeAt(at - 1) === LT) return at - 1;
  }
  return -1;
}

/** Does the backslash at `at` start an escape, i.e. is it preceded by an even run of backslashes? */
function escapes(record: string, at: number): boolean {
  let run = 0;
  while (at - run - 1 >= 0 && record.charCodeAt(at - run - 1) === 0x5c) run++;
  return run % 2 === 0;
}

/** Is there a `\/` escape (a `/` that a raw search for `/` would miss)? */
function hasSlashEscape(record: string): boolean {
  for (let at = record.indexOf('\\/'); at >= 0; at = record.indexOf('\\/', at + 2)) {
    if (escapes(record, at)) return true;
  }
  return false;
}

/** For a record JsonPrefilter's scan found no `\u` escape in (it sends those to the parser first). */
function jsonHidesLetters(record: string): boolean {
  return hasSlashEscape(record) || hasFoldingLetters(record);
}

/** searchesSlash's answer per rule set: it reads every branch's literals (50 ms with every SigmaHQ rule), and a rule set hunts many files and parts. */
const slashSearched = new WeakMap<RuleSet, boolean>();

/** Might the raw scan search a `/` (in a literal, or in a provider or channel that keys a branch)? */
function searchesSlash(rules: RuleSet): boolean {
  let known = slashSearched.get(rules);
  if (known === undefined) slashSearched.set(rules, (known = rules.searchedText(JSON_RAW).some((text) => text.includes('/'))));
  return known;
}

/**
 * Each family's raw form of a literal: one function per family for the life of the process, since
 * a rule set caches the raw patterns it builds by this function (a rule set hunts XML and JSON alike).
 */
const XML_RAW = searchablePart(xmlRaw);
const JSON_RAW = searchablePart(jsonRaw);

/** What both families share: the rules' literals, and what can hide a letter from them. */
abstract class LiteralPrefilter implements Prefilter {
  processCreate = false;
  candidate = true;
  picks: RawPicks | undefined;
  /** Set when markup or an escape could hide a literal from the raw scan: then no picks this record. */
  private hidden = false;
  /** Set when hidesLetters found nothing in this record. */
  protected lettersPlain = false;

  constructor(
    protected readonly rules: RuleSet,
    private readonly toRaw: RawLiteral,
    private readonly hidesLetters: (record: string) => boolean,
  ) {}

  /** Could a rule for this EventID match this record? False only when every rule lacks a literal it needs. */
  protected mayMatch(eventId: number, record: string): boolean {
    if (!this.rules.wants(eventId)) return false;
    if (this.hidden || this.hidesLetters(record)) {
      this.hidden = true;
      this.picks = undefined;
      return true;
    }
    this.lettersPlain = true;
    const may = this.rules.mayMatch(eventId, record, this.toRaw);
    this.picks = this.rules.lastPicks;
    return may;
  }

  /** Forgets the last record's picks: each classify starts with this. */
  protected reset(): void {
    this.picks = undefined;
    this.hidden = false;
    this.lettersPlain = false;
  }

  abstract classify(record: string): number;
}

/** Index of the single occurrence of `tag` (which starts with `<`) in text; -1 if none; -2 if there are several. */
function single(text: string, tag: string, from: number): number {
  const first = tagAt(text, tag, from);
  if (first < 0) return -1;
  return tagAt(text, tag, first + tag.length) < 0 ? first : -2;
}

/** `ystem>` ends both `<System>` and `</System>`, and its first character is rare in event text. */
const SYSTEM_TAIL = 'ystem>';

export class XmlPrefilter extends LiteralPrefilter {
  readonly found: XmlFound = { systemEnd: -1, markupFree: false };

  constructor(rules: RuleSet) {
    super(rules, XML_RAW, xmlHidesLetters);
  }

  classify(record: string): number {
    this.reset();
    // The first `ystem>` must be <System>'s, the next </System>'s, and there must be no third:
    // another System is an event swallowed by a cut-short one. Anything else: parse.
    const open = record.indexOf(SYSTEM_TAIL);
    if (open < 2 || !record.startsWith('<S', open - 2)) return PARSE;
    const close = record.indexOf(SYSTEM_TAIL, open + SYSTEM_TAIL.length);
    if (close < 0 || !record.startsWith('</S', close - 3)) return PARSE;
    if (record.indexOf(SYSTEM_TAIL, close + SYSTEM_TAIL.length) >= 0) return PARSE;
    // Bounded views: searches in System never run on into the rest of the record.
    const system = record.substring(open - 2, close - 3);
    // Comments, CDATA and processing instructions can hold text that looks like tags: parse. (A
    // `!` or `?` alone is rare in System, and searching for it is faster: parse then too.)
    if (system.includes('!') || system.includes('?')) return PARSE;
    this.candidate = true;
    const id = eventIdOf(system);
    if (id === PARSE) return PARSE;
    this.processCreate = false;
    if (this.mayMatch(id, record)) return PARSE;
    // xmlHidesLetters looks for `<!` and `<?` too.
    this.found.systemEnd = close - 3;
    this.found.markupFree = this.lettersPlain;
    if (id !== 1) return id;
    // Cannot match, but is it a Sysmon process create? Read provider and channel raw.
    const provider = providerName(system);
    const channel = channelOf(system);
    if (provider === undefined || channel === undefined) return PARSE;
    this.processCreate = provider === SYSMON_PROVIDER || channel === SYSMON_CHANNEL;
    return id;
  }
}

/** The digits of the one `<EventID>` in System, or PARSE. */
function eventIdOf(system: string): number {
  const at = single(system, '<EventID', 0);
  if (at < 0) return PARSE;
  let i = at + 8;
  const c = system.charCodeAt(i);
  // `<EventID>` or `<EventID Qualifiers=''>`. An attribute may hold '>', but then no digits-then-`</` follow it.
  if (c !== GT && c !== 0x20 && c !== 0x09) return PARSE;
  const close = system.indexOf('>', i);
  if (close < 0 || system.charCodeAt(close - 1) === 0x2f /* / */) return PARSE;
  let value = 0;
  let digits = 0;
  for (i = close + 1; digits < 9; i++, digits++) {
    const d = system.charCodeAt(i) - 0x30;
    if (!(d >= 0 && d <= 9)) break;
    value = value * 10 + d;
  }
  if (digits === 0 || system.charCodeAt(i) !== LT || system.charCodeAt(i + 1) !== 0x2f) return PARSE;
  return value;
}

/** The lower-cased Name of the one `<Provider>` in System, '' when it has none, or undefined to parse. */
function providerName(system: string): string | undefined {
  const at = single(system, '<Provider', 0);
  if (at === -2) return undefined;
  if (at === -1) return '';
  const close = system.indexOf('>', at);
  if (close < 0) return undefined;
  const tag = system.substring(at, close);
  if (tag.includes('&') || tag.includes('<', 1)) return undefined;
  const names = tag.match(/\sName\s*=\s*(?:'[^']*'|"[^"]*")/g);
  if (!names) return '';
  if (names.length > 1) return undefined;
  return names[0].replace(/^\sName\s*=\s*['"]|['"]$/g, '').toLowerCase();
}

/** The lower-cased text of the one `<Channel>` in System, '' when it has none, or undefined to parse. */
function channelOf(system: string): string | undefined {
  const at = single(system, '<Channel>', 0);
  if (at === -2) return undefined;
  if (at === -1) return '';
  const textStart = at + 9;
  const textEnd = system.indexOf('<', textStart);
  if (textEnd < 0) return undefined;
  const text = system.substring(textStart, textEnd);
  return text.includes('&') ? undefined : text.toLowerCase();
}

/**
 * One pass finds every quoted EventID key and every `\u` escape (which could spell a key or a
 * value in disguise): a single regex scan measured faster than one string search per needle.
 */
const ID_KEY_OR_ESCAPE = new RegExp(`"(?:${EVENT_ID_KEYS.map(escapeRegExp).join('|')})"|\\\\u`, 'g');

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

export class JsonPrefilter extends LiteralPrefilter {
  constructor(rules: RuleSet) {
    // The `\/` check reads the whole record: only when a `/` may be searched (else a `\/` hides nothing).
    super(rules, JSON_RAW, searchesSlash(rules) ? jsonHidesLetters : hasFoldingLetters);
  }

  /**
   * Skips a record only when every key any shape reads the EventID from holds a plain integer,
   * and no rule for those EventIDs can match it. A record with EventID 1 is always parsed, since
   * shapes name the provider differently and only the parse tells a Sysmon process create; but
   * when no rule can match it, only its metadata is read (`candidate` false).
   */
  classify(record: string): number {
    this.reset();
    this.candidate = true;
    const search = ID_KEY_OR_ESCAPE;
    search.lastIndex = 0;
    let first = PARSE;
    let others: number[] | undefined;
    let one = false;
    for (let hit = search.exec(record); hit; hit = search.exec(record)) {
      const at = hit.index;
      if (record.charCodeAt(at) === 0x5c /* \ */) {
        if (escapes(record, at)) return PARSE;
        continue; // an escaped backslash, then a `u`
      }
      if (at > 0 && record.charCodeAt(at - 1) === 0x5c) return PARSE;
      const id = valueAt(record, at + hit[0].length);
      if (id === PARSE) return PARSE;
      if (id === 1) one = true;
      if (first === PARSE) first = id;
      else if (id !== first) (others ??= []).push(id);
    }
    if (first === PARSE) return PARSE;
    // The scan ruled out every `\u` escape: only now are the rules' literals looked for (jsonHidesLetters need not search again).
    let candidate = this.mayMatch(first, record);
    if (others) for (const id of others) candidate ||= this.mayMatch(id, record);
    this.processCreate = false;
    if (!one && !candidate) return first;
    this.candidate = candidate;
    return PARSE;
  }
}

/** After a key: `: 5`, `: "5"`; anything else is PARSE. */
function valueAt(record: string, i: number): number {
  while (isJsonSpace(record.charCodeAt(i))) i++;
  if (record.charCodeAt(i++) !== 0x3a /* : */) return PARSE;
  while (isJsonSpace(record.charCodeAt(i))) i++;
  const quoted = record.charCodeAt(i) === 0x22;
  if (quoted) i++;
  let value = 0;
  let digits = 0;
  for (; digits < 9; i++, digits++) {
    const d = record.charCodeAt(i) - 0x30;
    if (!(d >= 0 && d <= 9)) break;
    value = value * 10 + d;
  }
  if (digits === 0) return PARSE;
  if (quoted && record.charCodeAt(i++) !== 0x22) return PARSE;
  while (isJsonSpace(record.charCodeAt(i))) i++;
  const c = record.charCodeAt(i);
  return c === 0x2c /* , */ || c === 0x7d /* } */ ? value : PARSE;
}

/** The fast path for a family of shapes, asking the rule stage which EventIDs and text matter. */
export function prefilterFor(family: 'xml' | 'json', rules: RuleSet): Prefilter {
  return family === 'xml' ? new XmlPrefilter(rules) : new JsonPrefilter(rules);
}
