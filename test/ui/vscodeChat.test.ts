import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXPLAIN_QUESTION } from '../../src/core/prompts';
import type { ChatBody, ScriptedAnswer } from '../server/ioTestServer';
import { faults, streamText, usageOf } from '../server/scenarios';
import { REPO_ROOT } from '../host/codeServer';
import { useSession } from './session';
import { askInChatView, chatResponseDone, chatViewModel, openFile, openVsCodeChat, pickChatViewModel, screenshot, vscodeChatView } from './workbench';

/**
 * IO Intelligence in VS Code's own Chat view, as a user drives it: code-server 4.139.1 (VS Code 1.139), the packaged
 * VSIX installed, no GitHub account, no network.
 *
 * What this host does (seen 2026-12-04, and asserted below): our models are in the chat input's model picker, and a
 * question to `@io` is answered there, streamed, by the picked IO model. A question without a participant goes to
 * VS Code's built-in default agent, which is only a placeholder for GitHub Copilot Chat (not installed here): VS Code
 * shows "Sign in to use GitHub Copilot" and answers "You need to set up GitHub Copilot and be signed in to use Chat."
 * without calling any language model, ours included. So the model-picker flow is tested through `@io`, which uses
 * the model picked there (`request.model`).
 */

const MODEL_NAME = 'Qwen2.5-Coder-32B-Instruct';
const MODEL_ID = 'Qwen/Qwen2.5-Coder-32B-Instruct';

function lastUserMessage(body: unknown): string {
  const messages = (body as ChatBody).messages ?? [];
  return messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
}

/** An answer in two parts with a pause between them, so that the first part can be seen before the second arrives. */
function twoParts(first: string, second: string, pauseMs: number): ScriptedAnswer {
  return {
    kind: 'stream',
    steps: [
      { type: 'content', text: first },
      { type: 'wait', ms: pauseMs },
      { type: 'content', text: second },
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: usageOf(40, 12) },
      { type: 'done' },
    ],
  };
}

