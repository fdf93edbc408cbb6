/** Process lineage (issue 12): GUIDs, the ProcessId fallback within a lifetime, several files, threads, the cap. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { huntFile, huntFileParallel, huntFiles, huntText, LineageIndex, loadRules, LoadedRules } from '../../src/engine';

interface Proc {
  record: number;
  eventId?: number;
  guid?: string;
  parentGuid?: string;
  pid?: number;
  ppid?: number;
  image?: string;
  parent?: string;
  time: string;
  host?: string;
}

const ZERO = '{00000000-0000-0000-0000-000000000000}';
const guid = (n: number) => `{5770385F-C22A-${String(n).padStart(4, '0')}-0000-0010ABCDEF01}`;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** One Sysmon event on a line: a create (1) by default, or a terminate (5). */
function event(p: Proc): string {
  const data: Record<string, string | undefined> = {
    UtcTime: p.time,
    ProcessGuid: p.guid,
    ProcessId: p.pid === undefined ? undefined : String(p.pid),
    Image: p.image,
  };
  if ((p.eventId ?? 1) === 1) {
    Object.assign(data, {
      CommandLine: `${p.image ?? ''} /c run`,
      User: 'NT AUTHORITY\\SYSTEM',
      ParentProcessGuid: p.parentGuid,
      ParentProcessId: p.ppid === undefined ? undefined : String(p.ppid),
      ParentImage: p.parent,
    });
  }
  const fields = Object.entries(data).filter(([, v]) => v !== undefined).map(([k, v]) => `<Data Name="${k}">${esc(v!)}</Data>`).join('');
  return (
    `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="Microsoft-Windows-Sysmon"/>` +
    `<EventID>${p.eventId ?? 1}</EventID><TimeCreated SystemTime="${p.time.replace(' ', 'T')}Z"/><EventRecordID>${p.record}</EventRecordID>` +
    `<Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>${p.host ?? 'HOST-A'}</Computer></System><EventData>${fields}</EventData></Event>`
  );
}

const SERVICES = 'C:\\Windows\\System32\\services.exe';
const CMD = 'C:\\Windows\\System32\\cmd.exe';
const PS = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
const WHOAMI = 'C:\\Windows\\System32\\whoami.exe';

