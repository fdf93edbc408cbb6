/**
 * Issue 12 in the CLI: --output sarif|csv (one result or row per match; the SARIF passes
 * Microsoft's SARIF Multitool validation with no error), --json as --output jsonl with lineage,
 * folder hunts (logs found by content, the rest skipped and named, --exclude) and `search`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type * as Sarif from 'sarif';
import { CSV_COLUMNS } from '../../src/engine';
import { assertEvery } from '../support/assertions';
import { runCli } from '../support/cli';
import { corpusEntries, CORPUS_DIR, evtxCorpusEntries, REPO_ROOT } from '../support/corpus';
import { sharedRequired } from '../support/shared';

/** RFC 4180 records (quoted fields, doubled quotes, CRLF or LF between records). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

/** The Multitool binary of this platform (its install's chmod may not have run: npm can hold install scripts back). */
function multitool(): string {
  const require = createRequire(path.join(REPO_ROOT, 'package.json'));
  const bin = require('@microsoft/sarif-multitool') as string;
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    chmodSync(bin, 0o755);
  }
  return bin;
}

const withMatches = [...(corpusEntries() ?? []), ...(evtxCorpusEntries() ?? [])].filter((e) => e.matches > 0);

describe('cli: export, folders and search (issue 12)', function () {
  const dir = mkdtempSync(path.join(tmpdir(), 'log-hunt-export-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  before(function () {
    if (withMatches.length === 0) {
      if (sharedRequired()) throw new Error('../shared/corpus is absent');
      this.skip();
    }
  });

  it('--output sarif: one result per match on every corpus log with matches, and the Multitool validates it with no error', async function () {
    this.timeout(600_000); // the Multitool is a .NET program: a minute and more on a busy CI machine
    const outputs: string[] = [];
    for (const [i, entry] of withMatches.entries()) {
      const out = path.join(dir, `${i}.sarif`);
      const run = await runCli('hunt', '--analytic', 'CAR-2014-05-002', '--output', 'sarif', '--out', out, entry.path);
      assert.equal(run.status, 0, run.err.join('\n'));
      const log = JSON.parse(readFileSync(out, 'utf8')) as Sarif.Log;
      assert.equal(log.version, '2.1.0');
      assert.equal(log.runs.length, 1);
      const [sarifRun] = log.runs;
      assert.equal(sarifRun.results?.length, entry.matches, entry.file);
      const rule = sarifRun.tool.driver.rules?.find((r) => r.id === 'CAR-2014-05-002');
      assert.ok(rule?.help?.text && rule.name);
      assert.equal(rule.properties?.level, 'high');
      assert.ok((rule.properties?.tags as string[]).includes('T1543.003'));
      for (const result of sarifRun.results ?? []) {
        assert.equal(result.level, 'error');
        const region = result.locations?.[0].physicalLocation?.region;
        if (entry.format === 'evtx') {
          assert.equal(typeof region?.byteOffset, 'number');
          assert.match(result.locations?.[0].logicalLocations?.[0].name ?? '', /^record \d+$/);
        } else assert.ok(region?.startLine && region.startColumn && region.endLine && region.endColumn);
      }
      outputs.push(out);
    }
    // The psexec log's cmd.exe has its powershell.exe child as a related location.
    const psexec = withMatches.findIndex((e) => e.file === 'LM_sysmon_psexec_smb_meterpreter.xml');
    const related = (JSON.parse(readFileSync(outputs[psexec], 'utf8')) as Sarif.Log).runs[0].results?.[0].relatedLocations ?? [];
    assert.ok(related.some((l) => /^child: .*powershell\.exe/i.test(l.message?.text ?? '')), JSON.stringify(related.map((l) => l.message?.text)));
    const check = spawnSync(multitool(), ['validate', ...outputs], { encoding: 'utf8', timeout: 120_000 });
    const report = `${check.stdout}\n${check.stderr}`;
    assert.equal(check.status, 0, report);
    assert.doesNotMatch(report, /: error /, report);
    assert.match(report, new RegExp(`${outputs.length} files? scanned`));
  });

  it('--output csv: BOM, the columns, one row per match; formula-like cells neutralised', async () => {
    for (const entry of withMatches) {
      const out = path.join(dir, 'x.csv');
      const run = await runCli('hunt', '--analytic', 'CAR-2014-05-002', '--output', 'csv', '--out', out, entry.path);
      assert.equal(run.status, 0);
      const text = readFileSync(out, 'utf8');
      assert.ok(text.startsWith('\uFEFF'), 'UTF-8 BOM');
      const [header, ...rows] = parseCsv(text.slice(1));
      assert.deepEqual(header, [...CSV_COLUMNS]);
      for (const c of ['ruleId', 'title', 'level', 'file', 'line', 'column', 'recordId', 'time', 'host', 'user', 'image', 'parentImage', 'commandLine', 'processGuid']) assert.ok((header as string[]).includes(c), c);
      assert.equal(rows.length, entry.matches, entry.file);
      for (const row of rows) {
        assert.equal(row.length, header.length);
        assert.equal(row[header.indexOf('ruleId')], 'CAR-2014-05-002');
        assert.match(row[header.indexOf('parentImage')], /services\.exe$/i);
      }
    }
    const evil = path.join(dir, 'evil.xml');
    const cmd = `=HYPERLINK("http://x","y"),+1,-2,@SUM(A1)`;
    writeFileSync(evil, `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="Microsoft-Windows-Sysmon"/><EventID>1</EventID><EventRecordID>7</EventRecordID><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>@HOST</Computer></System><EventData><Data Name="Image">C:\\Windows\\System32\\cmd.exe</Data><Data Name="CommandLine">${cmd.replace(/"/g, '&quot;')}</Data><Data Name="User">-user</Data><Data Name="ParentImage">C:\\Windows\\System32\\services.exe</Data></EventData></Event>\n`);
    const out = path.join(dir, 'evil.csv');
    assert.equal((await runCli('hunt', '--analytic', 'CAR-2014-05-002', '--output', 'csv', '--out', out, evil)).status, 0);
    const [header, row] = parseCsv(readFileSync(out, 'utf8').slice(1));
    assert.equal(row[header.indexOf('commandLine')], `'${cmd}`);
    assert.equal(row[header.indexOf('host')], `'@HOST`);
    assert.equal(row[header.indexOf('user')], `'-user`);
  });

  it('--json is --output jsonl, with lineage; --no-lineage leaves it out', async () => {
    const entry = withMatches.find((e) => e.file === 'LM_sysmon_psexec_smb_meterpreter.xml')!;
    const a = await runCli('hunt', '--analytic', 'CAR-2014-05-002', '--json', entry.path);
    const b = await runCli('hunt', '--analytic', 'CAR-2014-05-002', '--output', 'jsonl', entry.path);
    const strip = (lines: string[]) => lines.map((l) => l.replace(/"seconds":[0-9.e-]+/, ''));
    assert.deepEqual(strip(a.out), strip(b.out));
    const match = JSON.parse(a.out[0]) as { lineage: { parent: unknown; children: { image: string; line?: number; position?: { line: number } }[] } };
    assert.equal(match.lineage.parent, null);
    assert.match(match.lineage.children[0].image, /powershell\.exe$/i);
    assert.ok(match.lineage.children[0].position!.line > 1);
    const off = await runCli('hunt', '--analytic', 'CAR-2014-05-002', '--json', '--no-lineage', entry.path);
    assert.ok(!('lineage' in (JSON.parse(off.out[0]) as object)));
    assert.equal((await runCli('hunt', '--json', '--output', 'csv', entry.path)).status, 2);
  });

  it('hunt DIR: logs found by content at any depth, the rest skipped and named, --exclude', async () => {
    const folder = path.join(dir, 'incident');
    mkdirSync(path.join(folder, 'host1', 'deep'), { recursive: true });
    const xml = withMatches.find((e) => e.file === 'LM_sysmon_psexec_smb_meterpreter.xml')!;
    const evtx = withMatches.find((e) => e.file === 'LM_sysmon_psexec_smb_meterpreter.evtx')!;
    copyFileSync(xml.path, path.join(folder, 'host1', 'sysmon.txt')); // the name says nothing
    copyFileSync(evtx.path, path.join(folder, 'host1', 'deep', 'log.bin'));
    copyFileSync(path.join(CORPUS_DIR, 'empire_psexec_dcerpc_tcp_svcctl_2020-09-20121608.sysmon.jsonl'), path.join(folder, 'empire.json'));
    writeFileSync(path.join(folder, 'notes.xml'), '<?xml version="1.0"?><notes><note>not a log</note></notes>');
    writeFileSync(path.join(folder, 'package.json'), '{"name": "x"}\n');
    writeFileSync(path.join(folder, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]));
    const run = await runCli('hunt', '--analytic', 'CAR-2014-05-002', folder);
    assert.equal(run.status, 0, run.err.join('\n'));
    const summaries = run.out.filter((l) => / match\(es\) in /.test(l));
    assert.deepEqual(summaries.map((l) => path.relative(folder, l.slice(0, l.indexOf(': ')))), ['empire.json', 'host1/deep/log.bin', 'host1/sysmon.txt']);
    assertEvery(summaries, (l) => / 1 match\(es\)/.test(l), 'one match in each log');
    const skippedLine = run.out.find((l) => /file\(s\) skipped as not logs/.test(l)) ?? '';
    for (const name of ['notes.xml', 'package.json', 'image.png']) assert.ok(skippedLine.includes(name), skippedLine);
    const excluded = await runCli('hunt', '--analytic', 'CAR-2014-05-002', '--exclude', 'deep', '--exclude', '*.json', folder);
    assert.deepEqual(excluded.out.filter((l) => / match\(es\) in /.test(l)).map((l) => path.basename(l.slice(0, l.indexOf(': ')))), ['sysmon.txt']);
  });

  it('search: every event holding a ProcessGuid, as a reading of the log of our own finds them; the .evtx alike', async () => {
    const xml = withMatches.find((e) => e.file === 'LM_sysmon_psexec_smb_meterpreter.xml')!;
    const text = readFileSync(xml.path, 'utf8');
    const guid = '{365ABB72-2586-5CC9-0000-0010DC530000}'; // upper case: case is ignored
    const events = text.match(/<Event[\s>][\s\S]*?<\/Event>/g) ?? [];
    const holding = events.filter((e) => [...e.matchAll(/>([^<]*)</g)].some((m) => m[1].toLowerCase() === guid.toLowerCase()));
    const ids = holding.map((e) => /<EventRecordID>(\d+)</.exec(e)![1]);
    assert.ok(ids.length >= 3);
    const run = await runCli('search', '--json', guid, xml.path, xml.path.replace(/\.xml$/, '.evtx'));
    assert.equal(run.status, 0, run.err.join('\n'));
    const hits = run.out.map((l) => JSON.parse(l) as { recordId?: string; file?: string; fields?: string[]; line?: number | null; summary?: unknown });
    const found = hits.filter((h) => !h.summary);
    assert.deepEqual(found.filter((h) => h.file === xml.path).map((h) => h.recordId), ids);
    assert.deepEqual(found.filter((h) => h.file !== xml.path).map((h) => h.recordId), ids);
    assertEvery(found, (h) => h.fields!.length > 0, 'each hit names its fields');
    // --field looks in one field; --contains takes a part of the value.
    const parent = await runCli('search', '--json', '--field', 'ParentProcessGuid', guid, xml.path);
    assert.equal(parent.out.filter((l) => !l.includes('"summary"')).length, 1);
    const part = await runCli('search', '--contains', '--field', 'Image', 'POWERSHELL', xml.path);
    assert.ok(part.out.filter((l) => / EventID /.test(l)).length >= 1);
    const none = await runCli('search', guid.slice(1, 20), xml.path);
    assert.match(none.out.at(-1) ?? '', / 0 event\(s\) of 10 hold/);
  });
});
