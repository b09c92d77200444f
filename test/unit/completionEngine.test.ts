import assert from 'node:assert/strict';
import type { CompletionAnswer, RawCompletionRequest } from '../../src/core/apiClient';
import { CompletionEngine, type CompletionBackend, type CompletionBook, type CompletionConfig, type CompletionInput } from '../../src/core/completions/completionEngine';
import { RequestError } from '../../src/core/errors';
import type { ChatRequest, TokenUsage } from '../../src/core/streamEvents';
import { settle, VirtualClock } from '../fixtures/virtualClock';

type Answer = CompletionAnswer | RequestError;

/** A backend that records what it was asked and answers from a script, FIM and chat apart. */
class ScriptedBackend implements CompletionBackend {
  readonly fimCalls: { request: RawCompletionRequest; signal: AbortSignal }[] = [];
  readonly chatCalls: { request: ChatRequest; signal: AbortSignal }[] = [];
  fimAnswers: Answer[] = [];
  chatAnswers: Answer[] = [];
  /** What `/models` says of the model: listed or not, or the failure to read it. */
  listed: boolean | RequestError = true;
  /** When set, a FIM request waits for this before answering (to supersede it mid-flight). */
  hold: Promise<void> | undefined;

  async complete(request: RawCompletionRequest, signal: AbortSignal): Promise<CompletionAnswer> {
    this.fimCalls.push({ request, signal });
    if (this.hold) await Promise.race([this.hold, new Promise((resolve) => signal.addEventListener('abort', resolve))]);
    if (signal.aborted) throw new RequestError('cancelled');
    return answerOf(this.fimAnswers.shift() ?? { text: 'fim()' });
  }

  async chat(request: ChatRequest, signal: AbortSignal): Promise<CompletionAnswer> {
    this.chatCalls.push({ request, signal });
    return answerOf(this.chatAnswers.shift() ?? { text: 'chat()' });
  }

  async isListed(): Promise<boolean> {
    if (this.listed instanceof RequestError) throw this.listed;
    return this.listed;
  }
}

function answerOf(answer: Answer): CompletionAnswer {
  if (answer instanceof RequestError) throw answer;
  return answer;
}

class MemoryBook implements CompletionBook {
  readonly recorded: { model: string; usage: TokenUsage }[] = [];
  spent = 0;
  quota = false;
  spentToday(): number {
    return this.spent;
  }
  quotaSpent(): boolean {
    return this.quota;
  }
  async markQuotaSpent(): Promise<void> {
    this.quota = true;
  }
  async record(model: string, usage: TokenUsage): Promise<void> {
    this.recorded.push({ model, usage });
    this.spent += usage.totalTokens;
  }
}

const CONFIG: CompletionConfig = { baseUrl: 'http://127.0.0.1:1/v1/', model: 'Qwen/Qwen2.5-Coder-32B-Instruct', dailyTokenBudget: 300_000, promptBudgetTokens: 1_024 };
const AT_CALL: CompletionInput = { before: 'const total = sum(', after: ')\n', path: 'a.ts', language: 'typescript', neighbours: [] };

function setup(): { engine: CompletionEngine; backend: ScriptedBackend; book: MemoryBook; clock: VirtualClock } {
  const backend = new ScriptedBackend();
  const book = new MemoryBook();
  const clock = new VirtualClock();
  return { engine: new CompletionEngine(backend, book, clock), backend, book, clock };
}

/** Provides at the cursor and lets the wait before asking pass. */
async function provide(s: ReturnType<typeof setup>, input: CompletionInput = AT_CALL, config = CONFIG, signal = new AbortController().signal) {
  const result = s.engine.provide(input, config, signal);
  await s.clock.advance(1_000);
  return result;
}

