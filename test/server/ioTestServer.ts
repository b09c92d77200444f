import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OpenAI-compatible server that answers the way IO Intelligence does (vLLM-shaped chunks,
 * `reasoning_content`, a usage chunk with `choices: []`, both error shapes), scripted by the test.
 * It listens on loopback only and records every request.
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

/** One step of a scripted streamed answer. */
export type StreamStep =
  | { readonly type: 'content'; readonly text: string }
  | { readonly type: 'reasoning'; readonly text: string }
  | { readonly type: 'finish'; readonly reason: 'stop' | 'length' }
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
}

export const DEFAULT_MODELS: readonly ServedModel[] = [
  { id: 'Qwen/Qwen2.5-Coder-32B-Instruct', max_model_len: 32_768 },
  { id: 'deepseek-ai/DeepSeek-R1-0528', max_model_len: null },
  { id: 'meta-llama/Llama-3.3-70B-Instruct', max_model_len: 128_000 },
  { id: 'nvidia/AceMath-7B-Instruct', max_model_len: null },
  { id: 'BAAI/bge-multilingual-gemma2', max_model_len: 4_096 },
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
}

export interface ChatBody {
  readonly model?: string;
  readonly stream?: boolean;
  readonly messages?: readonly { role: string; content: string }[];
  readonly [key: string]: unknown;
}

export class IoTestServer {
  readonly requests: RecordedRequest[] = [];
  /** When the first content chunk of each streamed answer was written (epoch ms, sub-millisecond), for latency figures. */
  readonly firstContentWrittenAt: number[] = [];
  private readonly queue: ScriptedAnswer[] = [];
  private readonly modelsQueue: ScriptedAnswer[] = [];
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

  chatRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/chat/completions'));
  }

  reset(): void {
    this.requests.length = 0;
    this.queue.length = 0;
    this.modelsQueue.length = 0;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    const path = (req.url ?? '/').split('?')[0];
    this.requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body, at: Date.now() });
    if (!this.authorized(req)) {
      return sendJson(res, 401, { detail: 'Invalid or missing API key' });
    }
    if (req.method === 'GET' && path === '/api/v1/models') {
      const scripted = this.modelsQueue.shift();
      if (scripted) return this.answer(res, {}, scripted);
      const models = this.options.models ?? DEFAULT_MODELS;
      return sendJson(res, 200, { object: 'list', data: models.map((m) => ({ ...m, object: 'model', owned_by: this.options.ownedBy ?? 'io-intelligence', created: 1_700_000_000 })) });
    }
    if (req.method === 'POST' && path === '/api/v1/chat/completions') {
      const chat = (body ?? {}) as ChatBody;
      const answer = this.queue.shift() ?? (this.options.defaultAnswer ?? defaultAnswer)(chat);
      return this.answer(res, chat, answer);
    }
    sendJson(res, 404, { detail: 'Not Found' });
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
          res.socket?.destroy();
          return;
      }
    }
    res.end();
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

  finish(reason: 'stop' | 'length'): void {
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
        message: { role: 'assistant', content: text('content'), reasoning_content: reasoning || null, tool_calls: [] },
        logprobs: null,
        finish_reason: finish && finish.type === 'finish' ? finish.reason : 'stop',
        stop_reason: null,
      },
    ],
    usage: usage && usage.type === 'usage' ? usage.usage : undefined,
    prompt_logprobs: null,
  };
}

function defaultAnswer(chat: ChatBody): ScriptedAnswer {
  const last = chat.messages?.[chat.messages.length - 1]?.content ?? '';
  return {
    kind: 'stream',
    steps: [
      { type: 'content', text: 'Answer from the local test server. ' },
      { type: 'content', text: `You sent ${last.length} characters.` },
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { prompt_tokens: Math.ceil(last.length / 4), completion_tokens: 12, total_tokens: Math.ceil(last.length / 4) + 12 } },
      { type: 'done' },
    ],
  };
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
