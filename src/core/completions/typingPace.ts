/** Bounds of the wait before asking, ms: never a request per keystroke, never a lag a typist notices. */
const MIN_WAIT_MS = 75;
const MAX_WAIT_MS = 400;
/** Intervals longer than this are pauses, not typing. */
const PAUSE_MS = 1_000;
const KEPT = 8;

/**
 * The wait before a completion request, adapted to the typist: a little longer than their usual gap between keys, so
 * that a request goes out when they pause, not between two keystrokes (each of those would be cancelled and paid for).
 */
export class TypingPace {
  private readonly gaps: number[] = [];
  private last: number | undefined;

  /** A keystroke at `now` (ms). */
  typed(now: number): void {
    if (this.last !== undefined) {
      const gap = now - this.last;
      if (gap > 0 && gap < PAUSE_MS) {
        this.gaps.push(gap);
        if (this.gaps.length > KEPT) this.gaps.shift();
      }
    }
    this.last = now;
  }

  /** 1.5 × the median gap between recent keystrokes, within bounds; the upper middle of the bounds before any typing. */
  wait(): number {
    if (!this.gaps.length) return 150;
    const sorted = [...this.gaps].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    return Math.min(MAX_WAIT_MS, Math.max(MIN_WAIT_MS, Math.round(median * 1.5)));
  }
}
