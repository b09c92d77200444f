import type { Browser } from 'playwright-core';
import { CHUNKS, chunk, mixedAnswer, SHAPES, streamSchedule, type Answer, type Shape } from './answers';
import { median, pairRatios, spread, type Spread } from './stats';
import { launchBrowser, openWebviewPage, stateMessage, type BenchWindow, type RenderedCheck, type WebviewPage } from './webviewPage';

/**
 * A stream whose renderer cannot keep up (still streaming after 1.5 × its schedule, wall time) is stopped there, so
 * that the bench stays short; its figures are then lower bounds.
 */
const STREAM_LIMIT = 1.5;
const streamLimitMs = (schedule: readonly number[], pieces: number): number => Math.round(STREAM_LIMIT * schedule.slice(0, pieces).reduce((a, b) => a + b, 0));
/** One-shot renders per pair: their median is the pair's baseline (a one-shot is short, so noise weighs more). */
const ONE_SHOTS_PER_PAIR = 3;

export interface RenderFigures {
  readonly shape: Shape;
  readonly kb: number;
  readonly bytes: number;
  readonly chunks: number;
  /** Main-thread time to render the whole answer once (sanitized, highlighted, laid out), ms. */
  readonly oneShotMs: Spread;
  /** Main-thread time from the first delta to the end of the turn, completely rendered, ms. */
  readonly streamingMs: Spread;
  /** streaming ÷ one-shot, per interleaved pair. */
  readonly ratio: Spread;
  /** Longest task while streaming (PerformanceObserver longtask: 0 means no task of 50 ms or more), ms. */
  readonly longestTaskMs: Spread;
  /**
   * Set when the stream could not keep up and was stopped (STREAM_LIMIT): the figures are lower bounds from that one
   * stopped sample (the case is not repeated, to keep the whole bench short).
   */
  readonly stopped?: { readonly piecesSent: number; readonly afterMs: number };
}

interface Sample {
  readonly ms: number;
  readonly longest: number;
  /** Pieces streamed (streaming samples only). */
  readonly sent?: number;
}

const TURN_ID = 'a1';
const doneTurn = (text: string): unknown => ({ id: TURN_ID, role: 'assistant', text, status: 'done', model: 'm' });

/** Starts a timed region on a quiet page, runs `work` in the page, ends it once the answer is completely rendered. */
async function timed(view: WebviewPage, work: () => Promise<number | void>): Promise<Sample> {
  await view.page.evaluate((m) => window.postMessage(m, '*'), stateMessage([]));
  await view.settle();
  await view.page.evaluate(() => (window as unknown as BenchWindow).__bench.resetLongTasks());
  const before = await view.taskMs();
  const sent = await work();
  const ms = (await view.taskMs()) - before;
  const longest = await view.page.evaluate(() => (window as unknown as BenchWindow).__bench.longest);
  return { ms, longest, sent: sent ?? undefined };
}

function oneShot(view: WebviewPage, answer: Answer): Promise<Sample> {
  const check: RenderedCheck = { turnId: TURN_ID, codeBlocks: answer.codeBlocks, lastText: answer.lastText };
  return timed(view, () =>
    view.page.evaluate(
      async ({ message, check: c }) => {
        window.postMessage(message, '*');
        await (window as unknown as BenchWindow).__bench.whenRendered(c);
      },
      { message: stateMessage([doneTurn(answer.text)], 'one-shot'), check },
    ),
  );
}

/** The one-shot baseline of a pair: the median of a few renders in a row. */
async function oneShotBaseline(view: WebviewPage, answer: Answer): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < ONE_SHOTS_PER_PAIR; i++) runs.push((await oneShot(view, answer)).ms);
  return median(runs);
}

function streaming(view: WebviewPage, answer: Answer, pieces: readonly string[], schedule: readonly number[]): Promise<Sample> {
  const check: RenderedCheck = { turnId: TURN_ID, codeBlocks: answer.codeBlocks, lastText: answer.lastText };
  return timed(view, () =>
    view.page.evaluate(
      async ({ pieces: parts, schedule: intervals, ended, check: c, limit }) => {
        const bench = (window as unknown as BenchWindow).__bench;
        window.postMessage({ type: 'turnAdded', turn: { id: c.turnId, role: 'assistant', text: '', status: 'streaming', model: 'm' } }, '*');
        const sent = await bench.stream(c.turnId, parts, intervals, limit);
        window.postMessage({ type: 'turnEnded', turn: ended }, '*');
        // A stopped stream never shows the whole answer: its last frame ends the region.
        if (sent < parts.length) await bench.frame();
        else await bench.whenRendered(c);
        return sent;
      },
      { pieces, schedule, ended: doneTurn(answer.text), check, limit: streamLimitMs(schedule, pieces.length) },
    ),
  );
}

/**
 * Streaming against one-shot for one answer, interleaved in one page: a warm-up (one-shot, and a short stream of a
 * small answer of the same shape), then `pairs` pairs of (one-shot baseline, streaming).
 */
async function measureCase(browser: Browser, shape: Shape, kb: number, pairs: number): Promise<RenderFigures> {
  const answer = SHAPES[shape](kb);
  const pieces = chunk(answer.text, CHUNKS);
  const schedule = streamSchedule(pieces.length);
  const view = await openWebviewPage(browser);
  try {
    const small = SHAPES[shape](10);
    await oneShot(view, answer);
    await streaming(view, small, chunk(small.text, 200), schedule);
    const oneShots: number[] = [];
    const streams: Sample[] = [];
    for (let i = 0; i < pairs; i++) {
      oneShots.push(await oneShotBaseline(view, answer));
      const sample = await streaming(view, answer, pieces, schedule);
      streams.push(sample);
      if (sample.sent !== undefined && sample.sent < pieces.length) break;
    }
    const stoppedAt = streams.at(-1)?.sent;
    const figures: RenderFigures = {
      shape,
      kb,
      bytes: answer.text.length,
      chunks: pieces.length,
      oneShotMs: spread(oneShots, 1),
      streamingMs: spread(streams.map((s) => s.ms), 1),
      ratio: spread(pairRatios(streams.map((s) => s.ms), oneShots)),
      longestTaskMs: spread(streams.map((s) => s.longest), 1),
      ...(stoppedAt !== undefined && stoppedAt < pieces.length ? { stopped: { piecesSent: stoppedAt, afterMs: streamLimitMs(schedule, pieces.length) } } : {}),
    };
    const note = figures.stopped ? ` (stopped after ${figures.stopped.piecesSent} of ${pieces.length} pieces: lower bounds)` : '';
    console.log(`  ${shape} ${kb} KB: ${figures.ratio.median}× (${figures.ratio.min}–${figures.ratio.max}); streaming ${figures.streamingMs.median} ms, one-shot ${figures.oneShotMs.median} ms, longest task ${figures.longestTaskMs.max} ms${note}`);
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
          await view.page.evaluate((m) => window.postMessage(m, '*'), stateMessage(turns));
          await view.settle();
          if (run === 0) continue; // warm-up
          samples[t].nodes.push(await view.page.evaluate(() => document.getElementsByTagName('*').length));
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
