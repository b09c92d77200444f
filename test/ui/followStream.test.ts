import assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import { CommandId } from '../../src/commandIds';
import { streamText } from '../server/scenarios';
import { useSession } from './session';
import { chatDocument, chatFrame, paletteTitle, runCommand, setApiKeyThroughPalette } from './workbench';

const KEY = 'io-ui-follow-key';
/** A tall answer in pieces of one line: at 5 ms a piece it streams for several seconds, without a pause. */
const LINES = Array.from({ length: 900 }, (_, i) => `Line ${i} of a long answer, with enough words to wrap once or twice in a narrow panel.\n\n`);

interface Scroll {
  top: number;
  /** Distance from the end of the transcript to the bottom of the view, px. */
  below: number;
  height: number;
  view: number;
}

const scrollOf = (frame: Frame): Promise<Scroll> =>
  frame.evaluate(() => {
    const t = document.querySelector('.transcript')!;
    return { top: t.scrollTop, below: t.scrollHeight - t.scrollTop - t.clientHeight, height: t.scrollHeight, view: t.clientHeight };
  });

const streaming = (frame: Frame): Promise<boolean> => frame.evaluate(() => Boolean(document.querySelector('.turn.assistant.streaming')));
const statusOf = (frame: Frame): Promise<string> =>
  frame.evaluate(() => [...document.querySelectorAll<HTMLElement>('.turn')].map((t) => `${t.className}:${t.dataset.status ?? ''}:${t.textContent?.length ?? 0}`).join(', '));

async function until(frame: Frame, condition: (s: Scroll) => boolean, what: string): Promise<Scroll> {
  for (let i = 0; i < 400; i++) {
    const now = await scrollOf(frame);
    if (condition(now)) return now;
    await frame.page().waitForTimeout(25);
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(await scrollOf(frame))}`);
}

describe('UI: the chat follows a streaming answer while the user is at the end', () => {
  const ui = useSession({ server: { validKeys: [KEY], stepDelayMs: 5 } });

  it('follows past the first screen, stops when the user scrolls up, and Jump to latest follows again', async () => {
    await setApiKeyThroughPalette(ui.page, KEY);
    await runCommand(ui.page, paletteTitle(CommandId.openChat));
    const chat = chatFrame(ui.page);
    await chat.locator('textarea.prompt').waitFor({ timeout: 30_000 });
    ui.server.enqueue(streamText(LINES));
    await chat.locator('textarea.prompt').fill('Write a long answer.');
    await chat.locator('textarea.prompt').press('Enter');
    const frame = await chatDocument(ui.page);

    // The bug: at scrollTop 0 the browser's scroll anchoring never moved, so the view stayed at the top.
    const tall = await until(frame, (s) => s.height > 3 * s.view, 'the answer to grow past three screens');
    assert.ok(await streaming(frame), `still streaming when checked: ${await statusOf(frame)} ${JSON.stringify(tall)}`);
    assert.ok(tall.below < tall.view, `the view follows the end (${JSON.stringify(tall)})`);

    const transcript = chat.locator('.transcript');
    await transcript.hover();
    // A trackpad scrolls a few pixels per event: each must stop following, even within a few pixels of the end.
    for (let i = 0; i < 8; i++) {
      await ui.page.mouse.wheel(0, -8);
      await ui.page.waitForTimeout(16);
    }
    const left = await until(frame, (s) => s.below > s.view, 'the scroll up to take effect');
    const jump = chat.locator('.jump-to-latest');
    await jump.waitFor({ state: 'visible', timeout: 10_000 });
    await until(frame, (s) => s.height > left.height + 2 * s.view, 'the answer to grow by two more screens');
    const reading = await scrollOf(frame);
    assert.ok(await streaming(frame), 'still streaming while the user reads');
    assert.ok(Math.abs(reading.top - left.top) <= 2, `the view stays where the user scrolled (${left.top} → ${reading.top})`);

    assert.ok(await streaming(frame), 'still streaming when the user jumps back');
    await jump.click();
    await chat.locator('.turn.assistant[data-status="done"]').waitFor({ timeout: 60_000 });
    const end = await until(frame, (s) => s.below <= 24, 'the view to reach the end');
    assert.ok(end.height > reading.height, 'it followed what arrived after the jump');
    assert.equal(await jump.isVisible(), false, 'the button is gone at the end');
  });
});
