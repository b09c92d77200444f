import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { CHROMIUM } from '../host/browser';
import { REPO_ROOT, tempDir } from '../host/codeServer';

/**
 * The real webview bundle (dist/webview.js + .css, production build) in headless Chromium, fed host messages through
 * window.postMessage exactly as VS Code delivers them to a webview. acquireVsCodeApi is the only stand-in.
 *
 * A small harness (HARNESS below) runs beside the bundle: it streams deltas on a fixed schedule, tells when an answer
 * is completely rendered, and records long tasks. Main-thread time is Chromium's own count (CDP Performance
 * TaskDuration) between two points where the page is idle.
 */
export interface WebviewPage {
  readonly page: Page;
  readonly cdp: CDPSession;
  /** Main-thread time so far (all tasks of the page's renderer main thread), ms. */
  taskMs(): Promise<number>;
  /** JS heap in use after a forced garbage collection, bytes. */
  heapBytes(): Promise<number>;
  /** A full garbage collection, then a short pause: the next timed region starts from a quiet page. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** What "completely rendered" means for an answer: its turn is done and every code block shows its end highlighted. */
export interface RenderedCheck {
  readonly turnId: string;
  /** Code blocks the answer has; each ends with a comment containing `endMarker(i)` (i from 0). */
  readonly codeBlocks: number;
  /** Text of the answer's last rendered element (the end of the last list item, table cell or code block). */
  readonly lastText: string;
}

/** The page-side harness, as plain JavaScript (it runs in the page, not under Node). */
const HARNESS = String.raw`
(() => {
  const bench = (window.__bench = { longest: 0, longTasks: 0 });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      bench.longest = Math.max(bench.longest, e.duration);
      bench.longTasks++;
    }
  }).observe({ type: 'longtask' });
  bench.resetLongTasks = () => { bench.longest = 0; bench.longTasks = 0; };
  const post = (message) => window.postMessage(message, '*');

  // Streams deltas at fixed times from the start (intervals in ms). Each next delta is scheduled from the message
  // task that delivered the previous one, so timers never nest (nested timers are clamped to 4 ms) and the schedule
  // holds; the only work added per chunk is one timer task. A stream still running after \`limitMs\` (a renderer that
  // cannot keep up) stops there: it resolves with how many pieces were sent.
  bench.stream = (turnId, pieces, intervals, limitMs) => new Promise((resolve) => {
    let i = 0;
    const start = performance.now();
    let due = start;
    const onMessage = (event) => {
      const m = event.data;
      if (!m || m.type !== 'delta' || m.turnId !== turnId) return;
      if (i >= pieces.length || performance.now() - start > limitMs) {
        window.removeEventListener('message', onMessage);
        resolve(i);
        return;
      }
      due += intervals[i % intervals.length];
      setTimeout(next, Math.max(0, due - performance.now()));
    };
    const next = () => post({ type: 'delta', turnId, content: pieces[i++], reasoning: '' });
    window.addEventListener('message', onMessage);
    next();
  });

  // The answer is completely rendered when its turn is done, each code block's last element is its highlighted end
  // comment (idle-time or sliced highlighting included: the end is highlighted last), no element is marked as still
  // waiting for highlighting, and the frame that lays it out has been drawn.
  const rendered = (check) => {
    const turn = document.querySelector('.turn[data-turn-id="' + check.turnId + '"][data-status="done"]');
    if (!turn || turn.querySelector('[data-highlight="pending"]')) return false;
    const blocks = turn.querySelectorAll('.code-block code');
    if (blocks.length !== check.codeBlocks) return false;
    for (let i = 0; i < blocks.length; i++) {
      let last = blocks[i];
      while (last.lastElementChild) last = last.lastElementChild;
      if (!last.closest('.hljs-comment') || !last.textContent.includes('end of block ' + i)) return false;
    }
    const body = turn.querySelector('.turn-body');
    return !!body && (body.textContent || '').trimEnd().endsWith(check.lastText);
  };
  const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  bench.whenRendered = async (check) => {
    while (!rendered(check)) await new Promise((r) => setTimeout(r, 4));
    await frame();
    await frame();
  };
  bench.frame = frame;
  bench.quiet = async () => { await frame(); await new Promise((r) => setTimeout(r, 50)); };
})();
`;

export async function openWebviewPage(browser: Browser): Promise<WebviewPage> {
  const dir = tempDir('bench-page');
  const dist = path.join(REPO_ROOT, 'dist');
  fs.writeFileSync(path.join(dir, 'harness.js'), HARNESS);
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    `<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="stylesheet" href="file://${dist}/webview.css"></head><body>
<div id="app"></div>
<script>window.acquireVsCodeApi = () => ({ postMessage() {}, getState() {}, setState() {} });</script>
<script src="file://${dist}/webview.js"></script>
<script src="harness.js"></script></body></html>`,
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
    settle: async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      await page.evaluate(() => (window as unknown as BenchWindow).__bench.quiet());
    },
    close: async () => {
      await page.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The harness as the page sees it (for the typed page.evaluate calls in render.ts). */
export interface BenchWindow {
  __bench: {
    longest: number;
    longTasks: number;
    resetLongTasks(): void;
    /** Resolves with the number of pieces sent (all of them unless the time limit was reached). */
    stream(turnId: string, pieces: readonly string[], intervals: readonly number[], limitMs: number): Promise<number>;
    frame(): Promise<void>;
    whenRendered(check: RenderedCheck): Promise<void>;
    quiet(): Promise<void>;
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--allow-file-access-from-files'] });
}

export function stateMessage(turns: unknown[], conversationId = 'bench'): unknown {
  return { type: 'state', state: { conversationId, turns, history: [], model: 'Qwen/Qwen2.5-Coder-32B-Instruct', hasKey: true, showReasoning: true, busy: false } };
}
