import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { HostMessage, TurnView, WebviewMessage } from '../../src/protocol/messages';
import { CHROMIUM } from '../host/browser';
import { REPO_ROOT } from '../host/codeServer';

/**
 * The built chat webview (dist/webview.js and .css, as shipped) in a bare Chromium page with the same CSP as the
 * real panel, minus VS Code: `acquireVsCodeApi` records what the webview sends, and the test posts host messages.
 * Fast enough for corpora and randomized runs; the code-server UI tests stay the truth for the real panel.
 */
export interface WebviewPage {
  readonly page: Page;
  /** Messages the webview sent, in order. */
  sent(): Promise<WebviewMessage[]>;
  post(message: HostMessage): Promise<void>;
  /** CSP violations and requests to any other origin seen so far. */
  violations(): Promise<string[]>;
  /** Requests to any other origin (all are refused). */
  readonly requests: string[];
  readonly consoleErrors: string[];
  /** alert / confirm / prompt dialogs opened (and dismissed). */
  readonly dialogs: string[];
  close(): Promise<void>;
}

const ORIGIN = 'https://webview.test';

interface PageSpec {
  readonly script: string;
  readonly source: () => string | Buffer;
  readonly body: string;
  readonly ready: string;
  /** The panel's CSP, or none (to show that the sanitizer alone, not the CSP, keeps markup inert). */
  readonly csp: boolean;
}

export async function openWebviewPage(): Promise<WebviewPage> {
  const source = (): Buffer => fs.readFileSync(path.join(REPO_ROOT, 'dist', 'webview.js'));
  return openPage({ script: '/webview.js', source, body: '<div id="app"></div>', ready: '.transcript', csp: true });
}

/**
 * src/webview/sanitize.ts alone, bundled now, as `window.sanitizer` (its exports), in a page WITHOUT a CSP: the
 * sanitizer gets HTML directly, as if the markdown lexer had let it all through, and anything it let live would run.
 */
export async function openSanitizerPage(): Promise<WebviewPage> {
  const source = (): string => {
    const result = esbuild.buildSync({
      entryPoints: [path.join(REPO_ROOT, 'src', 'webview', 'sanitize.ts')], bundle: true, format: 'iife', globalName: 'sanitizer', platform: 'browser', target: 'es2022', write: false,
    });
    return result.outputFiles[0].text;
  };
  return openPage({ script: '/sanitize.js', source, body: '<div id="out"></div>', ready: '#out', csp: false });
}

async function openPage(spec: PageSpec): Promise<WebviewPage> {
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  const requests: string[] = [];
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) {
      requests.push(url.href);
      return route.abort();
    }
    if (url.pathname === '/') return route.fulfill({ status: 200, contentType: 'text/html', body: pageHtml(spec) });
    if (url.pathname === '/webview.css') return route.fulfill({ status: 200, contentType: 'text/css', body: fs.readFileSync(path.join(REPO_ROOT, 'dist', 'webview.css')) });
    if (url.pathname === spec.script) return route.fulfill({ status: 200, contentType: 'text/javascript', body: spec.source() });
    return route.fulfill({ status: 404, body: '' });
  });
  await page.goto(`${ORIGIN}/`);
  await page.locator(spec.ready).waitFor({ state: 'attached' });
  return {
    page,
    requests,
    consoleErrors,
    dialogs,
    sent: () => page.evaluate(() => (window as unknown as { __sent: WebviewMessage[] }).__sent),
    post: (message) => postAll(page, [message]),
    violations: async () => [
      ...(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)),
      ...requests.map((r) => `request ${r}`),
    ],
    close: () => browser.close(),
  };
}

/**
 * Posts messages as the host would and resolves once the webview has handled them: a sentinel posted after them
 * arrives after them (the webview ignores it, it is no protocol message).
 */
export function postAll(page: Page, messages: readonly HostMessage[]): Promise<void> {
  return page.evaluate(
    (all) =>
      new Promise<void>((resolve) => {
        const sentinel = `sync-${Math.random()}`;
        const done = (event: MessageEvent): void => {
          if (event.data !== sentinel) return;
          window.removeEventListener('message', done);
          resolve();
        };
        window.addEventListener('message', done);
        for (const m of all) window.postMessage(m, '*');
        window.postMessage(sentinel, '*');
      }),
    messages,
  );
}

/** With the CSP of src/chat/chatViewHtml.ts (the webview's own origin for its files), or none. */
function pageHtml(spec: PageSpec): string {
  const csp = ["default-src 'none'", `style-src ${ORIGIN}`, `font-src ${ORIGIN}`, "script-src 'nonce-test'", "form-action 'none'"].join('; ');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
${spec.csp ? `<meta http-equiv="Content-Security-Policy" content="${csp}">` : ''}
<link rel="stylesheet" href="${ORIGIN}/webview.css"><title>chat</title></head><body>${spec.body}
<script nonce="test">
window.__sent = []; window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__sent.push(m) });
</script>
<script nonce="test" src="${ORIGIN}${spec.script}"></script></body></html>`;
}

/** A `state` message: a key is set, nothing is running, these turns. */
export function stateWith(turns: readonly TurnView[], conversationId = 'c1'): HostMessage {
  return { type: 'state', state: { conversationId, turns, history: [], model: 'test/model', hasKey: true, demo: false, showReasoning: true, busy: false, attachments: [] } };
}
