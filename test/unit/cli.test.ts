/** The `log-hunt` CLI: output formats, exit codes and messages. */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { servicesCmdEvtx } from './evtx/writer';
import { assertEvery } from '../support/assertions';
import { assertBuiltCliFresh } from '../support/cli';
import { REPO_ROOT } from '../support/corpus';
import { shapeFixtures } from '../support/shapes';

/** The per-file summary line among the output. */
const summaryOf = (out: string[]) => out.find((l) => / match\(es\) in \d+ events/.test(l)) ?? '';

async function run(...argv: string[]): Promise<{ status: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(argv, (l) => out.push(l), (l) => err.push(l));
  return { status, out, err };
}

/** `log-hunt hunt` with CAR-2014-05-002 alone: the fixtures here count its matches. */
const huntCar = (...argv: string[]) => run('hunt', '--analytic', 'CAR-2014-05-002', ...argv);

describe('cli', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'log-hunt-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const fixture = path.join(dir, 'wevtutil.xml');
  writeFileSync(fixture, shapeFixtures()['wevtutil-crlf.xml']);

  it('hunt prints file:line:col, analytic, host, parent -> image and command line, then a summary', async () => {
    const { status, out } = await huntCar(fixture);
    assert.equal(status, 0);
    assert.match(out[0], new RegExp(`^${fixture.replace(/\\/g, '\\\\')}:\\d+:\\d+  CAR-2014-05-002  HOST-A  2024-01-02T03:04:05.0000000Z  services.exe -> CMD.EXE  cmd.exe /c "echo a&b" > c:\\\\x.txt$`));
    assert.match(out[1], /: 1 match\(es\) in 4 events, 2 process creates, 0 malformed; xml \(wevtutil/);
  });

  it('hunt --json writes one object per match, then the summary', async () => {
    const { status, out } = await huntCar('--json', fixture);
    assert.equal(status, 0);
    assert.equal(out.length, 2);
    const match = JSON.parse(out[0]) as Record<string, unknown>;
    for (const key of ['analytic', 'ruleId', 'title', 'level', 'author', 'source', 'attack', 'field', 'file', 'line', 'column', 'endLine', 'endColumn', 'recordId', 'host', 'time', 'image', 'parentImage', 'commandLine', 'pid', 'ppid', 'processGuid', 'user']) {
      assert.ok(key in match, `match lacks ${key}`);
    }
    assert.equal(match.analytic, 'CAR-2014-05-002');
    assert.equal(match.recordId, '101');
    assert.equal(match.image, 'C:\\Windows\\System32\\CMD.EXE');
    assert.deepEqual(
      [match.ruleId, match.title, match.level, match.author, match.source, match.attack, match.field],
      ['CAR-2014-05-002', 'Services launching Cmd', 'high', 'MITRE CAR', 'car', ['T1543.003'], 'Image'],
    );
    const { summary } = JSON.parse(out[1]) as { summary: Record<string, unknown> };
    assert.deepEqual(
      [summary.file, summary.events, summary.processCreates, summary.matches, summary.malformed],
      [fixture, 4, 2, 1, 0],
    );
    for (const key of ['format', 'bytes', 'seconds']) assert.ok(key in summary);
  });

  it('a hunt that finds nothing says why', async () => {
    const empty = path.join(dir, 'network-only.xml');
    writeFileSync(empty, '<Event><System><Provider Name="Microsoft-Windows-Sysmon"/><EventID>3</EventID></System></Event>\n');
    const { status, out } = await huntCar(empty);
    assert.equal(status, 0);
    assert.match(out.join('\n'), /nothing found: 1 events but no Sysmon process creates .* EventIDs seen: 3 ×1/);
  });

  it('exits 2 with one line for a missing file; a directory is a folder hunt', async () => {
    const missing = await huntCar(path.join(dir, 'missing.xml'));
    assert.equal(missing.status, 2);
    assert.equal(missing.err.length, 1);
    assert.match(missing.err[0], /no such file/);
    const folder = await huntCar(dir);
    assert.equal(folder.status, 0);
    assert.match(folder.err[0], /: \d+ log\(s\) to hunt/);
  });

  it('hunts an .evtx: each match says record, chunk and offset; JSON has no lines but the same place', async () => {
    const evtx = path.join(dir, 'services.evtx');
    writeFileSync(evtx, servicesCmdEvtx());
    const { status, out } = await huntCar(evtx);
    assert.equal(status, 0);
    assert.match(out[0], new RegExp(`^${evtx.replace(/\\/g, '\\\\')}: record 2 \\(chunk 0, offset 0x[0-9a-f]+\\)  CAR-2014-05-002  HOST-1  2024-01-02T03:04:05.6789012Z  services.exe -> cmd.exe  cmd.exe /c start.bat$`));
    assert.match(summaryOf(out), /: 1 match\(es\) in 2 events, 2 process creates, 0 malformed; evtx \(Windows event log\)/);
    const json = await huntCar('--json', evtx);
    const match = JSON.parse(json.out[0]) as { recordId: string; chunk: number; line: null; column: null; recovered: boolean; offset: number };
    assert.deepEqual([match.recordId, match.chunk, match.line, match.column, match.recovered], ['2', 0, null, null, false]);
    assert.equal(`0x${match.offset.toString(16)}`, /offset (0x[0-9a-f]+)/.exec(out[0])![1]);
  });

  it('an .evtx with a damaged chunk: a warning that names the chunk and offset, and the good chunks are hunted', async () => {
    const evtx = path.join(dir, 'damaged.evtx');
    const bytes = Buffer.concat([servicesCmdEvtx(), servicesCmdEvtx().subarray(4096)]);
    bytes[4096 + 65536 + 130] ^= 0xff; // the second chunk's header fails its CRC
    writeFileSync(evtx, bytes);
    const { status, out, err } = await huntCar(evtx);
    assert.equal(status, 0);
    assert.match(err[0], /damaged\.evtx: warning: chunk 1 at 0x11000: the chunk header fails its CRC32/);
    assert.match(out[1], /recovered from a damaged chunk/);
    assert.match(summaryOf(out), /: 2 match\(es\) in 4 events, 4 process creates, 1 malformed/);
  });

  it('warns on a malformed record with file:line:col and goes on', async () => {
    const broken = path.join(dir, 'broken.xml');
    const good = shapeFixtures()['getwinevent.xml'].toString();
    writeFileSync(broken, `<Event><System><EventID>1</Event>\n${good}`);
    const { status, out, err } = await huntCar(broken);
    assert.equal(status, 0);
    assert.match(err[0], new RegExp(`broken.xml:1:1: warning: XML event not readable`));
    assert.match(summaryOf(out), /1 match\(es\) in 4 events, 2 process creates, 1 malformed/);
  });

  it('--validate parses every record, so a broken one that could not match is reported too', async () => {
    const file = path.join(dir, 'broken-network.xml');
    const good = shapeFixtures()['getwinevent.xml'].toString();
    writeFileSync(file, `${good}\n<Event><System><EventID>3</EventID></System><EventData><Data>x</Event>\n`);
    const fast = await huntCar(file);
    assert.deepEqual(fast.err, [], 'the fast path skips an EventID 3 record unparsed');
    assert.match(summaryOf(fast.out), /in 5 events, 2 process creates, 0 malformed/);
    const validated = await huntCar('--validate', file);
    assert.equal(validated.status, 0);
    assert.equal(validated.err.length, 1);
    assert.match(validated.err[0], /broken-network.xml:\d+:1: warning: XML event not readable/);
    assert.match(summaryOf(validated.out), /1 match\(es\) in 4 events, 2 process creates, 1 malformed/);
  });

  it('query --style car prints the published strings; notes go to stderr', async () => {
    const { status, out, err } = await run('query', '--target', 'dnif', '--style', 'car');
    assert.equal(status, 0);
    assert.deepEqual(out, ['_fetch * from event where $LogName=WINDOWS-SYSMON AND $EventID=1 AND $App=cmd.exe AND $ParentProcess=regex(.*services.exe.*)i limit 30']);
    assertEvery(err, (l) => l.startsWith('note: '), 'stderr lines of query --style car (its notes)');
  });

  it('query options reach the generator; bad options exit 2', async () => {
    assert.match((await run('query', '--target', 'spl', '--index', 'sysmon')).out[0], /^index=sysmon /);
    assert.match((await run('query', '--target', 'dnif', '--limit', '5')).out[0], / limit 5$/);
    assert.equal((await run('query', '--target', 'lucene')).status, 2);
    assert.equal((await run('hunt', '--analytic', 'CAR-0000-00-000', fixture)).status, 2);
  });

  it('analytics lists CAR-2014-05-002 with its ATT&CK technique', async () => {
    const { out } = await run('analytics');
    assert.match(out.join('\n'), /CAR-2014-05-002 {2}high {2}Services launching Cmd {2}ATT&CK T1543\.003 \(Persistence, Privilege Escalation\)/);
  });

  it('the built bin hunts the bundled sample by default', function () {
    // Fail, not rebuild: a test must not rewrite dist/ (what `npx log-hunt` and the VSIX ship).
    assertBuiltCliFresh();
    const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
    const result = spawnSync(process.execPath, [cli, 'hunt'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    // The whole built-in library runs; the sample's one true CAR-2014-05-002 match is on line 30.
    assert.match(result.stdout, /^samples\/sysmon-sample\.xml:30:\d+ {2}CAR-2014-05-002 {2}/m);
    assert.match(result.stdout, /match\(es\) in 48 events, 18 process creates, 0 malformed/);
    assert.match(result.stdout, /matches by rule \(\d+ rules ran\): .*CAR-2014-05-002 ×1\b/);
    assert.ok(execFileSync(process.execPath, [cli, 'analytics'], { encoding: 'utf8' }).includes('CAR-2014-05-002'));
  });
});

describe('cli warnings', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'log-hunt-cli-warn-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the first --max-warnings malformed records, then how many more there were', async () => {
    const file = path.join(dir, 'garbage.xml');
    writeFileSync(file, `<Event>\n${'garbage line\n'.repeat(250)}`.replace('<Event>\n', ''));
    const { status, err, out } = await huntCar('--max-warnings', '3', file);
    assert.equal(status, 0);
    assert.equal(err.filter((l) => / warning: unexpected text/.test(l)).length, 3);
    assert.match(err.at(-1)!, /: warning: 247 more malformed record\(s\) not shown \(--max-warnings\)$/);
    assert.match(out.join('\n'), /250 malformed/);
  });
});
