import type { Frame } from 'playwright-core';
import { IoTestServer } from '../server/ioTestServer';
import { chatDocument, chatFrame, openSession, runCommand, setApiKeyThroughPalette } from '../ui/workbench';
import { round, spread, type Spread } from './stats';

/**
 * The latency we add: from the test server writing the first content chunk to that text being in the chat webview's
 * DOM, in a real VS Code (extension host → webview messaging included). Both clocks are this machine's. Two warm-up
 * requests are not kept.
 */
/**
 * How far the webview's clock (performance.timeOrigin + now) is ahead of this process's, which the test server's
 * stamps use: each process fixed its time origin from the wall clock when it started, and the two can disagree (two
 * runs of this bench measured 7.2 s and 0.25 s of "latency" that way, nearly constant over 20 samples). Taken from
 * the quickest of a few round trips; the error is at most half that round trip.
 */
async function clockOffset(frame: Frame): Promise<number> {
  let best = { roundTrip: Infinity, offset: 0 };
  for (let i = 0; i < 7; i++) {
    const sent = performance.timeOrigin + performance.now();
    const remote = await frame.evaluate(() => performance.timeOrigin + performance.now());
    const received = performance.timeOrigin + performance.now();
    if (received - sent < best.roundTrip) best = { roundTrip: received - sent, offset: remote - (sent + received) / 2 };
  }
  return best.offset;
}

export async function benchLatency(requests = 20): Promise<Spread> {
  const server = await new IoTestServer({ validKeys: ['bench-latency'] }).start();
  const session = await openSession({ 'ioIntelligence.baseUrl': server.baseUrl });
  try {
    await setApiKeyThroughPalette(session.page, 'bench-latency');
    await runCommand(session.page, 'IO Intelligence: Open Chat');
    const chat = chatFrame(session.page);
    await chat.locator('textarea.prompt').waitFor({ timeout: 30_000 });
    const frame = await chatDocument(session.page);
    const samples: number[] = [];
    for (let i = 0; i < requests + 2; i++) {
      const mark = `FIRST-${i}-CHUNK`;
      await frame.evaluate((m) => {
        const w = window as unknown as { __seenAt?: number; __observer?: MutationObserver };
        w.__seenAt = undefined;
        w.__observer?.disconnect();
        const transcript = document.querySelector('.transcript')!;
        w.__observer = new MutationObserver(() => {
          if (w.__seenAt === undefined && (transcript.lastElementChild?.previousElementSibling?.textContent ?? '').includes(m)) w.__seenAt = performance.timeOrigin + performance.now();
        });
        w.__observer.observe(transcript, { subtree: true, childList: true, characterData: true });
      }, mark);
      server.enqueue({ kind: 'stream', steps: [{ type: 'content', text: `${mark} ` }, { type: 'wait', ms: 150 }, { type: 'content', text: 'rest.' }, { type: 'finish', reason: 'stop' }, { type: 'done' }] });
      await chat.locator('textarea.prompt').fill(`latency ${i}`);
      await chat.locator('textarea.prompt').press('Enter');
      await chat.locator('.turn.assistant[data-status="done"]', { hasText: mark }).waitFor({ timeout: 30_000 });
      const seenAt = await frame.evaluate(() => (window as unknown as { __seenAt?: number }).__seenAt);
      const writtenAt = server.firstContentWrittenAt.at(-1);
      if (i >= 2 && seenAt !== undefined && writtenAt !== undefined) samples.push(round(seenAt - (await clockOffset(frame)) - writtenAt));
    }
    return spread(samples);
  } finally {
    await session.close();
    await server.stop();
  }
}
