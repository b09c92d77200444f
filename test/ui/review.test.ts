import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { CommandId } from '../../src/commandIds';
import { useSession } from './session';
import { answerQuickInput, openFile, paletteTitle, runCommand, screenshot } from './workbench';

const KEY = 'io-ui-review-key';
const PROPOSAL = 'export function average(values: number[]): number {\n  return values.reduce((a, b) => a + b, 0) / values.length;\n}\n';
const LENS = '.contentWidgets .codelens-decoration a';
const DIFF_TAB = '.tab:has-text("original ↔ IO Intelligence proposal")';

/** What a person sees of a pending edit: the lens with its keys, the removed lines, the diff editor's buttons, the lightbulb. */
describe('UI: reviewing a pending edit', () => {
  const ui = useSession({ server: { validKeys: [KEY] }, key: KEY });

  it('the lens names its keys, Cancel (Esc) stops a streaming rewrite, and the removed lines show struck through beside the new line, following it', async () => {
    const page = ui.page;
    await selectAverage(page);
    ui.server.enqueue({ kind: 'stream', steps: [{ type: 'content', text: '```typescript\nexport function average(values: number[]): number {\n  return values' }, { type: 'stall' }] });
    await rewrite(page, 'Use reduce');
    // The extension's one status bar item says a rewrite runs, beside the model and usage, in words a screen reader reads.
    const status = page.locator('.statusbar-item[aria-label^="IO Intelligence:"]');
    await status.filter({ hasText: 'Rewriting with Qwen2.5-Coder-32B-Instruct' }).waitFor({ timeout: 30_000 });
    assert.equal(await status.count(), 1, 'one item, not one per feature');
    assert.match((await status.getAttribute('aria-label')) ?? '', /^IO Intelligence: rewriting with Qwen2\.5-Coder-32B-Instruct, activate to cancel; Qwen2\.5-Coder-32B-Instruct, [\d,]+ of 500,000 tokens used today; inline completions off$/);
    assert.match(await status.innerText(), /Rewriting with Qwen2\.5-Coder-32B-Instruct · Qwen2\.5-Coder-32B-Instruct · [\d.]+K? \/ 500K/);
    await page.locator(LENS, { hasText: 'Cancel (Esc)' }).click({ timeout: 30_000 });
    await status.filter({ hasText: 'Rewriting' }).waitFor({ state: 'detached', timeout: 10_000 });
    await page.locator(LENS, { hasText: 'Cancel' }).waitFor({ state: 'detached', timeout: 10_000 });
    await page.locator('.view-lines', { hasText: 'let total = 0;' }).first().waitFor();

    await pendingRewrite(page, 'Sum with reduce');
    const lenses = (await page.locator(LENS).allTextContents()).map((t) => t.trim());
    assert.deepEqual(lenses, ['Accept (Ctrl+Enter)', 'Reject (Esc)', 'Show Diff']);

    const notes = await waitForNotes(page, (n) => n.length === 1 && n[0].line.includes('values.reduce'));
    assert.match(notes[0].text, /^let total = 0;\s+⏎\s+for \(const value of values\) \{.*return total \/ values\.length;$/);
    assert.match(notes[0].decoration, /line-through/, 'the removed text is struck through');
    await screenshot(page, 'review-removed-lines');

    // Typing a line above the edit moves it down: the removed lines move with the line that replaced them.
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('const typedAbove = 1;');
    await page.keyboard.press('Enter');
    await page.locator('.view-lines', { hasText: 'const typedAbove = 1;' }).first().waitFor();
    const moved = await waitForNotes(page, (n) => n.length === 1 && n[0].line.includes('values.reduce'));
    assert.equal(moved[0].top > notes[0].top, true, 'one line lower');

    // Esc, as the lens says: rejected, the original is back and the removed lines are gone. (While a notification
    // toast shows, VS Code's Escape hides the toast instead: clear it first, as a person would.)
    await runCommand(page, 'Notifications: Clear All Notifications');
    await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'hidden', timeout: 10_000 });
    await page.keyboard.press('Escape');
    await page.locator(LENS, { hasText: 'Reject' }).waitFor({ state: 'detached', timeout: 10_000 });
    await page.locator('.view-lines', { hasText: 'let total = 0;' }).first().waitFor();
    await waitForNotes(page, (n) => n.length === 0);
  });

  it('Show Diff has Accept and Reject in its title (only there); Accept there closes it and the removed lines go', async () => {
    const page = ui.page;
    await pendingRewrite(page, 'Shorter average');
    await page.locator(LENS, { hasText: 'Show Diff' }).click();
    await page.locator(`${DIFF_TAB}.active`).waitFor({ timeout: 30_000 });
    const titleAction = (label: string) => page.locator(`.editor-group-container.active .editor-actions .action-label[aria-label^="${label}"]`);
    await titleAction('Accept Edit').waitFor({ timeout: 10_000 });
    await titleAction('Reject Edit').waitFor();
    await screenshot(page, 'review-diff-editor');

    await page.locator('.tab', { hasText: 'math.ts' }).filter({ hasNotText: 'original' }).click();
    await page.locator('.tab.active', { hasText: 'math.ts' }).filter({ hasNotText: 'original' }).waitFor();
    await titleAction('Open Chat').waitFor();
    assert.equal(await titleAction('Accept Edit').count(), 0, 'not in the title of a plain editor');

    await page.locator(DIFF_TAB).click();
    await titleAction('Accept Edit').click();
    await page.locator(DIFF_TAB).waitFor({ state: 'detached', timeout: 10_000 });
    await page.locator(LENS, { hasText: 'Accept' }).waitFor({ state: 'detached', timeout: 10_000 });
    await page.locator('.view-lines', { hasText: 'values.reduce((a, b)' }).first().waitFor();
    await waitForNotes(page, (n) => n.length === 0);
  });

  it('in the lightbulb, Explain sits under its own header, apart from the rewrites', async () => {
    const page = ui.page;
    await selectAverage(page);
    // The lightbulb a person clicks (Ctrl+. is Quick Fix, which lists fixes only).
    await page.locator('.lightBulbWidget').first().click({ timeout: 30_000 });
    const rows = page.locator('.action-widget .monaco-list-row');
    await rows.filter({ hasText: 'Explain with IO Intelligence' }).waitFor({ timeout: 30_000 });
    const listed = await rows.evaluateAll((nodes) => nodes.map((n) => ({ header: n.classList.contains('group-header'), text: (n.textContent ?? '').trim() })));
    await screenshot(page, 'review-lightbulb');
    await page.keyboard.press('Escape');
    const headerOf = (title: string): string => {
      const at = listed.findIndex((r) => !r.header && r.text.startsWith(title));
      assert.ok(at >= 0, `${title} is listed: ${JSON.stringify(listed)}`);
      return listed.slice(0, at).filter((r) => r.header).at(-1)?.text ?? '';
    };
    assert.equal(headerOf('Rewrite with IO Intelligence…'), 'Rewrite');
    assert.equal(headerOf('Add documentation with IO Intelligence'), 'Rewrite');
    // VS Code's header for kinds outside its own groups: Explain is listed last, under a header of its own.
    assert.equal(headerOf('Explain with IO Intelligence'), 'More Actions...', JSON.stringify(listed));
  });

  /** Selects the seven lines of `average` with the keyboard, wherever the tests before have moved it. */
  async function selectAverage(page: Page): Promise<void> {
    if (!(await page.locator('.tab.active', { hasText: 'math.ts' }).count())) await openFile(page, 'math.ts');
    const view = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    await view.click();
    // The file is short, so every line is rendered: its line number is its rank from the top.
    const line = await view.evaluate((lines) => {
      const rendered = [...lines.querySelectorAll<HTMLElement>('.view-line')].sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
      return rendered.findIndex((l) => l.textContent?.replace(/\u00a0/g, ' ').startsWith('export function average')) + 1;
    });
    assert.ok(line > 0, 'average is in the editor');
    // Quick Open's ":line" (the browser keeps Ctrl+G for itself).
    await page.keyboard.press('Control+P');
    await answerQuickInput(page, `:${line}`);
    await page.keyboard.press('Home');
    for (let i = 0; i < 7; i++) await page.keyboard.press('Shift+ArrowDown');
  }

  /** Selects `average`, and rewrites it into PROPOSAL: pending once its Accept lens shows. */
  async function pendingRewrite(page: Page, instruction: string): Promise<void> {
    await selectAverage(page);
    ui.server.enqueue({ kind: 'stream', steps: [{ type: 'content', text: `\`\`\`typescript\n${PROPOSAL}\`\`\`` }, { type: 'finish', reason: 'stop' }, { type: 'done' }] });
    await rewrite(page, instruction);
    await page.locator(LENS, { hasText: 'Accept' }).waitFor({ timeout: 30_000 });
  }

  async function rewrite(page: Page, instruction: string): Promise<void> {
    await runCommand(page, paletteTitle(CommandId.rewriteSelection));
    await answerQuickInput(page, instruction);
  }
});

