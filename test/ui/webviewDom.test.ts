import assert from 'node:assert/strict';
import type { HostMessage, TurnView, WebviewMessage } from '../../src/protocol/messages';
import { seededRandom } from '../fixtures/random';
import { corpusAnswer, xssCorpus, type XssCase } from '../fixtures/xssCorpus';
import { ALLOWED, offendingNodes } from './inertDom';
import { openWebviewPage, postAll, stateWith, type WebviewPage } from './webviewPage';

/**
 * The built webview bundle in a bare Chromium page (no VS Code): each corpus case in an answer of its own, streamed in
 * random chunks; a randomized mix of hostile fragments and markdown; injected rendering failures. The code-server UI
 * test (xss.test.ts) is the end-to-end truth; this one is fast enough to cover every case and many seeds.
 */

const SEED = Number(process.env.WEBVIEW_FUZZ_SEED ?? 20251125);
/** Messages a click inside an answer may never produce unless our code made the element. */
const ACTIONS = new Set(['copyCode', 'insertCode', 'applyCode', 'runAction', 'revealQuote', 'openConversation']);

function chunks(text: string, next: () => number, max = 12): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    const size = 1 + Math.floor(next() * max);
    out.push(text.slice(i, i + size));
    i += size;
  }
  return out;
}

const assistant = (id: string, text: string, status: TurnView['status']): TurnView => ({ id, role: 'assistant', text, status, model: 'test/model' });

/** The messages of one streamed answer, as the host sends them. */
function answerMessages(id: string, text: string, next: () => number): HostMessage[] {
  return [
    { type: 'turnAdded', turn: assistant(id, '', 'streaming') },
    ...chunks(text, next).map((content): HostMessage => ({ type: 'delta', turnId: id, content, reasoning: '' })),
    { type: 'turnEnded', turn: assistant(id, text, 'done') },
  ];
}

/** Streams one answer; the page dispatches the messages one task at a time, frames in between. */
async function streamAnswer(view: WebviewPage, id: string, text: string, next: () => number): Promise<void> {
  await postAll(view.page, answerMessages(id, text, next));
  await view.page.locator(`[data-turn-id="${id}"][data-status="done"]`).waitFor({ timeout: 10_000 });
}

async function offending(view: WebviewPage, id: string): Promise<string[]> {
  return view.page.locator(`[data-turn-id="${id}"] .turn-body`).evaluate(offendingNodes, ALLOWED);
}

function actionsSent(sent: readonly WebviewMessage[]): WebviewMessage[] {
  return sent.filter((m) => ACTIONS.has(m.type));
}

