import assert from 'node:assert/strict';
import { CommandId } from '../../src/commandIds';
import { streamText } from '../server/scenarios';
import { useSession } from './session';
import { chatDocument, chatFrame, paletteTitle, runCommand, setApiKeyThroughPalette } from './workbench';

const KEY = 'io-ui-turn-actions-key';

describe('UI: what a Copilot Chat user reaches for in the chat panel', () => {
  const ui = useSession({ server: { validKeys: [KEY], stepDelayMs: 2 }, clipboard: true });
  const chat = () => chatFrame(ui.page);
  const prompt = () => chat().locator('textarea.prompt');
  const answers = () => chat().locator('.turn.assistant[data-status="done"]');
  const lastQuestion = (): string | undefined => (ui.server.chatRequests().at(-1)?.body as { messages: { content: string }[] } | undefined)?.messages.at(-1)?.content;

  it('a new conversation offers starters; one click asks it', async () => {
    await setApiKeyThroughPalette(ui.page, KEY);
    await runCommand(ui.page, paletteTitle(CommandId.openChat));
    const starter = chat().locator('.empty-state .starter').first();
    await starter.waitFor({ timeout: 30_000 });
    const text = await starter.innerText();
    ui.server.enqueue(streamText(['First answer, **bold**.']));
    await starter.click();
    await answers().first().waitFor({ timeout: 30_000 });
    assert.equal(lastQuestion(), text);
    assert.equal(await chat().locator('.empty-state').count(), 0, 'the empty state goes with the first question');
    assert.deepEqual(await chat().locator('.turn .speaker').allInnerTexts(), ['You', 'Qwen2.5-Coder-32B-Instruct']);
  });

  it('Copy answer copies the answer as written (markdown) and says so on the button', async () => {
    const copy = answers().last().locator('[data-action="copyAnswer"]');
    await copy.click();
    await chat().locator('[data-action="copyAnswer"].flashed', { hasText: 'Copied' }).waitFor({ timeout: 5_000 });
    await ui.page.waitForTimeout(200);
    assert.equal(await ui.page.evaluate(() => navigator.clipboard.readText()), 'First answer, **bold**.');
  });

  it('↑ in the empty input recalls the last question', async () => {
    await prompt().click();
    await prompt().press('ArrowUp');
    assert.equal(await prompt().inputValue(), lastQuestion());
    await prompt().fill('');
  });

  it('the input grows with its text', async () => {
    const before = (await prompt().boundingBox())!.height;
    await prompt().fill(Array.from({ length: 8 }, (_, i) => `line ${i}`).join('\n'));
    await prompt().dispatchEvent('input');
    const after = (await prompt().boundingBox())!.height;
    assert.ok(after > before * 1.5, `${before} → ${after}`);
    await prompt().fill('');
  });

  it('editing an earlier question asks to replace what followed, then resends it in its place', async () => {
    ui.server.enqueue(streamText(['Second answer.']));
    await prompt().fill('Second question');
    await prompt().press('Enter');
    await answers().nth(1).waitFor({ timeout: 30_000 });
    const first = chat().locator('.turn.user').first();
    await first.hover();
    await first.locator('[data-action="editTurn"]').click();
    assert.equal(await prompt().inputValue(), await first.locator('.turn-body').innerText());
    await prompt().fill('Edited first question');
    ui.server.enqueue(streamText(['Answer to the edit.']));
    await prompt().press('Enter');
    const dialog = ui.page.locator('.monaco-dialog-box', { hasText: 'Resend replaces its answer and the 2 messages after it' });
    await dialog.waitFor({ timeout: 10_000 });
    await dialog.locator('.monaco-button', { hasText: 'Resend' }).click();
    await chat().locator('.turn.assistant[data-status="done"]', { hasText: 'Answer to the edit.' }).waitFor({ timeout: 30_000 });
    assert.deepEqual(await chat().locator('.turn .turn-body').allInnerTexts(), ['Edited first question', 'Answer to the edit.']);
    assert.equal(lastQuestion(), 'Edited first question');
    assert.equal((ui.server.chatRequests().at(-1)?.body as { messages: unknown[] }).messages.length, 2, 'system + the edited question only');
  });

  it('Regenerate on the last answer replaces it without asking', async () => {
    const requests = ui.server.chatRequests().length;
    ui.server.enqueue(streamText(['A regenerated answer.']));
    await answers().last().locator('[data-action="regenerate"]').click();
    await chat().locator('.turn.assistant[data-status="done"]', { hasText: 'A regenerated answer.' }).waitFor({ timeout: 30_000 });
    assert.equal(ui.server.chatRequests().length, requests + 1);
    assert.deepEqual(await chat().locator('.turn .turn-body').allInnerTexts(), ['Edited first question', 'A regenerated answer.']);
  });

  it('after Stop the cursor is back in the input; Escape closes the history list', async () => {
    ui.server.enqueue(streamText(Array.from({ length: 2000 }, (_, i) => `word${i} `)));
    await prompt().fill('A long one');
    await prompt().press('Enter');
    await chat().locator('.turn.assistant.streaming').waitFor({ timeout: 30_000 });
    await chat().locator('button.stop').click();
    await chat().locator('.turn.assistant[data-status="stopped"]').waitFor({ timeout: 30_000 });
    const frame = await chatDocument(ui.page);
    assert.equal(await frame.evaluate(() => document.activeElement?.className), 'prompt');
    await chat().locator('button.history-button').click();
    await chat().locator('.history-list').waitFor({ state: 'visible' });
    await ui.page.keyboard.press('Escape');
    await chat().locator('.history-list').waitFor({ state: 'hidden', timeout: 5_000 });
  });

  it('an edit in progress ends with its conversation: New Chat, then Enter asks a new question', async () => {
    const first = chat().locator('.turn.user').first();
    await first.hover();
    await first.locator('[data-action="editTurn"]').click();
    await chat().locator('.editing-note').waitFor({ state: 'visible' });
    await runCommand(ui.page, paletteTitle(CommandId.newChat));
    await chat().locator('.empty-state').waitFor({ timeout: 10_000 });
    assert.equal(await chat().locator('.editing-note').isVisible(), false);
    ui.server.enqueue(streamText(['Fresh answer.']));
    await prompt().fill('Fresh question');
    await prompt().press('Enter');
    await chat().locator('.turn.assistant[data-status="done"]', { hasText: 'Fresh answer.' }).waitFor({ timeout: 30_000 });
    assert.equal(lastQuestion(), 'Fresh question');
  });
});
