/** Daily quotas and completion budgets turn over at 00:00 UTC. */

const DAY_MS = 86_400_000;

/** Milliseconds from `now` to the next 00:00 UTC (a whole day at midnight itself). */
export function msToUtcMidnight(now: number): number {
  return DAY_MS - (now % DAY_MS);
}

/** Time and timers, so that a test can move through midnight without waiting for it. */
export interface Timers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Calls `callback` at each 00:00 UTC until disposed. A timer that fires early (the wall clock and the timer's clock
 * drift apart) only waits again, so the callback never runs on the day before.
 */
export function atEachUtcMidnight(callback: () => void, timers: Timers = systemTimers): { dispose(): void } {
  let handle: unknown;
  let disposed = false;
  const schedule = (): void => {
    const midnight = timers.now() + msToUtcMidnight(timers.now());
    handle = timers.setTimeout(() => {
      if (disposed) return;
      const early = timers.now() < midnight;
      schedule();
      if (!early) callback();
    }, midnight - timers.now());
  };
  schedule();
  return {
    dispose: () => {
      disposed = true;
      timers.clearTimeout(handle);
    },
  };
}
