import assert from 'node:assert/strict';
import { corpusAnswer, xssCorpus } from '../fixtures/xssCorpus';
import { IoTestServer } from '../server/ioTestServer';
import { streamText } from '../server/scenarios';
import { chatDocument, chatFrame, openSession, runCommand, screenshot, setApiKeyThroughPalette, type Session } from './workbench';

const KEY = 'io-ui-xss-key';
const ALLOWED_TAGS = new Set([
  'DIV', 'P', 'SPAN', 'A', 'STRONG', 'EM', 'DEL', 'CODE', 'PRE', 'BR', 'HR', 'UL', 'OL', 'LI', 'BLOCKQUOTE', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6',
  'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD', 'BUTTON', 'INPUT',
]);
const ALLOWED_ATTRIBUTES = new Set(['class', 'href', 'title', 'data-href', 'data-action', 'aria-label', 'align', 'type', 'checked', 'disabled', 'start']);

describe('UI: hostile model output is inert in the chat webview (72-case corpus)', () => {
  let server: IoTestServer;
  let session: Session;

  before(async () => {
    server = await new IoTestServer({ validKeys: [KEY] }).start();
    session = await openSession({ 'ioIntelligence.baseUrl': server.baseUrl });
    await setApiKeyThroughPalette(session.page, KEY);
    await runCommand(session.page, 'IO Intelligence: Open Chat');
    await chatFrame(session.page).locator('textarea.prompt').waitFor({ timeout: 30_000 });
  });
  after(async () => {
    await session?.close();
    await server?.stop();
  });

  it('runs no script, makes no request to any host, violates no CSP, and shows each case as text, a link or a placeholder', async () => {
    const exfil = `${server.baseUrl.replace(/api\/v1\/$/, '')}exfil`;
    const cases = xssCorpus(exfil);
    assert.ok(cases.length >= 60);
    const frame = await chatDocument(session.page);
    await frame.evaluate(() => {
      const w = window as unknown as { __violations: string[] };
      w.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const attempts: string[] = [];
    session.bench.context.on('request', (request) => attempts.push(request.url()));
    const answer = corpusAnswer(cases);
    server.enqueue(streamText(answer.match(/[\s\S]{1,7}/g) ?? []));
    const chat = chatFrame(session.page);
    await chat.locator('textarea.prompt').fill('Show me the corpus');
    await chat.locator('textarea.prompt').press('Enter');
    const turn = chat.locator('.turn.assistant[data-status="done"]').last();
    await turn.waitFor({ timeout: 60_000 });
    await session.page.waitForTimeout(500);
    await screenshot(session.page, 'xss-corpus');

    const text = await turn.innerText();
    const missing = cases.filter((c) => !text.includes(`MARKER-${c.id}:`)).map((c) => c.id);
    assert.deepEqual(missing, [], 'every case is shown');

    const violations = await frame.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
    assert.deepEqual(violations, [], 'nothing even tried to load or run');
    const outgoing = attempts.filter((url) => /exfil|evil\.example|javascript:|data:text/.test(url));
    assert.deepEqual(outgoing, [], 'no request attempt from the page');
    assert.deepEqual(server.requests.filter((r) => r.path.includes('exfil')).map((r) => r.path), [], 'nothing reached the server');
    assert.notEqual(await frame.evaluate(() => document.title), 'PWNED');

    const offending = await turn.evaluate((root, allowed) => {
      const tags = new Set(allowed.tags);
      const attributes = new Set(allowed.attributes);
      const found: string[] = [];
      for (const element of Array.from(root.querySelectorAll('*'))) {
        if (!tags.has(element.tagName)) found.push(`<${element.tagName.toLowerCase()}>`);
        for (const attribute of Array.from(element.attributes)) {
          if (!attributes.has(attribute.name)) found.push(`${element.tagName.toLowerCase()}[${attribute.name}]`);
          if (attribute.name === 'href' && attribute.value !== '#') found.push(`href=${attribute.value}`);
          if (attribute.name === 'data-href' && !/^https?:\/\//.test(attribute.value)) found.push(`data-href=${attribute.value}`);
        }
        if (element.tagName === 'INPUT' && element.getAttribute('type') !== 'checkbox') found.push('non-checkbox input');
      }
      return found;
    }, { tags: [...ALLOWED_TAGS], attributes: [...ALLOWED_ATTRIBUTES] });
    assert.deepEqual(offending, [], 'only inert elements and attributes');
    assert.ok(await turn.locator('.image-placeholder').count() >= 5, 'images became placeholders');
  });

  it('the panel still works afterwards: clobbering did not break the messaging', async () => {
    server.enqueue(streamText(['Still alive.']));
    const chat = chatFrame(session.page);
    await chat.locator('textarea.prompt').fill('ping');
    await chat.locator('textarea.prompt').press('Enter');
    await chat.locator('.turn.assistant[data-status="done"]', { hasText: 'Still alive.' }).waitFor({ timeout: 30_000 });
  });
});
