import assert from 'node:assert/strict';
import { atEachUtcMidnight, msToUtcMidnight, type Timers } from '../../src/core/utcMidnight';

/** Timers on a clock that moves only when told. */
class FakeTimers implements Timers {
  time: number;
  pending = new Map<number, { at: number; callback: () => void }>();
  private next = 1;

  constructor(start: string) {
    this.time = Date.parse(start);
  }
  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    this.pending.set(this.next, { at: this.time + ms, callback });
    return this.next++;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** Moves to `iso`, firing each timer due on the way. */
  moveTo(iso: string): void {
    const end = Date.parse(iso);
    for (;;) {
      const due = [...this.pending].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
    }
    this.time = end;
  }
}

describe('00:00 UTC, when daily quotas and budgets turn over', () => {
  it('is this far from a moment of the day, and a whole day from midnight itself', () => {
    assert.equal(msToUtcMidnight(Date.parse('2026-12-04T23:59:59.000Z')), 1_000);
    assert.equal(msToUtcMidnight(Date.parse('2026-12-05T00:00:00.000Z')), 86_400_000);
  });

  it('calls back at each midnight, not before, and never after it is disposed', () => {
    const timers = new FakeTimers('2026-12-04T21:30:00Z');
    const calls: string[] = [];
    const timer = atEachUtcMidnight(() => calls.push(new Date(timers.now()).toISOString()), timers);
    timers.moveTo('2026-12-04T23:59:59.999Z');
    assert.deepEqual(calls, []);
    timers.moveTo('2026-12-06T12:00:00Z');
    assert.deepEqual(calls, ['2026-12-05T00:00:00.000Z', '2026-12-06T00:00:00.000Z']);
    timer.dispose();
    assert.equal(timers.pending.size, 0, 'its timer is cleared');
    timers.moveTo('2026-12-08T00:00:00Z');
    assert.equal(calls.length, 2);
  });

  it('a timer that fires early (clock drift) waits again: the callback runs only once it is midnight', () => {
    const timers = new FakeTimers('2026-12-04T23:00:00Z');
    const calls: number[] = [];
    atEachUtcMidnight(() => calls.push(timers.now()), timers);
    const [[handle, early]] = [...timers.pending];
    timers.pending.set(handle, { ...early, at: early.at - 5 });
    timers.moveTo('2026-12-05T00:00:01Z');
    assert.deepEqual(calls.map((t) => new Date(t).toISOString()), ['2026-12-05T00:00:00.000Z']);
  });
});
