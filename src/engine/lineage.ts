/**
 * Process lineage: while a hunt streams, a compact index of Sysmon process creates (EventID 1) and
 * terminates (EventID 5); after the pass, each match gets its parent, ancestors, children and
 * descendants. ProcessGuid/ParentProcessGuid first; where a GUID is missing or all zeros,
 * ProcessId/ParentProcessId on the same host within the process's lifetime (from its create to
 * the next create reusing the pid, or its terminate).
 *
 * Scans turn records into plain `ProcessNote`s (a worker posts them to the main thread); the
 * index takes them in file order, so a parallel hunt builds the very index one thread builds.
 */
import { RecordAt, RecordReader } from './lineageRead';
import { GuidTable, pidKey, ProcessColumns } from './lineageStore';
import { Lineage, LineageEntry, Match, Position, RecordPlace } from './model';
import { ParsedRecord } from './readers/record';

/** Process creates (and terminates) the index keeps by default; past it, later ones are dropped and a warning says so. */
export const DEFAULT_MAX_LINEAGE_PROCESSES = 250_000;
/** Command lines are kept up to this many characters (then cut, ending in `…`). */
export const MAX_LINEAGE_COMMAND_LINE = 4096;
/** Entries per children / descendants list; ancestors stop at this depth too. */
export const MAX_LINEAGE_LIST = 1000;
/** Read-back of lean processes: wanted text records this close after one another are read in one go, up to SPAN_MAX bytes. */
const SPAN_GAP = 64 * 1024;
const SPAN_MAX = 1024 * 1024;

const SYSMON_PROVIDER = 'microsoft-windows-sysmon';
const SYSMON_CHANNEL = 'microsoft-windows-sysmon/operational';

/** A process create or terminate as a scan reports it: plain data, so workers can post it. */
export interface ProcessNote {
  kind: 'create' | 'exit';
  guid?: string;
  parentGuid?: string;
  pid?: string;
  ppid?: string;
  host?: string;
  image?: string;
  commandLine?: string;
  user?: string;
  /** The record's time (SystemTime, else UtcTime), as shown. */
  time?: string;
  /** When the process started (or ended): UtcTime first, as ms since the epoch; NaN when unknown. */
  at: number;
  recordId?: string;
  /** Where the record starts in a text log. */
  position?: Position;
  /** Where the record is in an `.evtx`. */
  place?: RecordPlace;
  /** Where the record's bytes are in a UTF-8 text log (absolute file offsets). */
  byteOffset?: number;
  byteLength?: number;
  /**
   * A lean note: image, commandLine, user, time and recordId are left out, to be read back from
   * the file at `byteOffset` or `place` for the processes some match's lineage names.
   */
  deferred?: true;
}

/** Where a note's record is, for a hunt that may read it back. */
export interface NoteWhere {
  position?: Position;
  place?: RecordPlace;
  byteOffset?: number;
  byteLength?: number;
}

/** Is this record a Sysmon process create (1) or terminate (5)? */
export function processNoteKind(record: Pick<ParsedRecord, 'eventId' | 'provider' | 'channel'>): ProcessNote['kind'] | undefined {
  if (record.eventId !== 1 && record.eventId !== 5) return undefined;
  const provider = (record.provider ?? '').toLowerCase();
  const channel = (record.channel ?? '').toLowerCase();
  if (provider !== SYSMON_PROVIDER && channel !== SYSMON_CHANNEL) return undefined;
  return record.eventId === 1 ? 'create' : 'exit';
}

/** SystemTime or UtcTime (`2020-10-19 03:30:54.123`) as ms since the epoch; NaN if unreadable. */
export function timeOf(text: string | undefined): number {
  if (text === undefined) return NaN;
  const fast = utcTimeOf(text);
  if (fast !== undefined) return fast;
  const iso = text.includes('T') ? text : text.replace(' ', 'T');
  return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
}

