/**
 * The hunt: bytes from disk, framed into records, read into events, run through the rules, into
 * matches and a summary that says why when nothing was found. The pass itself is in scan.ts.
 */
import { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { changedSince, openTextSource, TextSource, UnreadableInputError } from './decode';
import { isEvtxFile, scanEvtxFile } from './evtxScan';
import { explainEmpty } from './explain';
import { LineageIndex } from './lineage';
import { HuntOptions, HuntResult, HuntSummary } from './huntTypes';
import { Detected } from './readers/detect';
import { builtinRules, LoadedRules } from './rules/load';
import { Scan, scanSource } from './scan';

export { DEFAULT_MAX_STORED, MAX_STORED_MALFORMED, scanSource } from './scan';
export type { Scan } from './scan';

/**
 * Runs a hunt of `file` with lineage when asked (`lineage: true`, or a shared `lineageIndex`): its
 * processes go into the options' shared index (the caller then attaches lineage) or into an index
 * of its own, whose lineage is attached to the stored matches here. Otherwise, and for nested
 * calls (the hunt already reports processes), it just runs: lineage costs a hunt 40-85% more CPU
 * today (README, Lineage and pivot search), so it is not paid unless wanted.
 */
export async function withLineage(file: string, options: HuntOptions, run: (options: HuntOptions) => Promise<HuntResult>, onDisk = true): Promise<HuntResult> {
  const wanted = options.lineage === true || (options.lineageIndex !== undefined && options.lineage !== false);
  if (!wanted || options.onProcess) return run(options);
  const index = options.lineageIndex ?? new LineageIndex(options.maxLineageProcesses, { deferDetails: true });
  index.beginFile(file);
  // A file on disk gives lean notes to an index that reads details back; text in memory cannot be read back.
  const result = await run({ ...options, onProcess: (note) => index.add(note), leanProcesses: onDisk && index.defersDetails });
  if (options.lineageIndex) return result;
  index.attach(result.matches);
  const warning = index.warning();
  if (warning) (result.summary.warnings ??= []).push(warning);
  return result;
}

/** Hunts one log file on disk with the given rules (the built-in CAR library by default). */
export async function huntFile(path: string, options: HuntOptions = {}): Promise<HuntResult> {
  return withLineage(path, options, async (options) => {
    if (await isEvtxFile(path)) return huntEvtxFile(path, options);
    const source = await openTextSource(path, options.chunkSize);
    return withChangeWarning(source, await huntSource(source, path, options));
  });
}

/** Hunts a binary `.evtx` file on the calling thread. */
export async function huntEvtxFile(path: string, options: HuntOptions = {}): Promise<HuntResult> {
  return withLineage(path, options, (options) => huntEvtxOnce(path, options));
}

async function huntEvtxOnce(path: string, options: HuntOptions): Promise<HuntResult> {
  const started = performance.now();
  const before = await stat(path);
  return summarizeEvtx(path, await scanEvtxFile(path, options, before.size), before, started, options);
}

/** An `.evtx` scan's summary (one thread's or the workers' merged), with a warning if the file changed meanwhile. */
export async function summarizeEvtx(path: string, scan: Scan, before: Stats, started: number, options: HuntOptions): Promise<HuntResult> {
  const result = summarize(path, scan, before.size, (performance.now() - started) / 1000, options.rules ?? builtinRules());
  const changed = await changedSince(path, before);
  if (changed) (result.summary.warnings ??= []).push(changed);
  return result;
}

/** Adds the source's warning, if the file changed, was replaced or deleted while it was hunted. */
export async function withChangeWarning(source: TextSource, result: HuntResult): Promise<HuntResult> {
  const changed = await source.changed?.();
  if (changed) (result.summary.warnings ??= []).push(changed);
  return result;
}

/** Hunts text already in memory, such as an unsaved editor; `name` labels it in the summary. */
export async function huntText(text: string, name: string, options: HuntOptions = {}): Promise<HuntResult> {
  return withLineage(name, options, (options) => huntTextOnce(text, name, options), false);
}

async function huntTextOnce(text: string, name: string, options: HuntOptions): Promise<HuntResult> {
  const bytes = Buffer.from(text, 'utf8');
  const chunkSize = options.chunkSize ?? 1 << 20;
  let done = 0;
  async function* chunks(): AsyncGenerator<Buffer> {
    for (; done < bytes.length; done += chunkSize) yield bytes.subarray(done, done + chunkSize);
  }
  const source: TextSource = {
    encoding: 'utf-8',
    bomLength: 0,
    bytesTotal: bytes.length,
    chunks: chunks(),
    bytesRead: () => Math.min(done, bytes.length),
    close: async () => undefined,
  };
  return huntSource(source, name, options);
}

/** Hunts a text source: the loop behind huntFile, huntText and each worker's part of a file. */
export async function huntSource(source: TextSource, file: string, options: HuntOptions = {}): Promise<HuntResult> {
  const started = performance.now();
  const scan = await scanSource(source, options);
  return summarize(file, scan, source.bytesTotal, (performance.now() - started) / 1000, options.rules ?? builtinRules());
}

/** Builds the summary, with the explanation when nothing matched. */
export function summarize(file: string, scan: Scan, bytes: number, seconds: number, rules: LoadedRules): HuntResult {
  const summary: HuntSummary = {
    file,
    format: describeFormat(scan.detected, scan.jsonShape),
    ...scan.counts,
    rules: rules.rules.length,
    matchesByRule: Object.fromEntries([...scan.ruleCounts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))),
    bytes,
    seconds,
  };
  summary.why = explainEmpty(summary, scan.eventIds, rules.rules);
  return { summary, matches: scan.matches, malformed: scan.malformed };
}

function describeFormat(detected: Detected | undefined, jsonShape: string | undefined): string {
  if (!detected) return 'empty';
  const shape = jsonShape ? `, ${jsonShape}` : '';
  return `${detected.family} (${detected.framing}${shape})`;
}

export { UnreadableInputError };
