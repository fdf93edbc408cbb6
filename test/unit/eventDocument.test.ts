// The event document (an event as pretty XML or JSON, Sysmon's names, values located) and the
// record at an offset of a log's text, across the shapes the readers read.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { huntFile, huntText, Match, recordAt, renderEvent, renderEventJson, renderEventXml, EventFormat } from '../../src/engine';
import { parseXmlRecord } from '../../src/engine/readers/xmlRecord';
import { BENIGN, MATCH, NETWORK, shapeFixtures } from '../support/shapes';
import { decodeXml } from './readersSupport';
import { CAR_2014_05_002_ONLY } from '../support/rules';

const SHAPES = ['eventviewer.xml', 'wevtutil-crlf.xml', 'evtxdump.xml', 'ecs.ndjson', 'flat.ndjson', 'evtxdump-jsonl.json', 'evtxdump-records.json', 'array-one-line.json', 'winlogbeat.ndjson'];

function textOf(name: string): string {
  return shapeFixtures()[name].toString('utf8').replace(/^\uFEFF/, '');
}

async function matchesOf(name: string): Promise<Match[]> {
  const result = await huntText(textOf(name), name);
  const matches = result.matches.filter((m) => m.rule.id === 'CAR-2014-05-002');
  assert.equal(matches.length, 1, `${name}: the fixture's CAR-2014-05-002 match is found`);
  return matches;
}

/** The value written at `span` of a rendered document, unescaped. */
function valueAt(text: string, span: [number, number], format: EventFormat): string {
  const raw = text.slice(...span);
  return format === 'xml' ? decodeXml(raw) : (JSON.parse(`"${raw}"`) as string);
}

interface JsonDoc {
  Event: { System: Record<string, string>; EventData: Record<string, string> };
}

describe('eventDocument: an event as a readable document', () => {
  for (const name of SHAPES) {
    it(`${name}: every field under Sysmon's names, in XML and JSON, and each value located`, async () => {
      for (const match of await matchesOf(name)) {
        const { event } = match;
        assert.equal(event.data.ParentImage, MATCH.parent, 'the reader gave Sysmon names');
        for (const format of ['xml', 'json'] as const) {
          const doc = renderEvent(event, format);
          if (format === 'xml') {
            // Read back with the hunt's own XML reader: the same fields and values.
            const back = parseXmlRecord(doc.text);
            assert.deepEqual(back.data, event.data);
            assert.equal(back.eventId, event.eventId);
            assert.equal(back.provider, event.provider);
            assert.equal(back.computer, event.computer);
            assert.equal(back.recordId, event.recordId);
          } else {
            const back = JSON.parse(doc.text) as JsonDoc;
            assert.deepEqual(back.Event.EventData, event.data);
            assert.equal(back.Event.System.EventID, String(event.eventId));
            assert.equal(back.Event.System.Computer, event.computer);
          }
          for (const [field, value] of Object.entries(event.data)) {
            const span = doc.locate(field);
            assert.ok(span, `${format}: ${field} located`);
            assert.equal(valueAt(doc.text, span, format), value, `${format}: ${field}`);
          }
          assert.ok(match.field, 'the rule names the deciding field');
          const at = doc.locate(match.field);
          assert.ok(at);
          assert.equal(valueAt(doc.text, at, format), event.data[match.field]);
          assert.equal(valueAt(doc.text, doc.locate('EventID')!, format), String(event.eventId));
        }
      }
    });
  }

  it('escapes XML and JSON: markup, quotes, line breaks, control characters and odd names', () => {
    const data = {
      CommandLine: 'cmd /c "a&b" <x> \'y\' ]]> end',
      Multi: 'line1\r\nline2\ttab',
      Control: 'a\u0001b',
      'Odd"Name&<': 'v',
      Unicode: 'Zürich ☃ \u{1F600}',
      Empty: '',
    };
    const event = { eventId: 1, provider: 'Microsoft-Windows-Sysmon', computer: 'H&<"', data };
    const xml = renderEventXml(event);
    const back = parseXmlRecord(xml.text);
    assert.equal(back.computer, 'H&<"');
    for (const name of ['CommandLine', 'Multi', 'Unicode', 'Empty', 'Odd"Name&<']) {
      assert.equal(back.data[name], data[name as keyof typeof data], name);
      assert.equal(valueAt(xml.text, xml.locate(name)!, 'xml'), data[name as keyof typeof data], name);
    }
    assert.ok(!xml.text.includes('\u0001'), 'a control character XML cannot hold is written out');
    assert.ok(!xml.text.includes(']]>'));
    const json = renderEventJson(event);
    const parsed = JSON.parse(json.text) as JsonDoc;
    assert.deepEqual(parsed.Event.EventData, data);
    for (const name of Object.keys(data)) assert.equal(valueAt(json.text, json.locate(name)!, 'json'), data[name as keyof typeof data], name);
  });

  it("a record's System fields become Windows' elements and attributes", () => {
    const system = { Provider_Name: 'Microsoft-Windows-Sysmon', Provider_Guid: '{5770}', EventID: '3', Execution_ProcessID: '1964', Execution_ThreadID: '12', TimeCreated: '2019-04-30T20:26:51.7935890Z', Security_UserID: 'S-1-5-18', Computer: 'IEWIN7', Channel: 'Microsoft-Windows-Sysmon/Operational' };
    const doc = renderEventXml({ data: { Image: 'x' }, system });
    assert.match(doc.text, /<Provider Name="Microsoft-Windows-Sysmon" Guid="\{5770\}" \/>/);
    assert.match(doc.text, /<Execution ProcessID="1964" ThreadID="12" \/>/);
    assert.match(doc.text, /<TimeCreated SystemTime="2019-04-30T20:26:51.7935890Z" \/>/);
    const back = parseXmlRecord(doc.text);
    for (const [name, value] of Object.entries(system)) assert.equal(back.system[name], value, name);
    assert.equal(valueAt(doc.text, doc.locate('Execution_ThreadID')!, 'xml'), '12');
  });
});