/** The value of the digits t[from..to), or -1 when one is not a digit. */
function digitsAt(t: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = t.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * Sysmon's UtcTime (`2020-10-19 03:30:54.123`) read by its digits: what Date.parse gives for it
 * (which is dearer, and paid for every process create), for fields in range; else undefined.
 */
function utcTimeOf(t: string): number | undefined {
  if (t.length !== 23 || t.charCodeAt(4) !== 0x2d || t.charCodeAt(7) !== 0x2d || t.charCodeAt(10) !== 0x20 || t.charCodeAt(13) !== 0x3a || t.charCodeAt(16) !== 0x3a || t.charCodeAt(19) !== 0x2e) return undefined;
  const year = digitsAt(t, 0, 4);
  const month = digitsAt(t, 5, 7);
  const day = digitsAt(t, 8, 10);
  const hour = digitsAt(t, 11, 13);
  const minute = digitsAt(t, 14, 16);
  const second = digitsAt(t, 17, 19);
  const ms = digitsAt(t, 20, 23);
  // Date.parse's own ranges (a day past the month's end rolls over there as in Date.UTC); years below 100 differ.
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || ms < 0) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/**
 * The note for a Sysmon create or terminate record, or undefined for any other record. `lean`: the
 * record can be read back (`where` has its bytes or place), so the note leaves its details out.
 */
export function processNoteOf(record: ParsedRecord, where: NoteWhere, lean = false): ProcessNote | undefined {
  const kind = processNoteKind(record);
  if (!kind) return undefined;
  const d = record.data;
  // A terminate matters only to the pid fallback, for processes without a GUID (see terminateHasGuid).
  if (kind === 'exit' && guidKey(d.ProcessGuid) !== undefined) return undefined;
  const note = idsNote(kind, timeOf(d.UtcTime ?? record.time), (name) => (name === 'Computer' ? record.computer : d[name]), where);
  if (lean && (where.place !== undefined || where.byteOffset !== undefined)) note.deferred = true;
  else Object.assign(note, detailsOf(record, kind));
  return note;
}

/**
 * The lean note of a Sysmon create or terminate from its fields as `field` reads them (as
 * `data[name] ?? system[name]` would: an `.evtx` record's plan, which decodes only these), for a
 * record at `where` that can be read back. Undefined for any other record.
 */
export function leanNoteOf(head: Pick<ParsedRecord, 'eventId' | 'provider' | 'channel'>, field: (name: string) => string | undefined, where: NoteWhere): ProcessNote | undefined {
  const kind = processNoteKind(head);
  if (!kind) return undefined;
  const guid = field('ProcessGuid');
  if (kind === 'exit' && guidKey(guid) !== undefined) return undefined;
  const utc = field('UtcTime');
  // processNoteOf's `d.UtcTime ?? record.time`, where a record's time is TimeCreated, else UtcTime.
  const note = idsNote(kind, timeOf(utc ?? field('TimeCreated') ?? utc), field, where);
  note.deferred = true;
  return note;
}

/**
 * The note of a create or terminate at `at`, with the ids and host `field` reads (an empty one
 * left out) and where its record is: what every reading of a note shares.
 */
export function idsNote(kind: ProcessNote['kind'], at: number, field: (name: string) => string | undefined, where: NoteWhere): ProcessNote {
  const note: ProcessNote = { kind, at };
  const set = <K extends 'guid' | 'pid' | 'host' | 'parentGuid' | 'ppid'>(key: K, value: string | undefined) => {
    if (value !== undefined && value !== '') note[key] = value;
  };
  set('guid', field('ProcessGuid'));
  set('pid', field('ProcessId'));
  set('host', field('Computer'));
  if (kind === 'create') {
    set('parentGuid', field('ParentProcessGuid'));
    set('ppid', field('ParentProcessId'));
  }
  placeNote(note, where);
  return note;
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * Would the decoded text give this lean note too, though its record was read from the latin1 view
 * of UTF-8 bytes? Yes when every string it took (ids, host, the time) is ASCII.
 */
export function leanNoteIsAscii(record: ParsedRecord, note: ProcessNote | undefined): boolean {
  if (!note?.deferred) return false;
  for (const s of [note.guid, note.parentGuid, note.pid, note.ppid, note.host, record.data.UtcTime ?? record.time]) if (s !== undefined && !ASCII.test(s)) return false;
  return true;
}

/** Puts where the record is into its note. */
function placeNote(note: ProcessNote, where: NoteWhere): void {
  if (where.position) note.position = where.position;
  if (where.place) note.place = where.place;
  if (where.byteOffset !== undefined) {
    note.byteOffset = where.byteOffset;
    note.byteLength = where.byteLength;
  }
}

/** What an entry shows of a process besides its ids: kept in an eager note, read back for a lean one. */
export type ProcessDetails = Pick<ProcessNote, 'image' | 'commandLine' | 'user' | 'time' | 'recordId'>;

function detailsOf(record: ParsedRecord, kind: ProcessNote['kind']): ProcessDetails {
  const d = record.data;
  const out: ProcessDetails = {};
  const set = <K extends keyof ProcessDetails>(key: K, value: string | undefined) => {
    if (value !== undefined && value !== '') out[key] = value;
  };
  set('time', record.time ?? d.UtcTime);
  set('recordId', record.recordId);
  if (kind === 'create') {
    set('image', d.Image);
    set('commandLine', d.CommandLine);
    set('user', d.User);
  }
  return out;
}

const NONZERO = /[1-9a-f]/;

const TERMINATE_GUID = /(?:ProcessGuid|entity_id)[^0-9A-Za-z{]{0,4}\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})/i;

/**
 * Does a terminate's raw text name its process by a GUID (not all zeros)? Then lineage does not
 * need it: terminates bound the lifetimes the ProcessId fallback follows, for processes without
 * one. The fast path skips such records unread; processNoteOf drops the same ones after a parse.
 */
export function terminateHasGuid(raw: string): boolean {
  const m = TERMINATE_GUID.exec(raw);
  return m !== null && NONZERO.test(m[1].toLowerCase());
}

/** A GUID that names a process: present, and not all zeros. Lower case, so any shape compares the same. */
export function guidKey(guid: string | undefined): string | undefined {
  if (guid === undefined) return undefined;
  const key = guid.trim().toLowerCase();
  return NONZERO.test(key) ? key : undefined;
}

/** What lineage knows of a match's own process, when its create is not in the index. */
interface Probe {
  seq: number;
  guid?: string;
  parentGuid?: string;
  pid?: string;
  ppid?: string;
  /** The host's id in the index (0: none); -1: a host no indexed process has. */
  host: number;
  at: number;
}

/** A string that holds no part of a larger one (V8 keeps the parent of a slice alive). */
function flat(s: string): string {
  // A concatenation is flattened into a new string when sliced: nothing of the record's text is kept.
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/**
 * The lineage index of one hunt, over one or several files. `beginFile` names the file the next
 * notes come from; `add` takes notes in file order; `lineageOf` answers once every file is in.
 * Processes are columns (lineageStore.ts), found by their index.
 */
export class LineageIndex {
  private readonly procs = new ProcessColumns();
  private readonly files: string[] = [];
  private readonly strings = new Map<string, string>();
  private readonly byGuid = new GuidTable(this.procs.guid);
  /** Host names (lower case) by id; id 0 is no host. */
  private readonly hosts: (string | undefined)[] = [undefined];
  private readonly hostIds = new Map<string, number>();
  /** (host, pid) -> creates (indices) in seq order; made on the first lookup by pid (most processes have GUIDs). */
  private pids?: Map<number | string, number[]>;
  /** Host ids by the host as given (logs hold few hosts), so a note's host is not lower-cased again. */
  private readonly givenHosts = new Map<string, number>();
  /** (host, pid) -> terminate times. */
  private readonly exits = new Map<number | string, number[]>();
  private children?: Map<number, number[]>;
  /** Details of eager (not deferred) processes, by index. */
  private readonly eager = new Map<number, ProcessDetails>();
  private seq = 0;
  private kept = 0;
  /** Notes dropped past the cap. */
  dropped = 0;
  private mark?: Int32Array;
  private stamp = 0;
  /** Entries made so far, by index. */
  private readonly entries = new Map<number, LineageEntry>();
  /** Details read back for lean entries, by index. */
  private readonly details = new Map<number, ProcessDetails>();
  private reader?: RecordReader;

  /**
   * `deferDetails`: a hunt of files on disk may give lean notes (ids and places only); the details
   * of the processes some lineage names are then read back from the files (lineageRead.ts). Off,
   * every note keeps its details (the extension's index, which answers lineageOf at any time later).
   */
  constructor(
    readonly maxProcesses = DEFAULT_MAX_LINEAGE_PROCESSES,
    options: { deferDetails?: boolean } = {},
  ) {
    this.defersDetails = options.deferDetails === true;
  }

  readonly defersDetails: boolean;

  /** The processes indexed so far. */
  get size(): number {
    return this.procs.count;
  }

  /** The notes that follow come from `file`. */
  beginFile(file: string): void {
    this.files.push(file);
  }

  private intern(s: string | undefined, max = Infinity): string | undefined {
    if (s === undefined) return undefined;
    const cut = s.length > max ? `${s.slice(0, max - 1)}…` : s;
    let kept = this.strings.get(cut);
    if (kept === undefined) {
      kept = flat(cut);
      this.strings.set(kept, kept);
    }
    return kept;
  }

  add(note: ProcessNote): void {
    const seq = this.seq++;
    if (this.kept >= this.maxProcesses) {
      this.dropped++;
      return;
    }
    this.kept++;
    this.children = undefined;
    this.pids = undefined;
    const host = this.hostOf(note.host);
    if (note.kind === 'exit') {
      const key = note.pid === undefined ? undefined : pidKey(host, note.pid);
      if (key !== undefined && !Number.isNaN(note.at)) {
        const list = this.exits.get(key);
        if (list) list.push(note.at);
        else this.exits.set(key, [note.at]);
      }
      return;
    }
    const p = this.procs;
    const i = p.push();
    p.seq[i] = seq;
    p.at[i] = note.at;
    p.file[i] = this.files.length - 1;
    p.host[i] = host;
    p.guid.setGiven(i, note.guid, guidKey);
    p.parentGuid.setGiven(i, note.parentGuid, guidKey);
    p.pid.set(i, note.pid);
    p.ppid.set(i, note.ppid);
    p.line[i] = note.position?.line ?? NaN;
    p.column[i] = note.position?.column ?? NaN;
    p.chunk[i] = note.place?.chunk ?? NaN;
    p.offset[i] = note.place?.offset ?? NaN;
    p.byteOffset[i] = note.byteOffset ?? NaN;
    p.byteLength[i] = note.byteLength ?? NaN;
    p.deferred[i] = note.deferred === true ? 1 : 0;
    if (note.deferred !== true) {
      const d: ProcessDetails = {};
      if (note.image !== undefined) d.image = this.intern(note.image);
      if (note.commandLine !== undefined) d.commandLine = this.intern(note.commandLine, MAX_LINEAGE_COMMAND_LINE);
      if (note.user !== undefined) d.user = this.intern(note.user);
      if (note.time !== undefined) d.time = flat(note.time);
      if (note.recordId !== undefined) d.recordId = flat(note.recordId);
      this.eager.set(i, d);
    }
    // The first create of a GUID names it (a log hunted twice over gives the same process again).
    this.byGuid.addFirst(i);
  }

  /** The id of a host as given (0: none), made on first sight. */
  private hostOf(given: string | undefined): number {
    if (given === undefined) return 0;
    let id = this.givenHosts.get(given);
    if (id === undefined) {
      const name = given.toLowerCase();
      id = this.hostIds.get(name);
      if (id === undefined) {
        id = this.hosts.push(this.intern(name)) - 1;
        this.hostIds.set(this.hosts[id]!, id);
      }
      this.givenHosts.set(flat(given), id);
    }
    return id;
  }

  /** The id of a host (lower case) a match names: 0 for none or '' (as the index keys it), -1 when no indexed process has it. */
  private hostIdOf(host: string | undefined): number {
    if (host === undefined || host === '') return 0;
    return this.hostIds.get(host) ?? -1;
  }

  /** (host, pid) -> creates, in seq order. */
  private byPid(): Map<number | string, number[]> {
    if (this.pids) return this.pids;
    const pids = new Map<number | string, number[]>();
    const p = this.procs;
    for (let i = 0; i < p.count; i++) {
      const key = p.pid.keyAt(p.host[i], i);
      if (key === undefined) continue;
      const list = pids.get(key);
      if (list) list.push(i);
      else pids.set(key, [i]);
    }
    return (this.pids = pids);
  }

  /** A warning for the summary when the cap dropped processes, else undefined. */
  warning(): string | undefined {
    if (this.dropped === 0) return undefined;
    return `lineage: the process index is full (${this.maxProcesses} processes); ${this.dropped} later process create(s)/terminate(s) were not indexed, so lineage after them is incomplete`;
  }

  /** Is (aAt, aSeq) before (bAt, bSeq): by time when both have one, else by the order the index saw them. */
  private static before(aAt: number, aSeq: number, bAt: number, bSeq: number): boolean {
    if (!Number.isNaN(aAt) && !Number.isNaN(bAt) && aAt !== bAt) return aAt < bAt;
    return aSeq < bSeq;
  }

  /** The create of the process with a pid (its key) on a host alive at `when`: the last create before it, unless it exited in between. */
  private alive(key: number | string, whenAt: number, whenSeq: number): number | undefined {
    const list = this.byPid().get(key);
    if (!list) return undefined;
    const { at, seq } = this.procs;
    let best: number | undefined;
    for (const i of list) {
      if (LineageIndex.before(at[i], seq[i], whenAt, whenSeq) && (best === undefined || LineageIndex.before(at[best], seq[best], at[i], seq[i]))) best = i;
    }
    if (best === undefined) return undefined;
    const born = at[best];
    const exits = this.exits.get(key);
    if (exits && !Number.isNaN(born) && !Number.isNaN(whenAt) && exits.some((t) => t >= born && t < whenAt)) return undefined;
    return best;
  }

  /** The parent of indexed process i. */
  private parentOf(i: number): number | undefined {
    const p = this.procs;
    if (p.parentGuid.has(i)) return this.byGuid.findFrom(p.parentGuid, i);
    const key = p.ppid.keyAt(p.host[i], i);
    return key === undefined ? undefined : this.alive(key, p.at[i], p.seq[i]);
  }

  /** The parent of a match's process that is not indexed. */
  private parentOfProbe(probe: Probe): number | undefined {
    if (probe.parentGuid !== undefined) return this.byGuid.find(probe.parentGuid);
    if (probe.ppid === undefined || probe.host < 0) return undefined;
    return this.alive(pidKey(probe.host, probe.ppid), probe.at, probe.seq);
  }

  private childMap(): Map<number, number[]> {
    if (this.children) return this.children;
    const children = new Map<number, number[]>();
    for (let i = 0; i < this.procs.count; i++) {
      const parent = this.parentOf(i);
      if (parent === undefined || parent === i) continue;
      const list = children.get(parent);
      if (list) list.push(i);
      else children.set(parent, [i]);
    }
    return (this.children = children);
  }

  /** A lean entry's details, read back from its file once; `{}` when the record is no longer there. */
  private detailsOf(i: number): ProcessDetails {
    let d = this.details.get(i);
    if (d) return d;
    const p = this.procs;
    const at: RecordAt = !Number.isNaN(p.offset[i]) ? { evtxOffset: p.offset[i] } : { byteOffset: p.byteOffset[i], byteLength: p.byteLength[i] };
    const reader = this.reader ?? new RecordReader();
    try {
      const record = reader.read(this.files[p.file[i]], at);
      // The same process, or the file changed since the hunt: then nothing rather than another's.
      const same = record !== undefined && processNoteKind(record) === 'create' && guidKey(record.data.ProcessGuid) === p.guid.get(i) && (record.data.ProcessId || undefined) === p.pid.get(i);
      d = same ? detailsOf(record, 'create') : {};
      if (d.commandLine !== undefined && d.commandLine.length > MAX_LINEAGE_COMMAND_LINE) d.commandLine = `${d.commandLine.slice(0, MAX_LINEAGE_COMMAND_LINE - 1)}…`;
    } finally {
      if (!this.reader) reader.close();
    }
    this.details.set(i, d);
    return d;
  }

  /**
   * Reads ahead the text records order[k] and those after it in the same file that start within
   * SPAN_GAP of the one before, up to SPAN_MAX bytes in all; gives the end of what was read (or of
   * order[k] alone, when nothing follows closely: it is then read by itself).
   */
  private readSpan(reader: RecordReader, order: readonly number[], k: number): number {
    const p = this.procs;
    const first = order[k];
    const start = p.byteOffset[first];
    let end = start + p.byteLength[first];
    let n = 1;
    for (let j = k + 1; j < order.length; j++) {
      const i = order[j];
      if (p.file[i] !== p.file[first] || !Number.isNaN(p.offset[i])) break;
      const next = p.byteOffset[i];
      const nextEnd = next + p.byteLength[i];
      if (next - end > SPAN_GAP || nextEnd - start > SPAN_MAX) break;
      end = Math.max(end, nextEnd);
      n++;
    }
    if (n > 1) reader.readSpan(this.files[p.file[first]], start, end);
    return end;
  }

  /** A process's entry, made once: lineages that name the same process share it (read-only). */
  private entry(i: number): LineageEntry {
    let e = this.entries.get(i);
    if (!e) this.entries.set(i, (e = this.makeEntry(i)));
    return e;
  }

  private makeEntry(i: number): LineageEntry {
    const p = this.procs;
    const d: ProcessDetails = p.deferred[i] === 1 ? this.detailsOf(i) : (this.eager.get(i) ?? {});
    const e: LineageEntry = {
      processGuid: p.guid.get(i) ?? null,
      processId: p.pid.get(i) ?? null,
      image: d.image ?? null,
      commandLine: d.commandLine ?? null,
      time: d.time ?? null,
      user: d.user ?? null,
      host: this.hosts[p.host[i]] ?? null,
      file: this.files[p.file[i]],
      recordId: d.recordId ?? null,
    };
    if (!Number.isNaN(p.line[i])) e.position = { line: p.line[i], column: p.column[i] };
    if (!Number.isNaN(p.chunk[i])) e.place = { chunk: p.chunk[i], offset: p.offset[i] };
    return e;
  }

  /** The index of the create a match's event belongs to (the event itself for a process create). */
  private own(match: Match, probe: Probe): number | undefined {
    if (probe.guid !== undefined) return this.byGuid.find(probe.guid);
    if (probe.pid === undefined || probe.host < 0) return undefined;
    // Without a GUID: the create of that pid alive at the event's time (the event itself, for a create).
    const i = this.alive(pidKey(probe.host, probe.pid), probe.at, Infinity);
    return i !== undefined && match.event.eventId === 1 && this.procs.at[i] !== probe.at ? undefined : i;
  }

  /** The lineage of a match's process, from every note added so far. */
  lineageOf(match: Match): Lineage {
    return this.lineageFrom(this.familyOf(match));
  }

  /** A match's lineage as indices: what lineageOf turns into entries. */
  private familyOf(match: Match): Family {
    const e = match.event;
    const d = e.data;
    const create = e.eventId === 1;
    const probe: Probe = {
      seq: Infinity,
      guid: guidKey(d.ProcessGuid ?? d.SourceProcessGuid),
      parentGuid: create ? guidKey(d.ParentProcessGuid) : undefined,
      pid: d.ProcessId ?? d.SourceProcessId,
      ppid: create ? d.ParentProcessId : undefined,
      host: this.hostIdOf(e.computer?.toLowerCase()),
      at: timeOf(create ? d.UtcTime ?? e.time : e.time ?? d.UtcTime),
    };
    const self = this.own(match, probe);
    const family: Family = { ancestors: [], children: [], descendants: [], truncated: false };
    if (self !== undefined && !create) family.process = self;
    // Walks mark the processes they met with a stamp of their own (no set per walk: a hunt's
    // matches can name a hundred thousand entries).
    const mark = this.marks();
    // Up: from the process's own create when indexed, else from what the event says.
    const seen = ++this.stamp;
    if (self !== undefined) mark[self] = seen;
    let up = self === undefined ? this.parentOfProbe(probe) : this.parentOf(self);
    while (up !== undefined && mark[up] !== seen && family.ancestors.length < MAX_LINEAGE_LIST) {
      mark[up] = seen;
      family.ancestors.push(up);
      up = this.parentOf(up);
    }
    if (self === undefined) return family;
    // Down: children in the order they were logged, then every descendant breadth first.
    const children = this.childMap();
    const direct = children.get(self) ?? [];
    family.children = direct.slice(0, MAX_LINEAGE_LIST);
    // Each process is in one children list, so the queue holds each at most once: once it holds one
    // more than the list takes, the rest would change nothing but make `truncated` true, as it is.
    const queue = direct.slice(0, MAX_LINEAGE_LIST + 1);
    const below = ++this.stamp;
    mark[self] = below;
    for (let q = 0; q < queue.length && family.descendants.length < MAX_LINEAGE_LIST; q++) {
      const i = queue[q];
      if (mark[i] === below) continue;
      mark[i] = below;
      family.descendants.push(i);
      const next = children.get(i);
      if (next) for (let k = 0; k < next.length && queue.length <= MAX_LINEAGE_LIST; k++) if (mark[next[k]] !== below) queue.push(next[k]);
    }
    family.truncated = direct.length > MAX_LINEAGE_LIST || queue.some((i) => mark[i] !== below);
    return family;
  }

  /** One stamp per process, for the walks of familyOf. */
  private marks(): Int32Array {
    if (!this.mark || this.mark.length < this.procs.count) {
      this.mark = new Int32Array(this.procs.count);
      this.stamp = 0;
    }
    return this.mark;
  }

  private lineageFrom(family: Family): Lineage {
    const entry = (i: number) => this.entry(i);
    const ancestors = family.ancestors.map(entry);
    const lineage: Lineage = { parent: ancestors[0] ?? null, ancestors, children: family.children.map(entry), descendants: family.descendants.map(entry) };
    if (family.process !== undefined) lineage.process = this.entry(family.process);
    if (family.truncated) lineage.truncated = true;
    return lineage;
  }

  /**
   * Gives each match its lineage. The details of the lean processes they name are read back first,
   * in file order (an `.evtx` chunk is read once for all its processes), with the files kept open.
   */
  attach(matches: Iterable<Match>): void {
    const list = [...matches];
    const families = list.map((m) => this.familyOf(m));
    const p = this.procs;
    const wanted = new Set<number>();
    const want = (i: number) => {
      if (p.deferred[i] === 1 && !this.details.has(i)) wanted.add(i);
    };
    for (const f of families) {
      f.ancestors.forEach(want);
      f.children.forEach(want);
      f.descendants.forEach(want);
      if (f.process !== undefined) want(f.process);
    }
    const where = (i: number) => (Number.isNaN(p.offset[i]) ? p.byteOffset[i] : p.offset[i]);
    const order = [...wanted].sort((a, b) => p.file[a] - p.file[b] || where(a) - where(b));
    const reader = (this.reader ??= new RecordReader());
    try {
      let spanFile = -1;
      let spanEnd = -1;
      for (let k = 0; k < order.length; k++) {
        const i = order[k];
        // A text record: read it with the wanted ones that follow it closely, in one read.
        if (Number.isNaN(p.offset[i]) && (p.file[i] !== spanFile || p.byteOffset[i] >= spanEnd)) {
          spanFile = p.file[i];
          spanEnd = this.readSpan(reader, order, k);
        }
        this.detailsOf(i);
      }
    } finally {
      reader.close();
      this.reader = undefined;
    }
    list.forEach((m, k) => (m.lineage = this.lineageFrom(families[k])));
  }
}

/** A match's lineage as indices into the index's processes. */
interface Family {
  process?: number;
  ancestors: number[];
  children: number[];
  descendants: number[];
  truncated: boolean;
}

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML text with its five entities and character references replaced; undefined for anything else. */
export function xmlText(raw: string): string | undefined {
  if (raw.includes('\r')) return undefined; // line ends: the parser's business
  if (!raw.includes('&')) return raw;
  let bad = false;
  const text = raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);|&/g, (all, name: string | undefined) => {
    if (name === undefined) return ((bad = true), all);
    if (name.startsWith('#')) {
      const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      if (!(code > 0 && code <= 0x10ffff)) return ((bad = true), all);
      return String.fromCodePoint(code);
    }
    const entity = XML_ENTITIES[name];
    if (entity === undefined) bad = true;
    return entity ?? all;
  });
  return bad ? undefined : text;
}

