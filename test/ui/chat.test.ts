import assert from 'node:assert/strict';
import { IoTestServer } from '../server/ioTestServer';
import { streamText, thinkTags } from '../server/scenarios';
import { RESULTS_DIR, chatFrame, openFile, openSession, runCommand, screenshot, setApiKeyThroughPalette, type Session } from './workbench';

const KEY = 'io-ui-chat-key';
const EXPLANATION = [
  '`average` sums the numbers and divides by how many there are.\n\n',
  '- It loops once over `values`.\n- An **empty array** gives `NaN` (0 / 0).\n\n',
  'A guard fixes that:\n\n```ts\nif (values.length === 0) {\n  return 0;\n}\n```\n',
];

describe('UI: explain a selection and ask a follow-up in the chat panel', () => {
  let server: IoTestServer;
  let session: Session;

  before(async () => {
    server = await new IoTestServer({ validKeys: [KEY], stepDelayMs: 5 }).start();
    session = await openSession({ 'ioIntelligence.baseUrl': server.baseUrl });
    await session.bench.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: session.host.origin });
  });
  after(async () => {
    await session?.close();
    await server?.stop();
  });

  it('without a key the panel welcomes the user with a Set API Key button', async () => {
    await runCommand(session.page, 'IO Intelligence: Open Chat');
    const chat = chatFrame(session.page);
    await chat.locator('.welcome button', { hasText: 'Set API Key' }).waitFor({ timeout: 30_000 });
    assert.equal(await chat.locator('.composer').isVisible(), false, 'no input that cannot work');
  });

  it('select code, F1 → Explain Selection, and read the rendered answer in the panel', async () => {
    await setApiKeyThroughPalette(session.page, KEY);
    await openFile(session.page, 'math.ts');
    await session.page.locator('.monaco-editor .view-lines').first().click();
    await session.page.keyboard.press('Control+A');
    server.enqueue(streamText(EXPLANATION));
    await runCommand(session.page, 'IO Intelligence: Explain Selection');
    const chat = chatFrame(session.page);
    const answer = chat.locator('.turn.assistant[data-status="done"]').last();
    await answer.waitFor({ timeout: 30_000 });
    assert.match(await chat.locator('.turn.user .quote-heading').last().innerText(), /math\.ts · typescript · lines 1–11/);
    assert.match(await answer.innerText(), /sums the numbers and divides/);
    assert.equal(await answer.locator('strong', { hasText: 'empty array' }).count(), 1, 'markdown is rendered');
    assert.equal(await answer.locator('.code-block .hljs-keyword').count() > 0, true, 'code is highlighted');
    assert.match(await answer.locator('.turn-footer').innerText(), /Qwen\/Qwen2\.5-Coder-32B-Instruct · 42 \+ \d+ tokens/);
    await screenshot(session.page, 'explain-selection');
    const status = session.page.locator('.statusbar-item', { hasText: 'Qwen2.5-Coder-32B-Instruct ·' });
    await status.waitFor({ timeout: 10_000 });
    assert.match(await status.innerText(), /Qwen2\.5-Coder-32B-Instruct · \d+ \/ 500K/);
    await session.page.locator('.statusbar').screenshot({ path: `${RESULTS_DIR}/usage-status-bar.png` });
  });

  it('Copy on a code block puts exactly the code on the clipboard', async () => {
    const chat = chatFrame(session.page);
    await chat.locator('.turn.assistant').last().locator('.code-action[data-action="copy"]').click();
    await session.page.waitForTimeout(300);
    const clipboard = await session.page.evaluate(() => navigator.clipboard.readText());
    assert.equal(clipboard, 'if (values.length === 0) {\n  return 0;\n}');
  });

  it('a follow-up typed into the panel gets its own answer; reasoning stays in a collapsed Thinking section', async () => {
    const chat = chatFrame(session.page);
    server.enqueue(thinkTags('PRIVATE-REASONING about NaN', 'Yes: `0 / 0` is `NaN` in JavaScript.'));
    await chat.locator('textarea.prompt').fill('Is 0/0 really NaN?');
    await chat.locator('textarea.prompt').press('Enter');
    const answers = chat.locator('.turn.assistant[data-status="done"]');
    await answers.nth(1).waitFor({ timeout: 30_000 });
    const second = answers.nth(1);
    assert.match(await second.locator('.turn-body').innerText(), /0 \/ 0.* is .*NaN.* in JavaScript/s);
    assert.equal((await second.locator('.turn-body').innerText()).includes('PRIVATE-REASONING'), false);
    const thinking = second.locator('details.thinking');
    assert.equal(await thinking.getAttribute('open'), null, 'collapsed');
    assert.match(await thinking.locator('.reasoning-text').textContent() ?? '', /PRIVATE-REASONING/);
    const body = server.chatRequests().at(-1)?.body as { messages: { role: string; content: string }[] };
    assert.equal(body.messages.at(-1)?.content, 'Is 0/0 really NaN?');
    await screenshot(session.page, 'follow-up');
  });
});
