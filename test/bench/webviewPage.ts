import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { CHROMIUM } from '../host/browser';
import { REPO_ROOT, tempDir } from '../host/codeServer';

/**
 * The real webview bundle (dist/webview.js + .css, production build) in headless Chromium, fed host messages through
 * window.postMessage exactly as VS Code delivers them to a webview. acquireVsCodeApi is the only stand-in.
 */
export interface WebviewPage {
  readonly page: Page;
  readonly cdp: CDPSession;
  taskMs(): Promise<number>;
  heapBytes(): Promise<number>;
  close(): Promise<void>;
}

export async function openWebviewPage(browser: Browser): Promise<WebviewPage> {
  const dir = tempDir('bench-page');
  const dist = path.join(REPO_ROOT, 'dist');
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    `<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="stylesheet" href="file://${dist}/webview.css"></head><body>
<div id="app"></div>
<script>window.acquireVsCodeApi = () => ({ postMessage() {} });</script>
<script src="file://${dist}/webview.js"></script></body></html>`,
  );
  const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(`file://${dir}/index.html`);
  const metric = async (name: string): Promise<number> => {
    const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    return metrics.find((m) => m.name === name)?.value ?? 0;
  };
  return {
    page,
    cdp,
    taskMs: async () => (await metric('TaskDuration')) * 1000,
    heapBytes: async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return metric('JSHeapUsedSize');
    },
    close: async () => {
      await page.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--allow-file-access-from-files'] });
}

export function stateMessage(turns: unknown[], conversationId = 'bench'): unknown {
  return { type: 'state', state: { conversationId, turns, history: [], model: 'Qwen/Qwen2.5-Coder-32B-Instruct', hasKey: true, showReasoning: true, busy: false } };
}
