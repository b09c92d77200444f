import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { useSession } from './session';
import { cursorAtEnd, GHOST, ghostShows, NO_WORD_SUGGESTIONS, screenshot } from './workbench';

const KEY = 'io-ui-completions-key';

async function ghostGone(page: Page): Promise<void> {
  await page.locator(GHOST).first().waitFor({ state: 'detached', timeout: 5_000 });
}

function completion(text: string) {
  return { kind: 'stream' as const, steps: [{ type: 'content' as const, text }, { type: 'finish' as const, reason: 'stop' as const }] };
}

/** The editor's lines as the page shows them, without the ghost text. */
async function editorText(page: Page): Promise<string> {
  const lines = await page.locator('.monaco-editor .view-line').evaluateAll((els) => els.map((l) => [...l.querySelectorAll('span span')].filter((s) => !s.className.includes('ghost-text')).map((s) => s.textContent ?? '').join('')));
  return lines.join('\n').replace(/\u00a0/g, ' ');
}

describe('UI: ghost text as a person sees it: it appears as they type, Tab takes it, Escape sends it away', () => {
  const ui = useSession({
    server: { validKeys: [KEY] },
    key: KEY,
    settings: { 'inlineCompletions.enabled': true },
    userSettings: NO_WORD_SUGGESTIONS,
  });

  it('typing pauses, the ghost text shows, Tab inserts it; after more typing, Escape dismisses the next one', async () => {
    const page = ui.page;
    await cursorAtEnd(page, 'math.ts');
    await page.keyboard.press('Enter');
    ui.server.enqueueCompletion(completion('n * 2;'));
    await page.keyboard.type('export const twice = (n: number) => ', { delay: 40 });
    await ghostShows(page, 'n * 2;');
    await screenshot(page, 'inline-completion-ghost');
    assert.equal(ui.server.completionRequests().length, 1, 'one request for the pause, not one per keystroke');
    await page.keyboard.press('Tab');
    await ghostGone(page);
    await page.locator('.monaco-editor .view-line', { hasText: 'export const twice = (n: number) => n * 2;' }).waitFor({ timeout: 5_000 });

    await page.keyboard.press('Enter');
    ui.server.enqueueCompletion(completion('n * 3;'));
    await page.keyboard.type('export const thrice = (n: number) => ', { delay: 40 });
    await ghostShows(page, 'n * 3;');
    await page.keyboard.press('Escape');
    await ghostGone(page);
    const text = await editorText(page);
    assert.match(text, /export const thrice = \(n: number\) => /);
    assert.doesNotMatch(text, /n \* 3;/, 'dismissed: nothing inserted');
  });
});
