import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { embeddingAnswer, type EmbeddingBody, type EmbeddingModel, type EmbeddingVariant } from './embeddings';
import { SERVER_CHARS_PER_TOKEN, serverTokens } from './serverTokens';

/**
 * A local OpenAI-compatible server that answers the way IO Intelligence does (vLLM-shaped chunks,
 * `reasoning_content`, a usage chunk with `choices: []`, both error shapes), scripted by the test.
 * It listens on loopback only and records every request, and every request the client gave up on.
 * Besides chat it serves the legacy `POST /completions` (raw FIM prompts for inline completions) and `POST /embeddings`
 * (hashed bag-of-words vectors, see embeddings.ts), each from its own queue.
 */

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: unknown;
  readonly at: number;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** `tool_calls` ends a chat answer that calls tools; the legacy completions endpoint has only the other two. */
export type FinishStepReason = 'stop' | 'length' | 'tool_calls';

/** One step of a scripted streamed answer. */
export type StreamStep =
  | { readonly type: 'content'; readonly text: string }
  | { readonly type: 'reasoning'; readonly text: string }
  /**
   * One `delta.tool_calls` fragment, as OpenAI streams them: the first of a call has its `id` and `name`, later ones
   * only `index` and a piece of `arguments`.
   */
  | { readonly type: 'toolCall'; readonly index: number; readonly id?: string; readonly name?: string; readonly arguments: string }
  | { readonly type: 'finish'; readonly reason: FinishStepReason }
  | { readonly type: 'usage'; readonly usage: Usage }
  /** Written as is: a malformed line, `data: {"error": …}`, comments. */
  | { readonly type: 'raw'; readonly text: string }
  | { readonly type: 'done' }
  /** An SSE comment line (`: text`), as servers send for keep-alive; `blank: false` leaves out the blank line after it. */
  | { readonly type: 'comment'; readonly text: string; readonly blank?: boolean }
  | { readonly type: 'wait'; readonly ms: number }
  /** Keeps the connection open and silent until the client gives up. */
  | { readonly type: 'stall' }
  /** Destroys the socket mid-stream. */
  | { readonly type: 'drop' };

export type ScriptedAnswer =
  | { readonly kind: 'stream'; readonly steps: readonly StreamStep[]; readonly headerDelayMs?: number }
  /** A whole SSE body written at once, as fast as the socket takes it (for throughput benchmarks). */
  | { readonly kind: 'sse'; readonly body: string }
  | {
      readonly kind: 'http';
      readonly status: number;
      readonly body: string;
      readonly contentType?: string;
      readonly headers?: Record<string, string>;
    };

export interface ServedModel {
  readonly id: string;
  readonly max_model_len: number | null;
  /** Served by `/embeddings` (and only there), with `max_model_len` as its input limit; not part of the listing. */
  readonly embedding?: boolean;
}

/** What the next `/embeddings` request gets: an HTTP failure, waits/stall/drop before the vectors, or a variant of them. */
export type EmbeddingScript = ScriptedAnswer | EmbeddingVariant;

export const DEFAULT_MODELS: readonly ServedModel[] = [
  { id: 'Qwen/Qwen2.5-Coder-32B-Instruct', max_model_len: 32_768 },
  { id: 'deepseek-ai/DeepSeek-R1-0528', max_model_len: null },
  { id: 'meta-llama/Llama-3.3-70B-Instruct', max_model_len: 128_000 },
  { id: 'nvidia/AceMath-7B-Instruct', max_model_len: null },
  { id: 'BAAI/bge-multilingual-gemma2', max_model_len: 4_096, embedding: true },
  { id: 'mixedbread-ai/mxbai-embed-large-v1', max_model_len: 512, embedding: true },
];

export interface TestServerOptions {
  /** Keys the server accepts; `undefined` accepts any non-empty Bearer token. */
  readonly validKeys?: readonly string[];
  readonly models?: readonly ServedModel[];
  /** The answer when the test scripted none. */
  readonly defaultAnswer?: (body: ChatBody) => ScriptedAnswer;
  /** Pause between streamed steps, to look like a real server. */
  readonly stepDelayMs?: number;
  /**
   * `owned_by` of every listed model. Only the demo mode sets `io-intelligence-demo` (the extension's sign of the demo,
   * design.md "Demo endpoint"); tests get what the real API says.
   */
  readonly ownedBy?: string;
  /** Serves `POST /completions` (default true); false is a chat-only server, where it is 404 and clients fall back to chat. */
  readonly fim?: boolean;
  /** The `/completions` answer when the test scripted none. */
  readonly defaultCompletion?: (body: CompletionBody) => ScriptedAnswer;
  /** Models served without tool calling: a request with `tools` gets vLLM's 400 (before any scripted answer). */
  readonly toolsUnsupported?: readonly string[];
}