const SYSTEM_PARTS = {
  computer: /<Computer>([^<]*)<\/Computer>/,
  recordId: /<EventRecordID>([^<]*)<\/EventRecordID>/,
  channel: /<Channel>([^<]*)<\/Channel>/,
  provider: /<Provider\s[^>]*?\bName\s*=\s*(?:"([^"]*)"|'([^']*)')/,
  time: /<TimeCreated\s[^>]*?\bSystemTime\s*=\s*(?:"([^"]*)"|'([^']*)')/,
} as const;
/**
 * EventData as the quick reading takes it, right after `</System>`: Data elements with plain text,
 * `<Data Name="word">` (or empty, `/>`) or unnamed `<Data>`, and white space; nothing else (sax
 * would also read `<\rData`, or an `<Image>` element, as fields).
 */
const PLAIN_EVENT_DATA = /\s*<EventData>(?:\s*<Data(?: Name=(?:"\w+"|'\w+')\s*(?:\/>|>[^<]*<\/Data>)|>[^<]*<\/Data>))*\s*<\/EventData>/y;
/** The Data elements lineage reads, captured. */
const DATA = /<Data Name=(?:"(UtcTime|ProcessGuid|ProcessId|ParentProcessGuid|ParentProcessId|Image|CommandLine|User)"|'(UtcTime|ProcessGuid|ProcessId|ParentProcessGuid|ParentProcessId|Image|CommandLine|User)')\s*(?:\/>|>([^<]*)<\/Data>)/g;