describe('lineage', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'log-hunt-lineage-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  let car: LoadedRules;
  before(async () => {
    car = await loadRules({ ids: ['CAR-2014-05-002'] });
  });

  it('follows GUIDs up and down, across the files of one hunt', async () => {
    const a = path.join(dir, 'a.xml');
    const b = path.join(dir, 'b.xml');
    writeFileSync(a, [
      event({ record: 1, guid: guid(1), parentGuid: guid(0), pid: 600, ppid: 4, image: SERVICES, parent: 'C:\\Windows\\System32\\wininit.exe', time: '2024-01-02 03:00:00.000' }),
      event({ record: 2, guid: guid(2), parentGuid: guid(1), pid: 100, ppid: 600, image: CMD, parent: SERVICES, time: '2024-01-02 03:00:01.000' }),
    ].join('\n'));
    writeFileSync(b, [
      event({ record: 3, guid: guid(3), parentGuid: guid(2), pid: 200, ppid: 100, image: PS, parent: CMD, time: '2024-01-02 03:00:02.000' }),
      event({ record: 4, guid: guid(4), parentGuid: guid(3), pid: 300, ppid: 200, image: WHOAMI, parent: PS, time: '2024-01-02 03:00:03.000' }),
      event({ record: 5, guid: guid(5), parentGuid: guid(1), pid: 101, ppid: 600, image: WHOAMI, parent: SERVICES, time: '2024-01-02 03:00:04.000' }),
    ].join('\n'));
    const { results } = await huntFiles([a, b], { rules: car, lineage: true });
    const [match] = results[0].matches;
    const l = match.lineage!;
    assert.equal(l.parent?.image, SERVICES);
    assert.equal(l.parent?.recordId, '1');
    assert.deepEqual(l.parent?.position, { line: 1, column: 1 });
    assert.deepEqual(l.ancestors.map((e) => e.recordId), ['1']);
    assert.deepEqual(l.children.map((e) => [e.recordId, e.file, e.position?.line]), [['3', b, 1]]);
    assert.deepEqual(l.descendants.map((e) => e.recordId), ['3', '4']);
    assert.equal(l.children[0].processGuid, guid(3).toLowerCase());
    assert.equal(l.children[0].user, 'NT AUTHORITY\\SYSTEM');
    // One file alone knows only its own processes.
    const alone = await huntFile(a, { rules: car, lineage: true });
    assert.deepEqual(alone.matches[0].lineage?.children, []);
  });

  it('falls back to ProcessId on the same host within the process lifetime when GUIDs are all zeros or missing', async () => {
    const text = [
      event({ record: 1, guid: ZERO, pid: 600, ppid: 4, image: SERVICES, time: '2024-01-02 03:00:00.000' }),
      // The same pid on another host is another process.
      event({ record: 2, pid: 600, ppid: 4, image: SERVICES, time: '2024-01-02 03:00:00.500', host: 'HOST-B' }),
      event({ record: 3, guid: ZERO, parentGuid: ZERO, pid: 100, ppid: 600, image: CMD, parent: SERVICES, time: '2024-01-02 03:00:01.000' }),
      event({ record: 4, pid: 200, ppid: 100, image: PS, parent: CMD, time: '2024-01-02 03:00:02.000' }),
      event({ record: 5, pid: 201, ppid: 100, image: WHOAMI, parent: CMD, time: '2024-01-02 03:00:02.500', host: 'HOST-B' }),
      event({ record: 6, eventId: 5, pid: 100, image: CMD, time: '2024-01-02 03:00:03.000' }),
      // After cmd.exe ended: pid 100's child is nobody's, then pid 100 is another process's.
      event({ record: 7, pid: 300, ppid: 100, image: WHOAMI, time: '2024-01-02 03:00:04.000' }),
      event({ record: 8, pid: 100, ppid: 4, image: 'C:\\x\\other.exe', time: '2024-01-02 03:00:05.000' }),
      event({ record: 9, pid: 400, ppid: 100, image: WHOAMI, time: '2024-01-02 03:00:06.000' }),
      event({ record: 10, pid: 500, ppid: 200, image: WHOAMI, time: '2024-01-02 03:00:07.000' }),
    ].join('\n');
    const { matches } = await huntText(text, 'pids.xml', { rules: car, lineage: true });
    assert.equal(matches.length, 1);
    const l = matches[0].lineage!;
    assert.equal(l.parent?.recordId, '1');
    assert.deepEqual(l.children.map((e) => e.recordId), ['4']);
    assert.deepEqual(l.descendants.map((e) => e.recordId), ['4', '10']);
  });

  it('gives a match on another event its process create, parent and children', async () => {
    const index = new LineageIndex();
    index.beginFile('x');
    const note = (record: number, g: number, pg: number | undefined, image: string, t: number) =>
      index.add({ kind: 'create', guid: guid(g), parentGuid: pg === undefined ? undefined : guid(pg), pid: String(g), image, at: t, recordId: String(record), position: { line: record, column: 1 } });
    note(1, 1, undefined, SERVICES, 1);
    note(2, 2, 1, CMD, 2);
    note(3, 3, 2, PS, 3);
    const lineage = index.lineageOf({
      analyticId: 'x',
      rule: {} as never,
      event: { eventId: 3, data: { ProcessGuid: guid(2), ProcessId: '2' }, fields: {}, range: { start: { line: 9, column: 1 }, end: { line: 9, column: 2 } } },
    });
    assert.equal(lineage.process?.recordId, '2');
    assert.equal(lineage.parent?.recordId, '1');
    assert.deepEqual(lineage.children.map((e) => e.recordId), ['3']);
  });

  it('a parallel hunt gives the lineage one thread gives (XML and JSON lines)', async () => {
    const lines: string[] = [];
    const json: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const g = i * 3;
      const t = (k: number) => new Date(Date.UTC(2024, 0, 2) + (g + k) * 1000).toISOString().replace('T', ' ').replace('Z', '');
      const recs: Proc[] = [
        { record: g + 1, guid: guid(g + 1), parentGuid: `{AAAAAAAA-0000-0000-0000-00000000000${i % 7}}`, pid: g + 1, ppid: 600, image: CMD, parent: SERVICES, time: t(0) },
        { record: g + 2, guid: i % 2 ? ZERO : guid(g + 2), parentGuid: i % 2 ? ZERO : guid(g + 1), pid: g + 2, ppid: g + 1, image: PS, parent: CMD, time: t(1) },
        { record: g + 3, eventId: 5, pid: g + 2, time: t(2) },
      ];
      for (const r of recs) lines.push(event(r));
      for (const r of recs) json.push(JSON.stringify({ EventID: r.eventId ?? 1, SourceName: 'Microsoft-Windows-Sysmon', Channel: 'Microsoft-Windows-Sysmon/Operational', Hostname: 'HOST-A', EventRecordID: r.record, UtcTime: r.time, ProcessGuid: r.guid, ParentProcessGuid: r.parentGuid, ProcessId: r.pid, ParentProcessId: r.ppid, Image: r.image, ParentImage: r.parent, CommandLine: 'x' }));
    }
    for (const [name, body] of [['big.xml', lines.join('\n')], ['big.jsonl', json.join('\n')]]) {
      const file = path.join(dir, name);
      writeFileSync(file, body);
      const one = await huntFile(file, { rules: car, lineage: true });
      assert.equal(one.matches.length, 3000, name);
      assert.equal(one.matches[1].lineage?.children.length, 1, `${name}: the pid fallback finds the child`);
      const many = await huntFileParallel(file, { rules: car, lineage: true, threads: 3, minParallelBytes: 0, chunkSize: 1 << 16 });
      assert.deepEqual(many.matches.map((m) => m.lineage), one.matches.map((m) => m.lineage), name);
      // Many small parts, two workers taking them in turn: the notes of parts done early wait in order.
      const parts = await huntFileParallel(file, { rules: car, lineage: true, threads: 2, minParallelBytes: 0, partBytes: 40_000 });
      assert.deepEqual(parts.matches.map((m) => m.lineage), one.matches.map((m) => m.lineage), `${name} in parts of 40 KB`);
    }
  });

  it('--no-lineage: lineage false leaves matches without it; the cap warns', async () => {
    const text = [
      event({ record: 1, guid: guid(1), pid: 600, image: SERVICES, time: '2024-01-02 03:00:00.000' }),
      event({ record: 2, guid: guid(2), parentGuid: guid(1), pid: 100, ppid: 600, image: CMD, parent: SERVICES, time: '2024-01-02 03:00:01.000' }),
    ].join('\n');
    const off = await huntText(text, 'x.xml', { rules: car, lineage: false });
    assert.equal(off.matches[0].lineage, undefined);
    const capped = await huntText(text, 'x.xml', { rules: car, lineage: true, maxLineageProcesses: 1 });
    assert.equal(capped.matches[0].lineage?.parent?.recordId, '1');
    assert.match(capped.summary.warnings?.join('\n') ?? '', /process index is full \(1 processes\); 1 later/);
  });
});
