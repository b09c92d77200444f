import assert from 'node:assert/strict';
import { IoTestServer } from '../server/ioTestServer';
import { answerQuickInput, openSession, quickPickLabels, runCommand, screenshot, waitForNotification, type Session } from './workbench';

const KEY = 'io-ui-typed-key-42';

describe('UI: a new user sets the key and picks a model from the palette', () => {
  let server: IoTestServer;
  let session: Session;

  before(async () => {
    server = await new IoTestServer({ validKeys: [KEY] }).start();
    session = await openSession({ 'ioIntelligence.baseUrl': server.baseUrl });
  });
  after(async () => {
    await session?.close();
    await server?.stop();
  });

  it('a wrong key typed into Set API Key is refused with a clear message', async () => {
    await runCommand(session.page, 'IO Intelligence: Set API Key');
    await answerQuickInput(session.page, 'io-not-the-right-key');
    const text = await waitForNotification(session.page, 'rejected');
    assert.match(text, /rejected this API key, so it was not saved/);
  });

  it('the key typed into Set API Key is checked and saved', async () => {
    await runCommand(session.page, 'IO Intelligence: Set API Key');
    const input = session.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    assert.equal(await input.getAttribute('type'), 'password', 'the key is typed into a password field');
    await answerQuickInput(session.page, KEY);
    const text = await waitForNotification(session.page, 'It works').catch((error: Error) => {
      throw new Error(`${error.message}; requests: ${JSON.stringify(server.requests.map((r) => r.headers.authorization))}`);
    });
    assert.match(text, /5 models available/);
    const check = server.requests.filter((r) => r.path === '/api/v1/models').at(-1);
    assert.equal(check?.headers.authorization, `Bearer ${KEY}`);
  });

  it('Select Model shows the server’s chat models with their context length', async () => {
    await runCommand(session.page, 'IO Intelligence: Select Model');
    const labels = await quickPickLabels(session.page, 'Llama-3.3-70B');
    await screenshot(session.page, 'select-model');
    assert.ok(labels.some((l) => l.includes('meta-llama/Llama-3.3-70B-Instruct') && l.includes('128K context')), labels.join('\n'));
    assert.ok(labels.some((l) => l.includes('nvidia/AceMath-7B-Instruct') && l.includes('4K context')), 'null max_model_len falls back to the table');
    assert.equal(labels.some((l) => l.includes('bge-multilingual')), false, 'embeddings models are not offered for chat');
    await answerQuickInput(session.page, 'Llama-3.3-70B');
    const status = session.page.locator('.statusbar-item', { hasText: 'Llama-3.3-70B-Instruct ·' });
    await status.waitFor({ timeout: 15_000 });
    assert.match(await status.innerText(), /Llama-3\.3-70B-Instruct · 0 \/ 500K/, 'the status bar follows the picked model');
  });
});
