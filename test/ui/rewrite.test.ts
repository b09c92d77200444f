import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IoTestServer } from '../server/ioTestServer';
import { answerQuickInput, openFile, openSession, runCommand, screenshot, setApiKeyThroughPalette, type Session } from './workbench';

const KEY = 'io-ui-rewrite-key';
const PROPOSAL = 'export function average(values: number[]): number {\n  if (values.length === 0) return 0;\n  return values.reduce((sum, value) => sum + value, 0) / values.length;\n}\n';

describe('UI: rewrite a selection and accept it from the CodeLens', () => {
  let server: IoTestServer;
  let session: Session;

  before(async () => {
    server = await new IoTestServer({ validKeys: [KEY], stepDelayMs: 10 }).start();
    session = await openSession({ 'ioIntelligence.baseUrl': server.baseUrl });
    await setApiKeyThroughPalette(session.page, KEY);
  });
  after(async () => {
    await session?.close();
    await server?.stop();
  });

  it('types an instruction, watches the edit appear, accepts it, saves, and the file on disk has it', async () => {
    const page = session.page;
    await openFile(page, 'math.ts');
    await page.locator('.monaco-editor .view-lines').first().click();
    // Select the first seven lines (the average function) with the keyboard, as a person would.
    await page.keyboard.press('Control+Home');
    for (let i = 0; i < 7; i++) await page.keyboard.press('Shift+ArrowDown');
    const answer = `\`\`\`typescript\n${PROPOSAL}\`\`\``;
    server.enqueue({
      kind: 'stream',
      steps: [
        ...(answer.match(/[\s\S]{1,6}/g) ?? []).map((text) => ({ type: 'content' as const, text })),
        { type: 'finish', reason: 'stop' },
        { type: 'done' },
      ],
    });
    await runCommand(page, 'IO Intelligence: Rewrite Selection…');
    await answerQuickInput(page, 'Handle empty arrays and use reduce');
    const accept = page.locator('.contentWidgets .codelens-decoration a', { hasText: 'Accept' });
    await accept.waitFor({ timeout: 30_000 });
    await page.locator('.view-lines', { hasText: 'values.reduce((sum, value)' }).first().waitFor();
    await screenshot(page, 'pending-rewrite');
    const sent = (server.chatRequests().at(-1)?.body as { messages: { content: string }[] }).messages[1].content;
    assert.match(sent, /Instruction: Handle empty arrays and use reduce/, 'typed text is used as typed');
    await accept.click();
    await page.locator('.contentWidgets .codelens-decoration a', { hasText: 'Accept' }).waitFor({ state: 'detached', timeout: 10_000 });
    await page.keyboard.press('Control+S');
    const file = path.join(session.host.workspace, 'src', 'math.ts');
    const deadline = Date.now() + 10_000;
    while (!fs.readFileSync(file, 'utf8').startsWith(PROPOSAL) && Date.now() < deadline) await page.waitForTimeout(100);
    const onDisk = fs.readFileSync(file, 'utf8');
    assert.ok(onDisk.startsWith(PROPOSAL), onDisk);
    assert.ok(onDisk.includes('export function clamp'), 'the rest of the file is untouched');
    assert.equal(onDisk.includes('```'), false, 'no fence in the file');
  });
});
