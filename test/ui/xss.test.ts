import assert from 'node:assert/strict';
import { Marked, type Token } from 'marked';
import { corpusAnswer, DROPPED_ELEMENTS, xssCorpus } from '../fixtures/xssCorpus';
import { CommandId } from '../../src/commandIds';
import { streamText } from '../server/scenarios';
import { ALLOWED, offendingNodes } from './inertDom';
import { useSession } from './session';
import { chatDocument, chatFrame, openFile, paletteTitle, runCommand, screenshot } from './workbench';

const KEY = 'io-ui-xss-key';
/** A real code block after the corpus: its Insert and Copy are the positive controls for the fake toolbar. */
const REAL_CODE = 'const REAL_INSERT_ok = 1;';
const REAL_BLOCK = `\nA real block:\n\n\`\`\`ts\n${REAL_CODE}\n\`\`\`\n`;

function countFences(markdown: string): number {
  const marked = new Marked({ gfm: true });
  let count = 0;
  marked.walkTokens(marked.lexer(markdown), (token: Token) => {
    if (token.type === 'code') count++;
  });
  return count;
}

describe('UI: hostile model output is inert in the chat webview (corpus by class)', () => {
  const ui = useSession({ server: { validKeys: [KEY] }, key: KEY, clipboard: true });
  const dialogs: string[] = [];

  before(async () => {
    ui.page.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss().catch(() => undefined);
    });
    await openFile(ui.page, 'math.ts');
    await runCommand(ui.page, paletteTitle(CommandId.openChat));
    await chatFrame(ui.page).locator('textarea.prompt').waitFor({ timeout: 30_000 });
  });

  it('an imitation of our toolbar does nothing when clicked: no insert, no apply, no copy, no action', async () => {
    const fakes = xssCorpus('https://exfil.invalid/x').filter((c) => c.category === 'fake toolbar');
    ui.server.enqueue(streamText((corpusAnswer(fakes) + REAL_BLOCK).match(/[\s\S]{1,7}/g) ?? []));
    const chat = chatFrame(ui.page);
    await chat.locator('textarea.prompt').fill('Show me a toolbar');
    await chat.locator('textarea.prompt').press('Enter');
    const turn = chat.locator('.turn.assistant[data-status="done"]', { hasText: REAL_CODE });
    await turn.waitFor({ timeout: 30_000 });
    await ui.page.evaluate(() => navigator.clipboard.writeText('CLIPBOARD-SENTINEL'));
    for (const label of ['FAKE-INSERT-f1', 'FAKE-APPLY-f2', 'FAKE-ACTION-f3', 'FAKE-INSERT-f4', 'FAKE-COPY-f5']) {
      await turn.getByText(label).first().click();
    }
    // Messages from the webview are handled in order: once the real Insert that follows has landed, any fake one
    // would have landed before it.
    await turn.locator('.code-block', { hasText: REAL_CODE }).locator('button[data-action="insert"]').click();
    const lines = ui.page.locator('.monaco-editor .view-lines').first();
    await lines.filter({ hasText: 'REAL_INSERT_ok' }).waitFor({ timeout: 15_000 });
    const shown = (await lines.innerText()).replace(/\u00a0/g, ' ');
    assert.deepEqual(['ATTACKER-f1', 'ATTACKER-f2', 'ATTACKER-f4', 'ATTACKER-f5'].filter((marker) => shown.includes(marker)), [], 'no attacker text in the editor');
    assert.equal(await ui.page.locator('.quick-input-widget').isVisible(), false, 'no Set API Key prompt from a fake action');
    assert.equal(await ui.page.evaluate(() => navigator.clipboard.readText()), 'CLIPBOARD-SENTINEL', 'nothing copied');
    assert.equal(await turn.locator('.turn-body button').count(), 3, 'the only buttons are the real block’s toolbar');
  });

  it('runs no script, opens no dialog, makes no request, and shows each case as text, a link or a placeholder', async () => {
    const exfil = `${ui.server.baseUrl.replace(/api\/v1\/$/, '')}exfil`;
    const cases = xssCorpus(exfil);
    assert.ok(cases.length >= 200);
    for (const category of ['raw after inline html', 'unknown tag syntax', 'dom clobbering', 'fake toolbar', 'dropped element']) {
      assert.ok(cases.filter((c) => c.category === category).length >= 5, `class ${category} is covered`);
    }
    const frame = await chatDocument(ui.page);
    await frame.evaluate(() => {
      const w = window as unknown as { __violations: string[] };
      w.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const attempts: string[] = [];
    ui.session.bench.context.on('request', (request) => attempts.push(request.url()));
    const answer = corpusAnswer(cases) + REAL_BLOCK;
    ui.server.enqueue(streamText(answer.match(/[\s\S]{1,7}/g) ?? []));
    const chat = chatFrame(ui.page);
    await chat.locator('textarea.prompt').fill('Show me the corpus');
    await chat.locator('textarea.prompt').press('Enter');
    const turn = chat.locator('.turn.assistant[data-status="done"]', { hasText: 'MARKER-s1:' });
    await turn.waitFor({ timeout: 90_000 });
    await ui.page.waitForTimeout(500);
    await screenshot(ui.page, 'xss-corpus');

    const text = await turn.innerText();
    const missing = cases.filter((c) => !text.includes(`MARKER-${c.id}:`)).map((c) => c.id);
    assert.deepEqual(missing, [], 'every case is shown');

    const violations = await frame.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
    assert.deepEqual(violations, [], 'nothing even tried to load or run');
    assert.deepEqual(dialogs, [], 'no dialog');
    const outgoing = attempts.filter((url) => /exfil|evil\.example|javascript:|data:text/.test(url));
    assert.deepEqual(outgoing, [], 'no request attempt from the page');
    assert.deepEqual(ui.server.requests.filter((r) => r.path.includes('exfil')).map((r) => r.path), [], 'nothing reached the server');
    assert.notEqual(await frame.evaluate(() => document.title), 'PWNED');
    const csp = await frame.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '');
    assert.match(csp, /form-action 'none'/, 'no form could submit anywhere');

    const offending = await turn.locator('.turn-body').evaluate(offendingNodes, ALLOWED);
    assert.deepEqual(offending, [], 'only the renderer’s own elements and attributes');
    assert.equal(await turn.locator('.code-block').count(), countFences(answer), 'a toolbar only where the answer has a fenced code block');
    // Buttons only as our toolbar (checked above), so those are not leftovers.
    const leftovers = await turn.evaluate((root, dropped) => dropped.filter((tag) => root.querySelector(`.turn-body ${tag}:not(.code-action)`) !== null), DROPPED_ELEMENTS);
    assert.deepEqual(leftovers, [], 'every element the sanitizer must drop is gone');
    assert.ok(await turn.locator('.image-placeholder').count() >= 5, 'images became placeholders');
  });

  it('the panel still works afterwards: clobbering did not break later rendering or messaging', async () => {
    ui.server.enqueue(streamText(['LATER-OK, still **alive**.\n\n', '```ts\nconst later = 2;\n```\n']));
    const chat = chatFrame(ui.page);
    await chat.locator('textarea.prompt').fill('ping');
    await chat.locator('textarea.prompt').press('Enter');
    const later = chat.locator('.turn.assistant[data-status="done"]', { hasText: 'LATER-OK' });
    await later.waitFor({ timeout: 30_000 });
    assert.equal(await later.locator('strong', { hasText: 'alive' }).count(), 1, 'markdown rendered');
    await later.locator('.code-block .hljs-keyword').first().waitFor({ timeout: 10_000 }); // highlighted when idle
    assert.equal(await later.locator('.code-block button[data-action]').count(), 3, 'a working toolbar');

    // The full-render path: the conversation opened again from history renders the corpus just as inert.
    await reopen();
    const corpusAgain = chat.locator('.turn.assistant', { hasText: 'MARKER-s1:' });
    await corpusAgain.waitFor({ timeout: 30_000 });
    assert.deepEqual(await corpusAgain.locator('.turn-body').evaluate(offendingNodes, ALLOWED), []);
    assert.equal(await chat.locator('.turn.assistant', { hasText: 'LATER-OK' }).locator('strong').count(), 1);
    assert.deepEqual(dialogs, []);
  });

  it('a fence whose language is a prototype key renders, and the next question renders normally (streamed and re-rendered)', async () => {
    const keys = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];
    const bad = keys.map((key) => `\`\`\`${key}\nPROTO-${key}()\n\`\`\`\n`).join('\nand\n\n');
    ui.server.enqueue(streamText(['Prototype keys:\n\n', ...(bad.match(/[\s\S]{1,5}/g) ?? []), '\nEND-OF-PROTO\n']));
    const chat = chatFrame(ui.page);
    await chat.locator('textarea.prompt').fill('fences named after prototype keys');
    await chat.locator('textarea.prompt').press('Enter');
    const turn = chat.locator('.turn.assistant[data-status="done"]', { hasText: 'END-OF-PROTO' });
    await turn.waitFor({ timeout: 30_000 });
    for (const key of keys) assert.match(await turn.innerText(), new RegExp(`PROTO-${key}`));
    assert.deepEqual(await turn.locator('.code-lang').allInnerTexts(), keys, 'each fence is a code block with its label');
    await chat.locator('button.send').waitFor({ state: 'visible', timeout: 10_000 });

    // The full-render path: the conversation is opened again from history.
    await reopen();
    const reopened = chat.locator('.turn.assistant', { hasText: 'END-OF-PROTO' });
    await reopened.waitFor({ timeout: 30_000 });
    assert.deepEqual(await reopened.locator('.code-lang').allInnerTexts(), keys);

    ui.server.enqueue(streamText(['After the bad one: **bold** still works.']));
    await chat.locator('textarea.prompt').fill('and now?');
    await chat.locator('textarea.prompt').press('Enter');
    const next = chat.locator('.turn.assistant[data-status="done"]', { hasText: 'After the bad one' });
    await next.waitFor({ timeout: 30_000 });
    assert.equal(await next.locator('strong', { hasText: 'bold' }).count(), 1);
    await chat.locator('button.send').waitFor({ state: 'visible', timeout: 10_000 });
  });

  /**
   * New Chat, then the conversation that was shown, from the history list: a `state` message renders it in full.
   * Waits for New Chat to take effect (the command runs asynchronously), so the conversation must have turns.
   */
  async function reopen(): Promise<void> {
    const chat = chatFrame(ui.page);
    // A conversation is titled after its first question.
    const title = (await chat.locator('.turn.user .turn-body').first().textContent()) ?? '';
    await runCommand(ui.page, paletteTitle(CommandId.newChat));
    await chat.locator('.turn').first().waitFor({ state: 'detached', timeout: 10_000 });
    await chat.locator('button.history-button').click();
    await chat.locator('.history-item', { hasText: title }).first().click();
  }
});
