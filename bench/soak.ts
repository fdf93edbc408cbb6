/**
 * Memory soak: hunts one file several times in one process and prints the peak RSS after each
 * pass, to show that memory levels off instead of growing with the bytes hunted.
 *
 * node out/bench/soak.js FILE [PASSES]   (PASSES defaults to 8; use a bench/data log)
 */
import { statSync } from 'fs';
import { huntFile } from '../src/engine/hunt';

async function main(file: string, passes: number): Promise<void> {
  const gb = statSync(file).size / 2 ** 30;
  for (let pass = 1; pass <= passes; pass++) {
    const { summary } = await huntFile(file);
    const peak = process.resourceUsage().maxRSS / 1024; // KiB to MiB
    const heap = process.memoryUsage().heapTotal / 2 ** 20;
    console.log(`after ${(gb * pass).toFixed(1)} GB (${summary.events * pass} events): peak RSS ${peak.toFixed(1)} MB, V8 heap ${heap.toFixed(1)} MB`);
  }
}

const [file, passes = '8'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node out/bench/soak.js FILE [PASSES]');
  process.exit(2);
}
main(file, Number(passes)).catch((err) => {
  console.error(err);
  process.exit(1);
});
