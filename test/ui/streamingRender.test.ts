import assert from 'node:assert/strict';
import type { HostMessage, TurnView } from '../../src/protocol/messages';
import { randomChunks, seededRandom, testSeed, type Random } from '../fixtures/random';
import { openWebviewPage, stateWith, type WebviewPage } from './webviewPage';

/**
 * Streaming takes shortcuts (finished blocks rendered once, an open code block grown by text nodes, highlighting in
 * idle time, slices for long code), so it is held to the one-shot render: every answer, streamed in random chunks at
 * random pace, must end as exactly the DOM that rendering the whole answer at once gives. The fragments cover each
 * class of markdown where the shortcuts could disagree with marked: fences of every kind and place, line ends,
 * lines that look like fences, long code, and the other block types around them.
 */

const SEED = testSeed(20261204);

const longCode = (lines: number): string =>
  Array.from({ length: lines }, (_, i) => (i % 9 === 4 ? '' : i % 9 === 5 ? `/* a comment\n\nspanning a blank line ${i} */` : `export const value${i} = compute("text ${i}", ${i}); // note`)).join('\n');

const FRAGMENTS = [
  'A paragraph with **bold**, `code` and a [link](https://example.com).\n\n',
  '## A heading\n\n',
  '- one\n- two\n  - nested\n\n',
  '1. first\n2. second\n\n',
  '| a | b |\n| --- | --- |\n| 1 | 2 |\n\n',
  '> quoted\n> text\n\n',
  '```ts\nconst a = 1;\nfunction f() { return a; }\n```\n\n',
  '~~~python\ndef f():\n    return 1\n~~~\n\n',
  '````md\n```ts\ninner fence\n```\n````\n\n',
  '```\nno language\n```\n',
  '```unknownlang\nx < y && z\n```\n',
  '``` ts {1,3}\ninfo string with spaces\n```\n',
  '```ts\n```\n',
  '  ```js\n  indented fence\n    deeper\n  ```\n',
  '- a list with code:\n\n  ```ts\n  in a list\n  ```\n\n',
  '> ```ts\n> in a quote\n> ```\n\n',
  '```ts\nclosed with trailing spaces\n```   \n',
  '```ts\nnot closed by tildes\n~~~\nnor by two\n``\nnor with an info string\n```ts\nbut by this:\n```\n',
  '```ts\r\nCRLF line ends\r\nsecond\r\n```\r\n\r\n',
  '```ts\rlone CR\rline ends\r```\r',
  '``` `backtick in the info\nis not a fence\n```\n',
  '```ts\n\n\nblank lines\n\n```\n',
  '```go\n\ttabs\tinside\n```\n',
  'Text right before\n```ts\na fence interrupts a paragraph\n```\nText right after\n',
  '<b>html shown as text</b>\n\n',
];
/** Code long enough to be shown in slices; at most one per answer. */
const LONG_FRAGMENTS = [`\`\`\`ts\n${longCode(700)}\n\`\`\`\n\n`, `\`\`\`text\n${longCode(300)}\n\`\`\`\n`];
/** Only at the end of an answer: the answer stops inside a code block. */
const ENDINGS = ['', '', '```ts\nunclosed at the end\n', '~~~\nunclosed, no language', '```py\n', 'trailing text without newline'];

const pick = <T,>(list: readonly T[], random: Random): T => list[Math.floor(random() * list.length)];

function answer(random: Random, long: boolean): string {
  const parts = Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(FRAGMENTS, random));
  if (long) parts.splice(Math.floor(random() * parts.length), 0, pick(LONG_FRAGMENTS, random));
  return parts.join('') + pick(ENDINGS, random);
}

const assistant = (id: string, text: string, status: TurnView['status']): TurnView => ({ id, role: 'assistant', text, status, model: 'test/model' });

/**
 * Streams the answer as the host does: chunks in bursts, and after some a pause longer than a frame, so that the
 * webview renders there: after almost every other chunk in a short answer, about 100 times in a long one.
 */
async function stream(view: WebviewPage, id: string, text: string, random: Random): Promise<string[]> {
  const messages: HostMessage[] = [
    { type: 'turnAdded', turn: assistant(id, '', 'streaming') },
    ...randomChunks(text, random).map((content): HostMessage => ({ type: 'delta', turnId: id, content, reasoning: '' })),
    { type: 'turnEnded', turn: assistant(id, text, 'done') },
  ];
  const pauseChance = Math.min(0.4, 100 / messages.length);
  const pauses = messages.map(() => (random() < pauseChance ? 17 + Math.floor(random() * 8) : 0));
  const shown = await view.page.evaluate(async ({ all, waits, turn }) => {
    // After each pause: the code shown in blocks still streaming (their Apply waits for the closing fence).
    const openCode = (): string[] =>
      Array.from(document.querySelectorAll(`[data-turn-id="${turn}"] .code-block`))
        .filter((block) => block.querySelector('button[data-action="apply"]:disabled'))
        .map((block) => block.querySelector('code')?.textContent ?? '');
    const seen: string[] = [];
    for (let i = 0; i < all.length; i++) {
      window.postMessage(all[i], '*');
      if (!waits[i]) continue;
      await new Promise((resolve) => setTimeout(resolve, waits[i]));
      seen.push(...openCode());
    }
    return seen;
  }, { all: messages, waits: pauses, turn: id });
  await view.page.locator(`[data-turn-id="${id}"][data-status="done"]`).waitFor({ timeout: 10_000 });
  return shown;
}

