import assert from 'node:assert/strict';
import type { HostMessage } from '../../src/protocol/messages';
import { openWebviewPage, postAll, stateWith, type WebviewPage } from './webviewPage';

const TURN = 'streaming-turn';

describe('UI: a code block is highlighted as it closes, while the answer goes on (bare Chromium)', () => {
  let view: WebviewPage;
  before(async () => {
    view = await openWebviewPage();
    await view.post(stateWith([]));
  });
  after(() => view.close());

  it('its keywords are coloured before the answer ends, and the block does not change when it ends', async () => {
    const code = '```ts\nexport function twice(value: number): number {\n  return value * 2;\n}\n```\n\n';
    const messages: HostMessage[] = [
      { type: 'turnAdded', turn: { id: TURN, role: 'assistant', text: '', status: 'streaming', model: 'test/model' } },
      { type: 'delta', turnId: TURN, content: 'First a function:\n\n', reasoning: '' },
      { type: 'delta', turnId: TURN, content: code, reasoning: '' },
      { type: 'delta', turnId: TURN, content: 'And the answer goes on', reasoning: '' },
    ];
    await postAll(view.page, messages);
    const turn = view.page.locator(`[data-turn-id="${TURN}"]`);
    await turn.locator('.code-block .hljs-keyword', { hasText: 'function' }).waitFor({ timeout: 5_000 });
    assert.ok(await turn.evaluate((t) => t.classList.contains('streaming')), 'still streaming when the block was highlighted');
    const block = await turn.locator('.code-block').first().evaluate((b) => b.outerHTML);
    await postAll(view.page, [{ type: 'turnEnded', turn: { id: TURN, role: 'assistant', text: `First a function:\n\n${code}And the answer goes on`, status: 'done', model: 'test/model' } }]);
    await view.page.locator(`[data-turn-id="${TURN}"][data-status="done"]`).waitFor();
    assert.equal(await turn.locator('.code-block').first().evaluate((b) => b.outerHTML), block, 'no jump when the answer ends');
  });
});