/**
 * The fields lineage needs from an XML record's raw text, without the parser: for the Sysmon
 * creates and terminates no rule wants, which the fast path would otherwise skip unread. Undefined
 * when the text is anything but plain (a repeated field, CDATA, a comment, an unknown entity, a CR,
 * EventData holding anything but Data elements): the caller then parses it. Values are the
 * parser's (test/unit/lineageQuickRecord.test.ts compares them).
 */
export function quickXmlProcessRecord(record: string, eventId: number): ParsedRecord | undefined {
  if (record.includes('<!') || record.includes('<?') || record.includes('<UserData')) return undefined;
  const systemEnd = record.indexOf('</System>');
  if (systemEnd < 0) return undefined;
  PLAIN_EVENT_DATA.lastIndex = systemEnd + 9;
  if (!PLAIN_EVENT_DATA.test(record)) return undefined;
  // One EventData, and no Data outside it.
  const dataEnd = PLAIN_EVENT_DATA.lastIndex;
  if (record.includes('<EventData', dataEnd) || record.includes('<Data', dataEnd)) return undefined;
  const data: Record<string, string> = {};
  DATA.lastIndex = systemEnd;
  for (let m = DATA.exec(record); m; m = DATA.exec(record)) {
    const name = m[1] ?? m[2];
    if (Object.hasOwn(data, name)) return undefined;
    const value = m[3] === undefined ? '' : xmlText(m[3]);
    if (value === undefined) return undefined;
    data[name] = value;
  }
  for (const name in data) if (data[name] === '') delete data[name];
  const system = record.slice(0, systemEnd);
  // null: no such element; undefined: one written otherwise (`<\tChannel>`, a child element in it), the parser's.
  const part = (re: RegExp, name: string): string | undefined | null => {
    const m = re.exec(system);
    if (!m) return system.includes(name) ? undefined : null;
    return xmlText(m[1] ?? m[2] ?? '');
  };
  const computer = part(SYSTEM_PARTS.computer, 'Computer');
  const recordId = part(SYSTEM_PARTS.recordId, 'EventRecordID');
  const channel = part(SYSTEM_PARTS.channel, 'Channel');
  const provider = part(SYSTEM_PARTS.provider, 'Provider');
  const time = part(SYSTEM_PARTS.time, 'TimeCreated');
  if (computer === undefined || recordId === undefined || channel === undefined || provider === undefined || time === undefined) return undefined;
  const some = (s: string | null) => (s === null || s === '' ? undefined : s);
  return {
    eventId,
    provider: some(provider),
    channel: some(channel),
    recordId: some(recordId),
    time: time ?? data.UtcTime,
    computer: some(computer),
    data,
    system: {},
    locate: () => undefined,
  };
}
