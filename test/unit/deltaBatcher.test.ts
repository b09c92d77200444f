import assert from 'node:assert/strict';
import { DeltaBatcher, type BatchTimers } from '../../src/protocol/deltaBatcher';
import type { HostMessage } from '../../src/protocol/messages';
import { seededRandom, testSeed } from '../fixtures/random';

/** Timers on a clock the test moves. */
class FakeClock implements BatchTimers {
  now = 0;
  private timers = new Map<number, { due: number; callback: () => void }>();
  private nextId = 1;

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { due: this.now + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const next = [...this.timers.entries()].filter(([, t]) => t.due <= until).sort((a, b) => a[1].due - b[1].due)[0];
      if (!next) break;
      this.timers.delete(next[0]);
      this.now = next[1].due;
      next[1].callback();
    }
    this.now = until;
  }
}

const WINDOW = 16;
const delta = (turnId: string, content: string, reasoning = ''): HostMessage => ({ type: 'delta', turnId, content, reasoning });
const notice = (text: string): HostMessage => ({ type: 'notice', text });

function setup(): { clock: FakeClock; batcher: DeltaBatcher; sent: { at: number; message: HostMessage }[] } {
  const clock = new FakeClock();
  const sent: { at: number; message: HostMessage }[] = [];
  const batcher = new DeltaBatcher((message) => sent.push({ at: clock.now, message }), WINDOW, clock);
  return { clock, batcher, sent };
}

/**
 * What a view that applies the messages in order sees: the text of each turn (per channel) at each message that is
 * not a delta, and at the end. Batching may change how deltas are cut, never this.
 */
function viewOf(messages: readonly HostMessage[]): string[] {
  const text = new Map<string, string>();
  const seen: string[] = [];
  const snapshot = (): string => JSON.stringify([...text.entries()].sort());
  for (const m of messages) {
    if (m.type === 'delta') {
      text.set(`${m.turnId} content`, (text.get(`${m.turnId} content`) ?? '') + m.content);
      text.set(`${m.turnId} reasoning`, (text.get(`${m.turnId} reasoning`) ?? '') + m.reasoning);
    } else seen.push(`${m.type}: ${snapshot()}`);
  }
  seen.push(`end: ${snapshot()}`);
  return seen;
}

/** When each character of each turn's channels went out: `turn channel index` → time. */
function arrivalTimes(messages: readonly { at: number; message: HostMessage }[]): Map<string, number> {
  const length = new Map<string, number>();
  const times = new Map<string, number>();
  for (const { at, message } of messages) {
    if (message.type !== 'delta') continue;
    for (const [channel, text] of [['content', message.content], ['reasoning', message.reasoning]] as const) {
      const name = `${message.turnId} ${channel}`;
      const start = length.get(name) ?? 0;
      for (let i = 0; i < text.length; i++) times.set(`${name} ${start + i}`, at);
      length.set(name, start + text.length);
    }
  }
  return times;
}

describe('Delta batching between the extension host and the chat view', () => {
  it('sends the first delta at once, and joins the deltas of one frame into one message', () => {
    const { clock, batcher, sent } = setup();
    batcher.post(delta('t', 'a'));
    assert.deepEqual(sent.map((s) => s.message), [delta('t', 'a')]);
    clock.advance(3);
    batcher.post(delta('t', 'b', 'r1'));
    clock.advance(3);
    batcher.post(delta('t', 'c', 'r2'));
    assert.equal(sent.length, 1, 'held until the frame ends');
    clock.advance(WINDOW);
    assert.deepEqual(sent.map((s) => s.message), [delta('t', 'a'), delta('t', 'bc', 'r1r2')]);
    assert.equal(sent[1].at, WINDOW);
  });

  it('sends what it holds before any other message, and before a delta of another turn', () => {
    const { batcher, sent } = setup();
    batcher.post(delta('t', 'a'));
    batcher.post(delta('t', 'b'));
    batcher.post(notice('n'));
    batcher.post(delta('u', 'x'));
    batcher.post(delta('v', 'y'));
    assert.deepEqual(
      sent.map((s) => s.message),
      [delta('t', 'a'), delta('t', 'b'), notice('n'), delta('u', 'x')],
    );
  });

  it('after a quiet frame, the next delta goes at once again', () => {
    const { clock, batcher, sent } = setup();
    batcher.post(delta('t', 'a'));
    clock.advance(WINDOW * 3);
    batcher.post(delta('t', 'b'));
    assert.deepEqual(sent.map((s) => s.at), [0, WINDOW * 3]);
  });

  it('sends nothing after it is disposed: neither what it held nor what comes later', () => {
    const { clock, batcher, sent } = setup();
    batcher.post(delta('t', 'a'));
    batcher.post(delta('t', 'b'));
    batcher.dispose();
    clock.advance(WINDOW * 2);
    batcher.post(delta('t', 'c'));
    batcher.post(notice('n'));
    batcher.flush();
    clock.advance(WINDOW * 2);
    assert.deepEqual(sent.map((s) => s.message), [delta('t', 'a')]);
  });

  const SEED = testSeed(20261205);
  it(`keeps what the view sees, holds nothing longer than a frame and sends a turn's deltas at most once a frame (seed ${SEED})`, () => {
    const random = seededRandom(SEED);
    for (let round = 0; round < 200; round++) {
      const { clock, batcher, sent } = setup();
      const posted: HostMessage[] = [];
      const forced = new Set<(typeof sent)[number]>();
      const postedAt: number[] = [];
      const turns = ['t1', 't2'];
      for (let i = 0; i < 300; i++) {
        clock.advance(Math.floor(random() * 6));
        const pick = random();
        const message =
          pick < 0.05 ? notice(`n${i}`) : delta(turns[pick < 0.1 ? 1 : 0], random() < 0.8 ? `c${i}` : '', random() < 0.2 ? `r${i}` : '');
        // A message of another kind or turn sends what is held at once: those sends are not paced by the frame.
        const previous = posted.at(-1);
        const forcing = message.type !== 'delta' || (previous?.type === 'delta' && previous.turnId !== message.turnId);
        const before = sent.length;
        posted.push(message);
        postedAt.push(clock.now);
        batcher.post(message);
        if (forcing) for (const s of sent.slice(before)) forced.add(s);
      }
      clock.advance(WINDOW);
      const messages = sent.map((s) => s.message);
      assert.deepEqual(viewOf(messages), viewOf(posted), `round ${round} of seed ${SEED}: what the view sees changed`);
      assert.ok(messages.length <= posted.length, `round ${round}: more messages than were posted`);
      const sentAt = arrivalTimes(sent);
      arrivalTimes(posted.map((message, i) => ({ at: postedAt[i], message }))).forEach((at, key) => {
        assert.ok((sentAt.get(key) ?? Infinity) - at <= WINDOW, `round ${round} of seed ${SEED}: ${key} held longer than a frame`);
      });
      const paced = sent.filter((s) => s.message.type === 'delta' && !forced.has(s));
      for (let k = 1; k < paced.length; k++) {
        assert.ok(paced[k].at - paced[k - 1].at >= WINDOW, `round ${round} of seed ${SEED}: two deltas sent within a frame`);
      }
    }
  });
});
