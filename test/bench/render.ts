import type { Browser } from 'playwright-core';
import { CHUNKS, chunk, mixedAnswer, SHAPES, streamSchedule, type Answer, type Shape } from './answers';
import { pairRatios, spread, type Spread } from './stats';
import { launchBrowser, openWebviewPage, stateMessage, type BenchWindow, type HostWindow, type LongestTask, type RenderedCheck, type WebviewPage } from './webviewPage';

/**
 * A webview that has not completely rendered a stream 1.5 × its schedule after the first delta (wall time) cannot keep
 * up: the sample ends there, so that the bench stays short, and its figures are lower bounds.
 */
const STREAM_LIMIT = 1.5;
const streamLimitMs = (schedule: readonly number[], pieces: number): number => Math.round(STREAM_LIMIT * schedule.slice(0, pieces).reduce((a, b) => a + b, 0));

export interface RenderFigures {
  readonly shape: Shape;
  readonly kb: number;
  readonly bytes: number;
  readonly chunks: number;
  /** How main-thread time was read: the renderer main thread's CPU time, or (not on Linux) its tasks' length. */
  readonly clock: 'cpu' | 'tasks';
  /** Main-thread time to render the whole answer once (sanitized, highlighted, laid out), ms. */
  readonly oneShotMs: Spread;
  /** Main-thread time from the first delta to the end of the turn, completely rendered, ms. */
  readonly streamingMs: Spread;
  /** The same two as the length of the main thread's tasks (CDP TaskDuration; grows when the machine is busy). */
  readonly oneShotTaskMs: Spread;
  readonly streamingTaskMs?: Spread;
  /** streaming ÷ one-shot, per interleaved pair. */
  readonly ratio: Spread;
  /** Longest task of the webview's main thread while streaming, its CPU time (from a trace of every task), ms. */
  readonly longestTaskMs?: Spread;
  /** … and its length (grows when the machine is busy). */
  readonly longestTaskWallMs?: Spread;
  /**
   * Set when the webview could not keep up and the sample ended at the limit (STREAM_LIMIT): the figures are lower
   * bounds from that one sample (the case is not repeated, to keep the whole bench short), and what only the busy
   * webview could tell (task length, longest task) is unknown.
   */
  readonly stopped?: { readonly afterMs: number };
}

interface Sample {
  /** Main-thread CPU time (or task length, see WebviewPage.clock). */
  readonly ms: number;
  /** Main-thread task length; unknown for a stopped stream. */
  readonly taskMs?: number;
  readonly longest?: LongestTask;
  readonly stopped?: boolean;
}

const TURN_ID = 'a1';
const doneTurn = (text: string): unknown => ({ id: TURN_ID, role: 'assistant', text, status: 'done', model: 'm' });

/**
 * Starts a timed region on a quiet webview, runs `work`, and ends the region when it resolves: true once the answer
 * is completely rendered, false if the webview is still busy at the limit (then it cannot answer questions either).
 */
async function timed(view: WebviewPage, work: () => Promise<boolean>): Promise<Sample> {
  await view.post(stateMessage([]));
  await view.settle();
  await view.frame.evaluate(() => (window as unknown as BenchWindow).__bench.reset());
  await view.startTrace();
  const tasksBefore = await view.taskMs();
  const before = await view.cpuMs();
  const complete = await work();
  const ms = (await view.cpuMs()) - before;
  if (!complete) {
    // The busy webview would hold up the end of the trace: it goes first (the case ends with this sample).
    await view.page.close();
    await view.stopTrace().catch(() => undefined);
    return { ms, stopped: true };
  }
  const taskMs = (await view.taskMs()) - tasksBefore;
  const traced = await view.stopTrace();
  // Without the webview's process id (not Linux), PerformanceObserver's long tasks (50 ms or more; length only).
  const observed = await view.frame.evaluate(() => (window as unknown as BenchWindow).__bench.longest);
  return { ms, taskMs, longest: traced ?? { cpuMs: observed, ms: observed } };
}

/** Waits until the answer is completely rendered, at most `limitMs` (timed here: a busy webview answers late); false if not. */
function whenRendered(view: WebviewPage, answer: Answer, limitMs: number): Promise<boolean> {
  const check: RenderedCheck = { turnId: TURN_ID, codeBlocks: answer.codeBlocks, lastText: answer.lastText };
  const rendered = view.frame.evaluate(({ c, limit }) => (window as unknown as BenchWindow).__bench.whenRendered(c, limit), { c: check, limit: limitMs }).catch(() => false);
  return Promise.race([rendered, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), limitMs + 50))]);
}

