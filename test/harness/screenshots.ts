// `npm run screenshots`: drives the real workbench (code-server 4.100.3 and
// Debian Chromium via playwright-core, the same route as the integration
// tests) the way a user would, and writes the README's pictures:
//
//   docs/screenshots/hunt.png   the sample log hunted: squiggle + hover on the
//                               match, Problems panel, results tree
//   docs/screenshots/query.png  the Splunk SPL query editor, highlighted
//   docs/screenshots/event.png  a match's event document: its fields under
//                               Sysmon's names, the matched value marked,
//                               and the Event view beside it
//   docs/screenshots/files.png  both samples hunted at once (Hunt Files…):
//                               results by file, time-sorted, in one format
//
//   node out/test/harness/screenshots.js [--out DIR] [--verbose]
//
// Unlike runIntegration there is no extensionTestsPath: with one, the
// extension host stops when run() settles and takes the UI state with it.
// The extension is loaded from the repository (development path), so run
// `npm run build` first (the npm script does).
import * as fs from 'fs';
import * as path from 'path';
import { chromium, BrowserContext, Locator, Page } from 'playwright-core';
import { CodeServer, findRepoRoot, makeRunDir, startCodeServer } from './codeServer';

// Wide enough for the tree's labels and an editor beside it, small enough
// that the README shows it near its real size; scale 1 keeps the PNGs small.
const VIEWPORT = { width: 1400, height: 850 };
const TIMEOUT_MS = 180_000;

