/**
 * README: match positions are "lines and columns 1-based, columns in UTF-16 code units as VS Code
 * counts them". An emoji is one code point, two UTF-16 units and four UTF-8 bytes, so on a one-line
 * export (Event Viewer's "Save as XML", a JSON array) every character outside the BMP before the
 * match moves the squiggle: counted in bytes or in code points, it lands beside the Image value.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { huntFile, huntFileParallel, huntText, HuntResult, LoadedRules, loadRules, SourceRange } from '../../../src/engine';
import { parseJsonOutput, runCli } from '../../support/cli';
import { benign, CMD, flatJson, match, xmlEvent } from '../../support/events';
import { squiggleOf } from '../../support/matchView';

const EMOJI = '\u{1F600}\u{1F389}'; // two characters outside the BMP: 4 UTF-16 units, 2 code points, 8 bytes

/** Line and column (1-based, UTF-16 units) of the string index `at`, as VS Code counts them. */
function positionAt(text: string, at: number): { line: number; column: number } {
  const before = text.slice(0, at);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: at - lineStart + 1 };
}

/** The expected range of `value`, searched after the record marked by `marker`. */
function expectedRange(text: string, marker: string, value: string): SourceRange {
  const at = text.indexOf(value, text.indexOf(marker));
  assert.ok(text.indexOf(marker) >= 0 && at >= 0, `fixture lacks ${marker} … ${value}`);
  return { start: positionAt(text, at), end: positionAt(text, at + value.length) };
}

/** The fixture must tell the units apart: the column in bytes or code points would differ. */
function assertDiscriminating(text: string, range: SourceRange): void {
  const lineStart = text.split('\n').slice(0, range.start.line - 1).join('\n').length + (range.start.line > 1 ? 1 : 0);
  const prefix = text.slice(lineStart, lineStart + range.start.column - 1);
  assert.notEqual(Buffer.byteLength(prefix) + 1, range.start.column, 'fixture: the byte column equals the UTF-16 column');
  assert.notEqual([...prefix].length + 1, range.start.column, 'fixture: the code point column equals the UTF-16 column');
}

interface Case {
  name: string;
  text: string;
  /** Where the match record starts, and the Image value as the file writes it. */
  marker: string;
  value: string;
  /** Can the file be cut for worker threads (XML, JSON lines)? */
  splittable: boolean;
}

const earlier = benign(1, { commandLine: `cmd.exe /c echo ${EMOJI}`, computer: `HOST-${EMOJI}` });
const theMatch = match(2, { before: { RuleName: `technique_id=T1543 ${EMOJI}` } });
const padding = Array.from({ length: 300 }, (_, i) => benign(100 + i, { commandLine: `echo ${EMOJI} ${i}` }));

const CASES: Case[] = [
  {
    name: 'Event Viewer XML on one line',
    text: `<?xml version="1.0" encoding="UTF-8"?><Events>${[earlier, theMatch].map(xmlEvent).join('')}</Events>`,
    marker: '<EventRecordID>2<',
    value: CMD,
    splittable: false,
  },
  {
    name: 'Event Viewer XML on one line, the match after 300 events with emoji',
    text: `<?xml version="1.0" encoding="UTF-8"?><Events>${[earlier, ...padding, theMatch].map(xmlEvent).join('')}</Events>`,
    marker: '<EventRecordID>2<',
    value: CMD,
    splittable: true,
  },
  {
    name: 'JSON array on one line',
    text: JSON.stringify([earlier, theMatch].map(flatJson)),
    marker: '"RecordNumber":2,',
    value: JSON.stringify(CMD).slice(1, -1),
    splittable: false,
  },
  {
    name: 'JSON lines, the emoji earlier on the match line',
    text: [earlier, theMatch].map((r) => JSON.stringify(flatJson(r))).join('\n') + '\n',
    marker: '"RecordNumber":2,',
    value: JSON.stringify(CMD).slice(1, -1),
    splittable: true,
  },
];

describe('guard: columns are UTF-16 code units after characters outside the BMP', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'log-hunt-utf16-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  let car: LoadedRules;
  before(async () => {
    car = await loadRules({ ids: ['CAR-2014-05-002'] });
  });

  const only = (result: HuntResult): SourceRange | undefined => {
    assert.equal(result.summary.matches, 1, `one match expected: ${result.summary.why ?? ''}`);
    return squiggleOf(result.matches[0]);
  };

  for (const c of CASES) {
    it(`${c.name}: the squiggle is exactly on the Image value`, async () => {
      const expected = expectedRange(c.text, c.marker, c.value);
      assertDiscriminating(c.text, expected);
      const file = path.join(dir, `${c.name.replace(/\W+/g, '-')}.log`);
      writeFileSync(file, c.text);
      const seen: [string, SourceRange | undefined][] = [
        ['huntText', only(await huntText(c.text, 'unsaved', { rules: car }))],
        ['huntFile fast', only(await huntFile(file, { rules: car }))],
        ['huntFile plain', only(await huntFile(file, { rules: car, mode: 'plain' }))],
      ];
      // Reads that cut the emoji's four bytes apart (small files only: a read per 5 bytes is slow).
      if (c.text.length < 20_000) seen.push(['huntFile, 5-byte chunks', only(await huntFile(file, { rules: car, chunkSize: 5 }))]);
      if (c.splittable) seen.push(['3 worker threads', only(await huntFileParallel(file, { rules: car, threads: 3, minParallelBytes: 0 }))]);
      for (const [how, range] of seen) assert.deepEqual(range, expected, how);

      const run = await runCli('hunt', '--json', '--analytic', 'CAR-2014-05-002', file);
      const [m] = parseJsonOutput(run.out).matches;
      assert.deepEqual(
        { line: m.line, column: m.column, endLine: m.endLine, endColumn: m.endColumn },
        { line: expected.start.line, column: expected.start.column, endLine: expected.end.line, endColumn: expected.end.column },
        'CLI --json',
      );
      assert.match((await runCli('hunt', '--analytic', 'CAR-2014-05-002', file)).out[0], new RegExp(`:${expected.start.line}:${expected.start.column}  `), 'CLI file:line:col');
    });
  }

  it('a UTF-16LE export (PowerShell 5 `>`) gives the same columns as its UTF-8 text', async () => {
    const c = CASES[0];
    const file = path.join(dir, 'utf16le.xml');
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(c.text, 'utf16le')]));
    assert.deepEqual(only(await huntFile(file, { rules: car })), expectedRange(c.text, c.marker, c.value));
  });
});
