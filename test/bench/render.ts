import type { Browser } from 'playwright-core';
import { median, round } from './stats';
import { launchBrowser, openWebviewPage, stateMessage } from './webviewPage';

const LANGUAGES = ['ts', 'python', 'go', 'rust', 'json', 'bash', 'java', 'sql', 'css', 'cpp'];

/** A realistic long answer: prose, lists, tables and 30 code blocks in several languages, about `kb` kilobytes. */
export function longAnswer(kb: number): string {
  const sections: string[] = [];
  const blocks = 30;
  const perSection = (kb * 1024) / blocks;
  for (let i = 0; sections.join('').length < kb * 1024; i++) {
    const lang = LANGUAGES[i % LANGUAGES.length];
    let section = `## Step ${i + 1}\n\nThis step explains **why** the code changes, with \`inline code\` and a [link](https://example.com/${i}).\n\n`;
    section += `- first point about item ${i}\n- second point with *emphasis*\n- third point\n\n| name | value |\n| --- | --- |\n| a${i} | ${i} |\n| b${i} | ${i * 2} |\n\n`;
    let code = '';
    while (section.length + code.length < perSection - 20) code += `function step${i}_${code.length}(value) {\n  return value * ${i} + ${code.length}; // comment\n}\n`;
    section += `\`\`\`${lang}\n${code}\`\`\`\n\n`;
    sections.push(section);
  }
  return sections.join('').slice(0, kb * 1024);
}

function chunk(text: string, count: number): string[] {
  const size = Math.ceil(text.length / count);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export interface RenderResult {
  readonly kb: number;
  readonly streamingMs: number;
  readonly oneShotMs: number;
  readonly ratio: number;
  readonly longestTaskMs: number;
}

/** Main-thread time to stream an answer in ~2,000 chunks (one per 2–5 ms) against rendering it once. */
async function measure(browser: Browser, kb: number): Promise<{ streaming: number; oneShot: number; longest: number }> {
  const text = longAnswer(kb);
  const pieces = chunk(text, 2_000);
  const turn = { id: 'a1', role: 'assistant', text, status: 'done', model: 'm' };

  const one = await openWebviewPage(browser);
  await one.page.evaluate((m) => window.postMessage(m, '*'), stateMessage([]));
  await one.page.waitForTimeout(50);
  const oneBefore = await one.taskMs();
  await one.page.evaluate((m) => window.postMessage(m, '*'), stateMessage([turn], 'other'));
  await one.page.waitForFunction(() => document.querySelectorAll('.code-block').length >= 30);
  const oneShot = (await one.taskMs()) - oneBefore;
  await one.close();

  const view = await openWebviewPage(browser);
  await view.page.evaluate(() => {
    const w = window as unknown as { __longest: number };
    w.__longest = 0;
    new PerformanceObserver((list) => list.getEntries().forEach((e) => (w.__longest = Math.max(w.__longest, e.duration)))).observe({ type: 'longtask', buffered: true });
  });
  await view.page.evaluate((m) => window.postMessage(m, '*'), stateMessage([]));
  await view.page.waitForTimeout(50);
  const before = await view.taskMs();
  await view.page.evaluate(async ({ pieces: parts, turnId }) => {
    window.postMessage({ type: 'turnAdded', turn: { id: turnId, role: 'assistant', text: '', status: 'streaming', model: 'm' } }, '*');
    for (const content of parts) {
      window.postMessage({ type: 'delta', turnId, content, reasoning: '' }, '*');
      await new Promise((r) => setTimeout(r, 2 + Math.random() * 3));
    }
  }, { pieces, turnId: 'a1' });
  await view.page.evaluate((t) => window.postMessage({ type: 'turnEnded', turn: t }, '*'), turn);
  await view.page.waitForFunction(() => document.querySelectorAll('.turn[data-status="done"] .code-block').length >= 30);
  const streaming = (await view.taskMs()) - before;
  const longest = await view.page.evaluate(() => (window as unknown as { __longest: number }).__longest);
  await view.close();
  return { streaming, oneShot, longest };
}

export async function benchRender(sizes = [50, 100, 200], repetitions = 3): Promise<RenderResult[]> {
  const browser = await launchBrowser();
  try {
    const results: RenderResult[] = [];
    for (const kb of sizes) {
      const runs = [];
      for (let i = 0; i < repetitions; i++) runs.push(await measure(browser, kb));
      const streamingMs = median(runs.map((r) => r.streaming));
      const oneShotMs = median(runs.map((r) => r.oneShot));
      results.push({ kb, streamingMs: round(streamingMs), oneShotMs: round(oneShotMs), ratio: round(streamingMs / oneShotMs), longestTaskMs: round(Math.max(...runs.map((r) => r.longest))) });
    }
    return results;
  } finally {
    await browser.close();
  }
}

/** DOM nodes and JS heap of the webview after 50, 100 and 200 turns of conversation. */
export async function benchLongConversation(): Promise<{ turns: number; domNodes: number; heapMb: number }[]> {
  const browser = await launchBrowser();
  const view = await openWebviewPage(browser);
  try {
    const out = [];
    const turns: unknown[] = [];
    for (const target of [50, 100, 200]) {
      while (turns.length < target) {
        const i = turns.length;
        turns.push(i % 2 ? { id: `t${i}`, role: 'assistant', text: longAnswer(2), status: 'done', model: 'm' } : { id: `t${i}`, role: 'user', text: `question ${i}`, status: 'done' });
      }
      await view.page.evaluate((m) => window.postMessage(m, '*'), stateMessage(turns));
      await view.page.waitForTimeout(300);
      const domNodes = await view.page.evaluate(() => document.getElementsByTagName('*').length);
      out.push({ turns: target, domNodes, heapMb: round((await view.heapBytes()) / 1e6) });
    }
    return out;
  } finally {
    await view.close();
    await browser.close();
  }
}
