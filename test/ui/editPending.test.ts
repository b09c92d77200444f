import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { CommandId } from '../../src/commandIds';
import { useSession } from './session';
import { answerQuickInput, openFile, paletteTitle, runCommand, screenshot } from './workbench';

const KEY = 'io-ui-edit-pending-key';
const PROPOSAL = 'export function average(values: number[]): number {\n  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;\n}\n';
const ACCEPT = paletteTitle(CommandId.acceptEdit);
const REJECT = paletteTitle(CommandId.rejectEdit);
const REWRITE = paletteTitle(CommandId.rewriteSelection);

/**
 * The `ioIntelligence.editPending` context key, observed where VS Code uses it: the `when` clauses of the Command
 * Palette and of the editor's context menu. Accept/Reject are offered while the active editor has a pending edit,
 * and not for another editor or once the edit is settled.
 */
describe('UI: Accept and Reject are offered exactly while the active editor has a pending edit', () => {
  const ui = useSession({ server: { validKeys: [KEY] }, key: KEY });

  it('palette and context menu follow the pending edit, per editor, until Reject', async () => {
    const page = ui.page;
    await startRewrite(page);
    await paletteOffers(page, ACCEPT, true);
    await paletteOffers(page, REJECT, true);
    assert.deepEqual(await contextMenuPendingItems(page), ['Accept Edit', 'Reject Edit']);

    await openFile(page, 'README.md');
    await paletteOffers(page, ACCEPT, false);
    await page.locator('.tab', { hasText: 'math.ts' }).click();
    await page.locator('.tab.active', { hasText: 'math.ts' }).waitFor();
    await paletteOffers(page, ACCEPT, true);

    await page.locator('.contentWidgets .codelens-decoration a', { hasText: 'Reject' }).click();
    await page.locator('.contentWidgets .codelens-decoration a', { hasText: 'Accept' }).waitFor({ state: 'detached', timeout: 10_000 });
    await paletteOffers(page, ACCEPT, false);
    await paletteOffers(page, REJECT, false);
    assert.deepEqual(await contextMenuPendingItems(page), []);
  });

  async function startRewrite(page: Page): Promise<void> {
    await openFile(page, 'math.ts');
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Home');
    for (let i = 0; i < 7; i++) await page.keyboard.press('Shift+ArrowDown');
    ui.server.enqueue({
      kind: 'stream',
      steps: [{ type: 'content', text: `\`\`\`typescript\n${PROPOSAL}\`\`\`` }, { type: 'finish', reason: 'stop' }, { type: 'done' }],
    });
    await runCommand(page, REWRITE);
    await answerQuickInput(page, 'Shorter');
    await page.locator('.contentWidgets .codelens-decoration a', { hasText: 'Accept' }).waitFor({ timeout: 30_000 });
  }
});

/**
 * Whether the Command Palette lists `title`. The palette is first made to show Rewrite Selection… (always offered
 * here), then the query becomes `title`; once that row is gone the list shows the results for `title`, so a row
 * for it is either there or not (no stale list can answer). The key is set asynchronously, so the palette is
 * reopened until it agrees or 10 s pass.
 */
async function paletteOffers(page: Page, title: string, expected: boolean): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const row = (text: string) => page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: text });
  const deadline = Date.now() + 10_000;
  let listed: boolean;
  do {
    await page.keyboard.press('F1');
    await input.waitFor();
    await input.fill(`>${REWRITE}`);
    await row(REWRITE).first().waitFor({ timeout: 10_000 });
    await input.fill(`>${title}`);
    await row(REWRITE).first().waitFor({ state: 'hidden', timeout: 10_000 });
    listed = (await row(title).count()) > 0;
    await page.keyboard.press('Escape');
  } while (listed !== expected && Date.now() < deadline);
  if (listed !== expected) await screenshot(page, `palette-${expected ? 'missing' : 'offers'}-${title.split(': ')[1].replace(/\W+/g, '-')}`);
  assert.equal(listed, expected, `the Command Palette ${expected ? 'does not list' : 'still lists'} "${title}"`);
}

/** The pending-edit items of the editor context menu's "IO Intelligence" submenu, as a user sees them. */
async function contextMenuPendingItems(page: Page): Promise<string[]> {
  await page.locator('.monaco-editor .view-lines').first().click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  await menu.locator('.action-label', { hasText: /^IO Intelligence$/ }).hover();
  // The submenu always holds Rewrite Selection… here (a writable editor): wait for it, then read the whole submenu.
  const submenu = menu.filter({ has: page.locator('.action-label', { hasText: 'Rewrite Selection…' }) }).last();
  await submenu.waitFor({ timeout: 10_000 });
  const labels = await submenu.locator('.action-label').allTextContents();
  // Close the menus one Escape at a time: an Escape that reached the editor would reject the pending edit.
  for (let i = 0; i < 3 && (await menu.first().isVisible()); i++) {
    await page.keyboard.press('Escape');
    await menu.first().waitFor({ state: 'hidden', timeout: 1_000 }).catch(() => undefined);
  }
  assert.equal(await menu.first().isVisible(), false, 'the context menu closes');
  return labels.map((l) => l.trim()).filter((l) => l === 'Accept Edit' || l === 'Reject Edit');
}
