// What the manifest promises, checked against the running workbench: command titles as the
// palette shows them, activation, the view, the settings and the query languages.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { assertEvery } from '../support/assertions';
import { logHunt } from './helpers';

interface Manifest {
  activationEvents: string[];
  capabilities?: {
    untrustedWorkspaces?: { supported: boolean | 'limited'; description?: string };
    virtualWorkspaces?: { supported: boolean | 'limited'; description?: string };
  };
  contributes: {
    menus: Record<string, { command: string; when?: string }[]>;
    viewsWelcome: { view: string; contents: string }[];
    commands: { command: string; title: string; category?: string }[];
    views: Record<string, { id: string }[]>;
    /** Categories (Hunt, Rules, SIEM Queries): uxGuidelines.test checks their titles and order. */
    configuration: { title: string; order?: number; properties: Record<string, { description?: string; markdownDescription?: string; order?: number }> }[];
  };
}

const manifest = (): Manifest => vscode.extensions.getExtension('log-hunt.log-hunt')!.packageJSON as Manifest;

describe('manifest', () => {
  it('the palette shows the five commands as "Log Hunt: <title>", and they are registered', async () => {
    await logHunt();
    const shown = new Map(manifest().contributes.commands.map((c) => [c.command, `${c.category}: ${c.title}`]));
    const expected: Record<string, string> = {
      'logHunt.huntFile': 'Log Hunt: Hunt Current File',
      'logHunt.huntFiles': 'Log Hunt: Hunt Files…',
      'logHunt.generateQuery': 'Log Hunt: Generate SIEM Query…',
      'logHunt.clearResults': 'Log Hunt: Clear Results',
      'logHunt.selectRules': 'Log Hunt: Select Rules…',
    };
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const [command, title] of Object.entries(expected)) {
      assert.strictEqual(shown.get(command), title);
      assert.ok(registered.has(command), `${command} is not registered`);
    }
  });

  it('the Explorer menu says Hunt Selected Files for a selection of several, Hunt Current File for one; the welcome view opens the sample', () => {
    const { menus, viewsWelcome } = manifest().contributes;
    const explorer = menus['explorer/context'];
    const when = (command: string) => explorer.find((m) => m.command === command)?.when ?? '';
    assert.match(when('logHunt.huntFile'), /^!listMultiSelection && /);
    assert.strictEqual(when('logHunt.huntSelectedFiles'), 'listMultiSelection');
    // A folder's menu says Hunt Folder… (huntFolderCommand), in place of Hunt Files….
    assert.match(when('logHunt.huntFolder'), /^!listMultiSelection && explorerResourceIsFolder/);
    assert.ok(viewsWelcome[0].contents.includes('[Open the Sample Log](command:logHunt.openSample)'), viewsWelcome[0].contents);
  });

  it('activates only on its commands, its view, YAML (the rule editor) and .evtx (its viewer and XML documents), never on *', () => {
    const events = manifest().activationEvents;
    assert.ok(!events.includes('*'));
    const evtx = ['onCustomEditor:logHunt.evtxViewer', 'onFileSystem:loghunt-evtx', 'onFileSystem:loghunt-query'];
    // Its views (Results, Event) and its event documents (an event reopened from the editor's history).
    const own = ['onView:logHunt.results', 'onView:logHunt.event', 'onFileSystem:loghunt-event'];
    assertEvery(events, (e) => e.startsWith('onCommand:logHunt.') || own.includes(e) || e === 'onLanguage:yaml' || evtx.includes(e), 'activation events');
  });

  it('contributes the results view and the twelve settings, each with a description', () => {
    const { views, configuration: categories } = manifest().contributes;
    const configuration = { properties: Object.assign({}, ...categories.map((c) => c.properties)) as (typeof categories)[number]['properties'] };
    assert.deepStrictEqual(views.logHunt.map((v) => v.id), ['logHunt.results', 'logHunt.event']);
    const settings = [
      'rules.folders', 'rules.builtin', 'rules.minLevel',
      'severity', 'maxDiagnostics', 'splunkIndex', 'dnifLimit', 'queryTarget', 'queryStyle', 'format', 'parseEveryRecord', 'huntFolder.exclude',
    ].map((s) => `logHunt.${s}`);
    assert.deepStrictEqual(Object.keys(configuration.properties).sort(), [...settings].sort());
    for (const s of settings) {
      const p = configuration.properties[s];
      assert.ok(p.description || p.markdownDescription, `${s} has no description`);
    }
    // The Settings editor orders them by task: hunting, then rules, then queries (a category each).
    const ordered = [...categories].sort((a, b) => (a.order ?? 1e9) - (b.order ?? 1e9)).flatMap((c) => Object.entries(c.properties)
      .sort(([, a], [, b]) => (a.order ?? 1e9) - (b.order ?? 1e9)).map(([key]) => key.replace('logHunt.', '')));
    assert.deepStrictEqual(ordered, [
      'format', 'parseEveryRecord', 'severity', 'maxDiagnostics', 'huntFolder.exclude',
      'rules.folders', 'rules.builtin', 'rules.minLevel',
      'queryTarget', 'queryStyle', 'splunkIndex', 'dnifLimit',
    ]);
    const config = vscode.workspace.getConfiguration('logHunt');
    assert.strictEqual(config.get('severity'), 'byLevel');
    assert.deepStrictEqual(config.get('rules.folders'), []);
    assert.strictEqual(config.get('rules.builtin'), true);
    assert.strictEqual(config.get('rules.minLevel'), 'informational');
    assert.strictEqual(vscode.workspace.getConfiguration('logHunt').get('maxDiagnostics'), 1000);
  });

  it('declares Workspace Trust and virtual workspace support honestly', async () => {
    const { capabilities } = manifest();
    // It only reads logs and never runs workspace content, so untrusted workspaces are fine.
    assert.deepStrictEqual(capabilities?.untrustedWorkspaces, { supported: true });
    // It reads files with Node.js, so a virtual file system is not supported; the manifest says why.
    assert.strictEqual(capabilities?.virtualWorkspaces?.supported, false);
    assert.match(capabilities?.virtualWorkspaces?.description ?? '', /real .*file system/);
    // The running workbench agrees: the extension is active in this (trusted, local) workspace.
    assert.ok((await logHunt()) !== undefined);
    assert.strictEqual(vscode.extensions.getExtension('log-hunt.log-hunt')?.isActive, true);
  });

  it('registers the spl, eql, dnif, kql and esql languages', async () => {
    const languages = await vscode.languages.getLanguages();
    for (const id of ['spl', 'eql', 'dnif', 'kql', 'esql']) assert.ok(languages.includes(id), `${id} missing`);
  });
});