/**
 * User settings of the throw-away profile: no welcome page, tips, minimap,
 * chat or git prompt (samples/ sits inside the repository) competing with
 * the feature for space. The theme is picked in the UI instead, see main().
 */
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.commandCenter.enabled': false,
  'editor.minimap.enabled': false,
  'editor.hover.delay': 100,
  'window.commandCenter': false,
  'git.openRepositoryInParentFolders': 'never',
  'remote.autoForwardPorts': false,
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const repo = findRepoRoot();
  const outIndex = args.indexOf('--out');
  const outDir = path.resolve(outIndex >= 0 ? args[outIndex + 1] : path.join(repo, 'docs', 'screenshots'));
  const verbose = args.includes('--verbose');
  const sample = path.join(repo, 'samples', 'sysmon-sample.xml');
  if (!fs.existsSync(path.join(repo, 'dist', 'extension.js'))) throw new Error('dist/extension.js missing: run npm run build');

  const runDir = makeRunDir();
  fs.mkdirSync(path.join(runDir, 'user-data', 'User'), { recursive: true });
  fs.writeFileSync(path.join(runDir, 'user-data', 'User', 'settings.json'), JSON.stringify(SETTINGS, null, 2));

  let server: CodeServer | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  const cleanup = async (): Promise<void> => {
    await context?.close().catch(() => undefined);
    await server?.stop();
    fs.rmSync(runDir, { recursive: true, force: true, maxRetries: 5 });
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));
  const timer = setTimeout(() => {
    console.error(`[screenshots] timed out after ${TIMEOUT_MS / 1000} s`);
    void cleanup().finally(() => process.exit(124));
  }, TIMEOUT_MS);

  try {
    server = await startCodeServer({ runDir, onLine: verbose ? (l) => console.log(`[code-server] ${l}`) : undefined });
    const remote = (p: string): string => `vscode-remote://127.0.0.1:${server!.port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(repo)],
      ['openFile', remote(sample)],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ];
    // The samples folder as the workspace: the Explorer then shows what a user opened, nothing of the repo.
    const url = `${server.url}/?${new URLSearchParams({ folder: path.dirname(sample), payload: JSON.stringify(payload) }).toString()}`;

    context = await chromium.launchPersistentContext(path.join(runDir, 'chromium'), {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      viewport: VIEWPORT,
      deviceScaleFactor: 1,
      // generateQuery copies to the clipboard; without the permission the web
      // clipboard call fails and the query command shows an error instead.
      permissions: ['clipboard-read', 'clipboard-write'],
      handleSIGINT: false,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = context.pages()[0] ?? await context.newPage();
    if (verbose) page.on('console', (m) => console.log(`[browser ${m.type()}] ${m.text()}`));
    await page.goto(url);
    await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 60_000 });
    // The default dark theme, spelt out so a future default cannot change the
    // pictures. Picked like a user would, because in an Extension Development
    // Host window code-server 4.100 ignores "workbench.colorTheme" from the
    // settings file (it showed Light+, or Abyss when asked for any dark theme).
    await runCommand(page, 'Preferences: Color Theme');
    await pickQuickItem(page, 'Dark Modern');
    await page.locator('.monaco-workbench.vs-dark').waitFor();

    await shootHunt(page, path.join(outDir, 'hunt.png'));
    await shootQuery(page, path.join(outDir, 'query.png'));
    await shootEvent(page, path.join(outDir, 'event.png'));
    await shootFiles(page, path.join(outDir, 'files.png'));
  } catch (err) {
    // The state the workbench was in when it failed; .vscode-test/ is git-ignored.
    const failure = path.join(repo, '.vscode-test', 'screenshots-failure.png');
    await page?.screenshot({ path: failure }).then(() => console.error(`[screenshots] workbench at failure: ${failure}`), () => undefined);
    throw err;
  } finally {
    clearTimeout(timer);
    await cleanup();
  }
}

/** Hunt Current File from the palette, then lay out what it produced: tree, squiggle with its hover, Problems. */
async function shootHunt(page: Page, file: string): Promise<void> {
  await runCommand(page, 'Log Hunt: Hunt Current File');
  await page.locator('.statusbar-item', { hasText: /\d+ match/ }).waitFor();

  // The results view: custom trees render lazily, so wait for the match row
  // (analytic -> host -> match; the provider expands the first two levels).
  await runCommand(page, 'Log Hunt: Focus on Results View');
  const sidebar = page.locator('[id="workbench.view.extension.logHunt"]');
  const matchRow = sidebar.locator('.monaco-list-row[aria-level="3"]').first();
  await matchRow.waitFor();
  // Wider than the default 300 px, so the rows' labels are readable.
  await dragSash(page, sidebar, 170);

  await page.keyboard.press('Control+Shift+M'); // Problems
  const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'CAR-2014-05-002' }).first();
  await problem.waitFor();
  // A click on the tree row opens the match's event document (shootEvent); the Problems entry
  // reveals it in the log itself, once the panel is open so the match is centred in the editor's final size.
  await problem.click();
  await page.locator('.statusbar-item', { hasText: /Ln 30, Col \d+/ }).waitFor();
  await dismissNotifications(page);

  // The reveal leaves the Image value at the editor's right edge (the lines
  // are ~1500 characters); scroll it to the middle, so the values around it
  // (ProcessId before, ParentImage, CommandLine after) show too.
  const editor = page.locator('.editor-group-container .monaco-editor').first();
  // CAR-2014-05-002 is a high rule: its diagnostic is an Error.
  const squiggle = editor.locator('.squiggly-error').first();
  await squiggle.waitFor();
  const [e, q] = [await editor.boundingBox(), await squiggle.boundingBox()];
  if (e && q) {
    await page.mouse.move(e.x + e.width / 2, e.y + e.height / 2);
    await page.mouse.wheel(q.x + q.width / 2 - (e.x + e.width / 2), 0);
    await page.waitForTimeout(300);
  }
  // A click on the squiggle clears the selection that hides it; the mouse then
  // rests there and brings up the diagnostic's hover. force: the squiggle is a
  // decoration that lets clicks through to the text, which is what we want.
  await squiggle.click({ force: true });
  await squiggle.hover({ force: true });
  await page.locator('.monaco-hover', { hasText: 'CAR-2014-05-002' }).first().waitFor();
  await settle(page);
  await save(page, file);
}

/** Drags the sash on the right edge of `part` by `dx` pixels. */
async function dragSash(page: Page, part: Locator, dx: number): Promise<void> {
  const box = await part.boundingBox();
  if (!box) return;
  const [x, y] = [box.x + box.width + 1, box.y + box.height / 2];
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx, y, { steps: 5 });
  await page.mouse.up();
}

/** Generate SIEM Query: CAR-2014-05-002, Splunk, the Precise style: a read-only tab, laid out over lines. */
async function shootQuery(page: Page, file: string): Promise<void> {
  await page.keyboard.press('Escape'); // the hover
  await runCommand(page, 'Log Hunt: Generate SIEM Query…');
  await pickQuickItem(page, 'CAR-2014-05-002');
  await pickQuickItem(page, 'Splunk');
  await pickQuickItem(page, 'Precise');
  await page.locator('.tab.active', { hasText: 'Splunk SPL — CAR-2014-05-002' }).waitFor();
  await page.keyboard.press('Control+J'); // hide the panel: the query gets the room
  await settle(page);
  await save(page, file);
}

/** The match's row in the results tree opens its event as a read-only document; hover the marked value. */
async function shootEvent(page: Page, file: string): Promise<void> {
  await page.keyboard.press('Escape');
  await runCommand(page, 'Log Hunt: Focus on Results View');
  const sidebar = page.locator('[id="workbench.view.extension.logHunt"]');
  await sidebar.locator('.monaco-list-row', { hasText: 'cmd.exe' }).first().click();
  const editor = page.locator('.editor-group-container .monaco-editor').first();
  await page.locator('.tab.active', { hasText: /Event|record|cmd\.exe/i }).first().waitFor();
  // The deciding value is selected and marked; no hover, which would cover the System fields.
  await editor.locator('.squiggly-error, .squiggly-warning, .squiggly-info').first().waitFor();
  await settle(page);
  await save(page, file);
}

/**
 * Hunt Files… with both samples ticked: the tree then shows each row's file, in one time
 * format, sorted by time, and the status bar counts both files.
 */
async function shootFiles(page: Page, file: string): Promise<void> {
  await page.keyboard.press('Escape');
  await runCommand(page, 'Log Hunt: Clear Results');
  await runCommand(page, 'Log Hunt: Hunt Files…');
  const widget = page.locator('.quick-input-widget');
  const rows = widget.locator('.quick-input-list .monaco-list-row');
  await rows.first().waitFor();
  // A click on a row ticks it in a multi-select pick; then OK, as a user would.
  for (let i = 0; i < (await rows.count()); i++) await rows.nth(i).click();
  await widget.locator('.quick-input-header', { hasText: '2 Selected' }).waitFor();
  await widget.getByRole('button', { name: 'OK' }).click();
  await runCommand(page, 'View: Close All Editors');
  await dismissNotifications(page);
  await runCommand(page, 'Log Hunt: Focus on Results View');
  // The JSON log's match, beside the XML log's: its event opens as pretty JSON under Sysmon's names.
  const sidebar = page.locator('[id="workbench.view.extension.logHunt"]');
  const row = sidebar.locator('.monaco-list-row', { hasText: 'SERVICES.EXE → cmd.exe' }).first();
  await row.waitFor();
  // Wider still, so each row's description shows its file after its time.
  await dragSash(page, sidebar, 260);
  await row.click();
  await page.locator('.tab.active', { hasText: 'sysmon-sample-ecs.ndjson' }).waitFor();
  await settle(page);
  await save(page, file);
}

/** F1, type the command's title, choose it: what a user does. */
async function runCommand(page: Page, title: string): Promise<void> {
  console.log(`[screenshots] F1 > ${title}`);
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await pickQuickItem(page, title, false);
}

/**
 * Chooses the row labelled exactly `label` in the open quick pick (typing it
 * first if asked): arrows down to it, then Enter. Not simply "first row": the
 * palette ranks recent and fuzzy matches first, e.g. "Browse Color Themes in
 * Marketplace" above "Color Theme". Not a click either: a click sometimes only
 * focused the row, leaving the picker open.
 */
async function pickQuickItem(page: Page, label: string, type = true): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  await input.waitFor();
  if (type) await input.fill(label);
  const rows = widget.locator('.quick-input-list .monaco-list-row');
  const labelled = (row: Locator): Locator => row.filter({ has: page.locator('.label-name', { hasText: exact(label) }) });
  await labelled(rows).first().waitFor();
  for (let i = 0; i < 30 && !(await labelled(rows.and(page.locator('.focused'))).count()); i++) {
    await page.keyboard.press('ArrowDown');
  }
  // Accepting either closes the widget or, when the command asks something
  // next (a theme, a SIEM), reuses it for the next picker with an empty input.
  const typed = await input.inputValue();
  await page.keyboard.press('Enter');
  for (let i = 0; i < 100 && (await widget.isVisible()) && (await input.inputValue()) === typed; i++) {
    await page.waitForTimeout(100);
  }
}

function exact(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/** Toasts would cover the Problems panel; the status bar item tells the same story. */
async function dismissNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
}

/** Lets animations, tokenization and lazy rendering finish. */
function settle(page: Page): Promise<void> {
  return page.waitForTimeout(800);
}

async function save(page: Page, file: string): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file });
  console.log(`[screenshots] ${path.relative(process.cwd(), file)} (${(fs.statSync(file).size / 1024).toFixed(0)} KB)`);
}

main().then(() => process.exit(0), (err) => {
  console.error(`[screenshots] ${(err as Error)?.stack ?? err}`);
  process.exit(1);
});
