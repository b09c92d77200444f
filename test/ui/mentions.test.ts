import assert from 'node:assert/strict';
import { streamText } from '../server/scenarios';
import { useSession } from './session';
import { CommandId } from '../../src/commandIds';
import { chatFrame, openFile, paletteTitle, runCommand, screenshot } from './workbench';

const KEY = 'io-ui-mentions-key';

describe('UI: attach context with @ in the chat input', () => {
  const ui = useSession({ server: { validKeys: [KEY], stepDelayMs: 5 }, key: KEY });

  it('typing @ opens the list; the keyboard picks a file, it becomes a chip, and the answer cites it as a link that opens it', async () => {
    const page = ui.page;
    await openFile(page, 'math.ts');
    await runCommand(page, paletteTitle(CommandId.openChat));
    const chat = chatFrame(page);
    const input = chat.locator('textarea.prompt');
    await input.click();
    await input.pressSequentially('What does @');
    const list = chat.locator('.mention-list[role="listbox"]');
    await list.waitFor({ state: 'visible', timeout: 15_000 });
    const labels = await list.locator('[role="option"] .mention-label').allInnerTexts();
    assert.deepEqual(labels.slice(0, 5), ['@file', '@open', '@problems', '@problems', '@codebase']);
    assert.equal(await input.getAttribute('aria-expanded'), 'true');

    // "@file" narrows the list to files; typing filters them by fuzzy match.
    await page.keyboard.press('Enter');
    assert.equal(await input.inputValue(), 'What does @file:');
    await input.pressSequentially('mth');
    // The narrowed answer has arrived when the file is the first option (a stale list is never offered meanwhile).
    await list.locator('[role="option"][data-index="0"]', { hasText: 'math.ts' }).waitFor({ timeout: 10_000 });
    assert.equal(await list.locator('[role="option"]').first().locator('.mention-label').innerText(), 'math.ts');
    await screenshot(page, 'mention-list');
    await page.keyboard.press('Tab');
    const chip = chat.locator('.attachment-chips .chip', { hasText: 'src/math.ts' });
    await chip.waitFor({ timeout: 10_000 });
    assert.equal(await input.inputValue(), 'What does ', 'the @ text made way for the chip');
    assert.equal(await list.isVisible(), false);

    // Escape closes the list without ending anything else; Enter then sends (it is the list's while open).
    await input.pressSequentially('@op');
    await list.locator('[role="option"]', { hasText: '@open' }).waitFor({ timeout: 10_000 });
    await page.keyboard.press('Escape');
    assert.equal(await list.isVisible(), false);
    await input.fill('What does this file export?');
    ui.server.enqueue(streamText(['It exports `average` and `clamp`.']));
    await page.keyboard.press('Enter');
    const answer = chat.locator('.turn.assistant[data-status="done"]').last();
    await answer.waitFor({ timeout: 30_000 });
    assert.equal(await chat.locator('.attachment-chips .chip').count(), 0, 'the chip went with the question');
    assert.match(await chat.locator('.turn.user .turn-attachments .chip').last().innerText(), /src\/math\.ts/);
    const body = ui.server.chatRequests().at(-1)?.body as { messages: { role: string; content: string }[] };
    assert.match(body.messages.at(-1)?.content ?? '', /src\/math\.ts \(lines 1–\d+\):\n```ts\nexport function average/);
    const reference = answer.locator('.references .reference');
    assert.match(await reference.innerText(), /^src\/math\.ts:1–\d+$/);
    await screenshot(page, 'answer-references');

    // The reference opens the file with the cited lines selected.
    await page.keyboard.press('Control+K');
    await page.keyboard.press('W'); // close every editor
    await reference.click();
    await page.locator('.tab.active', { hasText: 'math.ts' }).waitFor({ timeout: 10_000 });
    await page.locator('.monaco-editor .selected-text').first().waitFor({ timeout: 10_000 });
  });

  it('a chip is removed with its ✕ or with Backspace in the empty input', async () => {
    const chat = chatFrame(ui.page);
    const input = chat.locator('textarea.prompt');
    await input.fill('');
    for (const query of ['@open', '@codebase']) {
      await input.pressSequentially(query);
      await chat.locator('.mention-option.selected', { hasText: query }).waitFor({ timeout: 10_000 });
      await ui.page.keyboard.press('Enter');
    }
    const chips = chat.locator('.attachment-chips .chip');
    await chips.nth(1).waitFor({ timeout: 10_000 });
    assert.deepEqual(await chips.locator('.chip-label').allInnerTexts(), ['Open editors', 'Codebase']);
    await chat.locator('.chip-remove[aria-label="Remove Open editors"]').click();
    await chips.filter({ hasText: 'Open editors' }).waitFor({ state: 'detached', timeout: 10_000 });
    await input.press('Backspace');
    await chips.first().waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('files dropped on the panel become chips (the drop VS Code hands a webview: a text/uri-list)', async () => {
    const chat = chatFrame(ui.page);
    const uri = `file://${ui.session.host.workspace}/src/math.ts`;
    await chat.locator('.composer').evaluate((composer, dropped) => {
      const data = new DataTransfer();
      data.setData('text/uri-list', `# from the explorer\r\n${dropped}\r\nfile:///etc/hostname`);
      composer.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, uri);
    await chat.locator('.attachment-chips .chip', { hasText: 'src/math.ts' }).waitFor({ timeout: 10_000 });
    assert.deepEqual(await chat.locator('.attachment-chips .chip-label').allInnerTexts(), ['src/math.ts'], 'the file outside the workspace is not attached');
  });
});
