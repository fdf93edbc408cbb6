// An empty hunt explains itself in the results view: under its "No matches" row, a row per rule
// that came closest, in words with the values the events had (near misses), that stays on screen.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { LogHuntApi } from '../../src/extension/activate';
import { huntWithServicesCmdOnly, label, logHunt, processCreate, reset, treeRows } from './helpers';

const CMD = 'C:\\Windows\\System32\\cmd.exe';
const POWERSHELL = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
const EXPLORER = 'C:\\Windows\\explorer.exe';

function writeLog(file: string, events: string[]): vscode.Uri {
  fs.writeFileSync(file, `<Events>\n${events.join('\n')}\n</Events>\n`);
  return vscode.Uri.file(file);
}

function notices(api: LogHuntApi): { label: string; description: string; tooltip: string; command?: vscode.Command }[] {
  return treeRows(api)
    .filter((r) => r.node.kind === 'notice')
    .map((r) => ({
      label: label(r.item),
      description: String(r.item.description),
      tooltip: (r.item.tooltip as vscode.MarkdownString).value,
      command: r.item.command,
    }));
}

describe('empty hunt explained in the view', () => {
  huntWithServicesCmdOnly();
  let api: LogHuntApi;
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-explain-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    await reset();
    api = await logHunt();
  });

  it('cmd.exe creates under other parents: a row naming the count and the parents with counts, not a command', async () => {
    // 4 cmd.exe under powershell.exe, 2 under explorer.exe; and a powershell.exe under explorer.exe, no near miss.
    const events = [
      ...[1, 2, 3, 4].map((r) => processCreate(r, CMD, POWERSHELL, 'cmd.exe /c whoami', 'HOST-A')),
      ...[5, 6].map((r) => processCreate(r, CMD, EXPLORER, 'cmd.exe', 'HOST-A')),
      processCreate(7, POWERSHELL, EXPLORER, 'powershell', 'HOST-A'),
    ];
    const uri = writeLog(path.join(dir, 'no-services.xml'), events);
    const outcome = await api.hunt([uri]);
    assert.strictEqual(outcome.matches, 0);
    const rows = notices(api);
    const none = rows.find((r) => r.label === 'No matches in no-services.xml');
    assert.ok(none, rows.map((r) => r.label).join(' | '));
    const closest = rows.filter((r) => r.label.startsWith('Closest: '));
    assert.strictEqual(closest.length, 1, rows.map((r) => r.label).join(' | '));
    assert.strictEqual(closest[0].label, 'Closest: Services launching Cmd · 6 near misses');
    const sentence = 'CAR-2014-05-002 (Services launching Cmd): 6 cmd.exe process creates, none started by services.exe; their parents: powershell.exe 4, explorer.exe 2.';
    assert.strictEqual(closest[0].description, sentence);
    // The tooltip is the whole sentence, escaped (log values never become Markdown).
    assert.strictEqual(closest[0].tooltip.replace(/\\(.)/g, '$1'), sentence);
    assert.strictEqual(closest[0].command, undefined, 'an explanation row runs no command');
    assert.strictEqual(outcome.files[0].summary?.nearMisses?.rules[0].nearMisses, 6);
  });

  it('no event within one test of the rule: a row says so', async () => {
    const uri = writeLog(path.join(dir, 'far.xml'), [processCreate(1, POWERSHELL, EXPLORER, 'powershell', 'HOST-A')]);
    await api.hunt([uri]);
    const rows = notices(api);
    assert.ok(rows.some((r) => r.label === 'No matches in far.xml'));
    const far = rows.find((r) => r.label === 'No near misses in far.xml');
    assert.ok(far, rows.map((r) => r.label).join(' | '));
    assert.strictEqual(far.description, 'No event came within one test of a rule.');
    assert.ok(!rows.some((r) => r.label.startsWith('Closest: ')));
  });

  it('a hunt that matches runs no near-miss pass', async () => {
    const uri = writeLog(path.join(dir, 'match.xml'), [processCreate(1, CMD, 'C:\\Windows\\System32\\services.exe', 'cmd.exe /c x', 'HOST-A')]);
    const outcome = await api.hunt([uri]);
    assert.strictEqual(outcome.matches, 1);
    assert.strictEqual(outcome.files[0].summary?.nearMisses, undefined);
    assert.ok(!notices(api).some((r) => r.label.startsWith('Closest: ') || r.label.startsWith('No near misses')));
  });
});