interface Note {
  /** The text of the editor line that carries the note. */
  readonly line: string;
  readonly text: string;
  readonly decoration: string;
  /** The line's vertical position in the editor. */
  readonly top: number;
}

/** The removed-lines notes the active editor group shows (text attached after a line by a decoration), once `ready` holds. */
async function waitForNotes(page: Page, ready: (notes: Note[]) => boolean): Promise<Note[]> {
  let notes: Note[] = [];
  const deadline = Date.now() + 10_000;
  do {
    notes = await page.locator('.editor-group-container.active').first().evaluate((group) =>
      [...group.querySelectorAll<HTMLElement>('.view-line')].flatMap((line) =>
        [...line.querySelectorAll<HTMLElement>('span')].flatMap((span) => {
          const after = getComputedStyle(span, '::after');
          if (!after.content || after.content === 'none' || after.content === 'normal') return [];
          const text = after.content.replace(/^["']|["']$/g, '').replace(/\\(.)/g, '$1');
          return [{ line: line.textContent ?? '', text, decoration: after.textDecorationLine, top: parseFloat(line.style.top) }];
        }),
      ),
    );
    if (ready(notes)) return notes;
    await page.waitForTimeout(100);
  } while (Date.now() < deadline);
  await screenshot(page, 'review-notes');
  assert.fail(`the editor's removed-lines notes never matched: ${JSON.stringify(notes)}`);
}
