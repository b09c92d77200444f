import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { CompletionBody } from '../server/ioTestServer';
import { useSession } from './session';
import { cursorAtEnd, GHOST, ghostShows, NO_WORD_SUGGESTIONS, screenshot } from './workbench';

const KEY = 'io-ui-completions-key';

async function ghostGone(page: Page): Promise<void> {
  await page.locator(GHOST).first().waitFor({ state: 'detached', timeout: 5_000 });
}

/**
 * The server's answer, by where the cursor is: whichever request of a typing run is the last one gets the right ghost
 * text (on a loaded machine a keystroke can come later than the wait before asking, and a request goes out mid-way).
 */
function answerAt(body: CompletionBody) {
  const before = String(body.prompt).split('<|fim_suffix|>')[0];
  const text = before.endsWith('twice = (n: number) => ') ? 'n * 2;' : before.endsWith('thrice = (n: number) => ') ? 'n * 3;' : '';
  return { kind: 'stream' as const, steps: [{ type: 'content' as const, text }, { type: 'finish' as const, reason: 'stop' as const }] };
}

/** The editor's lines as the page shows them, without the ghost text. */
async function editorText(page: Page): Promise<string> {
  const lines = await page.locator('.monaco-editor .view-line').evaluateAll((els) => els.map((l) => [...l.querySelectorAll('span span')].filter((s) => !s.className.includes('ghost-text')).map((s) => s.textContent ?? '').join('')));
  return lines.join('\n').replace(/\u00a0/g, ' ');
}

describe('UI: ghost text as a person sees it: it appears as they type, Tab takes it, Escape sends it away', () => {
  const ui = useSession({
    server: { validKeys: [KEY], defaultCompletion: answerAt },
    key: KEY,
    settings: { 'inlineCompletions.enabled': true },
    userSettings: NO_WORD_SUGGESTIONS,
  });

  it('typing pauses, the ghost text shows, Tab inserts it; after more typing, Escape dismisses the next one', async () => {
    const page = ui.page;
    await cursorAtEnd(page, 'math.ts');
    await page.keyboard.press('Enter');
    await page.keyboard.type('export const twice = (n: number) => ', { delay: 40 });
    await ghostShows(page, 'n * 2;');
    await screenshot(page, 'inline-completion-ghost');
    // One for the pause when the machine keeps pace (the engine's unit tests check that exactly, on a virtual clock).
    assert.ok(ui.server.completionRequests().length <= 3, `a request for a pause, not one per keystroke: ${ui.server.completionRequests().length} for 36 keys`);
    await page.keyboard.press('Tab');
    await ghostGone(page);
    await page.locator('.monaco-editor .view-line', { hasText: 'export const twice = (n: number) => n * 2;' }).waitFor({ timeout: 5_000 });

    await page.keyboard.press('Enter');
    await page.keyboard.type('export const thrice = (n: number) => ', { delay: 40 });
    await ghostShows(page, 'n * 3;');
    await page.keyboard.press('Escape');
    await ghostGone(page);
    const text = await editorText(page);
    assert.match(text, /export const thrice = \(n: number\) => /);
    assert.doesNotMatch(text, /n \* 3;/, 'dismissed: nothing inserted');
  });
});
