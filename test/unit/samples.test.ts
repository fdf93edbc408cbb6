/**
 * The bundled samples hold what samples/README.md says they hold: the README's tables are the
 * truth a new user reads, checked there against the naive baseline and by reading every line.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { huntFile } from '../../src/engine';
import { CAR_2014_05_002_ONLY } from '../support/rules';

const SAMPLES = path.resolve(__dirname, '..', '..', '..', 'samples');

const DOCUMENTED = [
  { file: 'sysmon-sample.xml', events: 48, processCreates: 18, carLines: [30], libraryMatches: 10 },
  { file: 'sysmon-sample-ecs.ndjson', events: 40, processCreates: 34, carLines: [15], libraryMatches: 34 },
];

describe('the bundled samples (samples/README.md)', () => {
  for (const sample of DOCUMENTED) {
    it(`${sample.file}: ${sample.events} events, ${sample.processCreates} process creates, CAR-2014-05-002 on line ${sample.carLines.join(', ')}`, async () => {
      const result = await huntFile(path.join(SAMPLES, sample.file), { rules: CAR_2014_05_002_ONLY });
      assert.equal(result.summary.events, sample.events);
      assert.equal(result.summary.processCreates, sample.processCreates);
      assert.equal(result.summary.malformed, 0);
      assert.deepEqual(result.matches.map((m) => m.event.range.start.line), sample.carLines);
    });

    it(`${sample.file}: ${sample.libraryMatches} matches with the whole built-in CAR library`, async () => {
      const result = await huntFile(path.join(SAMPLES, sample.file));
      assert.equal(result.summary.matches, sample.libraryMatches);
    });
  }
});
