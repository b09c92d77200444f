import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { chromium, type Browser, type CDPSession, type Frame, type Page } from 'playwright-core';
import { CHROMIUM } from '../host/browser';
import { REPO_ROOT } from '../host/codeServer';
import { rendererCpuClock } from './rendererCpu';

/**
 * The real webview bundle (dist/webview.js + .css, production build) in headless Chromium, fed host messages with
 * postMessage from another origin, as VS Code delivers them to a webview: the webview is an iframe of another site,
 * so it runs in its own renderer process (site isolation), and the host page that streams the deltas — its timers,
 * its scheduling — costs nothing in the process that is measured. acquireVsCodeApi is the only stand-in.
 *
 * Main-thread time is read between two points where the webview is idle: its renderer main thread's CPU time
 * (rendererCpu.ts), and Chromium's own count of the length of its tasks (CDP Performance TaskDuration), which also
 * counts the time the thread waited for a CPU on a busy machine.
 */
export interface WebviewPage {
  /** The host page: it streams the deltas (HOST_HARNESS). */
  readonly page: Page;
  /** The webview, in its own renderer process (FRAME_HARNESS beside the bundle). */
  readonly frame: Frame;
  /** CDP session of the webview's process. */
  readonly cdp: CDPSession;
  /** Posts a host message to the webview, as VS Code does. */
  post(message: unknown): Promise<void>;
  /** Main-thread time so far (the length of the webview's tasks), ms. */
  taskMs(): Promise<number>;
  /**
   * Main-thread CPU time so far, ms: what the benchmark's figures use, as it does not count time the thread waited
   * for a CPU. Where that cannot be read (see rendererCpu.ts), the tasks' length instead (`clock` says which).
   */
  cpuMs(): Promise<number>;
  readonly clock: 'cpu' | 'tasks';
  /** Starts a Chromium trace of every task (the `toplevel` category, about 1 µs a task). */
  startTrace(): Promise<void>;
  /** Ends the trace: the webview main thread's longest task, or undefined where its process is not known. */
  stopTrace(): Promise<LongestTask | undefined>;
  /** JS heap in use after a forced garbage collection, bytes. */
  heapBytes(): Promise<number>;
  /** A full garbage collection, then a drawn frame and a short pause: the next timed region starts quiet. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** The longest task of the webview's main thread in a trace: its CPU time, and its length (which grows on a busy machine). */
export interface LongestTask {
  readonly cpuMs: number;
  readonly ms: number;
}

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly dur?: number;
  readonly tdur?: number;
}

/** The longest top-level task of process `pid`'s main thread (its thread id is the process id). */
export function longestTask(trace: Buffer, pid: number): LongestTask {
  const { traceEvents } = JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] };
  let cpu = 0;
  let wall = 0;
  for (const e of traceEvents) {
    if (e.ph !== 'X' || e.name !== 'ThreadControllerImpl::RunTask' || e.pid !== pid || e.tid !== pid) continue;
    cpu = Math.max(cpu, (e.tdur ?? 0) / 1000);
    wall = Math.max(wall, (e.dur ?? 0) / 1000);
  }
  return { cpuMs: cpu, ms: wall };
}

/** What "completely rendered" means for an answer: its turn is done and every code block shows its end highlighted. */
export interface RenderedCheck {
  readonly turnId: string;
  /** Code blocks the answer has; the last element of block i is a highlighted comment containing `end of block i`. */
  readonly codeBlocks: number;
  /** Text the answer ends with (the end of the last code block, list item or table cell). */
  readonly lastText: string;
}

