/**
 * Folder hunts: every log under a folder, found by content rather than by name. An `.evtx` opens
 * with `ElfFile\0`; a text log is one the readers detect (XML holding an `<Event>`, JSON naming an
 * EventID key) in its first 64 KiB; anything else is skipped and reported, with the reason.
 */
import { open, readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { refuseBinary, sniffEncoding, UnreadableInputError } from './decode';
import { isEvtxHead } from './evtxScan';
import { detectShape } from './readers/detect';
import { EVENT_ID_KEYS } from './readers/jsonShapes';
import { findEventStart } from './readers/xmlFramer';

const HEAD = 1 << 16;

export interface FolderLogs {
  /** The logs found, in a stable order (paths sorted within each folder, folders depth first). */
  logs: string[];
  /** Files that are not logs, or could not be read, with the reason. */
  skipped: { file: string; reason: string }[];
  /** Files and folders left out by an exclude pattern. */
  excluded: string[];
}

/**
 * A glob as a test of a path relative to the folder (with `/`): `*` and `?` within a name, `**` any
 * depth, `{a,b}` alternatives. A pattern without `/` tests the name at any depth (`*.gz`, `archive`).
 */
export function globMatcher(glob: string): (relative: string) => boolean {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') re += '(?:';
    else if (c === '}') re += ')';
    else if (c === ',' && re.includes('(?:')) re += '|';
    else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  const anyDepth = !glob.includes('/');
  const full = new RegExp(`^${re}$`, process.platform === 'win32' ? 'i' : '');
  return (relative) => full.test(relative) || (anyDepth && relative.split('/').some((part) => full.test(part)));
}

/** Why `file` is not a log, or undefined when it is one. Reads at most its first 64 KiB. */
export async function notALog(file: string): Promise<string | undefined> {
  let head: Buffer;
  try {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(HEAD);
      const { bytesRead } = await handle.read(buffer, 0, HEAD, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (e) {
    return `unreadable: ${(e as Error).message}`;
  }
  if (head.length === 0) return 'empty';
  if (isEvtxHead(head)) return undefined;
  const { encoding, bomLength } = sniffEncoding(head);
  try {
    refuseBinary(head, encoding);
  } catch (e) {
    if (e instanceof UnreadableInputError) return e.message;
    throw e;
  }
  let body = head.subarray(bomLength);
  if (encoding !== 'utf-8') {
    const even = body.subarray(0, body.length & ~1);
    const swapped = encoding === 'utf-16be' ? Buffer.from(even).swap16() : even;
    body = Buffer.from(swapped.toString('utf16le'), 'utf8');
  }
  const detected = detectShape(body, true);
  if (!detected) return 'no events (only white space)';
  const text = body.toString('latin1');
  if (detected.family === 'xml') {
    if (detected.framing === 'unrecognised text' || findEventStart(text, 0) < 0) return 'not a log: no <Event> in its first 64 KiB';
    return undefined;
  }
  if (!EVENT_ID_KEYS.some((key) => text.includes(`"${key}"`))) return 'not a log: JSON without an EventID key in its first 64 KiB';
  return undefined;
}

/** Every log under `dir` (recursively), those matching an `exclude` glob left out, the others that are not logs listed. */
export async function findLogs(dir: string, exclude: readonly string[] = []): Promise<FolderLogs> {
  const excluders = exclude.map(globMatcher);
  const found: FolderLogs = { logs: [], skipped: [], excluded: [] };
  const walk = async (folder: string): Promise<void> => {
    const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      const relative = path.relative(dir, full).split(path.sep).join('/');
      if (excluders.some((test) => test(relative))) {
        found.excluded.push(full);
        continue;
      }
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() || (entry.isSymbolicLink() && (await stat(full).then((s) => s.isFile(), () => false)))) {
        const why = await notALog(full);
        if (why === undefined) found.logs.push(full);
        else found.skipped.push({ file: full, reason: why });
      }
    }
  };
  await walk(dir);
  return found;
}
