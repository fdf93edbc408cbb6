/**
 * DNIF `_fetch` over Sysmon. DNIF publishes no reference for its query language or its Sysmon
 * field names, so both are taken from MITRE CAR's published DNIF queries: `$App` is the image's
 * file name, `$Process` the command line, `$ParentProcess` the parent (CAR only substring-matches
 * it; we take it as the parent's image path), `$CPID`/`$PPID` the ids, `$SystemName` the host;
 * `A NOT B` means A and not B, and `regex(...)i` is a case-ignoring regex. Other names are guesses
 * and say so in the notes.
 *
 * Escaping: a bare value (`$App=cmd.exe`) has no documented quoting, so only plain words are
 * written bare; anything else becomes a regex. Inside regex(...), a backslash escapes any ASCII
 * punctuation (as CAR writes `\.`, `\\`, `\:`), and the characters that could end the regex(...)
 * or a quoted token early, `(`, `)`, quotes, and control characters, are written `\xHH`, so the
 * value can never close the call. Letters, digits, `_`, space and non-ASCII stay as they are.
 */
import { Analytic } from '../analytics/analytic';
import { FieldName } from '../model';
import {
  GeneratedQuery, Logic, QueryOptions, QueryTarget, hexEscape, leaves, normalize, optionName, resolveOptions, valueNotes,
} from './target';
import { dnifRuleQuery } from './dnifRule';

interface DnifField {
  name: string;
  /** What the field holds: a path (the precise test takes its file name), a number, or text. */
  holds: 'path' | 'number' | 'text';
  /** CAR's habit for the field: an exact bare value, or a substring regex. */
  car: 'equals' | 'contains';
  /** CAR's field, where it differs (CAR matches image paths in the command line). */
  carName?: string;
  /** Not seen in any published DNIF query. */
  guessed?: boolean;
}

const FIELDS: Record<FieldName, DnifField> = {
  exe: { name: '$App', holds: 'text', car: 'equals' },
  parent_exe: { name: '$ParentProcess', holds: 'path', car: 'contains' },
  image_path: { name: '$Image', holds: 'text', car: 'contains', carName: '$Process', guessed: true },
  parent_image_path: { name: '$ParentProcess', holds: 'text', car: 'contains' },
  command_line: { name: '$Process', holds: 'text', car: 'contains' },
  parent_command_line: { name: '$ParentCommandLine', holds: 'text', car: 'contains', guessed: true },
  pid: { name: '$CPID', holds: 'number', car: 'equals' },
  ppid: { name: '$PPID', holds: 'number', car: 'equals' },
  guid: { name: '$ProcessGuid', holds: 'text', car: 'equals', guessed: true },
  parent_guid: { name: '$ParentProcessGuid', holds: 'text', car: 'equals', guessed: true },
  hostname: { name: '$SystemName', holds: 'text', car: 'equals' },
  user: { name: '$User', holds: 'text', car: 'equals', guessed: true },
  integrity_level: { name: '$IntegrityLevel', holds: 'text', car: 'equals', guessed: true },
  hashes: { name: '$Hashes', holds: 'text', car: 'equals', guessed: true },
  current_working_directory: { name: '$CurrentDirectory', holds: 'text', car: 'equals', guessed: true },
};

