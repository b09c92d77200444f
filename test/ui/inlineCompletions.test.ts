import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { useSession } from './session';
import { openFile, screenshot } from './workbench';

const KEY = 'io-ui-completions-key';
const GHOST = '.monaco-editor .ghost-text-decoration, .monaco-editor .ghost-text';

/** The ghost text VS Code shows, read as a person reads it: its highlighted pieces joined, spaces as spaces. */
async function shownGhostText(page: Page): Promise<string> {
  const pieces = await page.locator(GHOST).evaluateAll((els) => els.map((e) => e.textContent ?? ''));
  return pieces.join('').replace(/\u00a0/g, ' ');
}

async function ghostShows(page: Page, text: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while ((await shownGhostText(page)) !== text) {
    if (Date.now() > deadline) assert.fail(`ghost text ${JSON.stringify(text)} did not show; shown: ${JSON.stringify(await shownGhostText(page))}`);
    await page.waitForTimeout(100);
  }
}

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
    // Word suggestions would open their list over the ghost text, and completions wait while that list is open.
    userSettings: { 'editor.quickSuggestions': { other: false, comments: false, strings: false }, 'editor.suggestOnTriggerCharacters': false },
  });

  it('typing pauses, the ghost text shows, Tab inserts it; after more typing, Escape dismisses the next one', async () => {
    const page = ui.page;
    await openFile(page, 'math.ts');
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
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