describe('recordAt: the record at an offset of a log', () => {
  for (const name of SHAPES) {
    it(`${name}: the record around each command line, and none between records`, () => {
      const text = textOf(name);
      for (const proc of [MATCH, BENIGN]) {
        // The image is written escaped in JSON (backslashes doubled): look for the unique tail.
        const tail = proc.parent.slice(proc.parent.lastIndexOf('\\') + 1);
        const at = text.indexOf(tail);
        assert.ok(at > 0, `${name}: ${tail} is in the text`);
        const found = recordAt(text, at + 2);
        assert.ok(found, `${name}: a record at ${at}`);
        assert.equal(found.record.data.ParentImage, proc.parent);
        assert.equal(found.record.data.CommandLine, proc.cmd);
        assert.ok(found.start <= at && at < found.end);
        // The record's own text reads the same.
        assert.equal(recordAt(text.slice(found.start, found.end), 0)?.record.data.ParentImage ?? proc.parent, proc.parent);
      }
      const network = text.indexOf('svchost');
      assert.equal(recordAt(text, network)?.record.eventId, NETWORK.id);
    });
  }

  it('gives nothing between records, before the first, or past the window', () => {
    const text = textOf('flat.ndjson');
    const firstEnd = text.indexOf('\n');
    assert.equal(recordAt(text, firstEnd), undefined, 'the line break after a record');
    const xml = textOf('wevtutil-crlf.xml');
    assert.equal(recordAt(xml, 3)?.record.recordId, '100', 'in the first tag name');
    const ev = textOf('eventviewer.xml');
    assert.equal(recordAt(ev, 3), undefined, 'in the prolog');
    const close = xml.indexOf('</Event>') + 8;
    assert.equal(recordAt(xml, close), undefined, 'just after a record');
    assert.equal(recordAt(xml, close + 1), undefined, 'on the line break');
    assert.equal(recordAt(xml, close + 2)?.record.recordId, '101', 'on the next record');
    assert.equal(recordAt(xml, close - 1)?.record.recordId, '100', 'on its last character');
    // A record longer than the window is not looked for.
    const at = text.indexOf('services.exe');
    assert.ok(recordAt(text, at, { window: 1_000_000 }));
    assert.equal(recordAt(text, at, { window: 10 }), undefined);
  });

  it('looks only near the offset in a long one-line file', () => {
    const one = textOf('array-one-line.json');
    // Ten thousand benign records, then the fixture's: about 2.5 MB on one line.
    const filler = JSON.stringify({ EventID: 3, SourceName: 'Microsoft-Windows-Sysmon', Image: 'C:\\a.exe', DestinationPort: '1' });
    const text = `[${Array.from({ length: 10_000 }, () => filler).join(',')},${one.slice(1)}`;
    const at = text.indexOf('services.exe');
    const found = recordAt(text, at);
    assert.equal(found?.record.data.ParentImage, MATCH.parent);
    assert.equal(recordAt(text, 40)?.record.data.Image, 'C:\\a.exe');
  });

  it('a matched event keeps every System field of its record (Level, Keywords, Execution, Security), for the document, hover and copy', async () => {
    // The bundled sample's events have the whole System element; its match is on line 30.
    const file = path.resolve(__dirname, '..', '..', '..', 'samples', 'sysmon-sample.xml');
    const { matches } = await huntFile(file, { rules: CAR_2014_05_002_ONLY });
    const parsed = parseXmlRecord(readFileSync(file, 'utf8').split('\r\n')[29]);
    assert.ok(parsed.system.Keywords && parsed.system.Execution_ProcessID && parsed.system.Security_UserID, 'line 30 has the whole System element');
    assert.deepEqual(matches[0].event.system, parsed.system);
    const back = JSON.parse(renderEventJson(matches[0].event).text) as JsonDoc;
    for (const [name, value] of Object.entries(parsed.system)) assert.equal(back.Event.System[name], value, name);
  });
});
