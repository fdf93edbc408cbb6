/** What a user sees of a Sigma rule (RuleInfo), read from the rule's YAML document. */
import { Level, LEVELS, RuleInfo } from '../rule';

/**
 * A rule without a (known) level is `medium`: Sigma's middle level, "relevant, to be reviewed";
 * neither hidden with the noise nor raised as an alert on a guess.
 */
export const DEFAULT_LEVEL: Level = 'medium';

/** ATT&CK tactics as Sigma tags them (enterprise, with ATT&CK's newer stealth and defense-impairment, and ICS). */
const TACTICS = new Set([
  'reconnaissance',
  'resource-development',
  'initial-access',
  'execution',
  'persistence',
  'privilege-escalation',
  'defense-evasion',
  'stealth',
  'defense-impairment',
  'credential-access',
  'discovery',
  'lateral-movement',
  'collection',
  'command-and-control',
  'exfiltration',
  'impact',
  'evasion',
  'inhibit-response-function',
  'impair-process-control',
]);

const TECHNIQUE = /^attack\.(t\d{4}(?:\.\d{3})?)$/i;

/** A YAML value as text: scalars as written, a list joined with commas, a map as JSON. */
export function textOf(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.map((x) => textOf(x) ?? '').join(', ');
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v) ?? '';
}

/**
 * textOf for a rule's fields, nearly always strings; anything else goes to textOf, out of line: V8
 * then leaves its list and JSON cases out of ruleInfo's optimised code, which every rule runs.
 */
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : textOf(v));

/** A scalar or list as texts (a list's nulls left out), in an exactly sized array: every rule keeps its lists. */
function strings(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return [str(v) as string];
  let nulls = 0;
  for (let i = 0; i < v.length; i++) if (v[i] === undefined || v[i] === null) nulls++;
  const texts = new Array<string>(v.length - nulls);
  for (let i = 0, k = 0; i < v.length; i++) if (v[i] !== undefined && v[i] !== null) texts[k++] = str(v[i]) as string;
  return texts;
}

/** The rule's level, or DEFAULT_LEVEL when it has none Sigma knows. */
export function levelOf(v: unknown): Level {
  const l = str(v)?.trim().toLowerCase();
  return (LEVELS as readonly string[]).includes(l ?? '') ? (l as Level) : DEFAULT_LEVEL;
}

/** What a tag says: an ATT&CK technique (upper case) or tactic, or neither (null). */
type TagMeaning = { technique: string } | { tactic: string } | null;

/** Meanings by tag as written: SigmaHQ's 9,033 tags are 476 distinct ones. */
const meanings = new Map<string, TagMeaning>();
/** Bound on the tags kept (a process may load many rule sets). */
const MAX_MEANINGS = 4096;

function meaningOf(tag: string): TagMeaning {
  const known = meanings.get(tag);
  return known !== undefined ? known : learnMeaning(tag);
}

/** A tag not met before (its own function: V8 then optimises ruleInfo without it). */
function learnMeaning(tag: string): TagMeaning {
  let meaning: TagMeaning = null;
  const t = tag.trim().toLowerCase();
  const technique = TECHNIQUE.exec(t);
  if (technique) meaning = { technique: technique[1].toUpperCase() };
  else if (t.startsWith('attack.')) {
    const tactic = t.slice('attack.'.length).replace(/_/g, '-');
    if (TACTICS.has(tactic)) meaning = { tactic };
  }
  if (meanings.size >= MAX_MEANINGS) meanings.clear();
  meanings.set(tag, meaning);
  return meaning;
}

/** RuleInfo of a rule document; `file` is its source. A missing id or title falls back to the file's name. */
export function ruleInfo(doc: Record<string, unknown>, file: string): RuleInfo {
  const tags = strings(doc.tags);
  const attack: string[] = [];
  const tactics: string[] = [];
  // Each technique and tactic once, in the tags' order.
  for (let i = 0; i < tags.length; i++) {
    const meaning = meaningOf(tags[i]);
    if (meaning === null) continue;
    if ('technique' in meaning) {
      if (!attack.includes(meaning.technique)) attack.push(meaning.technique);
    } else if (!tactics.includes(meaning.tactic)) tactics.push(meaning.tactic);
  }
  const id = str(doc.id);
  const title = str(doc.title);
  return {
    id: id ?? fileName(file),
    title: title ?? fileName(file),
    level: levelOf(doc.level),
    kind: 'sigma',
    source: file,
    status: str(doc.status),
    author: str(doc.author),
    description: str(doc.description),
    references: strings(doc.references),
    falsepositives: strings(doc.falsepositives),
    tags,
    // Exactly sized: every rule keeps them.
    attack: attack.slice(),
    tactics: tactics.slice(),
  };
}

function fileName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
