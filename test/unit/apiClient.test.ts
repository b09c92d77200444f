import assert from 'node:assert/strict';
import { ApiClient } from '../../src/core/apiClient';
import { describeError } from '../../src/core/errorText';
import type { ErrorKind } from '../../src/core/domain';
import { RequestError } from '../../src/core/errors';
import type { StreamEvent } from '../../src/core/streamEvents';
import { closedLoopbackPort } from '../fixtures/closedPort';
import { withServerAndClient } from '../fixtures/serverRequests';
import { IoTestServer, type StreamStep } from '../server/ioTestServer';
import { faults, reasoningContent, redirectTo, streamText, thinkTags } from '../server/scenarios';

const KEY = 'io-test-key-0123456789';

interface Collected {
  content: string;
  reasoning: string;
  events: StreamEvent[];
  error?: RequestError;
}

async function collect(stream: AsyncIterable<StreamEvent>): Promise<Collected> {
  const out: Collected = { content: '', reasoning: '', events: [] };
  try {
    for await (const event of stream) {
      out.events.push(event);
      if (event.type === 'content') out.content += event.text;
      if (event.type === 'reasoning') out.reasoning += event.text;
    }
  } catch (error) {
    assert.ok(error instanceof RequestError, `expected an RequestError, got ${String(error)}`);
    out.error = error;
  }
  return out;
}

/** A base URL on a loopback port where nothing listens. */
async function closedPortUrl(): Promise<string> {
  return `http://127.0.0.1:${await closedLoopbackPort()}/api/v1/`;
}

