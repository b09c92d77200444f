import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CommandId } from '../../src/commandIds';
import { REPO_ROOT } from '../host/codeServer';
import { streamText } from '../server/scenarios';
import { useSession } from './session';
import { answerQuickInput, chatFrame, openFile, paletteTitle, runCommand, setApiKeyThroughPalette } from './workbench';

const KEY = 'io-ui-restricted-key';

describe('UI: Restricted Mode (workspace not trusted)', () => {
  // The key is set in the test, after the trust prompt is answered.
  const ui = useSession({ server: { validKeys: [KEY], stepDelayMs: 5 }, workspaceTrust: true, userSettings: { 'security.workspace.trust.startupPrompt': 'always' } });

  it('explains in Restricted Mode, and asks before a rewrite changes a file; declining leaves it untouched', async () => {
    const page = ui.page;
    // The trust prompt: the user does not trust this folder.
    const noTrust = page.locator('.monaco-dialog-box .monaco-button', { hasText: /No, I don.t trust the authors/ });
    await noTrust.waitFor({ timeout: 30_000 });
    await noTrust.click();
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor({ timeout: 15_000 });

    await setApiKeyThroughPalette(page, KEY);
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
});
