/** Helpers for the hostile-input tests: temp files, big streamed files, and hunts in a child process. */
import { CAR_2014_05_002_ONLY } from '../../support/rules';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { huntFile } from '../../../src/engine/hunt';
import { HuntOptions, HuntResult } from '../../../src/engine/huntTypes';

/** A fresh temp folder, removed after the enclosing describe. Call inside a describe body. */
export function tempDir(prefix: string): () => string {
  let dir: string | undefined;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), `log-hunt-${prefix}-`));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return () => dir!;
}

/** Writes `content` to `dir/name` and hunts it; warnings are collected as they arrive. */
export async function huntContent(
  dir: string,
  name: string,
  content: string | Buffer,
  options: HuntOptions = {},
): Promise<HuntResult> {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return huntFile(file, { rules: CAR_2014_05_002_ONLY, ...options });
}

/** One process create in the wevtutil shape; `cmd.exe` under `services.exe` is a CAR-2014-05-002 match. */
export function xmlProcess(record: number, image: string, parent: string, commandLine = 'x'): string {
  return (
    `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon'/>` +
    `<EventID>1</EventID><EventRecordID>${record}</EventRecordID><Channel>Microsoft-Windows-Sysmon/Operational</Channel>` +
    `<Computer>HOST</Computer></System><EventData><Data Name='Image'>${image}</Data><Data Name='ParentImage'>${parent}</Data>` +
    `<Data Name='CommandLine'>${commandLine}</Data></EventData></Event>`
  );
}

export const CMD = 'C:\\Windows\\System32\\cmd.exe';
export const SERVICES = 'C:\\Windows\\System32\\services.exe';
export const EXPLORER = 'C:\\Windows\\explorer.exe';

/** An XML match and a benign process create, with record ids. */
export const xmlMatch = (record: number, commandLine?: string) => xmlProcess(record, CMD, SERVICES, commandLine);
export const xmlBenign = (record: number) => xmlProcess(record, CMD, EXPLORER);

/** The same records as flat JSON lines (nxlog / OTRF shape). */
export function jsonProcess(record: number, image: string, parent: string, commandLine = 'x'): string {
  return JSON.stringify({
    SourceName: 'Microsoft-Windows-Sysmon',
    Channel: 'Microsoft-Windows-Sysmon/Operational',
    EventID: 1,
    RecordNumber: record,
    Hostname: 'HOST',
    Image: image,
    ParentImage: parent,
    CommandLine: commandLine,
  });
}
export const jsonMatch = (record: number, commandLine?: string) => jsonProcess(record, CMD, SERVICES, commandLine);
export const jsonBenign = (record: number) => jsonProcess(record, CMD, EXPLORER);

/** Record ids of the stored matches, in order. */
export const matchedIds = (result: HuntResult) => result.matches.map((m) => m.event.recordId);

/** Malformed entries as `line:column message`, for compact assertions. */
export const warnings = (result: HuntResult) =>
  result.malformed.map((m) => `${m.position.line}:${m.position.column} ${m.message}`);

/**
 * Streams `head`, then `block` `times` times, then `tail` to `file`, waiting on 'drain', so a
 * gigabyte never sits in memory. Returns the bytes written.
 */
export async function writeStreamed(file: string, head: string, block: string | Buffer, times: number, tail: string): Promise<number> {
  const out = createWriteStream(file, { highWaterMark: 1 << 22 });
  const chunk = typeof block === 'string' ? Buffer.from(block) : block;
  let bytes = 0;
  const write = async (b: Buffer) => {
    bytes += b.length;
    if (!out.write(b)) await once(out, 'drain');
  };
  await write(Buffer.from(head));
  for (let i = 0; i < times; i++) await write(chunk);
  await write(Buffer.from(tail));
  out.end();
  await finished(out);
  return bytes;
}

/** What a hunt in a child process reports: the summary, a few warnings, counts, and its peak memory. */
export interface ChildHunt {
  summary?: HuntResult['summary'];
  malformed?: HuntResult['malformed'];
  matchIds?: (string | undefined)[];
  matchCommandLineLengths?: number[];
  error?: { name: string; message: string };
  /** Peak resident set size of the child, in MiB. */
  maxRssMiB: number;
}

/**
 * Hunts `file` in a fresh Node process, so its peak memory (maxRSS) is the hunt's alone and a
 * runaway allocation cannot take the test runner down. `uid` drops privileges first (root only).
 */
export function huntInChild(file: string, options: { mode?: 'fast' | 'plain'; maxRecordBytes?: number; uid?: number } = {}): ChildHunt {
  const result = spawnSync(process.execPath, [path.join(__dirname, 'child.js'), file, JSON.stringify(options)], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  assert.equal(result.status, 0, `child hunt failed (${result.status} ${result.signal}): ${result.stderr}`);
  return JSON.parse(result.stdout) as ChildHunt;
}

export const MiB = 1 << 20;