/** A tool call in a request's history, as OpenAI spells it. */
export interface WireToolCall {
  readonly id: string;
  readonly type: 'function';
  readonly function: { readonly name: string; readonly arguments: string };
}

/**
 * A chat message as answers read it. The wire allows `content: null` (an assistant message that only calls tools)
 * and lists of parts; answers get the text (ChatBody of `defaultAnswer`), the recorded request keeps the wire form.
 */
export interface ChatBodyMessage {
  readonly role: string;
  readonly content: string;
  readonly tool_calls?: readonly WireToolCall[];
  readonly tool_call_id?: string;
}

/** A tool the request offers, as OpenAI spells it. */
export interface WireTool {
  readonly type: 'function';
  readonly function: { readonly name: string; readonly description?: string; readonly parameters?: Record<string, unknown> };
}

export interface ChatBody {
  readonly model?: string;
  readonly stream?: boolean;
  readonly messages?: readonly ChatBodyMessage[];
  readonly tools?: readonly WireTool[];
  readonly [key: string]: unknown;
}

/** A legacy completions request (`POST /completions`), as vLLM reads it. */
export interface CompletionBody {
  readonly model?: string;
  readonly prompt?: string | readonly string[];
  readonly max_tokens?: number;
  readonly stop?: string | readonly string[];
  readonly stream?: boolean;
  readonly stream_options?: { readonly include_usage?: boolean };
  readonly [key: string]: unknown;
}

export class IoTestServer {
  readonly requests: RecordedRequest[] = [];
  /** Requests whose connection the client closed before the answer was complete: aborted, not just ignored. */
  readonly aborted: RecordedRequest[] = [];
  /** When the first content chunk of each streamed answer was written (epoch ms, sub-millisecond), for latency figures. */
  readonly firstContentWrittenAt: number[] = [];
  private readonly queue: ScriptedAnswer[] = [];
  private readonly modelsQueue: ScriptedAnswer[] = [];
  private readonly completionQueue: ScriptedAnswer[] = [];
  private readonly embeddingQueue: EmbeddingScript[] = [];
  /** Answers the server cut itself (`drop`, stop()): their close is not the client's abort. */
  private readonly dropped = new WeakSet<http.ServerResponse>();
  private stopping = false;
  private readonly server: http.Server;
  private readonly sockets = new Set<import('node:net').Socket>();
  private port = 0;

