/**
 * Pivot search: every event in the files where any field (or one named field) holds a value, case
 * ignored: whole-value equality, or a substring with `contains`. It runs as a hunt whose one rule
 * is the search (rules/search.ts), so it streams, skips on raw text what cannot hold the value,
 * runs on worker threads for large files, reads `.evtx`, and gives positions as a hunt does.
 */
import { HuntResult } from './huntTypes';
import { huntFiles, FilesHuntOptions } from './huntFiles';
import { Match } from './model';
import { compileSources, LoadedRules } from './rules/load';
import { SearchSpec } from './rules/search';

export type { SearchSpec } from './rules/search';
export { SEARCH_RULE_ID } from './rules/search';

/** One event that holds the value. */
export interface SearchHit {
  file: string;
  /** The event, its range and (with a named field) the value's range; `rule` is the search's. */
  match: Match;
  /** The fields that hold the value: EventData names, and Computer, EventRecordID, Provider_Name, Channel, TimeCreated, EventID. */
  fields: string[];
}

export interface SearchOptions extends Omit<FilesHuntOptions, 'rules' | 'onMatch'> {
  /** Called for each event as soon as it is found, in file order. */
  onResult?: (hit: SearchHit) => void;
}

export interface SearchResult {
  /** Per file: its summary (`matches` is the events found) and the stored hits (at most maxStoredMatches). */
  files: { summary: HuntResult['summary']; hits: SearchHit[] }[];
  failures: { file: string; message: string }[];
}

/** The search as rules a hunt runs (and workers compile again). */
export function searchRules(spec: SearchSpec): LoadedRules {
  return compileSources([{ kind: 'search', value: spec.value, field: spec.field, contains: spec.contains }]);
}

/** The fields of an event that hold the value. */
export function fieldsHolding(match: Match, spec: SearchSpec): string[] {
  const wanted = spec.value.toLowerCase();
  const holds = (v: string | undefined) => v !== undefined && (spec.contains ? v.toLowerCase().includes(wanted) : v.toLowerCase() === wanted);
  if (spec.field !== undefined) return [spec.field];
  const e = match.event;
  const fields = Object.keys(e.data).filter((name) => holds(e.data[name]));
  const system: [string, string | undefined][] = [
    ['EventID', e.eventId === undefined ? undefined : String(e.eventId)],
    ['Provider_Name', e.provider],
    ['Channel', e.channel],
    ['Computer', e.computer],
    ['EventRecordID', e.recordId],
    ['TimeCreated', e.time],
  ];
  for (const [name, value] of system) if (holds(value)) fields.push(name);
  return fields;
}

/** Searches `files` for events holding `spec.value`. Cancel with `signal`; progress per file with onFile/onProgress. */
export async function searchFiles(spec: SearchSpec, files: readonly string[], options: SearchOptions = {}): Promise<SearchResult> {
  const { onResult, ...rest } = options;
  let current = '';
  const hunted = await huntFiles(files, {
    lineage: false,
    ...rest,
    rules: searchRules(spec),
    onFile: (file, i, n) => {
      current = file;
      rest.onFile?.(file, i, n);
    },
    onMatch: onResult && ((match) => onResult({ file: current, match, fields: fieldsHolding(match, spec) })),
  });
  return {
    files: hunted.results.map((r) => ({ summary: r.summary, hits: r.matches.map((match) => ({ file: r.summary.file, match, fields: fieldsHolding(match, spec) })) })),
    failures: hunted.failures,
  };
}