describe("UI: IO models in VS Code's own Chat view (VS Code 1.139, from a VSIX)", () => {
  const ui = useSession({ host: '1.139', packaged: true, server: {}, key: 'io-vscode-chat-key' });

  it(`picks ${MODEL_NAME} in the Chat view's model picker, asks @io and reads the answer as it streams`, async () => {
    const page = ui.page;
    await openVsCodeChat(page);
    const row = await pickChatViewModel(page, MODEL_NAME);
    assert.match(row, new RegExp(`^${MODEL_NAME}, IO Intelligence\\b`), 'the picker lists it under our vendor name');
    assert.equal(await chatViewModel(page), MODEL_NAME);

    ui.server.reset();
    ui.server.enqueue(twoParts('Two plus two ', 'is **four**.', 3_000));
    const { request, response } = await askInChatView(page, '@io What is 2+2?');
    assert.match(await request.innerText(), /What is 2\+2\?/);

    // While the server pauses, the first part is already in the Chat view and the response is still loading.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [text, loading] = await Promise.all([response.innerText().catch(() => ''), response.evaluate((el) => el.classList.contains('chat-response-loading')).catch(() => false)]);
      if (text.includes('Two plus two')) {
        assert.ok(loading && !text.includes('four'), `the first part shows before the rest arrives (loading: ${loading}): ${JSON.stringify(text)}`);
        break;
      }
      if (Date.now() > deadline) assert.fail(`the first part never showed; the response shows ${JSON.stringify(text)}`);
      await page.waitForTimeout(100);
    }
    await screenshot(page, 'vscode-chat-streaming');

    const done = await chatResponseDone(page, response);
    assert.match(done, /IO Intelligence/, 'answered by our participant');
    assert.match(done, /Two plus two is four\./);
    assert.equal(await response.locator('.value strong', { hasText: 'four' }).count(), 1, 'the markdown is rendered');
    await screenshot(page, 'vscode-chat-answer');

    const requests = ui.server.chatRequests();
    assert.equal(requests.length, 1);
    assert.equal((requests[0].body as ChatBody).model, MODEL_ID, 'the model picked in the Chat view answered');
    assert.equal((requests[0].body as ChatBody).stream, true);
    assert.equal(lastUserMessage(requests[0].body), 'What is 2+2?');
  });

  it('@io /explain on a selection sends the selected code and shows the answer', async () => {
    const page = ui.page;
    const code = fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'workspace', 'src', 'math.ts'), 'utf8');
    await openFile(page, 'math.ts');
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+A');

    ui.server.reset();
    ui.server.enqueue(streamText(['`average` adds the values ', 'and divides by their count; ', '`clamp` keeps a value within bounds.']));
    await openVsCodeChat(page);
    assert.equal(await chatViewModel(page), MODEL_NAME);
    const { response } = await askInChatView(page, '@io /explain');
    const done = await chatResponseDone(page, response);
    assert.match(done, /average adds the values and divides by their count; clamp keeps a value within bounds\./);
    await screenshot(page, 'vscode-chat-explain');

    const requests = ui.server.chatRequests();
    assert.equal(requests.length, 1);
    assert.equal((requests[0].body as ChatBody).model, MODEL_ID);
    const sent = lastUserMessage(requests[0].body);
    assert.ok(sent.startsWith(EXPLAIN_QUESTION), `/explain was taken as the command: ${JSON.stringify(sent.slice(0, 120))}`);
    assert.match(sent, /Code from src\/math\.ts \(typescript, lines 1–11\)/);
    assert.ok(sent.includes(code.trimEnd()), `the selected code is in the request: ${JSON.stringify(sent)}`);
  });

  it("shows our quota message in the Chat view when the model's daily quota is spent", async () => {
    const page = ui.page;
    ui.server.reset();
    ui.server.enqueue(faults.quotaExhausted());
    await openVsCodeChat(page);
    const { response } = await askInChatView(page, '@io And 3+3?');
    await chatResponseDone(page, response);
    const error = response.locator('.chat-notification-widget:has(.chat-error-codicon)');
    await error.waitFor({ timeout: 10_000 });
    assert.match(await error.innerText(), new RegExp(`Today's token quota for ${MODEL_ID.replace(/[./]/g, '\\$&')} is spent\\. Switch to another model; quotas reset at 00:00 UTC\\.`));
    assert.equal(ui.server.chatRequests().length, 1);
    // The spent quota is remembered: asked again, @io refuses before sending (and names no other model unasked).
    const again = (await askInChatView(page, '@io And 4+4?')).response;
    await chatResponseDone(page, again);
    await again.locator('.chat-notification-widget:has(.chat-error-codicon)', { hasText: 'is spent' }).waitFor({ timeout: 10_000 });
    assert.equal(ui.server.chatRequests().length, 1, 'nothing more was sent');
    await screenshot(page, 'vscode-chat-quota');
  });

  it('a question without @io reaches no model offline: VS Code asks for a GitHub Copilot sign-in instead', async () => {
    const page = ui.page;
    ui.server.reset();
    ui.server.enqueue(streamText(['Never asked for.']));
    await openVsCodeChat(page);
    assert.equal(await chatViewModel(page), MODEL_NAME, 'our model is still the picked one');
    const { response } = await askInChatView(page, 'What is 5+5?');
    const dialog = page.locator('.monaco-dialog-box.chat-setup-dialog');
    await dialog.waitFor({ timeout: 30_000 });
    assert.match(await dialog.locator('.dialog-message-text').innerText(), /Sign in to use GitHub Copilot/);
    await screenshot(page, 'vscode-chat-without-participant');
    await dialog.locator('.codicon-dialog-close').click();
    const done = await chatResponseDone(page, response);
    assert.match(done, /You need to set up GitHub Copilot and be signed in to use Chat\./);
    assert.equal(ui.server.chatRequests().length, 0, 'nothing was sent to IO Intelligence');
    assert.equal(await vscodeChatView(page).locator('.interactive-response', { hasText: 'Never asked for.' }).count(), 0);
  });
});
