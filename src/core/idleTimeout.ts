import { RequestError } from './errors';

/**
 * Yields from `source` but fails with an `idleTimeout` RequestError when no item arrives within `ms`.
 * The SDK's own timeout ends when the headers arrive; a stream that stalls afterwards would hang forever.
 * One watchdog timer per stream (not one per chunk: streams carry thousands of chunks) calls `onIdle`, which must
 * abort the underlying request so that the pending read ends; the silence is then reported as an idleTimeout.
 */
export async function* withIdleTimeout<T>(source: AsyncIterable<T>, ms: number, onIdle: () => void): AsyncGenerator<T> {
  let last = Date.now();
  let idle = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const watch = (): void => {
    const quiet = Date.now() - last;
    if (quiet >= ms) {
      idle = true;
      onIdle();
    } else {
      timer = setTimeout(watch, ms - quiet);
    }
  };
  timer = setTimeout(watch, ms);
  try {
    for await (const item of source) {
      last = Date.now();
      if (idle) break;
      yield item;
    }
  } catch (error) {
    if (!idle) throw error;
  } finally {
    clearTimeout(timer);
  }
  if (idle) throw new RequestError('idleTimeout');
}
