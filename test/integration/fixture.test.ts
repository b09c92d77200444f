import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CommandId } from '../../src/commandIds';
import type { TestApi } from '../../src/extension';
import type { IoTestServer } from '../server/ioTestServer';
import { Fixture } from './fixture';
import { EXTENSION_ID, SECRET_KEY } from './helpers';

const LLAMA = 'meta-llama/Llama-3.3-70B-Instruct';
const SETTINGS = ['baseUrl', 'chatModel', 'idleTimeoutSeconds', 'temperature', 'fallbackModels'] as const;

/** What a later suite would find: settings at every level, the key, state, open tabs and the notification API. */
async function hostState(): Promise<unknown> {
  const api = (await vscode.extensions.getExtension<TestApi>(EXTENSION_ID)!.activate())!;
  const config = vscode.workspace.getConfiguration('ioIntelligence');
  return {
    settings: SETTINGS.map((key) => config.inspect(key)),
    key: await api.secrets.get(SECRET_KEY),
    workspaceState: api.workspaceState.keys().map((k) => [k, api.workspaceState.get(k)]),
    globalState: api.globalState.keys().map((k) => [k, api.globalState.get(k)]),
    tabs: vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label)),
    notify: [vscode.window.showErrorMessage, vscode.window.showWarningMessage, vscode.window.showInformationMessage],
    openExternal: vscode.env.openExternal,
  };
}

describe('Test fixture: a suite leaves VS Code as it found it (real VS Code)', () => {
  it('settings at every level (also those a command changed), the key, state, files, editors, patches and servers are put back', async () => {
    const fixture = new Fixture({ server: { validKeys: ['io-fixture-key'] }, settings: { idleTimeoutSeconds: 1 }, key: 'io-fixture-key' });
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const file = path.join(folder, 'fixture-tmp', 'deep', 'probe.ts');
    const found = await hostState();
    await fixture.setUp();
    let editor: vscode.TextEditor;
    let servers: IoTestServer[];
    try {
      assert.equal(vscode.workspace.getConfiguration('ioIntelligence').inspect('baseUrl')?.globalValue, fixture.server.baseUrl);
      assert.equal(vscode.workspace.getConfiguration('ioIntelligence').get('idleTimeoutSeconds'), 1);
      assert.equal(await fixture.api.secrets.get(SECRET_KEY), 'io-fixture-key');
      await fixture.setting('temperature', 1.5, vscode.ConfigurationTarget.Workspace);
      assert.equal(vscode.workspace.getConfiguration('ioIntelligence').inspect('temperature')?.workspaceValue, 1.5);
      assert.equal(await vscode.commands.executeCommand(CommandId.selectModel, LLAMA), LLAMA, 'a command changes a setting by itself');
      await fixture.api.workspaceState.update('ioIntelligence.fixtureProbe', 1);
      await fixture.api.globalState.update('ioIntelligence.fixtureProbe', 2);
      editor = await fixture.openFile(file, 'export const probe = 1;\n');
      await editor.edit((e) => e.insert(new vscode.Position(0, 0), '// unsaved\n'));
      assert.equal(editor.document.isDirty, true);
      const shown = fixture.recordNotifications();
      fixture.answerNotifications('showWarningMessage', () => 'Yes');
      fixture.patch(vscode.env, 'openExternal', async () => true);
      void vscode.window.showInformationMessage('fixture probe');
      assert.deepEqual(shown, [{ kind: 'showInformationMessage', message: 'fixture probe' }]);
      servers = [fixture.server, await fixture.startServer()];
    } finally {
      await fixture.tearDown();
    }

    assert.deepEqual(await hostState(), found);
    assert.equal(fs.existsSync(path.join(folder, 'fixture-tmp')), false, 'the folders it created are gone');
    assert.equal(editor.document.isDirty, false, 'the unsaved change was reverted, so no save prompt could open');
    for (const stopped of servers) await assert.rejects(fetch(`${stopped.baseUrl}models`), `${stopped.origin} is stopped`);
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('what a test changes is put back after the test, and the suite’s setup stays', async () => {
    const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('ioIntelligence');
    const readme = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'README.md');
    const chatModelBefore = config().inspect('chatModel')?.globalValue;
    const fixture = new Fixture({ settings: { chatModel: LLAMA } });
    await fixture.setUp();
    try {
      const suite = { fallbackModels: config().inspect('fallbackModels')?.globalValue, key: await fixture.api.secrets.get(SECRET_KEY), readme: fs.readFileSync(readme, 'utf8') };
      await fixture.enterTest();
      await fixture.setting('chatModel', 'deepseek-ai/DeepSeek-R1-0528');
      await fixture.setting('fallbackModels', [LLAMA]);
      await fixture.storeKey('io-only-in-this-test');
      fixture.writeFile('README.md', 'overwritten in a test\n');
      assert.equal(fs.readFileSync(readme, 'utf8'), 'overwritten in a test\n');
      await fixture.leaveTest();
      assert.equal(config().inspect('chatModel')?.globalValue, LLAMA);
      assert.deepEqual(config().inspect('fallbackModels')?.globalValue, suite.fallbackModels);
      assert.equal(await fixture.api.secrets.get(SECRET_KEY), suite.key);
      assert.equal(fs.readFileSync(readme, 'utf8'), suite.readme, 'a file that existed gets its content back');
    } finally {
      await fixture.tearDown();
    }
    assert.equal(config().inspect('chatModel')?.globalValue, chatModelBefore);
  });
});
