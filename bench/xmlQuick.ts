/**
 * A/B of the quick XML reader (src/engine/readers/xmlQuick.ts): the same hunts with it on and off,
 * interleaved in one process, in CPU time (the machine is shared, so wall time says little).
 * Off means its export answers undefined, so every record goes to SAX as before.
 *
 *   node out/bench/xmlQuick.js [--rounds 3] [files...]
 *
 * Loads every rule of ../shared/sigma/rules/windows with the CAR library once, and CAR-2014-05-002
 * alone, then per round and file hunts on one thread with each rule set, quick reader on and off
 * (the order alternates by round). The first round warms the JIT; look at the later ones.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { huntFile } from '../src/engine/hunt';
import * as quick from '../src/engine/readers/xmlQuick';
import { loadRules } from '../src/engine/rules/load';

const argv = process.argv.slice(2);
const at = argv.indexOf('--rounds');
const ROUNDS = at >= 0 ? Number(argv[at + 1]) : 3;
const given = argv.filter((a, i) => !a.startsWith('--') && (at < 0 || i !== at + 1));
const ROOT = path.resolve(__dirname, '..', '..');
const files = given.length > 0 ? given : ['sysmon-wevtutil-20mb-seed1-every1000-g1.xml', 'sysmon-wevtutil-incident-20mb-seed1-every1000-g1.xml'].map((f) => path.join(ROOT, 'bench', 'data', f));

/** The module's export, swapped for the off runs (the engine calls it through the module object). */
const reader: { quickXmlRecord: typeof quick.quickXmlRecord } = quick;
const real = reader.quickXmlRecord;

async function main(): Promise<void> {
  const all = await loadRules({ paths: [path.join(ROOT, '..', 'shared', 'sigma', 'rules', 'windows')] });
  const car = await loadRules({ ids: ['CAR-2014-05-002'] });
  console.log(`rules: all ${all.rules.length}, car ${car.rules.length}`);
  console.log('round\tfile\trules\tquick\tMB\tcpu s\tMB/cpu-s\tmatches');
  for (let round = 1; round <= ROUNDS; round++) {
    for (const file of files) {
      const mb = statSync(file).size / 1e6;
      // CAR alone takes a few hundredths of a second: five hunts per figure, so the clock's steps do not show.
      for (const [name, rules, hunts] of [['all', all, 1], ['car', car, 5]] as const) {
        const order = round % 2 === 1 ? [true, false] : [false, true];
        for (const on of order) {
          reader.quickXmlRecord = on ? real : () => undefined;
          const before = process.cpuUsage();
          let matches = 0;
          for (let h = 0; h < hunts; h++) matches = (await huntFile(file, { rules, maxStoredMatches: 0 })).summary.matches;
          const used = process.cpuUsage(before);
          const cpu = (used.user + used.system) / 1e6;
          console.log([round, path.basename(file), name, on ? 'on' : 'off', (mb * hunts).toFixed(1), cpu.toFixed(2), ((mb * hunts) / cpu).toFixed(1), matches].join('\t'));
        }
      }
    }
  }
  reader.quickXmlRecord = real;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
