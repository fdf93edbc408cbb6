// Hunt Folder… over an incident's logs from several machines: the results grouped by host (the
// default, each host a timeline over every file) or by file, whose rows name their hosts and, for a
// file holding several hosts' events, hold one row per host (fileGroups.ts).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { LogHuntApi } from '../../src/extension/activate';
import type { FolderHuntOutcome } from '../../src/extension/huntFolderCommand';
import type { ResultNode } from '../../src/extension/resultsTree';
import { assertEvery } from '../support/assertions';
import { huntWithServicesCmdOnly, label, logHunt, reset, Row, treeRows } from './helpers';

const CMD = 'C:\\Windows\\System32\\cmd.exe';
const SERVICES = 'C:\\Windows\\System32\\services.exe';

const guid = (record: number): string => `{5770385f-c22a-43e0-bf4c-06f5698f${String(record).padStart(4, '0')}}`;

/** A CAR-2014-05-002 match (services.exe launching cmd.exe) on `host` at second `second`, as XML. */
function xmlMatch(record: number, host: string, second: number): string {
  return (
    `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon'/>` +
    `<EventID>1</EventID><TimeCreated SystemTime='2024-06-01T00:00:${String(second).padStart(2, '0')}.000Z'/><EventRecordID>${record}</EventRecordID>` +
    `<Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>${host}</Computer></System><EventData>` +
    `<Data Name='ProcessGuid'>${guid(record)}</Data><Data Name='ProcessId'>${record}</Data>` +
    `<Data Name='Image'>${CMD}</Data><Data Name='CommandLine'>cmd.exe /c step${record}.bat</Data>` +
    `<Data Name='ParentImage'>${SERVICES}</Data></EventData></Event>`
  );
}

/** The same match as a flat JSON line (nxlog's field names). */
function jsonMatch(record: number, host: string, second: number): string {
  return JSON.stringify({
    EventID: 1, SourceName: 'Microsoft-Windows-Sysmon', Hostname: host, RecordNumber: record, ProcessGuid: guid(record), ProcessId: record,
    UtcTime: `2024-06-01 00:00:${String(second).padStart(2, '0')}.000`, Image: CMD, ParentImage: SERVICES, CommandLine: `cmd.exe /c step${record}.bat`,
  });
}

/** A row as [label, description]. */
const shown = (rows: Row[]): [string, string][] => rows.map((r) => [label(r.item), String(r.item.description)]);
/** The seconds of the match rows, from their ISO time description. */
const seconds = (rows: Row[]): number[] => rows.map((r) => Number(/^2024-06-01T00:00:(\d\d)/.exec(String(r.item.description))?.[1]));

