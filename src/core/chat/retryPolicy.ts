import type { RequestError } from '../errors';

/** How the chat retries a failed request: bounded, with backoff, and only where waiting can help. */
export const MAX_ATTEMPTS = 3;

/** Seconds to wait before retrying a failure that may pass, or undefined when retrying would not help. */
export function retryDelaySeconds(error: RequestError, attempt: number): number | undefined {
  if (attempt >= MAX_ATTEMPTS - 1) return undefined;
  if (error.kind === 'server') return attempt === 0 ? 1 : 3;
  if (error.kind === 'rateLimited') {
    const after = error.details.retryAfterSeconds;
    return after !== undefined && after <= 10 ? Math.max(1, Math.ceil(after)) : undefined;
  }
  return undefined;
}

/** Resolves true after `ms`, false as soon as the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => resolve(true), ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve(false);
    }, { once: true });
  });
}
