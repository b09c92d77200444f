import type { HostMessage } from './messages';

type DeltaMessage = Extract<HostMessage, { type: 'delta' }>;

/** The timer functions the batcher uses (injected by tests; the global ones otherwise). */
export interface BatchTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const globalTimers: BatchTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** One frame at 60 Hz: the view cannot show deltas more often than it draws. */
export const DELTA_WINDOW_MS = 16;

/**
 * Joins the deltas of one turn that arrive within one frame into one message. A server streams a few characters
 * every few milliseconds; delivering and validating each one as its own message costs the view more than rendering
 * the answer once. The first delta after a quiet frame goes at once (it is what the user waits for); any other
 * message first sends what is held, so the view sees every message in the order it was posted.
 */
export class DeltaBatcher {
  private held: DeltaMessage | undefined;
  private window: unknown;
  private disposed = false;

  constructor(
    private readonly send: (message: HostMessage) => void,
    private readonly windowMs = DELTA_WINDOW_MS,
    private readonly timers: BatchTimers = globalTimers,
  ) {}

  post(message: HostMessage): void {
    if (this.disposed) return;
    if (message.type !== 'delta') {
      this.flush();
      return this.send(message);
    }
    if (this.held && this.held.turnId !== message.turnId) this.flush();
    if (this.window === undefined) {
      this.send(message);
      return this.openWindow();
    }
    this.held = this.held ? joined(this.held, message) : message;
  }

  /** Sends what is held now. */
  flush(): void {
    const held = this.held;
    this.held = undefined;
    if (held) this.send(held);
  }

  dispose(): void {
    this.disposed = true;
    if (this.window !== undefined) this.timers.clearTimeout(this.window);
    this.window = undefined;
    this.held = undefined;
  }

  /** Until the window closes, deltas are held; a window that closes on held deltas sends them and opens the next. */
  private openWindow(): void {
    this.window = this.timers.setTimeout(() => {
      this.window = undefined;
      if (!this.held) return;
      this.flush();
      this.openWindow();
    }, this.windowMs);
  }
}

function joined(first: DeltaMessage, next: DeltaMessage): DeltaMessage {
  return { type: 'delta', turnId: first.turnId, content: first.content + next.content, reasoning: first.reasoning + next.reasoning };
}
