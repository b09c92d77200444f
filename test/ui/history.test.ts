import assert from 'node:assert/strict';
import { CommandId } from '../../src/commandIds';
import { streamText } from '../server/scenarios';
import { useSession } from './session';
import { answerQuickInput, chatFrame, paletteTitle, runCommand, setApiKeyThroughPalette } from './workbench';

const KEY = 'io-ui-history-key';

describe('UI: conversation history — dates, search, rename, delete', () => {
  const ui = useSession({ server: { validKeys: [KEY] } });
  const chat = () => chatFrame(ui.page);

  async function ask(question: string): Promise<void> {
    ui.server.enqueue(streamText([`About ${question}.`]));
    await chat().locator('textarea.prompt').fill(question);
    await chat().locator('textarea.prompt').press('Enter');
    await chat().locator('.turn.assistant[data-status="done"]', { hasText: `About ${question}.` }).waitFor({ timeout: 30_000 });
  }

  async function openHistory(): Promise<void> {
    if (await chat().locator('.history-list').isVisible()) return;
    await chat().locator('button.history-button').click();
    await chat().locator('.history-search').waitFor();
  }

  const titles = () => chat().locator('.history-entry:visible .history-title').allInnerTexts();

  it('lists conversations with a date, and the search box filters them', async () => {
    await setApiKeyThroughPalette(ui.page, KEY);
    await runCommand(ui.page, paletteTitle(CommandId.openChat));
    await chat().locator('textarea.prompt').waitFor({ timeout: 30_000 });
    await ask('Alpha sorting');
    await runCommand(ui.page, paletteTitle(CommandId.newChat));
    await chat().locator('.empty-state').waitFor({ timeout: 10_000 });
    await ask('Beta parsing');
    await openHistory();
    assert.deepEqual(await titles(), ['Beta parsing', 'Alpha sorting']);
    for (const date of await chat().locator('.history-date').allInnerTexts()) assert.match(date, /\d/, 'each has a date or time');
    await ui.page.keyboard.type('alpha');
    assert.deepEqual(await titles(), ['Alpha sorting']);
    await chat().locator('.history-search').fill('');
  });

  it('Rename asks for a name and keeps it', async () => {
    await openHistory();
    const alpha = chat().locator('.history-entry', { hasText: 'Alpha sorting' });
    await alpha.hover();
    await alpha.locator('[data-history-action="renameConversation"]').click();
    await answerQuickInput(ui.page, 'Sorting notes');
    await chat().locator('.history-title', { hasText: 'Sorting notes' }).waitFor({ timeout: 10_000 });
    await openHistory();
    assert.deepEqual(await titles(), ['Beta parsing', 'Sorting notes']);
  });

  it('Delete asks first, then the conversation is gone', async () => {
    await openHistory();
    const beta = chat().locator('.history-entry', { hasText: 'Beta parsing' });
    await beta.hover();
    await beta.locator('[data-history-action="deleteConversation"]').click();
    const dialog = ui.page.locator('.monaco-dialog-box', { hasText: 'Delete the conversation “Beta parsing”?' });
    await dialog.waitFor({ timeout: 10_000 });
    await dialog.locator('.monaco-button', { hasText: 'Delete' }).click();
    await chat().locator('.history-title', { hasText: 'Beta parsing' }).waitFor({ state: 'detached', timeout: 10_000 });
    await openHistory();
    assert.deepEqual(await titles(), ['Sorting notes']);
    assert.equal(await chat().locator('.turn').count(), 0, 'the deleted conversation was the one shown: a new chat is');
  });
});
