import assert from 'node:assert/strict';
import { CommandId } from '../../src/commandIds';
import { streamText } from '../server/scenarios';
import { useSession } from './session';
import { answerQuickInput, chatFrame, openFile, paletteTitle, runCommand, waitForNotification } from './workbench';

const KEY = 'io-ui-card-key';

describe('UI: a question asked before the key is set', () => {
  const ui = useSession({ server: { validKeys: [KEY] } });

  it('Set API Key on its error card stores the key and asks the question again by itself', async () => {
    await openFile(ui.page, 'math.ts');
    await ui.page.locator('.monaco-editor .view-lines').first().click();
    await ui.page.keyboard.press('Control+A');
    await runCommand(ui.page, paletteTitle(CommandId.explainSelection));
    const chat = chatFrame(ui.page);
    const card = chat.locator('.turn.assistant .error-card').last();
    await card.waitFor({ timeout: 30_000 });
    assert.match(await card.innerText(), /No IO Intelligence API key is set/);
    assert.equal(ui.server.chatRequests().length, 0, 'nothing was sent without a key');

    ui.server.enqueue(streamText(['`average` adds the values up and divides by their count.']));
    await card.locator('button', { hasText: 'Set API Key' }).click();
    await answerQuickInput(ui.page, KEY);
    await waitForNotification(ui.page, 'It works');
    const answer = chat.locator('.turn.assistant[data-status="done"]').last();
    await answer.waitFor({ timeout: 30_000 });
    assert.match(await answer.locator('.turn-body').innerText(), /adds the values up/);
    assert.equal(ui.server.chatRequests().length, 1, 'asked again once');
    assert.equal(await chat.locator('.turn.assistant .error-card').count(), 0, 'the failed attempt was replaced by the answer');
  });
});
