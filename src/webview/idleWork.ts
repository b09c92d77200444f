/**
 * Work that can wait (highlighting finished code) runs when the main thread is idle, a piece at a time, so that no
 * commit of a streaming answer becomes a long task. Pieces run in order.
 */

type Piece = () => void;

const queue: Piece[] = [];
let scheduled = false;
/** Without an idle period (a busy stream), queued work still runs within this many milliseconds. */
const LATEST_MS = 300;
/**
 * Pieces run in one callback for at most this long, whatever the idle deadline offers (up to 50 ms): the style and
 * layout of what they changed come after them in the same task.
 */
const BATCH_MS = 8;

export function whenIdle(piece: Piece): void {
  queue.push(piece);
  schedule();
}

function schedule(): void {
  if (scheduled || !queue.length) return;
  scheduled = true;
  if (typeof requestIdleCallback === 'function') requestIdleCallback(runSome, { timeout: LATEST_MS });
  else setTimeout(() => runSome(undefined), 1);
}

function runSome(deadline: IdleDeadline | undefined): void {
  scheduled = false;
  const until = performance.now() + BATCH_MS;
  // At least one piece per callback (a timed-out callback has no time left but must still make progress).
  do {
    const piece = queue.shift();
    try {
      piece?.();
    } catch (error) {
      console.error('IO Intelligence: deferred rendering work failed.', error);
    }
  } while (queue.length && deadline && deadline.timeRemaining() > 1 && performance.now() < until);
  schedule();
}
