import assert from 'node:assert/strict';
import { ApiClient } from '../../src/core/apiClient';
import { decodeFloat32Base64, vectorsInInputOrder } from '../../src/core/embeddings';
import { RequestError } from '../../src/core/errors';
import { describeError } from '../../src/core/errorText';
import { until, withServerAndClient } from '../fixtures/serverRequests';
import { embeddingOf, float32Base64 } from '../server/embeddings';
import { IoTestServer } from '../server/ioTestServer';
import { faults, redirectTo } from '../server/scenarios';

const KEY = 'io-embed-key-5c0ffee';
const MXBAI = 'mixedbread-ai/mxbai-embed-large-v1';
const CODE = ['function parseHttpResponse(raw) {}', 'class ShoppingCart {}', 'const total = sum(items);'];

/** What embed() threw (anything other than a RequestError, or success, fails the test). */
async function failureOf(run: Promise<unknown>): Promise<RequestError> {
  const error: unknown = await run.then(() => assert.fail('embed() succeeded'), (e: unknown) => e);
  assert.ok(error instanceof RequestError, `expected a RequestError, got ${String(error)}`);
  return error;
}

describe('ApiClient.embed against the local test server', () => {
  let server: IoTestServer;
  let client: ApiClient;
  const signal = (): AbortSignal => new AbortController().signal;

  withServerAndClient(KEY, (s, c) => {
    server = s;
    client = c;
  });

  it('returns one vector per input, in input order, with the server’s usage, and asks for floats explicitly', async () => {
    const answer = await client.embed(MXBAI, CODE, signal());
    assert.deepEqual(answer.vectors, CODE.map(embeddingOf));
    assert.deepEqual(answer.usage, { promptTokens: 9 + 6 + 7, completionTokens: 0, totalTokens: 9 + 6 + 7, estimated: false });
    assert.deepEqual(server.embeddingRequests().map((r) => r.body), [{ model: MXBAI, input: CODE, encoding_format: 'float' }]);
    assert.equal(server.embeddingRequests()[0].headers.authorization, `Bearer ${KEY}`);
  });

  it('orders the vectors by index when the server sends them in another order', async () => {
    server.enqueueEmbedding({ kind: 'vectors', reversed: true });
    assert.deepEqual((await client.embed(MXBAI, CODE, signal())).vectors, CODE.map(embeddingOf));
  });

  it('decodes a base64 answer from a server that ignores encoding_format', async () => {
    server.enqueueEmbedding({ kind: 'vectors', encoding: 'base64' });
    assert.deepEqual((await client.embed(MXBAI, CODE, signal())).vectors, CODE.map(embeddingOf));
  });

  it('estimates the tokens from the inputs (about 3 characters a token), flagged, when the server sends no usage', async () => {
    server.enqueueEmbedding({ kind: 'vectors', withoutUsage: true });
    const { usage } = await client.embed(MXBAI, CODE, signal());
    const estimate = CODE.reduce((n, text) => n + Math.ceil(text.length / 3), 0);
    assert.deepEqual(usage, { promptTokens: estimate, completionTokens: 0, totalTokens: estimate, estimated: true });
  });

  it('sends nothing for no inputs, and nothing without a key', async () => {
    assert.deepEqual((await client.embed(MXBAI, [], signal())).vectors, []);
    const keyless = new ApiClient({ baseUrl: server.baseUrl, apiKey: undefined, requestTimeoutMs: 1_000, idleTimeoutMs: 1_000 });
    assert.equal((await failureOf(keyless.embed(MXBAI, CODE, signal()))).kind, 'noKey');
    assert.equal(server.requests.length, 0);
  });

  const failures = [
    { name: 'a model that is not an embedding model (404)', model: 'Qwen/Qwen2.5-Coder-32B-Instruct', input: CODE, kind: 'unknownModel', words: /does not exist/ },
    { name: 'an input over mxbai’s 512 tokens (400)', model: MXBAI, input: ['x'.repeat(4 * 600)], kind: 'contextTooLong', words: /maximum context length is 512 tokens/ },
  ] as const;
  for (const failure of failures) {
    it(`turns ${failure.name} into ${failure.kind}, with the server's words`, async () => {
      const error = await failureOf(client.embed(failure.model, failure.input, signal()));
      assert.equal(error.kind, failure.kind);
      assert.match(describeError(error), failure.words);
    });
  }

  const scripted = [
    { name: '401', answer: faults.unauthorized, kind: 'badKey' },
    { name: 'a rate limit (429 with Retry-After)', answer: () => faults.rateLimited(9), kind: 'rateLimited' },
    { name: 'a spent daily quota (429 naming the limit)', answer: faults.quotaExhausted, kind: 'quotaExhausted' },
    { name: 'an HTML page from a proxy', answer: faults.htmlPage, kind: 'server' },
  ] as const;
  for (const failure of scripted) {
    it(`turns ${failure.name} into ${failure.kind}, without the key in its words`, async () => {
      server.enqueueEmbedding(failure.answer());
      const error = await failureOf(client.embed(MXBAI, CODE, signal()));
      assert.equal(error.kind, failure.kind);
      assert.equal(describeError(error).includes(KEY), false);
      if (failure.kind === 'rateLimited') assert.equal(error.details.retryAfterSeconds, 9);
    });
  }

  it('cancels through the AbortSignal: the server sees the request aborted, the caller gets cancelled', async () => {
    server.enqueueEmbedding(faults.stall());
    const controller = new AbortController();
    const pending = failureOf(client.embed(MXBAI, CODE, controller.signal));
    await until(() => server.embeddingRequests().length === 1, 'the request arrived');
    controller.abort();
    assert.equal((await pending).kind, 'cancelled');
    await until(() => server.abortedPaths().length === 1, 'the server saw the abort');
    assert.deepEqual(server.abortedPaths(), ['/api/v1/embeddings']);
  });

  it('times out a server that never answers (requestTimeout), without a silent retry', async () => {
    const impatient = new ApiClient({ baseUrl: server.baseUrl, apiKey: KEY, requestTimeoutMs: 100, idleTimeoutMs: 1_000 });
    server.enqueueEmbedding(faults.stall());
    assert.equal((await failureOf(impatient.embed(MXBAI, CODE, signal()))).kind, 'requestTimeout');
    assert.equal(server.embeddingRequests().length, 1);
  });

  it('does not follow a redirect: the code goes nowhere but the configured base URL', async () => {
    const elsewhere = await new IoTestServer().start();
    try {
      server.enqueueEmbedding(redirectTo(307, `${elsewhere.origin}/api/v1/embeddings`));
      const error = await failureOf(client.embed(MXBAI, CODE, signal()));
      assert.equal(error.kind, 'redirected');
      assert.equal(error.details.redirectOrigin, elsewhere.origin);
      assert.deepEqual(elsewhere.requests, []);
    } finally {
      await elsewhere.stop();
    }
  });
});

