import assert from 'node:assert/strict';
import { CommandId } from '../../src/commandIds';
import { useSession } from './session';
import { answerQuickInput, paletteTitle, quickPickLabels, runCommand, screenshot, waitForNotification } from './workbench';

const KEY = 'io-ui-typed-key-42';

describe('UI: a new user sets the key and picks a model from the palette', () => {
  const ui = useSession({ server: { validKeys: [KEY] } });

  it('a wrong key typed into Set API Key is refused with a clear message', async () => {
    await runCommand(ui.page, paletteTitle(CommandId.setApiKey));
    await answerQuickInput(ui.page, 'io-not-the-right-key');
    const text = await waitForNotification(ui.page, 'rejected');
    assert.match(text, /rejected this API key, so it was not saved/);
  });

  it('the key typed into Set API Key is checked and saved', async () => {
    await runCommand(ui.page, paletteTitle(CommandId.setApiKey));
    const input = ui.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    assert.equal(await input.getAttribute('type'), 'password', 'the key is typed into a password field');
    await answerQuickInput(ui.page, KEY);
    const text = await waitForNotification(ui.page, 'It works').catch((error: Error) => {
      throw new Error(`${error.message}; requests: ${JSON.stringify(ui.server.requests.map((r) => r.headers.authorization))}`);
    });
    assert.match(text, /6 models available/);
    const check = ui.server.requests.filter((r) => r.path === '/api/v1/models').at(-1);
    assert.equal(check?.headers.authorization, `Bearer ${KEY}`);
  });

  it('Select Model shows the server’s chat models with their context length', async () => {
    await runCommand(ui.page, paletteTitle(CommandId.selectModel));
    const labels = await quickPickLabels(ui.page, 'Llama-3.3-70B');
    await screenshot(ui.page, 'select-model');
    assert.ok(labels.some((l) => l.includes('meta-llama/Llama-3.3-70B-Instruct') && l.includes('128K context')), labels.join('\n'));
    assert.ok(labels.some((l) => l.includes('nvidia/AceMath-7B-Instruct') && l.includes('4K context')), 'null max_model_len falls back to the table');
    assert.equal(labels.some((l) => l.includes('bge-multilingual')), false, 'embeddings models are not offered for chat');
    await answerQuickInput(ui.page, 'Llama-3.3-70B');
    const status = ui.page.locator('.statusbar-item', { hasText: 'Llama-3.3-70B-Instruct ·' });
    await status.waitFor({ timeout: 15_000 });
    assert.match(await status.innerText(), /Llama-3\.3-70B-Instruct · 0 \/ 500K/, 'the status bar follows the picked model');
  });
});
