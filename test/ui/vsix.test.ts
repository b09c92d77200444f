import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openWorkbench, type Workbench } from '../host/browser';
import { REPO_ROOT, startCodeServer, type RunningCodeServer } from '../host/codeServer';
import { prepareWorkspace } from '../host/runInCodeServer';
import { IoTestServer } from '../server/ioTestServer';
import { answerQuickInput, runCommand, screenshot, waitForNotification } from './workbench';

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; contributes: { commands: { command: string; title: string; category?: string }[] } };

describe('Packaging: the VSIX installs into a separate VS Code', () => {
  let host: RunningCodeServer;
  let bench: Workbench;
  let vsix: string;
  let listed: string[];
  let server: IoTestServer;

  before(async function () {
    this.timeout(180_000);
    const packaged = spawnSync('npm', ['run', 'package', '--silent'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(packaged.status, 0, packaged.stdout + packaged.stderr);
    vsix = path.join(REPO_ROOT, `io-intelligence-${pkg.version}.vsix`);
    const ls = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], { cwd: REPO_ROOT, encoding: 'utf8' });
    listed = ls.stdout.trim().split('\n').filter(Boolean);
    server = await new IoTestServer({ validKeys: ['io-walkthrough-key'] }).start();
    host = await startCodeServer({ workspace: prepareWorkspace(), installVsix: vsix, env: { IOINTELLIGENCE_API_KEY: '' }, userSettings: { 'ioIntelligence.baseUrl': server.baseUrl } });
    bench = await openWorkbench(host);
    await bench.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  });
  after(async () => {
    await bench?.close();
    await host?.stop();
    await server?.stop();
  });

  it('ships only dist/, media/, README, CHANGELOG, LICENSE and package.json', () => {
    const allowed = /^(?:dist\/[^/]+\.(?:js|css)|media\/.+|README\.md|CHANGELOG\.md|LICENSE|package\.json)$/;
    const stray = listed.filter((file) => !allowed.test(file));
    assert.deepEqual(stray, []);
    for (const required of ['dist/extension.js', 'README.md', 'CHANGELOG.md', 'LICENSE', 'package.json']) {
      assert.ok(listed.includes(required), `${required} is in the VSIX`);
    }
    assert.equal(listed.some((f) => f.endsWith('.map')), false, 'no source maps in the VSIX');
  });

  it('its commands are in the palette of the installed extension, and they run', async () => {
    await runCommand(bench.page, 'IO Intelligence: Select Model');
    // No key in this fresh VS Code: the command answers with the action that fixes it.
    const text = await waitForNotification(bench.page, 'No IO Intelligence API key');
    assert.match(text, /Set one to start/);
  });

  it('a new user finds the walkthrough, and its steps complete themselves as they are done', async () => {
    const page = bench.page;
    await runCommand(page, 'Welcome: Open Walkthrough...');
    await answerQuickInput(page, 'Get started with IO Intelligence');
    const step = (title: string) => page.locator('.getting-started-step', { hasText: title }).first();
    await step('Set your IO Intelligence API key').waitFor({ timeout: 30_000 });
    for (const title of ['Pick a model', 'Explain a selection', 'Rewrite a selection']) assert.equal(await step(title).count(), 1, title);
    assert.equal(await step('Set your IO Intelligence API key').getAttribute('aria-checked'), 'false', 'not done yet');
    await screenshot(page, 'walkthrough-open');
    // The way a new user does it: the step's own button, then the key typed into the password box.
    await step('Set your IO Intelligence API key').locator('.monaco-button', { hasText: 'Set API Key' }).first().click();
    await answerQuickInput(page, 'io-walkthrough-key');
    await waitForNotification(page, 'It works');
    await page.locator('.getting-started-step[aria-checked="true"]', { hasText: 'Set your IO Intelligence API key' }).waitFor({ timeout: 15_000 });
    assert.equal(await step('Pick a model').getAttribute('aria-checked'), 'false');
    await screenshot(page, 'walkthrough');
  });
});
