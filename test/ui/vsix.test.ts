import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openWorkbench, type Workbench } from '../host/browser';
import { REPO_ROOT, startCodeServer, type RunningCodeServer } from '../host/codeServer';
import { prepareWorkspace } from '../host/runInCodeServer';
import { runCommand, waitForNotification } from './workbench';

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; contributes: { commands: { command: string; title: string; category?: string }[] } };

describe('Packaging: the VSIX installs into a separate VS Code', () => {
  let host: RunningCodeServer;
  let bench: Workbench;
  let vsix: string;
  let listed: string[];

  before(async function () {
    this.timeout(180_000);
    const packaged = spawnSync('npm', ['run', 'package', '--silent'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(packaged.status, 0, packaged.stdout + packaged.stderr);
    vsix = path.join(REPO_ROOT, `io-intelligence-${pkg.version}.vsix`);
    const ls = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], { cwd: REPO_ROOT, encoding: 'utf8' });
    listed = ls.stdout.trim().split('\n').filter(Boolean);
    host = await startCodeServer({ workspace: prepareWorkspace(), installVsix: vsix, env: { IOINTELLIGENCE_API_KEY: '' } });
    bench = await openWorkbench(host);
    await bench.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  });
  after(async () => {
    await bench?.close();
    await host?.stop();
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
});