describe('UI: the webview bundle renders hostile answers inert (bare Chromium)', () => {
  let view: WebviewPage;

  beforeEach(async () => {
    view = await openWebviewPage();
    await view.post(stateWith([]));
  });
  afterEach(async () => {
    await view?.close();
  });

  it(`each corpus case alone, streamed in random chunks (seed ${SEED}): only the renderer's elements, no request, clicks do nothing`, async () => {
    console.log(`      seed ${SEED} (WEBVIEW_FUZZ_SEED to repeat)`);
    const next = seededRandom(SEED);
    const cases = xssCorpus('https://exfil.test/x');
    const failures: string[] = [];
    // In batches that fit on screen (older turns leave the DOM after 40), each batch in a fresh conversation.
    for (let start = 0; start < cases.length; start += 30) {
      const batch = cases.slice(start, start + 30);
      await view.post(stateWith([], `batch-${start}`));
      await postAll(view.page, batch.flatMap((c) => answerMessages(`case-${c.id}`, `MARKER-${c.id}:\n\n${c.markdown}\n`, next)));
      failures.push(...(await view.page.locator('.turn.assistant .turn-body').evaluateAll(offendingNodes, ALLOWED)));
      // Every marker shown, every turn ended; then click everything that is not our toolbar: nothing may reach the host.
      failures.push(
        ...(await view.page.locator('.transcript').evaluate((transcript, ids) => {
          const problems: string[] = [];
          for (const id of ids) {
            const turn = transcript.querySelector(`[data-turn-id="case-${id}"]`);
            if (turn?.getAttribute('data-status') !== 'done') problems.push(`${id}: not ended`);
            if (!turn?.querySelector('.turn-body')?.textContent?.includes(`MARKER-${id}:`)) problems.push(`${id}: marker not shown`);
          }
          for (const element of Array.from(transcript.querySelectorAll('.turn-body *'))) {
            if (!element.closest('.code-toolbar')) element.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
          }
          return problems;
        }, batch.map((c) => c.id))),
      );
    }
    assert.deepEqual(failures, []);
    assert.deepEqual(await view.violations(), [], 'no CSP violation, no request');
    assert.deepEqual(actionsSent(await view.sent()), [], 'no action from a click on model text');
    assert.deepEqual(view.dialogs, []);
    assert.deepEqual(view.consoleErrors, []);
  });

  it('the whole corpus as one answer: fake toolbars send nothing, the real toolbar sends exactly its code', async () => {
    const answer = `${corpusAnswer(xssCorpus('https://exfil.test/x'))}\n\`\`\`ts\nconst REAL = 1;\n\`\`\`\n`;
    await streamAnswer(view, 'all', answer, seededRandom(SEED + 1));
    assert.deepEqual(await offending(view, 'all'), []);
    for (const label of ['FAKE-INSERT-f1', 'FAKE-APPLY-f2', 'FAKE-ACTION-f3', 'FAKE-INSERT-f4', 'FAKE-COPY-f5']) {
      await view.page.getByText(label).first().click();
    }
    assert.deepEqual(actionsSent(await view.sent()), []);
    const real = view.page.locator('.code-block', { hasText: 'const REAL = 1;' });
    for (const action of ['copy', 'insert', 'apply']) await real.locator(`button[data-action="${action}"]`).click();
    assert.deepEqual(actionsSent(await view.sent()), [
      { type: 'copyCode', code: 'const REAL = 1;' },
      { type: 'insertCode', code: 'const REAL = 1;' },
      { type: 'applyCode', code: 'const REAL = 1;' },
    ]);
    // A button that looks like ours, made by model text that got a data-action some other way, is still not ours.
    await view.page.evaluate(() => {
      const fake = document.createElement('button');
      fake.className = 'code-action';
      fake.dataset.action = 'insert';
      document.querySelector('.code-block .code-toolbar')?.append(fake);
      fake.click();
    });
    assert.equal(actionsSent(await view.sent()).length, 3, 'provenance, not looks, makes a toolbar button');
  });

  it(`randomized mixes of hostile fragments and markdown (seed ${SEED}) stay inert`, async () => {
    console.log(`      seed ${SEED} (WEBVIEW_FUZZ_SEED to repeat)`);
    const next = seededRandom(SEED + 2);
    const cases = xssCorpus('https://exfil.test/x');
    const wrappers = ['', '<code> ', '<kbd>', 'a <pre>', '<script> ', '- ', '> ', '| a |\n|---|\n| ', '**', '`', '```ts\n', '1. ', '[x](', '<!-- '];
    const pick = <T,>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
    const failures: string[] = [];
    for (let batch = 0; batch < 4; batch++) {
      await view.post(stateWith([], `mix-${batch}`));
      const messages: HostMessage[] = [];
      for (let round = 0; round < 30; round++) {
        const parts: string[] = [];
        for (let i = 0; i < 6; i++) parts.push(`${pick(wrappers)}${pick<XssCase>(cases).markdown}${next() < 0.5 ? '\n' : ' '}`);
        messages.push(...answerMessages(`mix-${batch}-${round}`, parts.join(''), next));
      }
      await postAll(view.page, messages);
      assert.equal(await view.page.locator('.turn.assistant[data-status="done"]').count(), 30);
      failures.push(...(await view.page.locator('.turn.assistant .turn-body').evaluateAll(offendingNodes, ALLOWED)));
    }
    assert.deepEqual(failures, []);
    assert.deepEqual(await view.violations(), []);
    assert.deepEqual(view.consoleErrors, []);
  });

  it('a fence named after a prototype key renders as code, streamed and in a full render, and the panel keeps working', async () => {
    const keys = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];
    const answer = keys.map((key) => `\`\`\`${key}\nPROTO-${key}()\n\`\`\`\n`).join('\nand\n\n');
    await streamAnswer(view, 'proto', answer, seededRandom(SEED + 3));
    assert.deepEqual(await view.page.locator('[data-turn-id="proto"] .code-lang').allInnerTexts(), keys);
    assert.equal(await view.page.locator('button.send').isVisible(), true, 'composer re-enabled');
    await view.post(stateWith([assistant('proto', answer, 'done'), assistant('after', 'Then **bold**.', 'done')]));
    assert.deepEqual(await view.page.locator('[data-turn-id="proto"] .code-lang').allInnerTexts(), keys);
    assert.equal(await view.page.locator('[data-turn-id="after"] strong').count(), 1);
    assert.deepEqual(view.consoleErrors, []);
  });

  it('any error while rendering a turn shows that turn as text, logs it, and the panel keeps working', async () => {
    // Stands for any failure inside rendering: the renderer looks for its code blocks in the sanitized fragment.
    await view.page.evaluate(() => {
      const original = DocumentFragment.prototype.querySelectorAll;
      DocumentFragment.prototype.querySelectorAll = function (this: DocumentFragment, selectors: string) {
        if (this.textContent?.includes('BOOM')) throw new Error('injected rendering failure');
        return original.call(this, selectors);
      } as typeof original;
    });
    const bad = 'First **BOOM** <img src=x onerror=alert(1)>\n\n```ts\nconst x = 1;\n```\n\nmore after\n';
    await streamAnswer(view, 'bad', bad, seededRandom(SEED + 4));
    const body = view.page.locator('[data-turn-id="bad"] .turn-body');
    assert.equal(await body.textContent(), bad, 'the whole answer, as escaped text');
    assert.equal(await body.locator('*').count(), 0, 'no element from the failed turn');
    assert.equal(await view.page.locator('button.send').isVisible(), true, 'composer re-enabled');
    assert.equal(await view.page.locator('button.stop').isVisible(), false);
    assert.ok(view.consoleErrors.some((e) => e.includes('injected rendering failure')), 'logged');

    await streamAnswer(view, 'good', 'Then **bold** and\n\n```ts\nconst y = 2;\n```\n', seededRandom(SEED + 5));
    assert.equal(await view.page.locator('[data-turn-id="good"] strong').count(), 1, 'the next turn renders normally');
    assert.equal(await view.page.locator('[data-turn-id="good"] .code-block').count(), 1);

    // The full-render path (a state message, as when a conversation is reopened) contains the failure the same way.
    await view.post(stateWith([assistant('bad', bad, 'done'), assistant('good', 'Then **bold**.', 'done')], 'c2'));
    assert.equal(await view.page.locator('[data-turn-id="bad"] .turn-body').textContent(), bad);
    assert.equal(await view.page.locator('[data-turn-id="good"] strong').count(), 1);
    assert.equal(await view.page.locator('button.send').isVisible(), true);
  });
});
