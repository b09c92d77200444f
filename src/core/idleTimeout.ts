import { IoError } from './errors';

/**
 * Yields from `source` but fails with an `idleTimeout` IoError when no item arrives within `ms`.
 * The SDK's own timeout ends when the headers arrive; a stream that stalls afterwards would hang forever.
 * `onIdle` lets the caller abort the underlying request so that the socket is released.
 */
export async function* withIdleTimeout<T>(source: AsyncIterable<T>, ms: number, onIdle: () => void): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  for (;;) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new IoError('idleTimeout')), ms);
    });
    const next = iterator.next();
    let result: IteratorResult<T>;
    try {
      result = await Promise.race([next, stalled]);
    } catch (error) {
      if (error instanceof IoError && error.kind === 'idleTimeout') {
        onIdle();
        // The pending read settles once the request is aborted; nobody waits for it any more.
        next.catch(() => undefined);
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
    if (result.done) return;
    yield result.value;
  }
}