function oneShot(view: WebviewPage, answer: Answer): Promise<Sample> {
  return timed(view, async () => {
    await view.post(stateMessage([doneTurn(answer.text)], 'one-shot'));
    if (!(await whenRendered(view, answer, 60_000))) throw new Error('the one-shot render did not complete in 60 s');
    return true;
  });
}

/** Streams the answer from the host page, ends the turn, and waits until it is completely rendered (or the limit). */
function streaming(view: WebviewPage, answer: Answer, pieces: readonly string[], schedule: readonly number[]): Promise<Sample> {
  return timed(view, async () => {
    const deadline = Date.now() + streamLimitMs(schedule, pieces.length);
    await view.post({ type: 'turnAdded', turn: { id: TURN_ID, role: 'assistant', text: '', status: 'streaming', model: 'm' } });
    await view.page.evaluate(({ parts, intervals, id }) => (window as unknown as HostWindow).__host.stream(id, parts, intervals), { parts: pieces, intervals: schedule, id: TURN_ID });
    await view.post({ type: 'turnEnded', turn: doneTurn(answer.text) });
    return whenRendered(view, answer, Math.max(0, deadline - Date.now()));
  });
}

const known = (values: readonly (number | undefined)[], digits: number): Spread | undefined => {
  const numbers = values.filter((v): v is number => v !== undefined);
  return numbers.length ? spread(numbers, digits) : undefined;
};

/**
 * A CPU time far below the length of the same tasks is a failed reading (the clock found another renderer, or the
 * frame moved to a new process), never a fast render: CPU time is part of the tasks' length, which a busy machine
 * only makes longer.
 */
const plausible = (sample: Sample): boolean => sample.taskMs === undefined || sample.ms >= 0.25 * sample.taskMs;

/** A page warmed up for one answer: one one-shot render, and a short stream of a small answer of the same shape. */
async function openWarmPage(browser: Browser, shape: Shape, answer: Answer, schedule: readonly number[]): Promise<WebviewPage> {
  const small = SHAPES[shape](10);
  for (let attempt = 1; ; attempt++) {
    const view = await openWebviewPage(browser);
    await oneShot(view, answer);
    const warm = await streaming(view, small, chunk(small.text, 200), schedule);
    if (!warm.stopped) return view;
    // A warm-up stream not rendered in time (a busy machine) ended with its page closed: measuring on it would fail.
    await view.close();
    if (attempt === 3) throw new Error(`${shape}: the warm-up stream was not rendered in time ${attempt} times`);
    console.log(`  ${shape}: the warm-up stream was not rendered in time; the page is opened again`);
  }
}

/**
 * Streaming against one-shot for one answer, interleaved in one page: a warm-up (one-shot, and a short stream of a
 * small answer of the same shape), then `pairs` pairs of (one-shot, streaming).
 */
async function measureCase(browser: Browser, shape: Shape, kb: number, pairs: number): Promise<RenderFigures> {
  const answer = SHAPES[shape](kb);
  const pieces = chunk(answer.text, CHUNKS);
  const schedule = streamSchedule(pieces.length);
  let view = await openWarmPage(browser, shape, answer, schedule);
  try {
    const oneShots: Sample[] = [];
    const streams: Sample[] = [];
    for (let failed = 0; oneShots.length < pairs && !streams.at(-1)?.stopped; ) {
      const pair = [await oneShot(view, answer), await streaming(view, answer, pieces, schedule)] as const;
      if (pair.every(plausible)) {
        oneShots.push(pair[0]);
        streams.push(pair[1]);
        continue;
      }
      if (++failed > 3) throw new Error(`${shape} ${kb} KB: the renderer's CPU clock read implausibly low ${failed} times`);
      console.log(`  ${shape} ${kb} KB: a pair read the CPU clock implausibly low (${pair.map((s) => `${s.ms} ms CPU / ${s.taskMs ?? '?'} ms of tasks`).join(', ')}); the page is opened again and the pair repeated`);
      await view.close();
      view = await openWarmPage(browser, shape, answer, schedule);
    }
    const figures: RenderFigures = {
      shape,
      kb,
      bytes: answer.text.length,
      chunks: pieces.length,
      clock: view.clock,
      oneShotMs: spread(oneShots.map((s) => s.ms), 1),
      streamingMs: spread(streams.map((s) => s.ms), 1),
      oneShotTaskMs: spread(oneShots.map((s) => s.taskMs ?? NaN), 1),
      streamingTaskMs: known(streams.map((s) => s.taskMs), 1),
      ratio: spread(pairRatios(streams.map((s) => s.ms), oneShots.map((s) => s.ms))),
      longestTaskMs: known(streams.map((s) => s.longest?.cpuMs), 1),
      longestTaskWallMs: known(streams.map((s) => s.longest?.ms), 1),
      ...(streams.at(-1)?.stopped ? { stopped: { afterMs: streamLimitMs(schedule, pieces.length) } } : {}),
    };
    const note = figures.stopped ? ` (not rendered ${figures.stopped.afterMs / 1000} s after the first delta: lower bounds)` : '';
    console.log(`  ${shape} ${kb} KB: ${figures.ratio.median}× (${figures.ratio.min}–${figures.ratio.max}); streaming ${figures.streamingMs.median} ms, one-shot ${figures.oneShotMs.median} ms, longest task ${figures.longestTaskMs?.max ?? '?'} ms${note}`);
    return figures;
  } finally {
    await view.close();
  }
}

