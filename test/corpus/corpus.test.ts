/** Every non-EVTX file of the shared corpus gives the manifest's counts, with positions on the event. */
import assert from 'node:assert/strict';
import { huntFile, loadRules, LoadedRules } from '../../src/engine';
import { corpusAbsentTest, corpusEntries } from '../support/corpus';
import { editorLines, editorText, textOfRange } from '../support/text';

const entries = corpusEntries();

describe('corpus: ../shared/corpus/MANIFEST.tsv', function () {
  if (!entries) {
    corpusAbsentTest('corpus');
    return;
  }

  it('lists the shapes the readers must handle', () => {
    assert.ok(entries.length >= 28, `only ${entries.length} non-EVTX files in the manifest`);
  });

  let car: LoadedRules;
  let library: LoadedRules;
  before(async () => {
    car = await loadRules({ ids: ['CAR-2014-05-002'] });
    library = await loadRules();
    assert.equal(car.rules.length, 1);
  });

  for (const entry of entries) {
    it(`${entry.file}: ${entry.events} events, ${entry.processCreates} process creates, ${entry.matches} matches`, async () => {
      const { summary, matches } = await huntFile(entry.path, { rules: car });
      assert.deepEqual(
        { events: summary.events, processCreates: summary.processCreates, matches: summary.matches },
        { events: entry.events, processCreates: entry.processCreates, matches: entry.matches },
      );
      assert.equal(summary.malformed, 0, `malformed records in a clean corpus file: ${summary.format}`);
      const lines = editorLines(editorText(entry.path));
      for (const match of matches) {
        const { event } = match;
        const whole = textOfRange(lines, event.range);
        assert.match(whole, /^(<Event[\s>]|\{)/, 'the event range starts at the record');
        assert.match(whole, /(<\/Event>|\})$/, 'the event range ends at the record end');
        assert.equal(match.field, 'Image', 'CAR-2014-05-002 is decided by the Image value');
        assert.ok(match.valueRange, 'every corpus shape has an Image value to point at');
        const image = textOfRange(lines, match.valueRange);
        assert.match(image, /cmd\.exe$/i, `the image range holds the Image value, not ${JSON.stringify(image)}`);
        assert.ok(whole.includes(image), 'the image range lies inside the event');
        assert.ok(event.fields.image_path && image.replace(/\\\\/g, '\\').endsWith(event.fields.exe!));
      }
    });

    it(`${entry.file}: the whole built-in library finds the same ${entry.matches} CAR-2014-05-002 matches`, async () => {
      const { summary } = await huntFile(entry.path, { rules: library });
      assert.equal(summary.events, entry.events);
      assert.equal(summary.matchesByRule['CAR-2014-05-002'] ?? 0, entry.matches);
    });
  }
});
