/**
 * Issue 5, item 1: every kind of bad input, each asserting the message the analyst sees AND what
 * the hunt still does (counts, matches around the damage, warning positions, no throw past the API).
 * The very big inputs live in big.test.ts; file-system trouble in fileTrouble.test.ts.
 */
import { CAR_2014_05_002_ONLY } from '../../support/rules';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import { constants, openSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { UnreadableInputError } from '../../../src/engine/decode';
import { huntFile } from '../../../src/engine/hunt';
import { compileSources } from '../../../src/engine/rules/load';
import { HuntResult } from '../../../src/engine/huntTypes';
import { editorLines, editorText, textOfRange } from '../../support/text';
import {
  CMD, huntContent, jsonBenign, jsonMatch, jsonProcess, matchedIds, SERVICES, tempDir, warnings, xmlBenign, xmlMatch, xmlProcess,
} from './support';

const EMPTY_WHY = /^The file holds no events: it is empty or holds no Windows event records\.$/;

/** Both paths must agree on matches for every input here; returns the plain path's result. */
async function huntBoth(dir: string, name: string, content: string | Buffer): Promise<HuntResult> {
  const fast = await huntContent(dir, name, content, { mode: 'fast' });
  const plain = await huntFile(path.join(dir, name), { rules: CAR_2014_05_002_ONLY, mode: 'plain' });
  assert.deepEqual(matchedIds(fast), matchedIds(plain), 'fast and plain paths find the same matches');
  return plain;
}

describe('bad input', () => {
  const dir = tempDir('bad');

  describe('empty and whitespace-only files', () => {
    const cases: [string, string | Buffer][] = [
      ['empty', ''],
      ['whitespace', ' \r\n\t  \n\n   '],
      ['UTF-8 BOM only', Buffer.from([0xef, 0xbb, 0xbf])],
      ['UTF-16 BOM and spaces', Buffer.from([0xff, 0xfe, 0x20, 0x00, 0x0a, 0x00])],
    ];
    for (const [name, content] of cases) {
      it(`${name}: no events, no warnings, and the summary says the file is empty`, async () => {
        const { summary, malformed, matches } = await huntContent(dir(), `${name}.xml`, content);
        assert.deepEqual([summary.events, summary.matches, summary.malformed, matches.length, malformed.length], [0, 0, 0, 0, 0]);
        assert.equal(summary.format, 'empty');
        assert.match(summary.why ?? '', EMPTY_WHY);
      });
    }
  });

  describe('a file truncated in the middle of an event', () => {
    it('XML: matches before the cut are reported; the warning names where the cut event starts', async () => {
      const cut = xmlMatch(4);
      const text = [xmlMatch(1), xmlBenign(2), xmlMatch(3), cut.slice(0, cut.length / 2)].join('\r\n');
      const result = await huntBoth(dir(), 'truncated.xml', text);
      assert.deepEqual(matchedIds(result), ['1', '3']);
      assert.equal(result.summary.events, 3);
      assert.deepEqual(warnings(result), ['4:1 file ends inside an event (truncated?); skipped']);
      assert.equal(result.summary.why, undefined);
    });

    it('XML: a cut inside the `<Event` tag itself is reported at the tag', async () => {
      const result = await huntBoth(dir(), 'truncated-tag.xml', `${xmlMatch(1)}\n  <Eve`);
      assert.deepEqual(matchedIds(result), ['1']);
      assert.deepEqual(warnings(result), ['2:3 unexpected text between events; skipped']);
    });

    it('XML: an event cut short in the MIDDLE of the file costs that event only, whatever its EventID', async () => {
      // The fast path skips most events unparsed; a cut-short one must still give the next event back.
      const network = xmlBenign(2).replace('<EventID>1</EventID>', '<EventID>3</EventID>');
      const cutAt = network.indexOf('<EventData>');
      const cutProcess = xmlBenign(4).slice(0, xmlBenign(4).indexOf('</EventData>'));
      const text = [xmlMatch(1), network.slice(0, cutAt), xmlMatch(3), cutProcess, xmlMatch(5)].join('\n');
      const result = await huntBoth(dir(), 'cut-in-middle.xml', text);
      assert.deepEqual(matchedIds(result), ['1', '3', '5']);
      assert.deepEqual(warnings(result), ['2:1 event is not closed before the next event starts; skipped', '4:1 event is not closed before the next event starts; skipped']);
      assert.equal(result.summary.events, 3);
    });

    it('JSON lines: matches before the cut are reported; the warning names the cut line', async () => {
      const cut = jsonMatch(4);
      const text = [jsonMatch(1), jsonBenign(2), jsonMatch(3), cut.slice(0, 60)].join('\n');
      const result = await huntBoth(dir(), 'truncated.ndjson', text);
      assert.deepEqual(matchedIds(result), ['1', '3']);
      assert.equal(result.summary.events, 3);
      assert.deepEqual(warnings(result), ['4:1 file ends inside a JSON object (truncated?); skipped']);
    });

    it('JSON lines: a line cut short in the MIDDLE of the file costs that line only', async () => {
      const cut = jsonMatch(2);
      const text = [jsonMatch(1), cut.slice(0, 70), jsonMatch(3), jsonBenign(4), jsonMatch(5)].join('\n') + '\n';
      const result = await huntBoth(dir(), 'cut-in-middle.ndjson', text);
      assert.deepEqual(matchedIds(result), ['1', '3', '5']);
      assert.equal(result.summary.events, 4);
      assert.deepEqual(warnings(result), ['2:1 JSON object not closed before the next object starts; skipped']);
    });

    it('pretty JSON: an object cut short before the next one starts costs that object only', async () => {
      const pretty = (s: string) => JSON.stringify(JSON.parse(s), null, 2);
      const cut = pretty(jsonMatch(2));
      const text = [pretty(jsonMatch(1)), cut.slice(0, cut.length - 40), pretty(jsonMatch(3))].join('\n') + '\n';
      const result = await huntBoth(dir(), 'cut-in-middle.json', text);
      assert.deepEqual(matchedIds(result), ['1', '3']);
      assert.deepEqual(warnings(result), [`${pretty(jsonMatch(1)).split('\n').length + 1}:1 JSON object not closed before the next object starts; skipped`]);
    });
  });

  it('indented JSON array: an object that lost its closing brace costs that object only', async () => {
    const records = [jsonMatch(1), jsonMatch(2), jsonBenign(3), jsonMatch(4)].map((r) => JSON.parse(r) as unknown);
    const text = JSON.stringify(records, null, 2);
    const second = text.indexOf('"RecordNumber": 2');
    const brace = text.indexOf('\n  }', second);
    const broken = text.slice(0, brace) + text.slice(brace + 4); // drops the `  }` closing record 2
    const result = await huntBoth(dir(), 'array-missing-brace.json', broken);
    assert.deepEqual(matchedIds(result), ['1', '4']);
    assert.equal(result.summary.events, 3);
    assert.deepEqual(warnings(result), [`${text.slice(0, text.lastIndexOf('{', second)).split('\n').length}:3 JSON object not closed before the next object starts; skipped`]);
  });

  describe('garbage between events', () => {
    it('XML: each garbage line is reported where it starts, and every event around it is hunted', async () => {
      const text = [xmlMatch(1), 'hello, I am not XML', `  ${xmlBenign(2)} trailing words`, '\u00ff\u00fe junk', xmlMatch(3)].join('\n');
      const result = await huntBoth(dir(), 'garbage.xml', text);
      assert.deepEqual(matchedIds(result), ['1', '3']);
      assert.equal(result.summary.events, 3);
      const trailing = 3 + xmlBenign(2).length + 1;
      assert.deepEqual(warnings(result), [
        '2:1 unexpected text between events; skipped',
        `3:${trailing} unexpected text between events; skipped`,
        '4:1 unexpected text between events; skipped',
      ]);
    });

    it('JSON: garbage lines are reported; evtx_dump `Record N` lines are not garbage', async () => {
      const text = ['Record 1', jsonMatch(1), 'garbage here {"EventID": 1}', 'Record 2', jsonBenign(2), '<Event/>', jsonMatch(3)].join('\n');
      const result = await huntBoth(dir(), 'garbage.ndjson', text);
      assert.deepEqual(matchedIds(result), ['1', '3']);
      assert.deepEqual(warnings(result), [
        '3:1 unexpected text between JSON objects; skipped to the next line',
        '6:1 unexpected text between JSON objects; skipped to the next line',
      ]);
    });

    it('a zero-filled gap (a half-copied file) is named as such, once', async () => {
      const zeros = Buffer.alloc(100_000);
      const text = Buffer.concat([Buffer.from(`${xmlMatch(1)}\n`), zeros, Buffer.from(`\n${xmlMatch(2)}\n`)]);
      const result = await huntBoth(dir(), 'zero-gap.xml', text);
      assert.deepEqual(matchedIds(result), ['1', '2']);
      assert.deepEqual(warnings(result), ['2:1 NUL bytes between events (a zero-filled gap: a half-copied file?); skipped']);
    });
  });

  describe('one invalid event in the middle', () => {
    it('XML: it is skipped and reported with the parser words; the rest is hunted', async () => {
      const broken = `<Event><System><EventID>1</EventID></Sys></Event>`;
      const result = await huntBoth(dir(), 'invalid.xml', [xmlMatch(1), broken, xmlMatch(3)].join('\n'));
      assert.deepEqual(matchedIds(result), ['1', '3']);
      assert.equal(result.summary.malformed, 1);
      assert.match(warnings(result)[0], /^2:1 XML event not readable: Unexpected close tag/);
    });

    it('JSON: it is skipped and reported with the parser words; the rest is hunted', async () => {
      const broken = '{"EventID": 1, "Image": }';
      const result = await huntBoth(dir(), 'invalid.ndjson', [jsonMatch(1), broken, jsonMatch(3)].join('\n'));
      assert.deepEqual(matchedIds(result), ['1', '3']);
      assert.match(warnings(result)[0], /^2:1 JSON event not readable: not valid JSON: /);
    });

    it('JSON: an object of no known shape is reported as such', async () => {
      const result = await huntBoth(dir(), 'no-shape.ndjson', [jsonMatch(1), '{"hello": "world"}', jsonMatch(3)].join('\n'));
      assert.deepEqual(matchedIds(result), ['1', '3']);
      assert.deepEqual(warnings(result), ['2:1 JSON event not readable: a JSON object of no known event shape (no EventID, winlog, Event.System or result)']);
    });
  });

  describe('invalid UTF-8 and NUL bytes', () => {
    it('invalid UTF-8 decodes as U+FFFD, and positions after it on the same line stay right', async () => {
      // Lone continuation, overlong, out-of-range lead, truncated 4-byte sequence: all on line 1.
      const bad = Buffer.from([0x80, 0xc0, 0xaf, 0xff, 0xe0, 0x80, 0x80, 0xf0, 0x9f, 0x98]);
      // Event 1 holds the bad bytes in its CommandLine; event 2, a match, follows on the same line.
      const [head] = xmlBenign(1).split("<Data Name='CommandLine'>x");
      const text = Buffer.concat([
        Buffer.from(`${head}<Data Name='CommandLine'>`),
        bad,
        Buffer.from(`</Data></EventData></Event>${xmlMatch(2)}`),
      ]);
      const result = await huntBoth(dir(), 'bad-utf8.xml', text);
      assert.deepEqual(matchedIds(result), ['2']);
      assert.deepEqual(result.malformed, []);
      const lines = editorLines(editorText(path.join(dir(), 'bad-utf8.xml')));
      assert.equal(textOfRange(lines, result.matches[0].valueRange!), CMD, 'the Image range, after invalid bytes, as the editor shows it');
      const plain = await huntFile(path.join(dir(), 'bad-utf8.xml'), { mode: 'plain', rules: compileSources([]) });
      assert.equal(plain.summary.events, 2);
    });

    it('a NUL byte inside an event of a text log: the log is hunted, the NUL kept as data', async () => {
      const result = await huntBoth(dir(), 'nul-in-event.xml', `${xmlMatch(1, 'a\u0000b')}\n${xmlMatch(2)}\n`);
      assert.deepEqual(matchedIds(result), ['1', '2']);
      assert.equal(result.matches[0].event.fields.command_line, 'a\u0000b');
    });

    it('NUL bytes near the start of a file that does not begin like a log: refused as binary', async () => {
      const binary = Buffer.concat([Buffer.from('garbage'), Buffer.alloc(16), Buffer.from(xmlMatch(1))]);
      await assert.rejects(huntContent(dir(), 'nul-start.xml', binary), {
        name: 'UnreadableInputError',
        message: 'not a Sysmon text log: it holds binary data (NUL bytes) near its start',
      });
    });
  });

  describe('binary files', () => {
    const magic: [string, number[], string][] = [
      ['zip', [0x50, 0x4b, 0x03, 0x04], 'not a Sysmon text log: it is a zip archive'],
      ['png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'not a Sysmon text log: it is a PNG image'],
      ['gz', [0x1f, 0x8b, 0x08], 'not a Sysmon text log: it is a gzip archive'],
    ];
    for (const [ext, bytes, message] of magic) {
      it(`${ext}: refused before any parsing with "${message}"`, async () => {
        const content = Buffer.concat([Buffer.from(bytes), Buffer.alloc(2000, 7), Buffer.from(xmlMatch(1))]);
        await assert.rejects(huntContent(dir(), `x.${ext}`, content), (err: unknown) => {
          assert.ok(err instanceof UnreadableInputError);
          assert.equal(err.message, message);
          return true;
        });
      });
    }

    it('random bytes: refused as binary', async () => {
      let seed = 7;
      const random = Buffer.alloc(8192);
      for (let i = 0; i < random.length; i++) random[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
      random[0] = 0x41; // not a magic number
      await assert.rejects(huntContent(dir(), 'random.bin', random), /^UnreadableInputError: not a Sysmon text log/);
    });
  });

  describe('XML nested 100,000 levels deep', () => {
    const deep = (n: number) => '<a>'.repeat(n) + 'x' + '</a>'.repeat(n);

    it('inside an event: no stack overflow, and the event is still a match', async () => {
      const event = xmlMatch(1).replace('</EventData>', `${deep(100_000)}</EventData>`);
      const result = await huntBoth(dir(), 'deep-in-event.xml', `${event}\n${xmlMatch(2)}\n`);
      assert.deepEqual(matchedIds(result), ['1', '2']);
      assert.deepEqual(result.malformed, []);
    });

    it('between events, and never closed inside one: reported, never a crash', async () => {
      const unclosed = xmlMatch(3).replace('</EventData></Event>', '<a>'.repeat(100_000));
      const result = await huntBoth(dir(), 'deep-between.xml', `${deep(100_000)}\n${xmlMatch(1)}\n${unclosed}`);
      assert.deepEqual(matchedIds(result), ['1']);
      assert.deepEqual(warnings(result), ['1:300001 unexpected text between events; skipped', '3:1 file ends inside an event (truncated?); skipped']);
    });
  });

  describe('DTDs and entities', () => {
    const lol = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE Events [',
      ' <!ENTITY lol "lol">',
      ...Array.from({ length: 9 }, (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`),
      ']>',
      '<Events>',
    ].join('\n');

    it('billion laughs: the DTD is never read and its entities never expanded', async () => {
      const laugh = xmlMatch(2, '&lol9;');
      const text = `${lol}\n${xmlMatch(1)}\n${laugh}\n${xmlMatch(3)}\n</Events>\n`;
      const before = process.memoryUsage().rss;
      const result = await huntBoth(dir(), 'lol.xml', text);
      // Expanded, &lol9; is 10^9 "lol"s: 3 GB. Unexpanded, the event is malformed XML (an undeclared entity).
      assert.ok(process.memoryUsage().rss - before < 200 << 20, 'no expansion happened');
      assert.deepEqual(matchedIds(result), ['1', '3']);
      const lines = text.split('\n');
      const laughLine = lines.indexOf(laugh) + 1;
      assert.deepEqual(warnings(result), [`${lines.indexOf(']>') + 1}:1 unexpected text between events; skipped`, `${laughLine}:1 XML event not readable: Invalid character entity`]);
      assert.ok(!result.matches.some((m) => JSON.stringify(m).includes('lol')));
    });

    it('a DTD inside an event is refused by the parser, not obeyed', async () => {
      const inside = xmlMatch(1).replace('<System>', '<!DOCTYPE Event [<!ENTITY x "cmd.exe">]><System>').replace(`>${CMD}<`, '>&x;<');
      const result = await huntBoth(dir(), 'dtd-inside.xml', `${inside}\n${xmlMatch(2)}\n`);
      assert.deepEqual(matchedIds(result), ['2']);
      assert.match(warnings(result)[0], /^1:1 XML event not readable: /);
    });
  });

  describe('external entities and SYSTEM references', () => {
    /** An event whose Image is the external entity `&xxe;`: a match only if `&xxe;` were read. */
    const xxeLog = (systemId: string) =>
      `<?xml version="1.0"?>\n<!DOCTYPE Event [<!ENTITY xxe SYSTEM "${systemId}">]>\n` +
      `${xmlMatch(1).replace(`>${CMD}<`, '>&xxe;<')}\n${xmlMatch(2)}\n`;

    it('a SYSTEM file that would make a match is never read', async () => {
      const secret = path.join(dir(), 'secret.txt');
      writeFileSync(secret, CMD);
      const result = await huntBoth(dir(), 'xxe-file.xml', xxeLog(`file://${secret}`));
      assert.deepEqual(matchedIds(result), ['2'], 'record 1 would match if the entity had been read');
      assert.deepEqual(warnings(result).slice(-1), ['3:1 XML event not readable: Invalid character entity']);
    });

    it('a SYSTEM FIFO is never opened (opening it to read would block the hunt forever)', async function () {
      if (process.platform === 'win32') this.skip();
      const fifo = path.join(dir(), 'fifo');
      execFileSync('mkfifo', [fifo]);
      const result = await huntBoth(dir(), 'xxe-fifo.xml', xxeLog(fifo));
      assert.deepEqual(matchedIds(result), ['2']);
      // A non-blocking open for writing fails with ENXIO exactly when no reader has the FIFO open.
      assert.throws(() => openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK), { code: 'ENXIO' });
    });

    it('SYSTEM URLs, XInclude and stylesheets are never fetched', async () => {
      let requests = 0;
      const server = createServer((_req, res) => {
        requests++;
        res.end(CMD);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
      try {
        const xinclude = xmlMatch(3).replace('<EventData>', `<EventData><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="${url}"/>`);
        const text = `<?xml-stylesheet href="${url}"?>\n${xxeLog(url)}${xinclude}\n`;
        const result = await huntBoth(dir(), 'xxe-http.xml', text);
        assert.deepEqual(matchedIds(result), ['2', '3']);
      } finally {
        server.close();
      }
      assert.equal(requests, 0);
    });
  });

  describe('JSON oddities', () => {
    it('100,000-deep nesting inside a record and between records: no stack overflow', async () => {
      const deep = '['.repeat(100_000) + ']'.repeat(100_000);
      const nested = jsonMatch(1).replace('{', `{"deep":${deep},`);
      const result = await huntBoth(dir(), 'deep.ndjson', [nested, `{"a":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_001)}`, jsonMatch(3)].join('\n'));
      assert.deepEqual(matchedIds(result), ['1', '3']);
      assert.deepEqual(warnings(result), ['2:1 JSON event not readable: a JSON object of no known event shape (no EventID, winlog, Event.System or result)']);
    });

    it('huge numbers: never EventID 1, and a huge record number keeps its digits', async () => {
      const lines = [
        jsonMatch(1).replace('"EventID":1', '"EventID":1e400'),
        jsonMatch(2).replace('"EventID":1', '"EventID":100000000000000000001'),
        jsonMatch(3).replace('"RecordNumber":3', '"RecordNumber":123456789012345678901234567890'),
        jsonMatch(4).replace('"EventID":1', '"EventID":1.0'),
      ];
      const result = await huntBoth(dir(), 'numbers.ndjson', lines.join('\n'));
      assert.deepEqual(matchedIds(result), ['123456789012345678901234567890', '4']);
      assert.equal(result.summary.events, 4);
      assert.equal(result.summary.processCreates, 2);
    });

    it('huge numbers in EventData keep their digits too (read lazily, after the metadata)', async () => {
      const line = jsonMatch(1).replace('"RecordNumber":1', '"RecordNumber":1,"ProcessId":123456789012345678901234567890,"ParentProcessId":9007199254740993');
      const result = await huntBoth(dir(), 'data-numbers.ndjson', line);
      assert.deepEqual(matchedIds(result), ['1']);
      assert.equal(result.matches[0].event.fields.pid, '123456789012345678901234567890');
      assert.equal(result.matches[0].event.fields.ppid, '9007199254740993');
    });

    it('a \\u escape after an escaped backslash still spells a letter; an escaped backslash before u does not', async () => {
      // Raw JSON: C:\\Windows\\\u0063md.exe is C:\Windows\cmd.exe; C:\\users\\cmd.exe is a path with \u in it.
      const spelled = jsonMatch(1).replace('cmd.exe', '\\u0063md.exe');
      const users = jsonProcess(2, 'C:\\users\\x\\cmd.exe', SERVICES);
      const parentSpelled = jsonProcess(3, CMD, SERVICES).replace('\\\\services.exe', '\\\\\\u0073ervices.exe');
      const notSpelled = jsonProcess(4, 'C:\\Windows\\\\u0063md.exe', SERVICES); // a backslash, then u0063md.exe
      const result = await huntBoth(dir(), 'escapes.ndjson', [spelled, users, parentSpelled, notSpelled].join('\n'));
      assert.ok(spelled.includes('\\\\\\u0063md.exe') && parentSpelled.includes('\\\\\\u0073ervices'), spelled + parentSpelled);
      assert.deepEqual(matchedIds(result), ['1', '2', '3']);
      assert.equal(result.matches[0].event.fields.exe, 'cmd.exe');
      assert.equal(result.matches[2].event.fields.parent_exe, 'services.exe');
      assert.equal(result.summary.processCreates, 4);
    });

    it('duplicate keys: the last one wins, as in JSON.parse, and the Image range points at it', async () => {
      const lines = [
        jsonMatch(1).replace('"EventID":1', '"EventID":3,"EventID":1'),
        jsonMatch(2).replace('"EventID":1', '"EventID":1,"EventID":3'),
        jsonMatch(3).replace(`"Image":${JSON.stringify(CMD)}`, `"Image":${JSON.stringify(CMD)},"Image":"C:\\\\notepad.exe"`),
        jsonMatch(4).replace(`"Image":${JSON.stringify(CMD)}`, `"Image":"C:\\\\notepad.exe","Image":${JSON.stringify(CMD)}`),
      ];
      const result = await huntBoth(dir(), 'dupes.ndjson', lines.join('\n'));
      assert.deepEqual(matchedIds(result), ['1', '4']);
      const file = editorLines(editorText(path.join(dir(), 'dupes.ndjson')));
      const range = result.matches[1].valueRange!;
      assert.equal(textOfRange(file, range), CMD.replace(/\\/g, '\\\\'));
      assert.ok(range.start.column > lines[3].indexOf('notepad'), 'the second Image, not the first');
    });

    it('\\u0000 and other escaped controls stay data, in matches and fields', async () => {
      const result = await huntBoth(dir(), 'nul.ndjson', [jsonMatch(1, 'a\u0000b\u001b[31mc'), jsonProcess(2, 'C:\\x\\cmd.exe\u0000', SERVICES)].join('\n'));
      assert.deepEqual(matchedIds(result), ['1'], 'a NUL in the Image makes it another file name');
      assert.equal(result.matches[0].event.fields.command_line, 'a\u0000b\u001b[31mc');
    });
  });

  describe('markup inside a value (the fast path once missed these matches)', () => {
    // The parser joins text around a comment, CDATA section or processing instruction, so each of
    // these Images reads as cmd.exe. The fast path searched the raw bytes for "cmd.exe" and skipped them.
    const splits = ['C:\\Windows\\cmd<![CDATA[.exe]]>', 'C:\\Windows\\cmd<!-- x -->.exe', 'C:\\Windows\\cmd<?pi x?>.exe', 'C:\\c<![CDATA[]]>md.exe', 'C:\\cmd.exe<!---->'];
    for (const image of splits) {
      it(`${image}: a match in both paths`, async () => {
        const result = await huntBoth(dir(), 'split.xml', `${xmlProcess(1, image, SERVICES)}\n`);
        assert.deepEqual(matchedIds(result), ['1']);
        assert.equal(result.matches[0].event.fields.exe?.toLowerCase(), 'cmd.exe');
      });
    }
  });

  describe('two shapes mixed in one file', () => {
    it('XML first: detected as XML; each JSON line is reported with its position, never dropped silently', async () => {
      const text = [xmlMatch(1), jsonMatch(2), jsonBenign(3), xmlMatch(4)].join('\n');
      const result = await huntBoth(dir(), 'mixed-xml-first.log', text);
      assert.match(result.summary.format, /^xml /);
      assert.deepEqual(matchedIds(result), ['1', '4']);
      assert.deepEqual(warnings(result), ['2:1 unexpected text between events; skipped', '3:1 unexpected text between events; skipped']);
    });

    it('JSON first: detected as JSON; each XML line is reported with its position', async () => {
      const text = [jsonMatch(1), xmlMatch(2), xmlBenign(3), jsonMatch(4)].join('\n');
      const result = await huntBoth(dir(), 'mixed-json-first.log', text);
      assert.match(result.summary.format, /^json /);
      assert.deepEqual(matchedIds(result), ['1', '4']);
      assert.deepEqual(warnings(result), [
        '2:1 unexpected text between JSON objects; skipped to the next line',
        '3:1 unexpected text between JSON objects; skipped to the next line',
      ]);
    });
  });
});
