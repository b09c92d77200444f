import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { CommandId } from '../../src/commandIds';
import { REPO_ROOT } from '../host/codeServer';
import { useSession } from './session';
import { answerQuickInput, paletteTitle, runCommand, screenshot, waitForNotification } from './workbench';

describe('Packaging: the VSIX installs into a separate VS Code', () => {
  const ui = useSession({ server: { validKeys: ['io-walkthrough-key'] }, packaged: true });
  let listed: string[];

  before(() => {
    const ls = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], { cwd: REPO_ROOT, encoding: 'utf8' });
    listed = ls.stdout.trim().split('\n').filter(Boolean);
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
    await runCommand(ui.page, paletteTitle(CommandId.selectModel));
    // No key in this fresh VS Code: the command answers with the action that fixes it.
    const text = await waitForNotification(ui.page, 'No IO Intelligence API key');
    assert.match(text, /Set one to start/);
  });

  it('a new user finds the walkthrough, and its steps complete themselves as they are done', async () => {
    const page = ui.page;
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