describe('embeddings answers the client refuses', () => {
  const vector = (index: number, embedding: number[] | string = [1, 0]) => ({ object: 'embedding' as const, index, embedding: embedding as number[] });

  it('a missing, repeated or out-of-range index is malformed: a vector must never be filed under another text', () => {
    for (const data of [[vector(0)], [vector(0), vector(0)], [vector(0), vector(2)], [vector(0), vector(-1)]]) {
      assert.throws(() => vectorsInInputOrder(data, 2, MXBAI), (e: unknown) => e instanceof RequestError && e.kind === 'malformed', JSON.stringify(data));
    }
    assert.throws(() => vectorsInInputOrder(undefined, 1, MXBAI), { kind: 'malformed' });
  });

  it('an embedding that is neither numbers nor base64 float32 is malformed', () => {
    for (const embedding of ['not base64!', 'AAA=', ['a', 'b'] as unknown as number[]]) {
      assert.throws(() => vectorsInInputOrder([vector(0, embedding)], 1, MXBAI), { kind: 'malformed' }, JSON.stringify(embedding));
    }
  });

  it('decodes OpenAI’s base64 (float32, little-endian)', () => {
    assert.deepEqual(decodeFloat32Base64(float32Base64([0.5, -2, 0])), [0.5, -2, 0]);
  });
});