/** The host page's harness, as plain JavaScript (it runs in the browser, not under Node). */
const HOST_HARNESS = String.raw`
(() => {
  const webview = () => document.querySelector('iframe').contentWindow;
  const host = (window.__host = {});
  // Messages go out as the extension host sends them: through its delta batcher (src/protocol/deltaBatcher.ts).
  const outgoing = new DeltaBatching.DeltaBatcher((message) => webview().postMessage(message, '*'));
  host.post = (message) => outgoing.post(message);
  // Posts the deltas at fixed times from the start (intervals in ms). Each timer is set from a message task, so
  // timers never nest (nested timers are clamped to 4 ms) and the schedule holds. All of this runs in this process,
  // not in the webview's.
  host.stream = (turnId, pieces, intervals) => new Promise((resolve) => {
    const channel = new MessageChannel();
    let i = 0;
    let due = performance.now();
    const next = () => {
      host.post({ type: 'delta', turnId, content: pieces[i++], reasoning: '' });
      if (i >= pieces.length) return resolve();
      due += intervals[i % intervals.length];
      channel.port2.postMessage(null);
    };
    channel.port1.onmessage = () => setTimeout(next, Math.max(0, due - performance.now()));
    next();
  });
})();
`;

/** The harness beside the webview bundle, in the webview's process: completion, long tasks, quiet points. */
const FRAME_HARNESS = String.raw`
(() => {
  const bench = (window.__bench = { longest: 0, longTasks: 0, deltas: 0, deltaChars: 0 });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      bench.longest = Math.max(bench.longest, e.duration);
      bench.longTasks++;
    }
  }).observe({ type: 'longtask' });
  bench.reset = () => { bench.longest = 0; bench.longTasks = 0; bench.deltas = 0; bench.deltaChars = 0; };
  window.addEventListener('message', (event) => {
    if (!event.data || event.data.type !== 'delta') return;
    bench.deltas++;
    bench.deltaChars += event.data.content.length;
  });

  // The answer is completely rendered when its turn is done, each code block's last element is its highlighted end
  // comment (idle-time or sliced highlighting included: the end is highlighted last), no element is marked as still
  // waiting for highlighting, and the frame that lays it out has been drawn.
  const rendered = (check) => {
    const turn = document.querySelector('.turn[data-turn-id="' + check.turnId + '"][data-status="done"]');
    if (!turn || turn.querySelector('.highlight-pending')) return false;
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
  bench.frame = frame;
  // Resolves true once rendered (and two frames drawn), false if still not rendered after limitMs.
  bench.whenRendered = async (check, limitMs) => {
    const deadline = performance.now() + limitMs;
    while (!rendered(check)) {
      if (performance.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 4));
    }
    await frame();
    await frame();
    return true;
  };
  bench.quiet = async () => { await frame(); await new Promise((r) => setTimeout(r, 50)); };
})();
`;

/** The harnesses as the browser sees them (for typed evaluate calls). */
export interface HostWindow {
  __host: {
    post(message: unknown): void;
    /** Resolves once every piece has been posted. */
    stream(turnId: string, pieces: readonly string[], intervals: readonly number[]): Promise<void>;
  };
}

export interface BenchWindow {
  __bench: {
    longest: number;
    longTasks: number;
    /** Delta messages the webview has received since the last reset (fewer than were streamed: they are batched). */
    deltas: number;
    /** Characters of answer text those deltas carried. */
    deltaChars: number;
    reset(): void;
    whenRendered(check: RenderedCheck, limitMs: number): Promise<boolean>;
    frame(): Promise<void>;
    quiet(): Promise<void>;
  };
}

/** The extension host's delta batcher, bundled for the host page. */
function batcherBundle(): string {
  const built = buildSync({
    entryPoints: [path.join(REPO_ROOT, 'src', 'protocol', 'deltaBatcher.ts')],
    bundle: true,
    format: 'iife',
    globalName: 'DeltaBatching',
    target: 'es2022',
    write: false,
  });
  return built.outputFiles[0].text;
}

