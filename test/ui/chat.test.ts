import assert from 'node:assert/strict';
import { CommandId } from '../../src/commandIds';
import { streamText, thinkTags } from '../server/scenarios';
import { useSession } from './session';
import { RESULTS_DIR, chatFrame, openFile, paletteTitle, runCommand, screenshot, setApiKeyThroughPalette } from './workbench';

const KEY = 'io-ui-chat-key';
const EXPLANATION = [
  '`average` sums the numbers and divides by how many there are.\n\n',
  '- It loops once over `values`.\n- An **empty array** gives `NaN` (0 / 0).\n\n',
  'A guard fixes that:\n\n```ts\nif (values.length === 0) {\n  return 0;\n}\n```\n',
];

describe('UI: explain a selection and ask a follow-up in the chat panel', () => {
  // No key: the first test is what a user sees before setting one.
  const ui = useSession({ server: { validKeys: [KEY], stepDelayMs: 5 }, clipboard: true });

  it('without a key the panel welcomes the user with a Set API Key button', async () => {
    await runCommand(ui.page, paletteTitle(CommandId.openChat));
    const chat = chatFrame(ui.page);
    await chat.locator('.welcome button', { hasText: 'Set API Key' }).waitFor({ timeout: 30_000 });
    assert.equal(await chat.locator('.composer').isVisible(), false, 'no input that cannot work');
  });

  it('select code, F1 → Explain Selection, and read the rendered answer in the panel', async () => {
    await setApiKeyThroughPalette(ui.page, KEY);
    await openFile(ui.page, 'math.ts');
    await ui.page.locator('.monaco-editor .view-lines').first().click();
    await ui.page.keyboard.press('Control+A');
    ui.server.enqueue(streamText(EXPLANATION));
    await runCommand(ui.page, paletteTitle(CommandId.explainSelection));
    const chat = chatFrame(ui.page);
    const answer = chat.locator('.turn.assistant[data-status="done"]').last();
    await answer.waitFor({ timeout: 30_000 });
    assert.match(await chat.locator('.turn.user .quote-heading').last().innerText(), /math\.ts · typescript · lines 1–11/);
    const quote = chat.locator('.turn.user .quote').last();
    assert.equal((await quote.locator('.quote-code').innerText()).split('\n').length, 6, 'the quote shows its first lines');
    assert.equal(await quote.locator('.quote-more').innerText(), '+5 lines', 'and says how many more there are');
    assert.match(await answer.innerText(), /sums the numbers and divides/);
    assert.equal(await answer.locator('strong', { hasText: 'empty array' }).count(), 1, 'markdown is rendered');
    await answer.locator('.code-block .hljs-keyword').first().waitFor({ timeout: 10_000 }); // code is highlighted (when idle)
    assert.match(await answer.locator('.turn-footer').innerText(), /Qwen\/Qwen2\.5-Coder-32B-Instruct · 42 \+ \d+ tokens/);
    await screenshot(ui.page, 'explain-selection');
    const status = ui.page.locator('.statusbar-item', { hasText: 'Qwen2.5-Coder-32B-Instruct ·' });
    await status.waitFor({ timeout: 10_000 });
    assert.match(await status.innerText(), /Qwen2\.5-Coder-32B-Instruct · \d+ \/ 500K/);
    await ui.page.locator('.statusbar').screenshot({ path: `${RESULTS_DIR}/usage-status-bar.png` });
  });

  it('Copy on a code block puts exactly the code on the clipboard', async () => {
    const chat = chatFrame(ui.page);
    await chat.locator('.turn.assistant').last().locator('.code-action[data-action="copy"]').click();
    await ui.page.waitForTimeout(300);
    const clipboard = await ui.page.evaluate(() => navigator.clipboard.readText());
    assert.equal(clipboard, 'if (values.length === 0) {\n  return 0;\n}');
  });

  it('a follow-up typed into the panel gets its own answer; reasoning stays in a collapsed Thinking section', async () => {
    const chat = chatFrame(ui.page);
    ui.server.enqueue(thinkTags('PRIVATE-REASONING about NaN', 'Yes: `0 / 0` is `NaN` in JavaScript.'));
    await chat.locator('textarea.prompt').fill('Is 0/0 really NaN?');
    await chat.locator('textarea.prompt').press('Enter');
    const answers = chat.locator('.turn.assistant[data-status="done"]');
    await answers.nth(1).waitFor({ timeout: 30_000 });
    const second = answers.nth(1);
    assert.match(await second.locator('.turn-body').innerText(), /0 \/ 0.* is .*NaN.* in JavaScript/s);
    assert.equal((await second.locator('.turn-body').textContent())?.includes('PRIVATE-REASONING'), false, 'reasoning is not in the answer');
    const thinking = second.locator('details.thinking');
    assert.equal(await thinking.getAttribute('open'), null, 'collapsed');
    assert.match(await thinking.locator('.reasoning-text').textContent() ?? '', /PRIVATE-REASONING/);
    const body = ui.server.chatRequests().at(-1)?.body as { messages: { role: string; content: string }[] };
    assert.equal(body.messages.at(-1)?.content, 'Is 0/0 really NaN?');
    await screenshot(ui.page, 'follow-up');
  });
});
