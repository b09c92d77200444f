import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CommandId } from '../../src/commandIds';
import { useSession } from './session';
import { answerQuickInput, openFile, paletteTitle, runCommand, screenshot } from './workbench';

const KEY = 'io-ui-rewrite-key';
const PROPOSAL = 'export function average(values: number[]): number {\n  if (values.length === 0) return 0;\n  return values.reduce((sum, value) => sum + value, 0) / values.length;\n}\n';

describe('UI: rewrite a selection and accept it from the CodeLens', () => {
  const ui = useSession({ server: { validKeys: [KEY], stepDelayMs: 10 }, key: KEY });

  it('types an instruction, watches the edit appear, accepts it, saves, and the file on disk has it', async () => {
    const page = ui.page;
    await openFile(page, 'math.ts');
    await page.locator('.monaco-editor .view-lines').first().click();
    // Select the first seven lines (the average function) with the keyboard, as a person would.
    await page.keyboard.press('Control+Home');
    for (let i = 0; i < 7; i++) await page.keyboard.press('Shift+ArrowDown');
    const answer = `\`\`\`typescript\n${PROPOSAL}\`\`\``;
    ui.server.enqueue({
      kind: 'stream',
      steps: [
        ...(answer.match(/[\s\S]{1,6}/g) ?? []).map((text) => ({ type: 'content' as const, text })),
        { type: 'finish', reason: 'stop' },
        { type: 'done' },
      ],
    });
    await runCommand(page, paletteTitle(CommandId.rewriteSelection));
    await answerQuickInput(page, 'Handle empty arrays and use reduce');
    const accept = page.locator('.contentWidgets .codelens-decoration a', { hasText: 'Accept' });
    await accept.waitFor({ timeout: 30_000 });
    await page.locator('.view-lines', { hasText: 'values.reduce((sum, value)' }).first().waitFor();
    await screenshot(page, 'pending-rewrite');
    const sent = (ui.server.chatRequests().at(-1)?.body as { messages: { content: string }[] }).messages[1].content;
    assert.match(sent, /Instruction: Handle empty arrays and use reduce/, 'typed text is used as typed');
    await accept.click();
    await page.locator('.contentWidgets .codelens-decoration a', { hasText: 'Accept' }).waitFor({ state: 'detached', timeout: 10_000 });
    await page.keyboard.press('Control+S');
    const file = path.join(ui.session.host.workspace, 'src', 'math.ts');
    const deadline = Date.now() + 10_000;
    while (!fs.readFileSync(file, 'utf8').startsWith(PROPOSAL) && Date.now() < deadline) await page.waitForTimeout(100);
    const onDisk = fs.readFileSync(file, 'utf8');
    assert.ok(onDisk.startsWith(PROPOSAL), onDisk);
    assert.ok(onDisk.includes('export function clamp'), 'the rest of the file is untouched');
    assert.equal(onDisk.includes('```'), false, 'no fence in the file');
  });
});
