// Export Results…: each format written from a hunt's results, and a hunted log refused as the target.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ExportOutcome } from '../../src/extension/exportCommand';
import { fixture, huntWithServicesCmdOnly, reset } from './helpers';

interface SarifLog {
  version: string;
  runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[];
}

describe('Export Results…', () => {
  huntWithServicesCmdOnly();
  let dir: string;
  let log: vscode.Uri;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-export-'));
    // A copy, so that the refused export could not harm the repository's fixture even if it were written.
    fs.copyFileSync(fixture('services-cmd.xml').fsPath, path.join(dir, 'services-cmd.xml'));
    log = vscode.Uri.file(path.join(dir, 'services-cmd.xml'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    await reset();
    await vscode.commands.executeCommand('logHunt.huntFile', log);
  });

  const exportTo = (format: string, name: string) =>
    vscode.commands.executeCommand<ExportOutcome | undefined>('logHunt.exportResults', format, vscode.Uri.file(path.join(dir, name)));

  it('writes SARIF 2.1.0 with one result per match and the rule', async () => {
    const outcome = await exportTo('sarif', 'out.sarif');
    assert.strictEqual(outcome?.matches, 3);
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'out.sarif'), 'utf8')) as SarifLog;
    assert.strictEqual(sarif.version, '2.1.0');
    const [run] = sarif.runs;
    assert.deepStrictEqual(run.tool.driver.rules.map((r) => r.id), ['CAR-2014-05-002']);
    assert.deepStrictEqual(run.results.map((r) => r.ruleId), ['CAR-2014-05-002', 'CAR-2014-05-002', 'CAR-2014-05-002']);
    // The matches are the process creates on lines 3, 5 and 7 of the fixture.
    assert.deepStrictEqual(run.results.map((r) => r.locations[0].physicalLocation.region.startLine), [3, 5, 7]);
  });

  it('writes CSV with a BOM, the header and one row per match', async () => {
    await exportTo('csv', 'out.csv');
    const text = fs.readFileSync(path.join(dir, 'out.csv'), 'utf8');
    assert.ok(text.startsWith('\uFEFFruleId,title,level,'), text.slice(0, 40));
    const lines = text.slice(1).split('\r\n').filter((l) => l !== '');
    assert.strictEqual(lines.length, 4, text);
    for (const row of lines.slice(1)) assert.ok(row.startsWith('CAR-2014-05-002,Services launching Cmd,high,'), row);
    assert.ok(lines.some((l) => l.includes('cmd.exe /c sc start updater')));
  });

  it('writes JSON Lines, one object per match', async () => {
    await exportTo('jsonl', 'out.jsonl');
    const lines = fs.readFileSync(path.join(dir, 'out.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
    const objects = lines.map((l) => JSON.parse(l) as { ruleId: string; line: number; file: string; lineage: unknown });
    assert.deepStrictEqual(objects.map((o) => [o.ruleId, o.line]), [['CAR-2014-05-002', 3], ['CAR-2014-05-002', 5], ['CAR-2014-05-002', 7]]);
    assert.strictEqual(objects[0].file, log.fsPath);
  });

  it('refuses to write over a hunted log', async () => {
    const before = fs.readFileSync(log.fsPath, 'utf8');
    const outcome = await vscode.commands.executeCommand<ExportOutcome | undefined>('logHunt.exportResults', 'csv', log);
    assert.strictEqual(outcome, undefined);
    assert.strictEqual(fs.readFileSync(log.fsPath, 'utf8'), before);
  });

  it('writes nothing when there are no results', async () => {
    await reset();
    assert.strictEqual(await exportTo('csv', 'empty.csv'), undefined);
    assert.ok(!fs.existsSync(path.join(dir, 'empty.csv')));
  });
});
