// Generate SIEM Query: the editor it opens (language id, text), the clipboard, the settings, and
// the quick-pick route a user takes.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { findAnalytic, findTarget, layoutQuery, QueryOptions, TargetId } from '../../src/engine';
import type { QueryOutcome } from '../../src/extension/queryCommand';
import { acceptQuickPicksUntil, reset, waitFor, withSetting } from './helpers';

const generate = (args?: object) => vscode.commands.executeCommand<QueryOutcome | undefined>('logHunt.generateQuery', args);
/** CAR-2014-05-002 by id: without one, the command asks which analytic. */
const CAR = { analytic: 'CAR-2014-05-002' };

/** What the engine writes for CAR-2014-05-002: the extension must return exactly that. */
function engineQuery(target: string, options: QueryOptions): string {
  return findTarget(target)!.generate(findAnalytic('CAR-2014-05-002')!, options).text;
}

/** What the editor shows: the engine's query laid out over lines. */
const shownQuery = (target: TargetId, options: QueryOptions) => layoutQuery(target, engineQuery(target, options));

describe('generate SIEM query', () => {
  beforeEach(reset);

  for (const target of ['spl', 'eql', 'dnif'] as const) {
    for (const style of ['precise', 'car'] as const) {
      it(`${target}, ${style}: opens an editor with language id ${target} and the query, and copies it`, async () => {
        const outcome = await generate({ ...CAR, target, style });
        assert.ok(outcome, 'no query generated');
        // On a loaded machine the workbench can report the new active editor a moment late, and
        // the last test's closed editor had the same untitled URI: wait for this very document.
        await waitFor('the query editor active', () => vscode.window.activeTextEditor?.document === outcome.document, (yes) => yes, 5_000);
        const editor = vscode.window.activeTextEditor!;
        assert.strictEqual(editor.document.languageId, target);
        assert.strictEqual(outcome.text, engineQuery(target, { style }));
        assert.strictEqual(editor.document.getText(), shownQuery(target, { style }));
        assert.strictEqual(await vscode.env.clipboard.readText(), editor.document.getText());
      });
    }
  }

  it('applies logHunt.splunkIndex and logHunt.dnifLimit', async () => {
    await withSetting('splunkIndex', 'sysmon_prod', async () => {
      const outcome = await generate({ ...CAR, target: 'spl', style: 'precise' });
      assert.strictEqual(outcome?.text, engineQuery('spl', { style: 'precise', splunkIndex: 'sysmon_prod' }));
      assert.match(outcome.text, /sysmon_prod/);
    });
    await withSetting('dnifLimit', 77, async () => {
      const outcome = await generate({ ...CAR, target: 'dnif', style: 'car' });
      assert.strictEqual(outcome?.text, engineQuery('dnif', { style: 'car', dnifLimit: 77 }));
    });
  });

  it('the quick picks choose the target and the style (Enter twice: Splunk SPL, the setting\'s style)', async () => {
    const outcome = await withSetting('queryStyle', 'car', () => acceptQuickPicksUntil(generate()));
    assert.strictEqual(outcome?.target, 'spl');
    assert.strictEqual(outcome.style, 'car');
    assert.strictEqual(vscode.window.activeTextEditor?.document.languageId, 'spl');
    assert.strictEqual(vscode.window.activeTextEditor?.document.getText(), shownQuery('spl', { style: 'car' }));
  });

  it('the new targets open in their languages: KQL for Sentinel and Defender, ES|QL, a Sigma rule', async () => {
    for (const [target, language] of [['kql', 'kql'], ['defender', 'kql'], ['esql', 'esql'], ['elastic-eql', 'eql'], ['sigma', 'yaml']]) {
      const outcome = await generate({ ...CAR, target });
      assert.ok(outcome, target);
      await waitFor('the query editor active', () => vscode.window.activeTextEditor?.document === outcome.document, (yes) => yes, 5_000);
      assert.strictEqual(vscode.window.activeTextEditor?.document.languageId, language);
      assert.strictEqual(outcome.text, engineQuery(target, {}));
      assert.strictEqual(outcome.style, 'precise');
    }
  });

  it('logHunt.queryTarget is offered first (Enter keeps it)', async () => {
    const outcome = await withSetting('queryTarget', 'kql', () => acceptQuickPicksUntil(generate(CAR)));
    assert.strictEqual(outcome?.target, 'kql');
  });

  it('an unknown target is refused, with no editor opened', async () => {
    const outcome = await generate({ ...CAR, target: 'lucene', style: 'precise' });
    assert.strictEqual(outcome, undefined);
    assert.strictEqual(vscode.window.activeTextEditor, undefined);
  });
});