export async function benchRender(shapes: readonly Shape[] = ['mixed', 'code', 'listTable'], sizes: readonly number[] = [50, 100, 200], pairs = 5): Promise<RenderFigures[]> {
  const browser = await launchBrowser();
  try {
    const results: RenderFigures[] = [];
    for (const shape of shapes) for (const kb of sizes) results.push(await measureCase(browser, shape, kb, pairs));
    return results;
  } finally {
    await browser.close();
  }
}

/**
 * The floor under every streaming figure: main-thread time of the same ~2,000 deltas on the same schedule (the (a)
 * answer at 100 KB, batched by frame as the extension host sends them) delivered to a turn the view does not have, so only their dispatch and validation run.
 */
export async function benchDispatchFloor(samples = 3): Promise<Spread> {
  const browser = await launchBrowser();
  const view = await openWebviewPage(browser);
  try {
    const pieces = chunk(mixedAnswer(100).text, CHUNKS);
    const schedule = streamSchedule(pieces.length);
    const runs: number[] = [];
    // The first, short run warms the message path up and is not kept.
    for (let i = 0; i < samples + 1; i++) {
      const parts = i ? pieces : pieces.slice(0, 200);
      await view.settle();
      await view.frame.evaluate(() => (window as unknown as BenchWindow).__bench.reset());
      const before = await view.cpuMs();
      await view.page.evaluate(({ all, intervals }) => (window as unknown as HostWindow).__host.stream('no-such-turn', all, intervals), { all: parts, intervals: schedule });
      const characters = parts.reduce((sum, part) => sum + part.length, 0);
      await view.frame.waitForFunction((n) => (window as unknown as BenchWindow).__bench.deltaChars >= n, characters, { polling: 50 });
      await view.frame.evaluate(() => (window as unknown as BenchWindow).__bench.frame());
      if (i > 0) runs.push((await view.cpuMs()) - before);
    }
    return spread(runs, 1);
  } finally {
    await view.close();
    await browser.close();
  }
}

export interface ConversationFigures {
  readonly turns: number;
  readonly domNodes: Spread;
  readonly heapMb: Spread;
}

/** DOM nodes and JS heap of the webview after 50, 100 and 200 turns of conversation, each in `repetitions` fresh pages. */
export async function benchLongConversation(repetitions = 5): Promise<ConversationFigures[]> {
  const browser = await launchBrowser();
  const targets = [50, 100, 200];
  const samples = targets.map(() => ({ nodes: [] as number[], heap: [] as number[] }));
  try {
    for (let run = 0; run < repetitions + 1; run++) {
      const view = await openWebviewPage(browser);
      try {
        const turns: unknown[] = [];
        for (const [t, target] of targets.entries()) {
          while (turns.length < target) {
            const i = turns.length;
            turns.push(i % 2 ? { id: `t${i}`, role: 'assistant', text: mixedAnswer(2).text, status: 'done', model: 'm' } : { id: `t${i}`, role: 'user', text: `question ${i}`, status: 'done' });
          }
          await view.post(stateMessage(turns));
          await view.settle();
          if (run === 0) continue; // warm-up
          samples[t].nodes.push(await view.frame.evaluate(() => document.getElementsByTagName('*').length));
          samples[t].heap.push((await view.heapBytes()) / 1e6);
        }
      } finally {
        await view.close();
      }
    }
    return targets.map((turns, t) => ({ turns, domNodes: spread(samples[t].nodes, 0), heapMb: spread(samples[t].heap) }));
  } finally {
    await browser.close();
  }
}