/** Regex text matching `value` literally; `bareDots` keeps `.` unescaped, as CAR writes it. */
function regexText(value: string, bareDots = false): string {
  return value.replace(/[\x00-\x7f]/g, (c) => {
    if (/[A-Za-z0-9_ ]/.test(c) || (bareDots && c === '.')) return c;
    if (/[()"'`\x00-\x1f\x7f]/.test(c)) return hexEscape(c);
    return '\\' + c;
  });
}

const isNumber = (v: string) => /^(0|[1-9][0-9]{0,14})$/.test(v);
const isWord = (v: string) => /^[A-Za-z0-9_.-]+$/.test(v);
const exact = (name: string, v: string) => `${name}=regex(^${regexText(v)}$)i`;

function leafTerms(leaf: Extract<Logic, { kind: 'leaf' }>, car: boolean): string[] {
  const f = FIELDS[leaf.field];
  const one = (v: string): string => {
    if (f.holds === 'number' && isNumber(v)) return `${f.name}=${v}`;
    if (car) {
      const name = f.carName ?? f.name;
      if (f.car === 'contains') return `${name}=regex(.*${regexText(v, true)}.*)i`;
      return isWord(v) ? `${name}=${v}` : exact(name, v);
    }
    // The file name is what follows the last separator, or the whole path when there is none.
    if (f.holds === 'path') return `${f.name}=regex(^(.*[\\\\/])?${regexText(v)}$)i`;
    return exact(f.name, v);
  };
  return leaf.values.map(one);
}

function leafText(leaf: Extract<Logic, { kind: 'leaf' }>, car: boolean): string {
  const terms = leafTerms(leaf, car);
  return terms.length === 1 ? terms[0] : `(${terms.join(' OR ')})`;
}

const negated = (n: Logic) => n.kind === 'not' || (n.kind === 'leaf' && n.negated);

/** A node without its negation; `positive(not X)` is X, grouped. */
function positive(n: Logic, car: boolean): string {
  if (n.kind === 'leaf') return leafText({ ...n, negated: false }, car);
  if (n.kind === 'not') return group(n.arg, car);
  return group(n, car);
}

function group(n: Logic, car: boolean): string {
  return n.kind === 'and' || n.kind === 'or' ? `(${print(n, car)})` : print(n, car);
}

/** CAR's conjunction: `A AND B NOT C`, NOT taking the place of AND before a negated term. */
function conjunction(items: Logic[], car: boolean, head: string[] = []): string {
  let text = head.join(' AND ');
  for (const item of items) {
    const body = negated(item) ? positive(item, car) : group(item, car);
    if (text === '') text = negated(item) ? `NOT ${body}` : body;
    else text += negated(item) ? ` NOT ${body}` : ` AND ${body}`;
  }
  return text;
}

function print(n: Logic, car: boolean): string {
  switch (n.kind) {
    case 'and':
      return conjunction(n.args, car);
    case 'or':
      return n.args
        .flatMap((a) => (a.kind === 'leaf' && !a.negated ? leafTerms(a, car) : [negated(a) ? `NOT ${positive(a, car)}` : group(a, car)]))
        .join(' OR ');
    default:
      return negated(n) ? `NOT ${positive(n, car)}` : leafText(n as Extract<Logic, { kind: 'leaf' }>, car);
  }
}

function generate(analytic: Analytic, options?: QueryOptions): GeneratedQuery {
  const opts = resolveOptions(options);
  const car = opts.style === 'car';
  const logic = normalize(analytic.logic);
  const top = logic.kind === 'and' ? logic.args : [logic];
  const where = conjunction(top, car, ['$LogName=WINDOWS-SYSMON', '$EventID=1']);
  const text = `_fetch * from event where ${where} limit ${opts.dnifLimit}`;

  const notes = [
    'DNIF documents neither its query syntax nor its Sysmon field names; both follow MITRE CAR\'s published DNIF ' +
      'queries ($App: the image file name, $ParentProcess: the parent image path, $Process: the command line). Check them on your DNIF.',
    `Returns at most ${opts.dnifLimit} events (limit ${opts.dnifLimit}; ${optionName(opts.optionNames, 'dnifLimit')} changes it); the local hunt reports every match.`,
  ];
  const used = leaves(logic);
  for (const field of new Set(used.map((l) => l.field))) {
    const f = FIELDS[field];
    const name = car ? f.carName ?? f.name : f.name;
    if (f.guessed && name === f.name) notes.push(`${name} for ${field} is a guess: no published DNIF query names that field.`);
    if (car && f.carName) notes.push(`${field} is matched in ${f.carName}, the command line, as CAR does: it matches wherever the text appears there.`);
  }
  // Car style compares differently from the local hunt; precise style's regexes ignore case and are anchored.
  if (car) {
    for (const leaf of used) {
      const f = FIELDS[leaf.field];
      const name = f.carName ?? f.name;
      for (const v of leaf.values) {
        if (f.holds === 'number' && isNumber(v)) continue;
        if (f.car === 'contains') {
          notes.push(
            `${name}=regex(.*${regexText(v, true)}.*)i is a substring match` +
              (v.includes('.') ? ' in which each "." matches any character' : '') +
              `: it also matches longer values that contain ${JSON.stringify(v)}, e.g. ${JSON.stringify('x' + v)}.`,
          );
        } else if (isWord(v)) {
          notes.push(`${name}=${v} is an exact comparison that DNIF does not document as ignoring case; the local hunt ignores case.`);
        }
      }
    }
  }
  notes.push(...valueNotes(logic, (field) => field === 'parent_exe'));
  return { text, notes, noteOptions: ['dnifLimit'] };
}

export const dnifTarget: QueryTarget = { id: 'dnif', label: 'DNIF', product: 'DNIF', languageId: 'dnif', generate, generateRule: dnifRuleQuery };
