// Large logs: a file over VS Code's 50 MB limit for extensions is hunted from disk, and
// cancelling a hunt of a ~200 MB file stops it at once.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { HuntOutcome } from '../../src/extension/huntCommand';
import { GeneratedLog, huntWithServicesCmdOnly, label, logHunt, matchDiagnostics, reset, sleep, treeRows, writeGeneratedLog } from './helpers';

describe('large files', function () {
  this.timeout(180_000);
  const file = path.join(os.tmpdir(), 'lh-large-sysmon.xml');
  const uri = vscode.Uri.file(file);
  let log: GeneratedLog;
  /** Measured by the first test, so that the cancel test knows when it is mid-hunt. */
  let fullHuntMs = 0;
  huntWithServicesCmdOnly();

  before(async () => {
    await reset();
    const started = Date.now();
    // 1,000 events (about 0.5 MB) per block, one match in each.
    log = writeGeneratedLog(file, 1000, { bytes: 200e6 });
    console.log(`      generated ${(log.bytes / 1e6).toFixed(0)} MB, ${log.events} events in ${Date.now() - started} ms`);
  });

  after(() => fs.rmSync(file, { force: true }));

  it('a file over 50 MB is hunted from disk', async () => {
    assert.ok(log.bytes > 50 * 1024 * 1024, `only ${log.bytes} bytes`);
    const started = Date.now();
    const outcome = await vscode.commands.executeCommand<HuntOutcome>('logHunt.huntFile', uri);
    fullHuntMs = Date.now() - started;
    console.log(`      hunted ${(log.bytes / 1e6).toFixed(0)} MB in ${fullHuntMs} ms`);
    const summary = outcome.files[0].summary;
    assert.ok(summary, outcome.files[0].error);
    assert.strictEqual(summary.events, log.events);
    assert.strictEqual(summary.matches, log.matches);
    const diagnostics = matchDiagnostics(uri);
    assert.strictEqual(diagnostics.length, log.matches);
    assert.strictEqual(diagnostics[0].range.start.line, log.firstMatchLine);
    // Never loaded as a text model: VS Code would refuse a file this big anyway.
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()));
  });

  it('cancelling stops a hunt of a ~200 MB file promptly, and keeps what it found, marked partial with how far it got', async function () {
    if (fullHuntMs < 200) this.skip(); // too fast to cancel mid-way on this machine
    await reset();
    const api = await logHunt();
    const source = new vscode.CancellationTokenSource();
    const started = Date.now();
    // The same path as the notification's Cancel button: a token that aborts the engine.
    const hunting = api.hunt([uri], source.token);
    const cancelAfterMs = fullHuntMs / 4;
    await sleep(cancelAfterMs);
    const cancelledAt = Date.now();
    source.cancel();
    const outcome = await hunting;
    const stopMs = Date.now() - cancelledAt;
    console.log(`      cancelled after ${cancelledAt - started} ms, stopped ${stopMs} ms later (a full hunt takes ${fullHuntMs} ms)`);
    assert.strictEqual(outcome.cancelled, true);
    assert.strictEqual(outcome.files.length, 1);
    const [file] = outcome.files;
    assert.ok(file.partial, 'the hunt finished before the cancel');
    console.log(`      kept ${outcome.matches} matches found in ${file.partial.bytesDone} of ${file.partial.bytesTotal} bytes`);
    assert.ok(stopMs < 1000, `took ${stopMs} ms to stop`);
    assert.ok(Date.now() - started < fullHuntMs / 2, 'the hunt ran on after the cancel');
    assert.strictEqual(file.partial.bytesTotal, log.bytes);
    assert.ok(file.partial.bytesDone < log.bytes, `${file.partial.bytesDone} bytes done`);
    assert.strictEqual(file.summary?.matches, outcome.matches);
    // What was found stays: in Problems, in the tree, in the status bar, each saying it is partial.
    assert.strictEqual(matchDiagnostics(uri).length, Math.min(outcome.matches, 1000));
    const percent = Math.floor((file.partial.bytesDone / file.partial.bytesTotal) * 100);
    const notice = treeRows(api).map((r) => label(r.item)).find((l) => l.startsWith('Partial: '));
    assert.strictEqual(notice?.replace(/ \(.*\)$/, ''), `Partial: the hunt of lh-large-sysmon.xml was cancelled at ${percent}%`);
    assert.strictEqual(api.statusBar.text, `$(shield) ${outcome.matches.toLocaleString('en-US')} ${outcome.matches === 1 ? 'match' : 'matches'} (partial)`);
    assert.match(api.statusBar.tooltip ?? '', new RegExp(`Partial: the hunt of lh-large-sysmon\\.xml was cancelled at ${percent}% `));
  });
});