/** Code shown while streaming that is not the start of a code block of the finished answer. */
async function wrongOpenCode(view: WebviewPage, id: string, shown: readonly string[]): Promise<string[]> {
  const finished = await view.page.locator(`[data-turn-id="${id}"] .code-block code`).allTextContents();
  // A line shows its line end before the next line says whether it was the block's last.
  return shown.filter((code) => !finished.some((whole) => whole.startsWith(code.replace(/\n$/, ''))));
}

/** The answer's DOM once its deferred highlighting ran; the streaming path's block wrappers taken out. */
async function finishedBody(view: WebviewPage, id: string): Promise<string> {
  const body = view.page.locator(`[data-turn-id="${id}"] .turn-body`);
  await view.page.waitForFunction((turn) => !document.querySelector(`[data-turn-id="${turn}"] .highlight-pending`), id, { timeout: 10_000 });
  const html = await body.evaluate((element) => element.innerHTML);
  return html.replace(/<div class="md-(?:block|tail)">/g, '').replace(/<\/div>/g, '');
}

describe('UI: a streamed answer ends as the one-shot render (bare Chromium)', () => {
  let view: WebviewPage;

  before(async () => {
    view = await openWebviewPage();
  });
  after(async () => {
    await view?.close();
  });

  it(`random answers over every class of fence, streamed in random chunks at random pace (seed ${SEED})`, async () => {
    console.log(`      seed ${SEED} (IOI_TEST_SEED to repeat)`);
    const random = seededRandom(SEED);
    const differences: string[] = [];
    let opened = 0;
    for (let round = 0; round < 40; round++) {
      const text = answer(random, round % 4 === 3);
      await view.post(stateWith([], `streamed-${round}`));
      const shown = await stream(view, `a${round}`, text, random);
      opened += shown.length;
      const streamed = await finishedBody(view, `a${round}`);
      await view.post(stateWith([assistant(`a${round}`, text, 'done')], `whole-${round}`));
      const whole = await finishedBody(view, `a${round}`);
      for (const code of await wrongOpenCode(view, `a${round}`, shown)) differences.push(`round ${round}: shown while streaming, not the start of any finished block: ${JSON.stringify(code.slice(0, 200))}`);
      if (streamed !== whole) {
        let at = 0;
        while (streamed[at] === whole[at]) at++;
        differences.push(`round ${round}, answer ${JSON.stringify(text.slice(0, 200))}…\n  streamed: …${streamed.slice(Math.max(0, at - 80), at + 120)}\n  one-shot: …${whole.slice(Math.max(0, at - 80), at + 120)}`);
      }
    }
    assert.deepEqual(differences, []);
    assert.ok(opened >= 40, `code blocks were seen open while streaming (${opened} times)`);
    assert.deepEqual(view.consoleErrors, []);
  });

  it('the toolbar of a code block: Copy takes the code shown while it streams, Insert and Apply wait for the closing fence', async () => {
    await view.post(stateWith([], 'toolbar'));
    await view.page.evaluate(() => {
      window.postMessage({ type: 'turnAdded', turn: { id: 't', role: 'assistant', text: '', status: 'streaming', model: 'm' } }, '*');
      window.postMessage({ type: 'delta', turnId: 't', content: 'Here:\n\n```ts\nconst first = 1;\nconst sec', reasoning: '' }, '*');
    });
    const copy = view.page.locator('[data-turn-id="t"] button[data-action="copy"]');
    await view.page.waitForFunction(() => document.querySelector('[data-turn-id="t"] code')?.textContent?.includes('const sec'));
    await copy.click();
    const apply = view.page.locator('[data-turn-id="t"] button[data-action="apply"]');
    const insert = view.page.locator('[data-turn-id="t"] button[data-action="insert"]');
    assert.deepEqual([await apply.isDisabled(), await insert.isDisabled()], [true, true], 'half a block is never applied or inserted');
    await view.page.evaluate(() => window.postMessage({ type: 'delta', turnId: 't', content: 'ond = 2;\n```\n\nDone.', reasoning: '' }, '*'));
    await view.page.getByText('Done.').waitFor();
    assert.deepEqual([await apply.isDisabled(), await insert.isDisabled()], [false, false], 'the closed block can be applied');
    await copy.click();
    const copied = (await view.sent()).filter((m) => m.type === 'copyCode').map((m) => (m as { code: string }).code);
    assert.deepEqual(copied, ['const first = 1;\nconst sec', 'const first = 1;\nconst second = 2;']);
  });
});