  constructor(private readonly options: TestServerOptions = {}) {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** `http://127.0.0.1:<port>`: where a redirect to this server points. */
  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The base URL to configure, shaped like the real one (`…/api/v1/`). */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/api/v1/`;
  }

  /** Answers for the next chat requests, in order. */
  enqueue(...answers: ScriptedAnswer[]): void {
    this.queue.push(...answers);
  }

  /** Answers for the next authorized `GET /models` requests, in order, instead of the model list. */
  enqueueModels(...answers: ScriptedAnswer[]): void {
    this.modelsQueue.push(...answers);
  }

  /** Answers for the next `POST /completions` requests, in order (the chat queue is separate). */
  enqueueCompletion(...answers: ScriptedAnswer[]): void {
    this.completionQueue.push(...answers);
  }

  /** Answers for the next `POST /embeddings` requests, in order; unscripted ones get the computed vectors. */
  enqueueEmbedding(...answers: EmbeddingScript[]): void {
    this.embeddingQueue.push(...answers);
  }

  chatRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/chat/completions'));
  }

  completionRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path === '/api/v1/completions');
  }

  embeddingRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path === '/api/v1/embeddings');
  }

  /** The paths of the aborted requests, in the order the clients gave up. */
  abortedPaths(): string[] {
    return this.aborted.map((r) => r.path);
  }

  reset(): void {
    this.requests.length = 0;
    this.aborted.length = 0;
    this.queue.length = 0;
    this.modelsQueue.length = 0;
    this.completionQueue.length = 0;
    this.embeddingQueue.length = 0;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    const path = (req.url ?? '/').split('?')[0];
    const record = { method: req.method ?? 'GET', path, headers: req.headers, body, at: Date.now() };
    this.requests.push(record);
    this.watchForAbort(res, record);
    if (!this.authorized(req)) {
      return sendJson(res, 401, { detail: 'Invalid or missing API key' });
    }
    if (req.method === 'GET' && path === '/api/v1/models') {
      const scripted = this.modelsQueue.shift();
      if (scripted) return this.answer(res, {}, scripted);
      const listed = this.models().map(({ id, max_model_len }) => ({ id, max_model_len, object: 'model', owned_by: this.options.ownedBy ?? 'io-intelligence', created: 1_700_000_000 }));
      return sendJson(res, 200, { object: 'list', data: listed });
    }
    if (req.method === 'POST' && path === '/api/v1/chat/completions') {
      const chat = withTextContent((body ?? {}) as ChatBody);
      if (chat.tools?.length && this.options.toolsUnsupported?.includes(chat.model ?? '')) return this.answer(res, chat, toolsRefused());
      const answer = this.queue.shift() ?? (this.options.defaultAnswer ?? defaultAnswer)(chat);
      return this.answer(res, chat, answer);
    }
    if (req.method === 'POST' && path === '/api/v1/completions' && this.options.fim !== false) {
      const completion = (body ?? {}) as CompletionBody;
      const answer = this.completionQueue.shift() ?? (this.options.defaultCompletion ?? defaultCompletion)(completion);
      return this.answerCompletion(res, completion, answer);
    }
    if (req.method === 'POST' && path === '/api/v1/embeddings') {
      return this.answerEmbeddings(res, (body ?? {}) as EmbeddingBody, this.embeddingQueue.shift());
    }
    sendJson(res, 404, { detail: 'Not Found' });
  }

  private models(): readonly ServedModel[] {
    return this.options.models ?? DEFAULT_MODELS;
  }

  /** The computed vectors (embeddings.ts), after a scripted answer's waits; a scripted HTTP or SSE answer instead of them. */
  private async answerEmbeddings(res: http.ServerResponse, body: EmbeddingBody, script: EmbeddingScript | undefined): Promise<void> {
    if (script?.kind === 'http' || script?.kind === 'sse') return this.answer(res, {}, script);
    if (script?.kind === 'stream') {
      if (script.headerDelayMs) await sleep(script.headerDelayMs);
      if (!(await this.pause(res, script.steps))) return;
    }
    const models = this.models().filter((m) => m.embedding).map((m): EmbeddingModel => ({ id: m.id, contextTokens: m.max_model_len }));
    const answer = embeddingAnswer(body, models, script?.kind === 'vectors' ? script : {});
    sendJson(res, answer.status, answer.body);
  }

  /** A close before `end()` that the server did not cause is the client giving up (AbortController, a timeout). */
  private watchForAbort(res: http.ServerResponse, record: RecordedRequest): void {
    const closed = (): void => {
      if (!res.writableEnded && !this.dropped.has(res) && !this.stopping) this.aborted.push(record);
    };
    if (res.destroyed) closed();
    else res.on('close', closed);
  }

  private drop(res: http.ServerResponse): void {
    this.dropped.add(res);
    res.socket?.destroy();
  }

  private authorized(req: http.IncomingMessage): boolean {
    const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (!match) return false;
    return this.options.validKeys ? this.options.validKeys.includes(match[1]) : true;
  }

  private async answer(res: http.ServerResponse, chat: ChatBody, answer: ScriptedAnswer): Promise<void> {
    if (answer.kind === 'http') {
      res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'application/json', ...answer.headers });
      res.end(answer.body);
      return;
    }
    if (answer.kind === 'sse') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.end(answer.body);
      return;
    }
    if (answer.headerDelayMs) await sleep(answer.headerDelayMs);
    if (!chat.stream) return sendJson(res, 200, completionOf(chat, answer.steps));
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const chunk = new ChunkWriter(res, chat.model ?? 'unknown');
    let wroteContent = false;
    for (const step of answer.steps) {
      if (res.destroyed) return;
      if (this.options.stepDelayMs) await sleep(this.options.stepDelayMs);
      switch (step.type) {
        case 'content':
          chunk.delta({ content: step.text });
          if (!wroteContent) this.firstContentWrittenAt.push(performance.timeOrigin + performance.now());
          wroteContent = true;
          break;
        case 'reasoning':
          chunk.delta({ reasoning_content: step.text, content: null });
          break;
        case 'toolCall':
          chunk.delta({ tool_calls: [toolCallFragment(step)] });
          break;
        case 'finish':
          chunk.finish(step.reason);
          break;
        case 'usage':
          chunk.usage(step.usage);
          break;
        case 'raw':
          res.write(step.text);
          break;
        case 'done':
          res.write('data: [DONE]\n\n');
          break;
        case 'comment':
          res.write(`:${step.text ? ` ${step.text}` : ''}\n${step.blank === false ? '' : '\n'}`);
          break;
        case 'wait':
          await sleep(step.ms);
          break;
        case 'stall':
          await new Promise<void>((resolve) => res.on('close', resolve));
          return;
        case 'drop':
          this.drop(res);
          return;
      }
    }
    res.end();
  }

  /** `stream` answers: the content joined, cut by the request's `stop` and `max_tokens` as vLLM cuts it. */
  private async answerCompletion(res: http.ServerResponse, body: CompletionBody, answer: ScriptedAnswer): Promise<void> {
    if (answer.kind !== 'stream') return this.answer(res, {}, answer);
    if (answer.headerDelayMs) await sleep(answer.headerDelayMs);
    const text = cutCompletion(contentOf(answer.steps), body);
    if (!body.stream) {
      if (!(await this.pause(res, answer.steps))) return;
      return sendJson(res, 200, completionJson(body, text, answer.steps));
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const writer = new TextChunkWriter(res, body.model ?? 'unknown');
    if (!(await this.streamText(res, writer, answer.steps, text.text))) return;
    writer.text('', finishOf(text, answer.steps), text.stopReason);
    if (body.stream_options?.include_usage || answer.steps.some((s) => s.type === 'usage')) writer.usage(usageOf(body, text.text, answer.steps));
    res.end('data: [DONE]\n\n');
  }

  /** The waits of a non-streamed answer; false when it stalls or drops instead of answering. */
  private async pause(res: http.ServerResponse, steps: readonly StreamStep[]): Promise<boolean> {
    for (const step of steps) {
      if (res.destroyed) return false;
      if (step.type === 'wait') await sleep(step.ms);
      if (step.type === 'stall') await new Promise<void>((resolve) => res.on('close', resolve));
      if (step.type === 'drop') this.drop(res);
      if (step.type === 'stall' || step.type === 'drop') return false;
    }
    return !res.destroyed;
  }

  /** Writes the pieces of `text` (already cut) as the content steps split it; false when the answer ended early. */
  private async streamText(res: http.ServerResponse, writer: TextChunkWriter, steps: readonly StreamStep[], text: string): Promise<boolean> {
    let at = 0;
    for (const step of steps) {
      if (res.destroyed) return false;
      if (this.options.stepDelayMs) await sleep(this.options.stepDelayMs);
      if (step.type === 'content') {
        const piece = text.slice(at, at + step.text.length);
        at += step.text.length;
        if (piece) writer.text(piece, null, null);
      } else if (step.type === 'raw') res.write(step.text);
      else if (step.type === 'comment') res.write(`:${step.text ? ` ${step.text}` : ''}\n${step.blank === false ? '' : '\n'}`);
      else if (step.type === 'wait') await sleep(step.ms);
      else if (step.type === 'stall' || step.type === 'drop') return this.pause(res, [step]);
    }
    return !res.destroyed;
  }
}

/** The SSE body of a streamed answer made of these content pieces, shaped like vLLM's. */
export function sseBody(model: string, pieces: readonly string[], usage: Usage): string {
  const base = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1_700_000_000, model };
  const events = pieces.map((content, i) => ({ ...base, choices: [{ index: 0, delta: i === 0 ? { role: 'assistant', content } : { content }, logprobs: null, finish_reason: null }] }));
  events.push({ ...base, choices: [{ index: 0, delta: { content: '' }, logprobs: null, finish_reason: 'stop' as unknown as null }] });
  const lines = events.map((e) => `data: ${JSON.stringify(e)}\n\n`);
  lines.push(`data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`, 'data: [DONE]\n\n');
  return lines.join('');
}

/** Writes `chat.completion.chunk` events as vLLM does. */
class ChunkWriter {
  private readonly id = `chatcmpl-${Math.random().toString(36).slice(2, 10)}`;
  private first = true;

  constructor(
    private readonly res: http.ServerResponse,
    private readonly model: string,
  ) {}

  delta(delta: Record<string, unknown>): void {
    const withRole = this.first ? { role: 'assistant', ...delta } : delta;
    this.first = false;
    this.write([{ index: 0, delta: withRole, logprobs: null, finish_reason: null, stop_reason: null }]);
  }

  finish(reason: FinishStepReason): void {
    this.write([{ index: 0, delta: { content: '' }, logprobs: null, finish_reason: reason, stop_reason: null }]);
  }

  usage(usage: Usage): void {
    this.write([], usage);
  }

  private write(choices: unknown[], usage?: Usage): void {
    const event = { id: this.id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: this.model, choices, ...(usage ? { usage } : {}) };
    this.res.write(`data: ${JSON.stringify(event)}\n\n`);
  }
}

/** OpenAI's fragment: `type` and `function.name` only in a call's first fragment (the one with the id). */
function toolCallFragment(step: Extract<StreamStep, { type: 'toolCall' }>): Record<string, unknown> {
  const opening = step.id !== undefined ? { id: step.id, type: 'function' } : {};
  const name = step.name !== undefined ? { name: step.name } : {};
  return { index: step.index, ...opening, function: { ...name, arguments: step.arguments } };
}

/** What vLLM answers a tools request when the server was started without a tool parser. */
function toolsRefused(): ScriptedAnswer {
  const message = '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set';
  return { kind: 'http', status: 400, body: JSON.stringify({ object: 'error', message, type: 'BadRequestError', param: null, code: 400 }) };
}

/** The body with each message's content as text: `null` (only tool calls) as '', a list of parts as their text. */
function withTextContent(chat: ChatBody): ChatBody {
  if (!Array.isArray(chat.messages)) return chat;
  return { ...chat, messages: chat.messages.map((m) => ({ ...m, content: textOf(m.content as unknown) })) };
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (typeof (part as { text?: unknown })?.text === 'string' ? (part as { text: string }).text : '')).join('');
}

function completionOf(chat: ChatBody, steps: readonly StreamStep[]): unknown {
  const text = (type: 'content' | 'reasoning'): string =>
    steps.map((s) => (s.type === type ? s.text : '')).join('');
  const finish = steps.find((s) => s.type === 'finish');
  const usage = steps.find((s) => s.type === 'usage');
  const reasoning = text('reasoning');
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: chat.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: text('content'), reasoning_content: reasoning || null, tool_calls: wholeToolCalls(steps) },
        logprobs: null,
        finish_reason: finish && finish.type === 'finish' ? finish.reason : 'stop',
        stop_reason: null,
      },
    ],
    usage: usage && usage.type === 'usage' ? usage.usage : undefined,
    prompt_logprobs: null,
  };
}

/** The scripted fragments put together, as a non-streamed answer lists its calls (and a client reads a stream). */
export function wholeToolCalls(steps: readonly StreamStep[]): WireToolCall[] {
  const calls: { id: string; type: 'function'; function: { name: string; arguments: string } }[] = [];
  for (const step of steps) {
    if (step.type !== 'toolCall') continue;
    calls[step.index] ??= { id: step.id ?? `call_${step.index}`, type: 'function', function: { name: step.name ?? '', arguments: '' } };
    calls[step.index].function.arguments += step.arguments;
  }
  return calls.filter(Boolean);
}

function defaultAnswer(chat: ChatBody): ScriptedAnswer {
  const last = chat.messages?.[chat.messages.length - 1]?.content ?? '';
  return {
    kind: 'stream',
    steps: [
      { type: 'content', text: 'Answer from the local test server. ' },
      { type: 'content', text: `You sent ${last.length} characters.` },
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { prompt_tokens: serverTokens(last), completion_tokens: 12, total_tokens: serverTokens(last) + 12 } },
      { type: 'done' },
    ],
  };
}

function defaultCompletion(body: CompletionBody): ScriptedAnswer {
  const prompt = serverTokens(promptOf(body));
  return {
    kind: 'stream',
    steps: [
      { type: 'content', text: 'ioCompletion()' },
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { prompt_tokens: prompt, completion_tokens: 3, total_tokens: prompt + 3 } },
    ],
  };
}

/** Writes `text_completion` events as vLLM streams them. */
class TextChunkWriter {
  private readonly id = `cmpl-${Math.random().toString(36).slice(2, 10)}`;

  constructor(
    private readonly res: http.ServerResponse,
    private readonly model: string,
  ) {}

  text(text: string, finish: 'stop' | 'length' | null, stopReason: string | null): void {
    this.write([{ index: 0, text, logprobs: null, finish_reason: finish, stop_reason: stopReason }]);
  }

  usage(usage: Usage): void {
    this.write([], usage);
  }

  private write(choices: unknown[], usage?: Usage): void {
    const event = { id: this.id, object: 'text_completion', created: Math.floor(Date.now() / 1000), model: this.model, choices, ...(usage ? { usage } : {}) };
    this.res.write(`data: ${JSON.stringify(event)}\n\n`);
  }
}

export interface CutText {
  readonly text: string;
  /** Set when the server cut the text: at a stop sequence, or at `max_tokens`. */
  readonly finish?: 'stop' | 'length';
  /** The stop sequence that ended the text, as vLLM reports it in `stop_reason`. */
  readonly stopReason: string | null;
}

/** vLLM's default `max_tokens` for legacy completions (OpenAI's too): a client that sends none gets 16 tokens. */
const DEFAULT_MAX_TOKENS = 16;

/** The text cut at the first stop sequence (left out), as vLLM does, unless `max_tokens` runs out before it. */
export function cutCompletion(text: string, body: Pick<CompletionBody, 'stop' | 'max_tokens'>): CutText {
  const stops = (typeof body.stop === 'string' ? [body.stop] : (body.stop ?? [])).filter(Boolean);
  const limit = (body.max_tokens ?? DEFAULT_MAX_TOKENS) * SERVER_CHARS_PER_TOKEN;
  const hits = stops.map((stop) => ({ stop, at: text.indexOf(stop) })).filter((h) => h.at >= 0);
  const first = hits.sort((a, b) => a.at - b.at)[0];
  if (first && first.at + first.stop.length <= limit) return { text: text.slice(0, first.at), finish: 'stop', stopReason: first.stop };
  if (text.length > limit) return { text: text.slice(0, limit), finish: 'length', stopReason: null };
  return { text, stopReason: null };
}

function completionJson(body: CompletionBody, text: CutText, steps: readonly StreamStep[]): unknown {
  return {
    id: `cmpl-${Math.random().toString(36).slice(2, 10)}`,
    object: 'text_completion',
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    choices: [{ index: 0, text: text.text, logprobs: null, finish_reason: finishOf(text, steps), stop_reason: text.stopReason }],
    usage: usageOf(body, text.text, steps),
  };
}

function contentOf(steps: readonly StreamStep[]): string {
  return steps.map((s) => (s.type === 'content' ? s.text : '')).join('');
}

/**
 * The server's own cut decides; otherwise what the answer scripted; otherwise the model stopped by itself. Raw
 * completions call no tools, so a scripted `tool_calls` reads as a stop.
 */
function finishOf(text: CutText, steps: readonly StreamStep[]): 'stop' | 'length' {
  const scripted = steps.find((s) => s.type === 'finish');
  return text.finish ?? (scripted?.type === 'finish' && scripted.reason === 'length' ? 'length' : 'stop');
}

/** The scripted usage, else an estimate from the prompt and the text sent (vLLM always counts). */
function usageOf(body: CompletionBody, text: string, steps: readonly StreamStep[]): Usage {
  const scripted = steps.find((s) => s.type === 'usage');
  if (scripted?.type === 'usage') return scripted.usage;
  const prompt = serverTokens(promptOf(body));
  const completion = serverTokens(text);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

/** The prompt as text; the API also takes a list of prompts, of which the test server answers the first. */
export function promptOf(body: CompletionBody): string {
  return typeof body.prompt === 'string' ? body.prompt : (body.prompt?.[0] ?? '');
}

async function readBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text; // recorded as text so a test can see what was sent
  }
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
