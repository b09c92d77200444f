import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CommandId } from '../../src/commandIds';
import { REPO_ROOT } from '../host/codeServer';
import { streamText } from '../server/scenarios';
import { useSession } from './session';
import { answerQuickInput, chatFrame, cursorAtEnd, ghostShows, NO_WORD_SUGGESTIONS, openFile, paletteTitle, runCommand, setApiKeyThroughPalette, waitForNotification } from './workbench';

const KEY = 'io-ui-restricted-key';

describe('UI: Restricted Mode (workspace not trusted)', () => {
  const ui = useSession({
    // Every completion answers the same: which keystroke's request gets it does not matter.
    server: { validKeys: [KEY], stepDelayMs: 5, defaultCompletion: () => streamText(['n * 2;']) },
    workspaceTrust: true,
    settings: { 'inlineCompletions.enabled': true },
    userSettings: { 'security.workspace.trust.startupPrompt': 'always', ...NO_WORD_SUGGESTIONS },
    // What a folder someone else wrote could say: completions off, onto another model, and one more file kept private.
    workspaceSettings: { 'ioIntelligence.inlineCompletions.enabled': false, 'ioIntelligence.completionModel': 'meta-llama/Llama-3.3-70B-Instruct', 'ioIntelligence.exclude': ['README.md'] },
  });

  // The key is set after the trust prompt is answered: the user does not trust this folder.
  before(async () => {
    const noTrust = ui.page.locator('.monaco-dialog-box .monaco-button', { hasText: /No, I don.t trust the authors/ });
    await noTrust.waitFor({ timeout: 30_000 });
    await noTrust.click();
    await ui.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor({ timeout: 15_000 });
    await setApiKeyThroughPalette(ui.page, KEY);
  });

  it('explains in Restricted Mode, and asks before a rewrite changes a file; declining leaves it untouched', async () => {
    const page = ui.page;
    await openFile(page, 'math.ts');
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+A');
    ui.server.enqueue(streamText(['Explained in Restricted Mode.']));
    await runCommand(page, paletteTitle(CommandId.explainSelection));
    await chatFrame(page).locator('.turn.assistant[data-status="done"]', { hasText: 'Explained in Restricted Mode.' }).waitFor({ timeout: 30_000 });

    await openFile(page, 'math.ts');
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+A');
    await runCommand(page, paletteTitle(CommandId.rewriteSelection));
    await answerQuickInput(page, 'Simplify');
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'Restricted Mode' });
    await dialog.waitFor({ timeout: 15_000 });
    assert.match(await dialog.innerText(), /Let IO Intelligence change this file\? This workspace is in Restricted Mode\./);
    await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await page.waitForTimeout(500);
    assert.equal(ui.server.chatRequests().length, 1, 'no rewrite request was sent');
    const file = path.join(ui.session.host.workspace, 'src', 'math.ts');
    assert.equal(fs.readFileSync(file, 'utf8'), fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'workspace', 'src', 'math.ts'), 'utf8'));
    assert.equal(await page.locator('.contentWidgets .codelens-decoration a', { hasText: 'Accept' }).count(), 0);

    // Insert from the chat is a write too: in Restricted Mode it asks, and declining leaves the file as it was.
    ui.server.enqueue(streamText(['Here:\n\n```typescript\n// INSERTED-BY-MODEL\n```\n']));
    const chat = chatFrame(page);
    await chat.locator('textarea.prompt').fill('Give me a comment');
    await chat.locator('textarea.prompt').press('Enter');
    const answer = chat.locator('.turn.assistant[data-status="done"]', { hasText: 'INSERTED-BY-MODEL' });
    await answer.waitFor({ timeout: 30_000 });
    await openFile(page, 'math.ts');
    await chat.locator('.turn.assistant').last().locator('.code-action[data-action="insert"]').click();
    const insertDialog = page.locator('.monaco-dialog-box', { hasText: 'Restricted Mode' });
    await insertDialog.waitFor({ timeout: 15_000 });
    await insertDialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await page.waitForTimeout(500);
    assert.equal(await page.locator('.monaco-editor .view-lines', { hasText: 'INSERTED-BY-MODEL' }).count(), 0, 'nothing was inserted');
    assert.equal(fs.readFileSync(file, 'utf8').includes('INSERTED-BY-MODEL'), false);
  });

  it("completions ignore the folder's own completion settings, but keep its exclusions", async () => {
    const page = ui.page;
    await cursorAtEnd(page, 'math.ts');
    await page.keyboard.press('Enter');
    await page.keyboard.type('export const twice = (n: number) => ', { delay: 40 });
    await ghostShows(page, 'n * 2;');
    const models = new Set(ui.server.completionRequests().map((r) => (r.body as { model: string }).model));
    assert.deepEqual([...models], ['Qwen/Qwen2.5-Coder-32B-Instruct'], "the user's completion model, not the folder's");
    await page.keyboard.press('Escape');
    const asked = ui.server.completionRequests().length;

    await cursorAtEnd(page, 'README.md');
    await page.locator('.statusbar-item', { hasText: 'Completions off' }).waitFor({ timeout: 15_000 });
    await page.keyboard.type('\nThe folder excludes this file, so nothing of it ', { delay: 40 });
    await page.waitForTimeout(1_500);
    assert.equal(ui.server.completionRequests().length, asked, "the folder's exclusion holds: nothing from README.md was asked");
  });

  it('@codebase is refused with why; the folder is not indexed, and an excluded file is refused as a chip', async () => {
    const page = ui.page;
    await runCommand(page, paletteTitle(CommandId.openChat));
    const chat = chatFrame(page);
    const input = chat.locator('textarea.prompt');
    const codebase = chat.locator('.mention-option.selected', { hasText: '@codebase' });
    // The view may still be settling after the editor test before it (focus, layout): type again until the list shows.
    for (let attempt = 0; attempt < 3 && !(await codebase.isVisible()); attempt++) {
      await input.click();
      await input.fill('');
      await input.pressSequentially('@codeb', { delay: 30 });
      await codebase.waitFor({ timeout: 10_000 }).catch(() => undefined);
    }
    await codebase.waitFor({ timeout: 5_000 });
    await page.keyboard.press('Enter');
    await waitForNotification(page, 'The codebase index is never built in Restricted Mode. Trust this workspace to use @codebase.');
    assert.equal(await chat.locator('.attachment-chips .chip').count(), 0);
    assert.equal(fs.readdirSync(ui.session.host.workspace).includes('.vscode') && fs.readdirSync(path.join(ui.session.host.workspace, '.vscode')).some((f) => f.includes('codebase')), false);
    // README.md is excluded by the folder itself (its .vscode/settings.json): even untrusted, that is kept.
    await input.pressSequentially('@file:math');
    await chat.locator('.mention-option', { hasText: 'math.ts' }).waitFor({ timeout: 15_000 }); // the files are listed
    await input.fill('');
    await input.pressSequentially('@file:READ');
    await chat.locator('.mention-empty').waitFor({ timeout: 10_000 });
    await page.waitForTimeout(1_000); // the files' answer follows the kinds' at once, the listing being done
    assert.equal(await chat.locator('.mention-option', { hasText: 'README.md' }).count(), 0, 'an excluded file is not offered');
  });
});
