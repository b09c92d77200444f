import assert from 'node:assert/strict';
import { MAX_ATTEMPTS, retryDelaySeconds, sleep } from '../../src/core/chat/retryPolicy';
import { ERROR_KINDS } from '../../src/core/domain';
import { RequestError } from '../../src/core/errors';

describe('retry policy: which failures are waited out, and how long', () => {
  it('a server error waits 1 s, then 3 s, then gives up (MAX_ATTEMPTS requests in all)', () => {
    const error = new RequestError('server', { status: 503 });
    const waits = Array.from({ length: MAX_ATTEMPTS + 1 }, (_, attempt) => retryDelaySeconds(error, attempt));
    assert.deepEqual(waits, [1, 3, undefined, undefined]);
  });

  it('a rate limit waits what Retry-After says (rounded up, at least 1 s) when that is short, else not at all', () => {
    const limited = (retryAfterSeconds?: number) => new RequestError('rateLimited', { status: 429, retryAfterSeconds });
    assert.equal(retryDelaySeconds(limited(2.2), 0), 3);
    assert.equal(retryDelaySeconds(limited(0), 0), 1);
    assert.equal(retryDelaySeconds(limited(10), 0), 10);
    assert.equal(retryDelaySeconds(limited(11), 0), undefined, 'a long wait is the user\'s choice, not a silent one');
    assert.equal(retryDelaySeconds(limited(undefined), 0), undefined);
  });

  it('every other kind is never retried on its own: waiting cannot fix it', () => {
    for (const kind of ERROR_KINDS.filter((k) => k !== 'server' && k !== 'rateLimited')) {
      assert.equal(retryDelaySeconds(new RequestError(kind, { retryAfterSeconds: 1 }), 0), undefined, kind);
    }
  });

  it('a wait ends early, saying so, when the user stops', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort();
    assert.equal(await waiting, false);
    assert.equal(await sleep(1, new AbortController().signal), true);
    assert.equal(await sleep(60_000, AbortSignal.abort()), false);
  });
});
