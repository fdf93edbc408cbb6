/** Every log shape, on small fixtures written for this project: counts, fields and positions. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { huntFile } from '../../src/engine/hunt';
import { compileSources } from '../../src/engine/rules/load';
import { EXPECTED, MATCH } from '../support/shapes';
import { shapeFixtures } from '../support/shapes';
import { editorLines, editorText, textOfRange } from '../support/text';

/** The fixtures are written around CAR-2014-05-002: one match in each; other analytics would find more. */
const rules = compileSources([{ kind: 'car', id: 'CAR-2014-05-002' }]);

describe('readers: every shape', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'log-hunt-shapes-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const fixtures = shapeFixtures();

  for (const [name, bytes] of Object.entries(fixtures)) {
    for (const chunkSize of [1, 13, 1 << 20]) {
      it(`${name}, ${chunkSize}-byte chunks: counts, fields, positions`, async () => {
        const file = path.join(dir, name);
        writeFileSync(file, bytes);
        const { summary, matches, malformed } = await huntFile(file, { chunkSize, rules });
        assert.deepEqual(malformed, []);
        assert.deepEqual(
          { events: summary.events, processCreates: summary.processCreates, matches: summary.matches },
          EXPECTED,
          summary.format,
        );
        const [match] = matches;
        const f = match.event.fields;
        assert.equal(f.image_path, MATCH.image);
        assert.equal(f.exe, 'CMD.EXE');
        assert.equal(f.parent_exe, 'services.exe');
        assert.equal(f.command_line, MATCH.cmd, 'entities and escapes are decoded');
        assert.equal(f.hostname, 'HOST-A');
        const lines = editorLines(editorText(file));
        assert.ok(match.valueRange);
        const imageText = textOfRange(lines, match.valueRange);
        assert.match(imageText, /CMD\.EXE$/);
        assert.ok(textOfRange(lines, match.event.range).includes(imageText));
      });
    }
  }

  it('names the shape it detected', async () => {
    const names: Record<string, string> = {};
    for (const [name, bytes] of Object.entries(fixtures)) {
      const file = path.join(dir, `detect-${name}`);
      writeFileSync(file, bytes);
      names[name] = (await huntFile(file)).summary.format;
    }
    assert.equal(names['eventviewer.xml'], 'xml (Event Viewer export)');
    assert.equal(names['evtxdump.xml'], 'xml (evtx_dump XML)');
    assert.equal(names['python-evtx.xml'], 'xml (python-evtx XML)');
    assert.equal(names['wevtutil-crlf.xml'], 'xml (wevtutil / Get-WinEvent fragments)');
    assert.equal(names['ecs.ndjson'], 'json (JSON lines, Winlogbeat / ECS)');
    assert.equal(names['sentinel.ndjson'], 'json (JSON lines, Azure Sentinel Event table)');
    assert.equal(names['splunk.ndjson'], 'json (JSON lines, Splunk export)');
    assert.equal(names['winlogbeat6.ndjson'], 'json (JSON lines, Winlogbeat 6)');
    assert.equal(names['array-pretty.json'], 'json (JSON array, flat (nxlog / OTRF))');
    assert.equal(names['evtxdump-records.json'], 'json (evtx_dump JSON stream, evtx_dump JSON)');
  });

  it('a forced format overrides detection', async () => {
    const file = path.join(dir, 'forced.xml');
    writeFileSync(file, fixtures['flat.ndjson']);
    const forcedXml = await huntFile(file, { format: 'xml', rules });
    assert.equal(forcedXml.summary.events, 0);
    assert.ok(forcedXml.summary.malformed > 0, 'JSON read as XML is reported, not silently empty');
    const forcedJson = await huntFile(file, { format: 'json', rules });
    assert.equal(forcedJson.summary.matches, 1);
  });
});