describe('inline completions: the engine', () => {
  it('asks the raw FIM endpoint with a cut prompt, at most 4 stop sequences and a small output cap, and cleans the answer', async () => {
    const s = setup();
    s.backend.fimAnswers.push({ text: 'values)', usage: { promptTokens: 20, completionTokens: 2, totalTokens: 22, estimated: false } });
    const result = await provide(s);
    assert.deepEqual(result, { kind: 'item', text: 'values', via: 'request' }, 'the ) the editor already closed is dropped');
    const { request } = s.backend.fimCalls[0];
    assert.match(request.prompt, /<\|fim_prefix\|>const total = sum\(<\|fim_suffix\|>\)\n<\|fim_middle\|>$/);
    assert.ok(request.stop.length <= 4 && request.stop.includes('\n'), 'a line completion stops at the line end');
    assert.ok(request.maxTokens <= 64);
    assert.deepEqual(s.book.recorded, [{ model: CONFIG.model, usage: { promptTokens: 20, completionTokens: 2, totalTokens: 22, estimated: false } }]);
  });

  it('asks nothing when text other than closing brackets follows the cursor on its line', async () => {
    const s = setup();
    const result = await provide(s, { ...AT_CALL, before: 'const x = ', after: 'other;\n' });
    assert.deepEqual(result, { kind: 'none', why: 'textAfterCursor' });
    assert.equal(s.backend.fimCalls.length, 0);
  });

  it('waits for a pause in typing: keystrokes in quick succession send one request, for the last one', async () => {
    const s = setup();
    const results = [];
    for (const typed of ['s', 'su', 'sum']) {
      const controller = new AbortController();
      results.push(s.engine.provide({ ...AT_CALL, before: `const total = ${typed}`, after: '\n' }, CONFIG, controller.signal));
      await s.clock.advance(40);
    }
    await s.clock.advance(1_000);
    const settled = await Promise.all(results);
    assert.deepEqual(settled.map((r) => r.kind), ['none', 'none', 'item']);
    assert.equal(s.backend.fimCalls.length, 1);
    assert.match(s.backend.fimCalls[0].request.prompt, /const total = sum<\|fim_suffix\|>/);
  });

  it('aborts the HTTP request of a completion that a newer one supersedes', async () => {
    const s = setup();
    let release!: () => void;
    s.backend.hold = new Promise((resolve) => (release = resolve));
    const first = s.engine.provide(AT_CALL, CONFIG, new AbortController().signal);
    await s.clock.advance(1_000);
    assert.equal(s.backend.fimCalls.length, 1, 'the first request is on the wire');
    const second = s.engine.provide({ ...AT_CALL, before: 'const total = sum(a' }, CONFIG, new AbortController().signal);
    assert.equal(s.backend.fimCalls[0].signal.aborted, true, 'its signal aborted as soon as the next keystroke asked');
    assert.deepEqual(await first, { kind: 'none', why: 'superseded' });
    release();
    await s.clock.advance(1_000);
    assert.equal((await second).kind, 'item');
  });

  it("aborts the request when VS Code cancels the call's token; its prompt still counts against the budget (estimated)", async () => {
    const s = setup();
    s.backend.hold = new Promise(() => undefined);
    const cancel = new AbortController();
    const result = s.engine.provide(AT_CALL, CONFIG, cancel.signal);
    await s.clock.advance(1_000);
    cancel.abort();
    assert.deepEqual(await result, { kind: 'none', why: 'superseded' });
    assert.equal(s.backend.fimCalls[0].signal.aborted, true);
    assert.equal(s.book.recorded.length, 1, 'the server may have read the prompt before the abort');
    assert.equal(s.book.recorded[0].usage.estimated, true);
    assert.ok(s.book.recorded[0].usage.promptTokens > 0);
  });

  it('serves the same place and a suggestion typed through from the cache, without a request', async () => {
    const s = setup();
    s.backend.fimAnswers.push({ text: 'values.length' });
    const input = { ...AT_CALL, before: 'const n = ', after: ';\n' };
    assert.equal((await provide(s, input)).kind, 'item');
    assert.deepEqual(await provide(s, input), { kind: 'item', text: 'values.length', via: 'cache' });
    assert.deepEqual(await provide(s, { ...input, before: 'const n = val' }), { kind: 'item', text: 'ues.length', via: 'typedThrough' });
    assert.equal(s.backend.fimCalls.length, 1);
    assert.deepEqual([s.engine.counts.cacheHits, s.engine.counts.typedThrough], [1, 1]);
  });

  it('remembers an empty answer at a place instead of paying for it again', async () => {
    const s = setup();
    s.backend.fimAnswers.push({ text: '   ' });
    assert.deepEqual(await provide(s), { kind: 'none', why: 'empty' });
    assert.deepEqual(await provide(s), { kind: 'none', why: 'empty' });
    assert.equal(s.backend.fimCalls.length, 1);
  });

  for (const [status, listed] of [[404, true], [405, true], [501, true], [400, true]] as const) {
    it(`falls back to chat for the session when the FIM endpoint answers ${status}${status === 404 ? ' for a listed model' : ''}`, async () => {
      const s = setup();
      s.backend.listed = listed;
      s.backend.fimAnswers.push(new RequestError(status === 400 ? 'badRequest' : status === 404 ? 'unknownModel' : 'server', { status }));
      s.backend.chatAnswers.push({ text: '```ts\nitems\n```' }, { text: 'more' });
      assert.deepEqual(await provide(s), { kind: 'item', text: 'items', via: 'request' });
      const { request } = s.backend.chatCalls[0];
      assert.equal(request.temperature, 0);
      assert.ok(request.maxOutputTokens !== undefined && request.maxOutputTokens <= 64);
      assert.match(request.messages[1].content, /const total = sum\(<FILL_HERE>\)/);
      await provide(s, { ...AT_CALL, before: 'let y = f(' });
      assert.equal(s.backend.fimCalls.length, 1, 'the FIM endpoint is not asked again this session');
      assert.equal(s.backend.chatCalls.length, 2);
      assert.equal(s.engine.transportOf(CONFIG), 'chat');
      assert.equal(s.engine.transportOf({ ...CONFIG, model: 'other/model' }), 'fim', 'per model');
    });
  }

  it('the chat fallback waits for its answer no longer than FIM does (10 s, not the chat timeout)', async () => {
    const s = setup();
    s.backend.fimAnswers.push(new RequestError('server', { status: 501 }));
    await provide(s);
    assert.equal(s.backend.fimCalls[0].request.timeoutMs, 10_000);
    assert.equal(s.backend.chatCalls[0].request.timeoutMs, 10_000);
  });

  for (const [kind, status] of [['unknownModel', 404], ['badKey', 401], ['quotaExhausted', 429], ['network', undefined], ['server', 500]] as const) {
    it(`does not switch transport for ${kind}${status ? ` (${status})` : ''}: completions pause instead`, async () => {
      const s = setup();
      s.backend.listed = false; // a 404 for a model the server does not list is the model, not the endpoint
      s.backend.fimAnswers.push(new RequestError(kind, status ? { status } : {}));
      assert.deepEqual(await provide(s), { kind: 'none', why: 'failed' });
      assert.equal(s.backend.chatCalls.length, 0);
      assert.equal(s.engine.transportOf(CONFIG), 'fim');
      assert.equal(s.engine.pause(CONFIG)?.reason, kind === 'quotaExhausted' ? 'quota' : 'error');
      assert.deepEqual(await provide(s, { ...AT_CALL, before: 'let z = g(' }), { kind: 'none', why: 'paused' });
      assert.equal(s.backend.fimCalls.length, 1, 'no request while paused');
    });
  }

  it('a FIM 404 while /models cannot be read pauses them a short while (not as an unknown model), then asks again', async () => {
    const s = setup();
    s.backend.listed = new RequestError('network', { networkCode: 'ECONNRESET' });
    s.backend.fimAnswers.push(new RequestError('unknownModel', { status: 404 }), new RequestError('unknownModel', { status: 404 }));
    assert.deepEqual(await provide(s), { kind: 'none', why: 'failed' });
    const pause = s.engine.pause(CONFIG);
    assert.ok(pause?.reason === 'error' && !pause.lasting, 'not lasting until the settings change');
    assert.equal(pause.error.kind, 'network', 'the pause names what failed: reading /models');
    assert.equal(s.engine.transportOf(CONFIG), 'fim');
    await s.clock.advance(30_000);
    assert.equal(s.engine.pause(CONFIG), undefined);
    s.backend.listed = true;
    assert.equal((await provide(s, { ...AT_CALL, before: 'let v = k(' })).kind, 'item');
    assert.deepEqual([s.backend.fimCalls.length, s.backend.chatCalls.length], [2, 1], 'listed now: the endpoint is missing, chat answers');
  });

  it('resumes after a passing failure once its wait is over, and after a lasting one only when cleared', async () => {
    const s = setup();
    s.backend.fimAnswers.push(new RequestError('server', { status: 500 }));
    await provide(s);
    assert.equal(s.engine.pause(CONFIG)?.reason, 'error');
    await s.clock.advance(30_000);
    assert.equal(s.engine.pause(CONFIG), undefined);
    s.backend.fimAnswers.push(new RequestError('badKey', { status: 401 }));
    await provide(s, { ...AT_CALL, before: 'let w = h(' });
    await s.clock.advance(3_600_000);
    assert.equal(s.engine.pause(CONFIG)?.reason, 'error');
    s.engine.clearFailure();
    assert.equal(s.engine.pause(CONFIG), undefined);
  });

  it('pauses at the daily completion budget and for a reasoning model, without a request', async () => {
    const s = setup();
    s.book.spent = 300_000;
    assert.deepEqual(await provide(s), { kind: 'none', why: 'paused' });
    assert.equal(s.engine.pause(CONFIG)?.reason, 'budget');
    assert.equal(s.engine.pause({ ...CONFIG, model: 'deepseek-ai/DeepSeek-R1-0528', dailyTokenBudget: Infinity })?.reason, 'reasoningModel');
    assert.equal(s.backend.fimCalls.length, 0);
  });

  it('records an estimate when the server sends no usage', async () => {
    const s = setup();
    s.backend.fimAnswers.push({ text: 'abc' });
    await provide(s);
    const [{ usage }] = s.book.recorded;
    assert.equal(usage.estimated, true);
    assert.ok(usage.promptTokens > 0 && usage.completionTokens === 1);
  });

  it('asks for a block, with no line-end stop, on a line that opens one', async () => {
    const s = setup();
    s.backend.fimAnswers.push({ text: '\n  return a + b;\n}\nconst next = 1;' });
    const result = await provide(s, { ...AT_CALL, before: 'function add(a, b) {', after: '' });
    assert.ok(!s.backend.fimCalls[0].request.stop.includes('\n'));
    assert.ok(s.backend.fimCalls[0].request.maxTokens > 64);
    assert.deepEqual(result, { kind: 'item', text: '\n  return a + b;\n}', via: 'request' });
  });

  it('an explicit request does not wait', async () => {
    const s = setup();
    const result = s.engine.provide({ ...AT_CALL, explicit: true }, CONFIG, new AbortController().signal);
    await settle();
    assert.equal(s.backend.fimCalls.length, 1);
    assert.equal((await result).kind, 'item');
  });
});
