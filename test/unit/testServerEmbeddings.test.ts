import assert from 'node:assert/strict';
import { assertServerSeesAbort, post } from '../fixtures/serverRequests';
import { demoServerOptions } from '../server/demoAnswers';
import { EMBEDDING_DIMENSIONS, embeddingOf, float32Base64, termsOf } from '../server/embeddings';
import { IoTestServer } from '../server/ioTestServer';
import { faults } from '../server/scenarios';

/** The test server's `POST /embeddings` (OpenAI's contract), whose vectors make a semantic ranking testable. */

const MXBAI = 'mixedbread-ai/mxbai-embed-large-v1';
const BGE = 'BAAI/bge-multilingual-gemma2';

interface EmbeddingList {
  object: string;
  data: { object: string; index: number; embedding: number[] | string }[];
  model: string;
  usage?: { prompt_tokens: number; total_tokens: number };
}

interface ErrorBody {
  error: { message: string; type: string; code: number };
}

async function embed(server: IoTestServer, body: Record<string, unknown>): Promise<EmbeddingList> {
  const response = await post(server, 'embeddings', body);
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as EmbeddingList;
}

async function failure(server: IoTestServer, body: Record<string, unknown>): Promise<{ status: number; body: ErrorBody }> {
  const response = await post(server, 'embeddings', body);
  return { status: response.status, body: (await response.json()) as ErrorBody };
}

function cosine(a: readonly number[], b: readonly number[]): number {
  return a.reduce((sum, x, i) => sum + x * b[i], 0);
}