describe('ApiClient against the local test server', () => {
  let server: IoTestServer;
  let client: ApiClient;
  const request = { model: 'Qwen/Qwen2.5-Coder-32B-Instruct', messages: [{ role: 'user' as const, content: 'Explain this' }], maxOutputTokens: 256, temperature: 0.2 };

  withServerAndClient(KEY, (s, c) => {
    server = s;
    client = c;
  });

  it('lists models with max_model_len, null kept as null', async () => {
    const models = await client.listModels();
    assert.ok(models.some((m) => m.id === 'Qwen/Qwen2.5-Coder-32B-Instruct' && m.maxModelLen === 32_768));
    assert.ok(models.some((m) => m.id === 'deepseek-ai/DeepSeek-R1-0528' && m.maxModelLen === null));
    assert.equal(server.requests[0].headers.authorization, `Bearer ${KEY}`);
  });

  it('streams content, usage and finish in order, and asks for usage', async () => {
    server.enqueue(streamText(['Hel', 'lo ', 'world']));
    const result = await collect(client.streamChat(request));
    assert.equal(result.error, undefined);
    assert.equal(result.content, 'Hello world');
    assert.deepEqual(result.events.slice(-2).map((e) => e.type), ['usage', 'finish']);
    const body = server.chatRequests()[0].body as Record<string, unknown>;
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.equal(body.max_completion_tokens, 256);
    assert.equal(body.stream, true);
    assert.equal('reasoning_content' in body, false, 'IO-only fields are not sent to another server');
  });

  it('reports a cut answer as finish reason length', async () => {
    server.enqueue(streamText(['cut'], { finish: 'length' }));
    const result = await collect(client.streamChat(request));
    assert.deepEqual(result.events.at(-1), { type: 'finish', reason: 'length' });
  });

  it('separates reasoning_content from the answer', async () => {
    server.enqueue(reasoningContent(['Let me ', 'think.'], ['The ', 'answer.']));
    const result = await collect(client.streamChat(request));
    assert.equal(result.reasoning, 'Let me think.');
    assert.equal(result.content, 'The answer.');
  });

  it('separates <think> tags split across chunks from the answer', async () => {
    server.enqueue(thinkTags('inner monologue', 'Only this is the answer.'));
    const result = await collect(client.streamChat(request));
    assert.equal(result.reasoning, 'inner monologue');
    assert.equal(result.content, 'Only this is the answer.');
  });

  const faultCases: { name: string; answer: () => ReturnType<typeof faults.unauthorized>; kind: ErrorKind; words: RegExp; partial?: string }[] = [
    { name: '401 (FastAPI detail)', answer: faults.unauthorized, kind: 'badKey', words: /Invalid API key provided/ },
    { name: '403', answer: faults.forbidden, kind: 'badKey', words: /may not use this model/ },
    { name: '404 unknown model', answer: () => faults.unknownModel('no/such-model'), kind: 'unknownModel', words: /no\/such-model/ },
    { name: '429 rate limit', answer: () => faults.rateLimited(7), kind: 'rateLimited', words: /Retry in 7 s/ },
    { name: '429 daily quota', answer: faults.quotaExhausted, kind: 'quotaExhausted', words: /quota/ },
    { name: '400 context too long', answer: faults.contextTooLong, kind: 'contextTooLong', words: /maximum context length/ },
    { name: '422 validation detail list', answer: faults.validationDetail, kind: 'badRequest', words: /field required/ },
    { name: '500', answer: faults.serverError, kind: 'server', words: /Internal server error/ },
    { name: 'HTML error page', answer: faults.htmlPage, kind: 'server', words: /HTML page instead of an API answer \(HTTP 502: 502 Bad Gateway\)/ },
    { name: 'malformed SSE line', answer: faults.malformedLine, kind: 'malformed', words: /not valid JSON/, partial: 'Partial ' },
    { name: 'stalled stream', answer: () => faults.stall('Before the stall. '), kind: 'idleTimeout', words: /stalled/, partial: 'Before the stall. ' },
    { name: 'dropped mid-stream', answer: () => faults.dropMidway('Half an answer '), kind: 'network', words: /The connection to http:\/\/127\.0\.0\.1:\d+\/api\/v1\/ broke/, partial: 'Half an answer ' },
    { name: 'data: {"error"} mid-stream', answer: () => faults.errorEvent('Started '), kind: 'server', words: /model crashed/, partial: 'Started ' },
    { name: 'stream ending without finish_reason', answer: () => faults.endsWithoutFinish('No finish'), kind: 'network', words: /closed before the answer was complete/, partial: 'No finish' },
  ];

  for (const fault of faultCases) {
    it(`turns ${fault.name} into a ${fault.kind} error with the server's words, keeping what arrived`, async () => {
      server.enqueue(fault.answer());
      const result = await collect(client.streamChat(request));
      assert.equal(result.error?.kind, fault.kind);
      const text = describeError(result.error!);
      assert.match(text, fault.words);
      assert.equal(text.includes(KEY), false);
      assert.equal(result.content, fault.partial ?? '');
    });
  }

  it('a server that is not there: the message names the URL and "connection refused", not the SDK\'s "Connection error."', async () => {
    const closed = await closedPortUrl();
    const absent = new ApiClient({ baseUrl: closed, apiKey: KEY, requestTimeoutMs: 5_000, idleTimeoutMs: 5_000 });
    const failures = [await collect(absent.streamChat(request)).then((r) => r.error), await absent.listModels().then(() => undefined, (e: unknown) => e as RequestError)];
    for (const error of failures) {
      assert.equal(error?.kind, 'network');
      const text = describeError(error);
      assert.match(text, new RegExp(`Could not connect to ${closed.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(connection refused`));
      assert.equal(/Connection error|server said/i.test(text), false, text);
    }
  });

  it('the address named in a connection failure has no user name, password, query or key in it', async () => {
    const closed = new URL(await closedPortUrl());
    const secretUrl = `http://proxyuser:proxypass@${closed.host}${closed.pathname}${KEY}/?token=${KEY}#frag`;
    const absent = new ApiClient({ baseUrl: secretUrl, apiKey: KEY, requestTimeoutMs: 5_000, idleTimeoutMs: 5_000 });
    const error = (await collect(absent.streamChat(request))).error;
    assert.equal(error?.kind, 'network');
    const text = describeError(error);
    assert.match(text, new RegExp(`Could not connect to http://${closed.host.replace(/\./g, '\\.')}/api/v1/`));
    for (const secret of ['proxyuser', 'proxypass', KEY, 'token', 'frag']) assert.equal(text.includes(secret), false, `${secret} in: ${text}`);
    assert.equal(JSON.stringify(error).includes('proxypass'), false, 'nor in what is stored');
  });

  describe('keep-alive comments count as life for the idle watchdog', () => {
    // The idle timeout is 8 pings long: a late timer on a loaded machine cannot turn a steady ping into a stall.
    const IDLE_MS = 800;
    const EVERY_MS = 100;
    const COUNT = 20; // 2 s of pings only: well beyond the idle timeout
    const shapes: { name: string; comment: (i: number) => StreamStep }[] = [
      { name: '": keep-alive" and a blank line', comment: () => ({ type: 'comment', text: 'keep-alive' }) },
      { name: 'a bare ":" line', comment: () => ({ type: 'comment', text: '' }) },
      { name: '": ping" with CRLF', comment: () => ({ type: 'raw', text: ': ping\r\n\r\n' }) },
      { name: 'comment lines without a blank line', comment: (i) => ({ type: 'comment', text: `ping ${i}`, blank: false }) },
    ];
    for (const shape of shapes) {
      for (const before of ['', 'Thinking done. ']) {
        it(`${shape.name}, ${before ? 'between chunks' : 'before the first chunk'}: the answer completes`, async () => {
          const patient = new ApiClient({ baseUrl: server.baseUrl, apiKey: KEY, requestTimeoutMs: 2_000, idleTimeoutMs: IDLE_MS });
          server.enqueue(faults.keepAlives({ before, after: 'The answer.', count: COUNT, everyMs: EVERY_MS, comment: shape.comment }));
          const result = await collect(patient.streamChat(request));
          assert.equal(result.error, undefined, `${result.error?.kind}`);
          assert.equal(result.content, `${before}The answer.`);
          assert.deepEqual(result.events.at(-1), { type: 'finish', reason: 'stop' });
        });
      }
    }

    it('silence after the keep-alives still times out, keeping what arrived', async () => {
      const patient = new ApiClient({ baseUrl: server.baseUrl, apiKey: KEY, requestTimeoutMs: 2_000, idleTimeoutMs: IDLE_MS });
      server.enqueue(faults.keepAlivesThenStall(COUNT, EVERY_MS));
      const result = await collect(patient.streamChat(request));
      assert.equal(result.error?.kind, 'idleTimeout');
      assert.equal(result.content, 'Before the pings. ');
    });
  });

  it('gives Retry-After to the caller of a rate limit', async () => {
    server.enqueue(faults.rateLimited(12));
    const result = await collect(client.streamChat(request));
    assert.equal(result.error?.details.retryAfterSeconds, 12);
    assert.deepEqual(result.error?.actions, ['retry', 'switchModel']);
  });

  it('fails fast with noKey and sends nothing when there is no key', async () => {
    const keyless = new ApiClient({ baseUrl: server.baseUrl, apiKey: undefined, requestTimeoutMs: 1000, idleTimeoutMs: 1000 });
    const result = await collect(keyless.streamChat(request));
    assert.equal(result.error?.kind, 'noKey');
    assert.equal(server.requests.length, 0);
  });

  it('cancels through the AbortSignal and keeps what arrived', async () => {
    server.enqueue(faults.stall('Arrived. '));
    const controller = new AbortController();
    const events: StreamEvent[] = [];
    let error: unknown;
    try {
      for await (const event of client.streamChat(request, controller.signal)) {
        events.push(event);
        controller.abort();
      }
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof RequestError);
    assert.equal(error.kind, 'cancelled');
    assert.deepEqual(events, [{ type: 'content', text: 'Arrived. ' }]);
  });

  it('times out while waiting for headers (requestTimeout) and does not retry silently', async () => {
    const slow = new ApiClient({ baseUrl: server.baseUrl, apiKey: KEY, requestTimeoutMs: 100, idleTimeoutMs: 1000 });
    server.enqueue({ kind: 'stream', headerDelayMs: 400, steps: [{ type: 'content', text: 'late' }, { type: 'finish', reason: 'stop' }] });
    const result = await collect(slow.streamChat(request));
    assert.equal(result.error?.kind, 'requestTimeout');
    assert.equal(server.chatRequests().length, 1, 'the SDK made no retry of its own');
  });

  it("a request's own deadline ends an answer that keeps trickling in (requestTimeout), though no gap is idle", async () => {
    const patient = new ApiClient({ baseUrl: server.baseUrl, apiKey: KEY, requestTimeoutMs: 5_000, idleTimeoutMs: 2_000 });
    const trickle: StreamStep[] = Array.from({ length: 20 }, (_, i) => [{ type: 'content' as const, text: `${i} ` }, { type: 'wait' as const, ms: 100 }]).flat();
    server.enqueue({ kind: 'stream', steps: [...trickle, { type: 'finish', reason: 'stop' }] });
    const started = Date.now();
    const result = await collect(patient.streamChat({ ...request, timeoutMs: 300 }));
    assert.equal(result.error?.kind, 'requestTimeout');
    assert.ok(Date.now() - started < 1_500, 'well before the 2 s the answer takes');
    assert.ok(result.content.startsWith('0 '), 'what arrived before the deadline was given out');
  });

  it('never sends the key or the code to a host other than the base URL, even when the server redirects', async () => {
    const elsewhere = await new IoTestServer().start();
    try {
      server.enqueueModels(redirectTo(308, `${elsewhere.origin}/api/v1/models`));
      server.enqueue(redirectTo(307, `${elsewhere.origin}/api/v1/chat/completions`));
      const listing: unknown = await client.listModels().then(
        () => 'listed through the redirect',
        (error: unknown) => error,
      );
      const streamed = await collect(client.streamChat(request));
      assert.ok(listing instanceof RequestError && listing.kind === 'redirected', String(listing));
      assert.equal(streamed.error?.kind, 'redirected');
      assert.deepEqual(elsewhere.requests, [], 'the other origin saw no request at all');
      assert.deepEqual(server.requests.map((r) => r.headers.authorization), [`Bearer ${KEY}`, `Bearer ${KEY}`]);
    } finally {
      await elsewhere.stop();
    }
  });
});
