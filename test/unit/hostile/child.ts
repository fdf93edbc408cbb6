/**
 * Run by huntInChild (support.ts) as `node child.js FILE OPTIONS_JSON`: hunts FILE and prints one
 * JSON object with the summary, the first warnings, the matches' record ids and the peak RSS.
 * Not a test file; mocha never loads it.
 */
import { CAR_2014_05_002_ONLY } from '../../support/rules';
import { huntFile } from '../../../src/engine/hunt';
import { HuntOptions } from '../../../src/engine/huntTypes';

async function main(): Promise<void> {
  const [file, json] = process.argv.slice(2);
  const { uid, ...options } = JSON.parse(json ?? '{}') as HuntOptions & { uid?: number };
  if (uid !== undefined) {
    // Root reads every file whatever its mode; a real permission check needs another user.
    process.setgroups?.([]);
    process.setgid?.(uid);
    process.setuid?.(uid);
  }
  const out: Record<string, unknown> = {};
  try {
    const result = await huntFile(file, { rules: CAR_2014_05_002_ONLY, ...options, maxStoredMatches: 1000 });
    out.summary = result.summary;
    out.malformed = result.malformed.slice(0, 20);
    out.matchIds = result.matches.map((m) => m.event.recordId);
    out.matchCommandLineLengths = result.matches.map((m) => m.event.fields.command_line?.length ?? -1);
  } catch (err) {
    out.error = { name: (err as Error).name, message: (err as Error).message };
  }
  out.maxRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify(out));
}

void main();