describe('test server: /embeddings', () => {
  let server: IoTestServer;

  before(async () => {
    server = await new IoTestServer().start();
  });
  after(() => server.stop());
  beforeEach(() => server.reset());

  it('answers OpenAI’s shape: a list of embeddings by index, the model, and the prompt tokens (about 4 characters a token)', async () => {
    const answer = await embed(server, { model: MXBAI, input: ['function add(a, b)', 'class Parser'] });
    assert.equal(answer.object, 'list');
    assert.equal(answer.model, MXBAI);
    assert.deepEqual(answer.data.map((d) => [d.object, d.index]), [['embedding', 0], ['embedding', 1]]);
    assert.equal((answer.data[0].embedding as number[]).length, EMBEDDING_DIMENSIONS);
    assert.deepEqual(answer.usage, { prompt_tokens: 5 + 3, total_tokens: 5 + 3 });
    assert.deepEqual(server.embeddingRequests().map((r) => r.body), [{ model: MXBAI, input: ['function add(a, b)', 'class Parser'] }]);
  });

  it('takes a single string as one input', async () => {
    const answer = await embed(server, { model: BGE, input: 'one text' });
    assert.deepEqual(answer.data[0].embedding, embeddingOf('one text'));
  });

  it('answers base64 when asked: the same float32 values, little-endian', async () => {
    const answer = await embed(server, { model: MXBAI, input: ['parseHttpResponse'], encoding_format: 'base64' });
    const bytes = Buffer.from(answer.data[0].embedding as string, 'base64');
    const decoded = Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
    assert.deepEqual(decoded, embeddingOf('parseHttpResponse'));
  });

  it('is deterministic: the same text gives the same unit vector on every request and every server', async () => {
    const other = await new IoTestServer().start();
    try {
      const first = await embed(server, { model: MXBAI, input: ['const total = items.reduce(sum)'] });
      const second = await embed(other, { model: MXBAI, input: ['const total = items.reduce(sum)'] });
      assert.deepEqual(first.data[0].embedding, second.data[0].embedding);
      assert.ok(Math.abs(cosine(embeddingOf('x y z'), embeddingOf('x y z')) - 1) < 1e-6, 'unit length');
    } finally {
      await other.stop();
    }
  });

  it('texts that share words are nearer than unrelated texts, identifiers split at camelCase and snake_case', () => {
    const question = embeddingOf('where is the http response parsed?');
    const parser = embeddingOf('function parseHttpResponse(raw) { return parse_headers(raw); }');
    const unrelated = embeddingOf('class ShoppingCart { addItem(item) { this.items.push(item); } }');
    assert.ok(cosine(question, parser) > cosine(question, unrelated) + 0.15, `${cosine(question, parser)} vs ${cosine(question, unrelated)}`);
    assert.deepEqual(termsOf('parseHTTPResponse parse_http_response2'), ['parse', 'http', 'response', 'parse', 'http', 'response', '2']);
  });

  it('a text without words still gets a unit vector, never zeros', () => {
    assert.ok(Math.abs(Math.hypot(...embeddingOf('  {}; ')) - 1) < 1e-6);
  });

  it('404 for a model it does not serve as an embedding model, chat models included', async () => {
    for (const model of ['no/such-embedder', 'Qwen/Qwen2.5-Coder-32B-Instruct', undefined]) {
      const answer = await failure(server, { model, input: ['x'] });
      assert.equal(answer.status, 404, String(model));
      assert.match(answer.body.error.message, /does not exist/);
    }
  });

  it('400 with vLLM’s words when an input is over the model’s context: 512 tokens for mxbai, 4,096 for bge', async () => {
    const text = 'x'.repeat(513 * 4);
    const over = await failure(server, { model: MXBAI, input: ['short', text] });
    assert.equal(over.status, 400);
    assert.match(over.body.error.message, /maximum context length is 512 tokens\. However, you requested 513 tokens/);
    assert.equal((await embed(server, { model: MXBAI, input: ['x'.repeat(512 * 4)] })).data.length, 1, '512 tokens fit');
    assert.equal((await embed(server, { model: BGE, input: [text] })).data.length, 1, 'bge takes 4,096');
  });

  it('400 for input that is not a string or a non-empty list of strings, or an unknown encoding', async () => {
    for (const body of [{ input: [] }, { input: [1, 2] }, {}, { input: ['x'], encoding_format: 'int8' }]) {
      assert.equal((await failure(server, { model: MXBAI, ...body })).status, 400, JSON.stringify(body));
    }
  });

  it('401 without a valid key, as for chat', async () => {
    const strict = await new IoTestServer({ validKeys: ['another-key'] }).start();
    try {
      assert.equal((await post(strict, 'embeddings', { model: MXBAI, input: ['x'] })).status, 401);
    } finally {
      await strict.stop();
    }
  });

  it('answers from its own queue: failures, then variants of the vectors, then the computed answer', async () => {
    server.enqueueEmbedding(faults.rateLimited(3), { kind: 'vectors', reversed: true, withoutUsage: true, encoding: 'base64' });
    const limited = await post(server, 'embeddings', { model: MXBAI, input: ['a'] });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '3');
    const variant = await embed(server, { model: MXBAI, input: ['a', 'b'], encoding_format: 'float' });
    assert.deepEqual(variant.data.map((d) => d.index), [1, 0]);
    assert.equal(variant.usage, undefined);
    assert.equal(variant.data[0].embedding, float32Base64(embeddingOf('b')));
    assert.deepEqual((await embed(server, { model: MXBAI, input: ['a'] })).data[0].embedding, embeddingOf('a'));
  });

  it('notices an embeddings request the client aborted while the server stalled', async () => {
    server.enqueueEmbedding(faults.stall());
    await assertServerSeesAbort(server, 'embeddings', { model: MXBAI, input: ['a'] }, () => server.embeddingRequests().length === 1);
  });

  it('reset() empties the embeddings queue', async () => {
    server.enqueueEmbedding(faults.serverError());
    server.reset();
    assert.equal((await embed(server, { model: MXBAI, input: ['a'] })).data.length, 1);
  });

  it('lists both embedding models in /models with their context, and no field the real API lacks', async () => {
    const response = await fetch(`${server.baseUrl}models`, { headers: { authorization: 'Bearer k' } });
    const { data } = (await response.json()) as { data: Record<string, unknown>[] };
    const listed = data.filter((m) => m.id === MXBAI || m.id === BGE);
    assert.deepEqual(listed.map((m) => [m.id, m.max_model_len]), [[BGE, 4_096], [MXBAI, 512]]);
    assert.equal(data.some((m) => 'embedding' in m), false);
  });
});

describe('demo endpoint: embeddings (npm start)', () => {
  let demo: IoTestServer;

  before(async () => {
    demo = await new IoTestServer(demoServerOptions(0)).start();
  });
  after(() => demo.stop());

  it('answers /embeddings for the default embedding model, and lists it with the demo marker', async () => {
    const answer = await embed(demo, { model: MXBAI, input: ['readSettings()'] });
    assert.deepEqual(answer.data[0].embedding, embeddingOf('readSettings()'));
    const { data } = (await (await fetch(`${demo.baseUrl}models`, { headers: { authorization: 'Bearer k' } })).json()) as { data: { id: string; owned_by: string }[] };
    assert.ok(data.some((m) => m.id === MXBAI && m.owned_by === 'io-intelligence-demo'));
  });
});
