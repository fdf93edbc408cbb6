/**
 * A hunt over several files: each file hunted as huntFileParallel does (in parallel when large),
 * one lineage index across all of them, so a process launched in one log and acting in another
 * has its lineage; lineage is attached to every stored match once the last file is in.
 */
import { UnreadableInputError } from './decode';
import { HuntResult } from './huntTypes';
import { LineageIndex } from './lineage';
import { huntFileParallel, ParallelOptions } from './parallel';

export interface FilesHuntOptions extends ParallelOptions {
  /** Called as each file starts: its index among `files`. */
  onFile?: (file: string, index: number, total: number) => void;
  /** Called with each file's result as soon as it is done (before lineage, which needs every file). */
  onFileDone?: (result: HuntResult, index: number) => void;
}

export interface FilesHuntResult {
  /** One result per file hunted, in the order given; their matches carry lineage when it is on. */
  results: HuntResult[];
  /** Files that could not be read as logs (missing, binary, unreadable): not hunted. */
  failures: { file: string; message: string }[];
  /** The lineage index's warning when its cap dropped processes. */
  warnings: string[];
  /** The shared index, for lineage of other events (the extension's pivots); undefined when lineage is off. */
  lineage?: LineageIndex;
}

/** Hunts `files` in order with one lineage index across them. Cancellation (signal) rejects as a single hunt does. */
export async function huntFiles(files: readonly string[], options: FilesHuntOptions = {}): Promise<FilesHuntResult> {
  const index = options.lineage === true || options.lineageIndex ? (options.lineageIndex ?? new LineageIndex(options.maxLineageProcesses, { deferDetails: true })) : undefined;
  const out: FilesHuntResult = { results: [], failures: [], warnings: [], lineage: index };
  const { onFile, onFileDone, ...hunt } = options;
  for (let i = 0; i < files.length; i++) {
    options.signal?.throwIfAborted();
    onFile?.(files[i], i, files.length);
    try {
      const result = await huntFileParallel(files[i], { ...hunt, lineageIndex: index });
      out.results.push(result);
      onFileDone?.(result, i);
    } catch (e) {
      if (!(e instanceof UnreadableInputError)) throw e;
      out.failures.push({ file: files[i], message: e.message });
    }
  }
  if (index && !options.lineageIndex) {
    for (const result of out.results) index.attach(result.matches);
    const warning = index.warning();
    if (warning) out.warnings.push(warning);
  }
  return out;
}
