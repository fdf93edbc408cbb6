/**
 * Takes back, under their Sysmon names, the fields Winlogbeat's Sysmon ingest pipeline moved out
 * of winlog.event_data (the table is ecsFields.ts; docs/ecs-fields.md says what cannot come back).
 */
import { ECS_ANY_EVENT, ECS_BY_EVENT_ID, EcsSource } from './ecsFields';
import { at, Fields, Json, str } from './jsonFields';
import { JsonPath } from './jsonLocate';
import type { Meta } from './jsonRecord';

/** Is this a Sysmon event (the table is the Sysmon module's; other modules move other fields)? */
function isSysmon(meta: Meta): boolean {
  return /sysmon/i.test(meta.provider ?? '') || /sysmon/i.test(meta.channel ?? '');
}

/** `registry.data.strings.0` as a path; digits step into arrays. */
function ecsPath(dotted: string): JsonPath {
  return dotted.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));
}

/** One ECS_BY_EVENT_ID entry, its paths split once. */
interface EcsMove {
  name: string;
  path: JsonPath;
  base: JsonPath;
  key: string | number;
  /** User: the path of the domain, joined before `path` with a `\`. */
  joinFirst?: JsonPath;
  onlyIf?: { path: JsonPath; values: readonly string[] };
  /** A rename inside event_data (TargetProcessGUID): the pipeline's name, not this event's. */
  drop?: string;
}

/** An entry of the table as paths: split once, not per record. */
function compileMove(name: string, source: EcsSource): EcsMove {
  const dotted = typeof source === 'string' ? source : 'join' in source ? source.join[1] : source.path;
  const path = ecsPath(dotted);
  const move: EcsMove = { name, path, base: path.slice(0, -1), key: path[path.length - 1] };
  if (typeof source !== 'string' && 'join' in source) move.joinFirst = ecsPath(source.join[0]);
  if (typeof source !== 'string' && 'onlyIf' in source) move.onlyIf = { path: ecsPath(source.onlyIf.path), values: source.onlyIf.values };
  if (dotted.startsWith('winlog.event_data.')) move.drop = move.key as string;
  return move;
}

const ecsMoves = new Map<number | undefined, EcsMove[]>();

/** The moves that apply to an EventID, compiled on first use. */
function movesFor(eventId: number | undefined): EcsMove[] {
  let moves = ecsMoves.get(eventId);
  if (!moves) {
    const table = { ...ECS_ANY_EVENT, ...(eventId === undefined ? undefined : ECS_BY_EVENT_ID[eventId]) };
    ecsMoves.set(eventId, (moves = Object.entries(table).map(([name, source]) => compileMove(name, source))));
  }
  return moves;
}

/** The Sysmon fields the ECS ingest pipeline moved out of event_data, back under their names. */
export function recoverEcs(out: Fields, obj: Json, meta: Meta): void {
  if (!isSysmon(meta)) return;
  for (const move of movesFor(meta.eventId)) {
    if (out.values[move.name] !== undefined) continue;
    if (move.onlyIf && !move.onlyIf.values.includes(str(at(obj, move.onlyIf.path)) as string)) continue;
    if (move.joinFirst) {
      const first = str(at(obj, move.joinFirst));
      const second = str(at(obj, move.path));
      if (first !== undefined && second !== undefined) out.putBuilt(move.name, `${first}\\${second}`, move.path);
      continue;
    }
    out.put(move.name, at(obj, move.path), move.base, move.key);
    if (move.drop && out.values[move.name] !== undefined) out.delete(move.drop);
  }
}

