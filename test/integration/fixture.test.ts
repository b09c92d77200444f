import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CommandId } from '../../src/commandIds';
import type { RewriteResult } from '../../src/rewrite/rewriteController';
import { ORIGINAL, pausedAnswer, REWRITTEN } from '../fixtures/rewriteScripts';
import { contributedSettings } from '../fixtures/testSettings';
import type { IoTestServer } from '../server/ioTestServer';
import { faults } from '../server/scenarios';
import { Fixture, useFixture } from './fixture';
import { EXTENSION_ID, SECRET_KEY, until } from './helpers';

const KEY = 'io-fixture-suite-key';
const LLAMA = 'meta-llama/Llama-3.3-70B-Instruct';

function tabs(): string[] {
  return vscode.window.tabGroups.all.flatMap((group) =>
    group.tabs.map((tab) => `${group.viewColumn} ${tab.input instanceof vscode.TabInputText ? tab.input.uri.toString() : tab.label}${tab.isPreview ? ' (preview)' : ''}${tab.isActive && group.isActive ? ' (active)' : ''}`),
  );
}

/** What a later suite would find: every setting at every level, the key, the tabs, unsaved documents, patched functions. */
async function hostState(fixture: Fixture): Promise<unknown> {
  const config = vscode.workspace.getConfiguration('ioIntelligence');
  return {
    settings: contributedSettings(vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON).map((key) => [key, config.inspect(key)]),
    key: await fixture.api.secrets.get(SECRET_KEY),
    tabs: tabs().sort(),
    dirty: vscode.workspace.textDocuments.filter((d) => d.isDirty).map((d) => d.uri.toString()),
    notify: [vscode.window.showErrorMessage, vscode.window.showWarningMessage, vscode.window.showInformationMessage],
    openExternal: vscode.env.openExternal,
  };
}

describe('Test fixture: a scope puts back what it changed, and only that (real VS Code)', () => {
  // The fixture under test runs inside this one, which closes the tabs this test opens as "an earlier suite".
  const outer = useFixture();

  it('settings, key and tabs are as before the scope; a tab opened before it is still open; edits, answers and servers are ended', async () => {
    // An earlier suite left math.ts open as a preview tab (the tab a scope once closed by mistake), and a file of its
    // own pinned and active.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(path.join(outer.folder, 'src', 'math.ts')), { preview: true });
    await outer.open('fixture-earlier/notes.md', '# Notes\n');
    const earlier = tabs().sort();
    assert.deepEqual(earlier.map((t) => t.replace(/^.*\//, '')).sort(), ['math.ts (preview)', 'notes.md (active)']);
    const fixture = new Fixture({ server: { validKeys: [KEY] }, settings: { requestTimeoutSeconds: 90 }, key: KEY });
    const found = await hostState(outer);
    const probe = path.join(outer.folder, 'fixture-tmp', 'deep', 'probe.ts');
    let servers: IoTestServer[] = [];
    await fixture.setUp();
    try {
      const suite = await hostState(fixture);
      const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('ioIntelligence');
      assert.equal(config().inspect('baseUrl')?.globalValue, fixture.server.baseUrl);
      assert.equal(config().get('requestTimeoutSeconds'), 90);
      assert.equal(await fixture.api.secrets.get(SECRET_KEY), KEY);

      await fixture.enterTest();
      await fixture.setting('temperature', 1.5);
      assert.equal(await vscode.commands.executeCommand(CommandId.selectModel, LLAMA), LLAMA, 'a command changes a setting by itself');
      const editor = await fixture.open('fixture-tmp/deep/probe.ts', ORIGINAL);
      editor.selection = new vscode.Selection(0, 0, 7, 0);
      fixture.server.enqueue(pausedAnswer(REWRITTEN, 30_000));
      const rewriting = vscode.commands.executeCommand<RewriteResult>(CommandId.rewriteSelection, { instruction: 'Use reduce.' });
      await until(() => editor.document.getText().includes('return values.reduce'), 'the rewrite to stream in', 30_000);
      fixture.server.enqueue(faults.stall('Still answering. '));
      const answering = fixture.api.chat.ask('Keep answering');
      await until(() => fixture.api.chat.busy, 'the chat to answer');
      await fixture.storeKey('io-only-in-this-test');
      // A test opening a file as a preview replaces the earlier suite's preview tab.
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(path.join(outer.folder, 'README.md')));
      assert.equal(tabs().some((t) => t.includes('math.ts')), false, 'the preview took the earlier preview tab’s place');
      const untitled = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: 'unsaved scratch' }), { preview: false });
      assert.equal(untitled.document.isDirty, true);
      const shown = fixture.recordNotifications();
      fixture.patch(vscode.env, 'openExternal', async () => true);
      void vscode.window.showInformationMessage('fixture probe');
      assert.deepEqual(shown, [{ kind: 'showInformationMessage', message: 'fixture probe' }]);
      servers = [await fixture.startServer()];
      await fixture.leaveTest();

      assert.equal((await rewriting).outcome, 'cancelled', 'the streaming rewrite was cancelled');
      assert.equal((await answering).status, 'stopped', 'the chat answer was stopped');
      assert.deepEqual(fixture.api.rewrite.all(), []);
      assert.equal(editor.document.isDirty, false, 'the unsaved change was reverted, so no save prompt could open');
      assert.equal(fs.existsSync(path.join(outer.folder, 'fixture-tmp')), false, 'the folders it created are gone');
      assert.deepEqual(await hostState(fixture), suite, 'after the test: as the suite set it up');

      // Changes made in the suite's own scope (its `before`) are put back when the suite ends.
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await fixture.setting('fallbackModels', [LLAMA]);
      fixture.writeFile(probe, 'export const probe = 1;\n');
      servers.push(fixture.server);
    } finally {
      await fixture.tearDown();
    }

    assert.deepEqual(await hostState(outer), found);
    // (The order of tabs is not restored: a tab opened again comes after the others.)
    assert.deepEqual(tabs().sort(), earlier, 'the earlier suite’s tabs are open, as they were');
    assert.equal(fs.existsSync(path.join(outer.folder, 'fixture-tmp')), false);
    for (const stopped of servers) await assert.rejects(fetch(`${stopped.baseUrl}models`), `${stopped.origin} is stopped`);
    await vscode.commands.executeCommand('notifications.clearAll');
  });
});