/** Serves the two pages and dist/ on loopback; the host page is opened at 127.0.0.1, the webview at localhost. */
async function serve(): Promise<{ port: number; close(): Promise<void> }> {
  const dist = path.join(REPO_ROOT, 'dist');
  const pages: Record<string, [string, string]> = {
    '/host.html': [
      'text/html',
      '<!DOCTYPE html><html><body><iframe width="420" height="900" style="border:0"></iframe><script src="/batcher.js"></script><script src="/host.js"></script></body></html>',
    ],
    '/batcher.js': ['text/javascript', batcherBundle()],
    '/host.js': ['text/javascript', HOST_HARNESS],
    '/webview.html': [
      'text/html',
      `<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/dist/webview.css"></head><body>
<div id="app"></div>
<script>window.acquireVsCodeApi = () => ({ postMessage() {}, getState() {}, setState() {} });</script>
<script src="/dist/webview.js"></script>
<script src="/frame.js"></script></body></html>`,
    ],
    '/frame.js': ['text/javascript', FRAME_HARNESS],
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x').pathname;
    const page = pages[url];
    if (page) {
      res.writeHead(200, { 'content-type': `${page[0]}; charset=utf-8` });
      return res.end(page[1]);
    }
    const file = url.startsWith('/dist/') ? path.join(dist, path.basename(url)) : undefined;
    if (!file || !fs.existsSync(file)) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'content-type': file.endsWith('.css') ? 'text/css' : 'text/javascript' });
    res.end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export async function openWebviewPage(browser: Browser): Promise<WebviewPage> {
  const server = await serve();
  const page = await browser.newPage({ viewport: { width: 440, height: 920 } });
  try {
    await page.goto(`http://127.0.0.1:${server.port}/host.html`);
    await page.evaluate((src) => {
      const iframe = document.querySelector('iframe')!;
      return new Promise<void>((resolve) => {
        iframe.addEventListener('load', () => resolve(), { once: true });
        iframe.src = src;
      });
    }, `http://localhost:${server.port}/webview.html`);
    const frame = page.frames().find((f) => f.url().startsWith(`http://localhost:${server.port}/`));
    if (!frame) throw new Error('the webview frame did not load');
    await frame.waitForFunction(() => (window as unknown as Partial<BenchWindow>).__bench !== undefined);
    // A session of the frame's own target: only an out-of-process frame has one, so this also proves the isolation.
    const cdp = await page.context().newCDPSession(frame);
    await cdp.send('Performance.enable');
    const metric = async (name: string): Promise<number> => {
      const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
      return metrics.find((m) => m.name === name)?.value ?? 0;
    };
    const taskMs = async (): Promise<number> => (await metric('TaskDuration')) * 1000;
    const cpu = await rendererCpuClock(frame);
    return {
      page,
      frame,
      cdp,
      post: (message) => page.evaluate((m) => (window as unknown as HostWindow).__host.post(m), message),
      taskMs,
      cpuMs: async () => (cpu ? cpu.ms() : taskMs()),
      clock: cpu ? 'cpu' : 'tasks',
      startTrace: () => browser.startTracing(undefined, { categories: ['toplevel'] }),
      stopTrace: async () => {
        const trace = await browser.stopTracing();
        return cpu ? longestTask(trace, cpu.pid) : undefined;
      },
      heapBytes: async () => {
        await cdp.send('HeapProfiler.collectGarbage');
        return metric('JSHeapUsedSize');
      },
      settle: async () => {
        await cdp.send('HeapProfiler.collectGarbage');
        await frame.evaluate(() => (window as unknown as BenchWindow).__bench.quiet());
      },
      close: async () => {
        await page.close();
        await server.close();
      },
    };
  } catch (error) {
    await page.close();
    await server.close();
    throw error;
  }
}

export async function launchBrowser(): Promise<Browser> {
  // --site-per-process: the webview (another site) gets its own renderer process, as in VS Code.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--site-per-process'] });
}

export function stateMessage(turns: unknown[], conversationId = 'bench'): unknown {
  return { type: 'state', state: { conversationId, turns, history: [], model: 'Qwen/Qwen2.5-Coder-32B-Instruct', hasKey: true, demo: false, showReasoning: true, busy: false, attachments: [] } };
}