describe('results grouped by host or by file', () => {
  huntWithServicesCmdOnly();
  let api: LogHuntApi;
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-groups-'));
    for (const sub of ['dc01', 'wec', 'ws1']) fs.mkdirSync(path.join(dir, sub));
    // The domain controller's own log, out of time order.
    fs.writeFileSync(path.join(dir, 'dc01', 'Sysmon.xml'), `<Events>\n${xmlMatch(1, 'DC01', 5)}\n${xmlMatch(2, 'DC01', 1)}\n</Events>\n`);
    // A collector's forwarded events: two workstations in one file.
    fs.writeFileSync(path.join(dir, 'wec', 'forwarded.xml'), `<Events>\n${[xmlMatch(10, 'WS1', 9), xmlMatch(11, 'WS2', 4), xmlMatch(12, 'WS1', 3)].join('\n')}\n</Events>\n`);
    // WS1's own log, shipped by nxlog.
    fs.writeFileSync(path.join(dir, 'ws1', 'sysmon.jsonl'), `${jsonMatch(20, 'WS1', 7)}\n`);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'Case 42: DC01, WS1, WS2.\n');
    await reset();
    api = await logHunt();
    const outcome = await vscode.commands.executeCommand<FolderHuntOutcome>('logHunt.huntFolder', vscode.Uri.file(dir));
    assert.strictEqual(outcome.matches, 6);
  });
  after(async () => {
    await vscode.commands.executeCommand('logHunt.groupResultsByHost');
    fs.rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('logHunt.clearFilter');
    await vscode.commands.executeCommand('logHunt.groupResultsByHost');
  });

  const ruleRow = (): Row => {
    const rules = treeRows(api).filter((r) => r.node.kind === 'rule');
    assert.strictEqual(rules.length, 1, 'one rule row');
    return rules[0];
  };
  const child = (rows: Row[], name: string): Row => {
    const row = rows.find((r) => label(r.item) === name);
    assert.ok(row, `no row ${name} in ${shown(rows).join(' | ')}`);
    return row;
  };
  /** Every row's id, depth first down to the match rows, as VS Code asks for them (ids must be unique). */
  const ids = (node?: ResultNode): string[] => treeRows(api, node).flatMap((r) => [r.item.id ?? '', ...(r.node.kind === 'match' ? [] : ids(r.node))]);

  it('by host (the default): one timeline per host over every file, its files in the tooltip', () => {
    assert.strictEqual(api.results.groupBy, 'host');
    const hosts = treeRows(api, ruleRow().node);
    assert.deepStrictEqual(shown(hosts), [['WS1', '3 matches'], ['DC01', '2 matches'], ['WS2', '1 match']]);
    const ws1 = child(hosts, 'WS1');
    const matches = treeRows(api, ws1.node);
    assert.deepStrictEqual(seconds(matches), [3, 7, 9], 'sorted by time across forwarded.xml and sysmon.jsonl');
    assert.strictEqual(ws1.item.tooltip, 'WS1\nforwarded.xml: 2 matches\nsysmon.jsonl: 1 match');
  });

  it('by file: each file names its hosts; a file of several hosts has a row per host, a file of one lists its matches', async () => {
    await vscode.commands.executeCommand('logHunt.groupResultsByFile');
    assert.strictEqual(api.results.groupBy, 'file');
    const rule = ruleRow();
    assert.strictEqual(rule.item.description, '6 matches · T1543.003');
    const files = treeRows(api, rule.node);
    assert.deepStrictEqual(shown(files), [['forwarded.xml', '3 matches · WS1, WS2'], ['Sysmon.xml', '2 matches · DC01'], ['sysmon.jsonl', '1 match · WS1']]);
    assertEvery(files, (f) => f.node.kind === 'file' && f.item.contextValue === 'file' && f.item.resourceUri?.scheme === 'file', 'file rows');

    // The collector's file: a row per host, with counts, and each host's matches under it by time.
    const hosts = treeRows(api, child(files, 'forwarded.xml').node);
    assert.deepStrictEqual(shown(hosts), [['WS1', '2 matches'], ['WS2', '1 match']]);
    assert.deepStrictEqual(seconds(treeRows(api, child(hosts, 'WS1').node)), [3, 9]);
    assert.deepStrictEqual(seconds(treeRows(api, child(hosts, 'WS2').node)), [4]);

    // One host: the matches straight under the file, sorted by time, each still with its Process tree.
    const dc = treeRows(api, child(files, 'Sysmon.xml').node);
    assertEvery(dc, (r) => r.node.kind === 'match', 'rows under a one-host file');
    assert.deepStrictEqual(seconds(dc), [1, 5]);
    assert.deepStrictEqual(treeRows(api, dc[0].node).map((r) => label(r.item)), ['Process tree']);
    assert.deepStrictEqual(seconds(treeRows(api, child(files, 'sysmon.jsonl').node)), [7]);

    const all = ids();
    assert.strictEqual(new Set(all).size, all.length, `duplicate row ids: ${all.join(' ')}`);
  });

  it('Filter Results… applies to the file rows; Group Results by Host restores the host rows', async () => {
    await vscode.commands.executeCommand('logHunt.groupResultsByFile');
    await vscode.commands.executeCommand('logHunt.filterResults', { kind: 'host', value: 'WS1' });
    const files = treeRows(api, ruleRow().node);
    assert.deepStrictEqual(shown(files), [['forwarded.xml', '2 matches · WS1'], ['sysmon.jsonl', '1 match · WS1']]);
    // WS1 alone is left in the collector's file, so its matches are flat under it.
    assert.deepStrictEqual(seconds(treeRows(api, files[0].node)), [3, 9]);

    await vscode.commands.executeCommand('logHunt.clearFilter');
    await vscode.commands.executeCommand('logHunt.groupResultsByHost');
    assert.deepStrictEqual(shown(treeRows(api, ruleRow().node)), [['WS1', '3 matches'], ['DC01', '2 matches'], ['WS2', '1 match']]);
  });

  it('the results view offers the grouping not in use in its … menu', () => {
    const menus = (vscode.extensions.getExtension('log-hunt.log-hunt')!.packageJSON as { contributes: { menus: Record<string, { command: string; when?: string }[]> } }).contributes.menus;
    const when = (command: string) => menus['view/title'].find((m) => m.command === command)?.when;
    assert.strictEqual(when('logHunt.groupResultsByFile'), 'view == logHunt.results && !logHunt.resultsByFile');
    assert.strictEqual(when('logHunt.groupResultsByHost'), 'view == logHunt.results && logHunt.resultsByFile');
  });
});
