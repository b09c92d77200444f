import assert from 'node:assert/strict';
import { ApiClient } from '../../src/core/apiClient';
import { describeError } from '../../src/core/errorText';
import { RequestError } from '../../src/core/errors';
import { IoTestServer } from '../server/ioTestServer';
import { redirectTo, type RedirectStatus } from '../server/scenarios';

const KEY = 'io-redirect-key-7e41b2';
const CODE = 'function secretAlgorithm() { return 42; }';
const STATUSES: readonly RedirectStatus[] = [301, 302, 303, 307, 308];

/** What a request ended with: the RequestError it threw (anything else fails the test). */
async function failureOf(run: () => Promise<unknown>): Promise<RequestError> {
  try {
    await run();
  } catch (error) {
    assert.ok(error instanceof RequestError, `expected an RequestError, got ${String(error)}`);
    return error;
  }
  assert.fail('the request succeeded through a redirect');
}

describe('Redirects are refused: code and key go to the configured base URL only', () => {
  let server: IoTestServer;
  /** Another origin (another port) that a redirect points to; it must never see a request. */
  let elsewhere: IoTestServer;
  let client: ApiClient;

  before(async () => {
    server = await new IoTestServer().start();
    elsewhere = await new IoTestServer().start();
  });
  after(async () => {
    await server.stop();
    await elsewhere.stop();
  });
  beforeEach(() => {
    server.reset();
    elsewhere.reset();
    client = new ApiClient({ baseUrl: server.baseUrl, apiKey: KEY, requestTimeoutMs: 2_000, idleTimeoutMs: 2_000 });
  });

  function assertRefused(error: RequestError, status: RedirectStatus): void {
    assert.equal(error.kind, 'redirected');
    assert.equal(error.details.status, status);
    assert.equal(error.details.redirectOrigin, elsewhere.origin);
    assert.deepEqual(error.actions, ['openSettings']);
    const text = describeError(error);
    assert.ok(
      text.startsWith(`The server redirected the request (${status}) to ${elsewhere.origin}; IO Intelligence does not follow redirects`),
      text,
    );
    assert.match(text, /your code and key go only to the configured base URL\. Check ioIntelligence\.baseUrl\.$/);
    assert.deepEqual(elsewhere.requests, [], 'nothing reached the other origin: no body, no Authorization header');
  }

  for (const status of STATUSES) {
    it(`a ${status} on /chat/completions (streaming) fails as "redirected" and the code is sent nowhere else`, async () => {
      server.enqueue(redirectTo(status, `${elsewhere.origin}/api/v1/chat/completions`));
      const stream = client.streamChat({ model: 'Qwen/Qwen2.5-Coder-32B-Instruct', messages: [{ role: 'user', content: CODE }] });
      const error = await failureOf(async () => {
        for await (const event of stream) void event;
      });
      assertRefused(error, status);
      assert.equal(server.chatRequests().length, 1, 'asked once, not retried');
      assert.match(JSON.stringify(server.chatRequests()[0].body), /secretAlgorithm/, 'the code went to the configured server');
    });

    it(`a ${status} on /models fails as "redirected" and the key is sent nowhere else`, async () => {
      server.enqueueModels(redirectTo(status, `${elsewhere.origin}/api/v1/models`));
      assertRefused(await failureOf(() => client.listModels()), status);
      assert.equal(server.requests.length, 1);
      assert.equal(server.requests[0].headers.authorization, `Bearer ${KEY}`);
    });
  }

  it('a redirect within the same server is refused too: only the configured URL is asked', async () => {
    server.enqueueModels(redirectTo(307, '/elsewhere/models'));
    const error = await failureOf(() => client.listModels());
    assert.equal(error.kind, 'redirected');
    assert.equal(error.details.redirectOrigin, server.origin);
    assert.deepEqual(server.requests.map((r) => r.path), ['/api/v1/models']);
  });
});
