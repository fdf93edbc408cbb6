// Warm hunt workers in the real extension host: a log large enough for worker threads, hunted
// twice through the command; the second hunt runs on the threads the first started, which
// compile no rules again (src/extension/huntWorkers.ts, src/engine/workerPool.ts). The pool's
// counters are read through the extension's API (huntWorkerStats).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { HuntOutcome } from '../../src/extension/huntCommand';
import { huntWithServicesCmdOnly, logHunt, matchDiagnostics, reset, writeGeneratedLog } from './helpers';

describe('hunt workers stay warm between hunts', function () {
  this.timeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-warm-'));
  const file = path.join(dir, 'warm-sysmon.xml');
  const uri = vscode.Uri.file(file);
  huntWithServicesCmdOnly();

  before(reset);
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a second hunt of a 24 MB log starts no thread and compiles no rule, and finds the same', async () => {
    // Over MIN_PARALLEL_BYTES (16 MiB), so the hunt goes to worker threads.
    const log = writeGeneratedLog(file, 1000, { bytes: 24e6 });
    const api = await logHunt();
    const hunt = () => vscode.commands.executeCommand<HuntOutcome>('logHunt.huntFile', uri);

    const first = await hunt();
    assert.strictEqual(first.files[0].summary?.matches, log.matches, first.files[0].error);
    const afterFirst = api.huntWorkerStats();
    assert.ok(afterFirst.alive >= 2, `workers kept after the hunt: ${JSON.stringify(afterFirst)}`);
    assert.strictEqual(afterFirst.idle, afterFirst.alive, 'every worker is back in the pool');
    assert.strictEqual(matchDiagnostics(uri).length, log.matches);

    await vscode.commands.executeCommand('logHunt.clearResults');
    assert.strictEqual(matchDiagnostics(uri).length, 0);
    const second = await hunt();
    const afterSecond = api.huntWorkerStats();
    assert.strictEqual(second.files[0].summary?.matches, log.matches, second.files[0].error);
    assert.strictEqual(second.files[0].summary?.events, log.events);
    assert.strictEqual(matchDiagnostics(uri).length, log.matches);
    assert.strictEqual(afterSecond.started, afterFirst.started, 'no thread started');
    assert.strictEqual(afterSecond.compiles, afterFirst.compiles, 'no rules compiled');
    assert.deepStrictEqual([...afterSecond.threadIds].sort(), [...afterFirst.threadIds].sort(), 'the same threads');
  });
});
