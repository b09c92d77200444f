import assert from 'node:assert/strict';
import { CommandId } from '../../src/commandIds';
import { useSession } from './session';
import { paletteTitle, quickPickLabels, runCommand } from './workbench';

const KEY = 'io-ui-model-target-key';

describe('UI: Select Model says which model it sets, and lets the user choose for what', () => {
  const ui = useSession({ server: { validKeys: [KEY] }, key: KEY });

  it('the title button switches Chat → Rewrite; picking then sets the rewrite model, and says so', async () => {
    const page = ui.page;
    await runCommand(page, paletteTitle(CommandId.selectModel));
    await quickPickLabels(page, 'Llama-3.3-70B');
    const title = page.locator('.quick-input-widget .quick-input-title');
    assert.match(await title.innerText(), /Select Model for Chat/);
    assert.match((await page.locator('.quick-input-widget .quick-input-box input').getAttribute('placeholder')) ?? '', /Sets ioIntelligence\.chatModel \(now Qwen\/Qwen2\.5-Coder-32B-Instruct\)/);
    await page.locator('.quick-input-widget .quick-input-titlebar .action-label.codicon-arrow-swap').click();
    await title.filter({ hasText: 'Select Model for Rewrite' }).waitFor({ timeout: 5_000 });
    assert.match((await page.locator('.quick-input-widget .quick-input-box input').getAttribute('placeholder')) ?? '', /Sets ioIntelligence\.editModel/);
    await page.locator('.quick-input-widget .quick-input-box input').fill('Llama-3.3-70B');
    await page.keyboard.press('Enter');
    await page.locator('.statusbar-item', { hasText: 'Rewrite model set to meta-llama/Llama-3.3-70B-Instruct.' }).waitFor({ timeout: 10_000 });
    // As a person checks it: open it again; Chat still has Qwen checked, Rewrite has Llama.
    await runCommand(page, paletteTitle(CommandId.selectModel));
    const checked = (): Promise<string> => page.locator('.quick-input-widget .monaco-list-row:visible', { has: page.locator('.codicon-check') }).first().innerText();
    await quickPickLabels(page, 'Llama-3.3-70B');
    assert.match(await checked(), /Qwen\/Qwen2\.5-Coder-32B-Instruct/);
    await page.locator('.quick-input-widget .quick-input-titlebar .action-label.codicon-arrow-swap').click();
    await title.filter({ hasText: 'Select Model for Rewrite' }).waitFor({ timeout: 5_000 });
    assert.match(await checked(), /meta-llama\/Llama-3\.3-70B-Instruct/);
    await page.keyboard.press('Escape');
  });
});
