import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { embeddingUsage, NO_EMBEDDINGS, vectorsInInputOrder, type Embeddings } from './embeddings';
import { displayUrl, isIoEndpoint, normalizeBaseUrl } from './endpoint';
import { cleanMessage } from './errorMapping';
import { RequestError } from './errors';
import { sdkErrorToRequestError } from './sdkErrors';
import { withIdleTimeout } from './idleTimeout';
import type { ListedModel } from './modelCatalog';
import { ReasoningSplitter } from './reasoningSplitter';
import { readSseBatches } from './sseReader';
import { ToolCallAccumulator, wireMessage, wireTools } from './toolCalls';
import type { ChatRequest, FinishReason, StreamEvent, TokenUsage } from './streamEvents';
import { createWireFetch } from './wireFetch';

export interface ClientOptions {
  readonly baseUrl: string;
  readonly apiKey: string | undefined;
  readonly requestTimeoutMs: number;
  readonly idleTimeoutMs: number;
  /** For tests: the transport under the SDK. */
  readonly fetch?: typeof fetch;
}

export interface RawCompletionRequest {
  readonly model: string;
  readonly prompt: string;
  readonly maxTokens: number;
  readonly stop: readonly string[];
  readonly timeoutMs: number;
}

export interface CompletionAnswer {
  readonly text: string;
  readonly usage?: TokenUsage;
}

/** Fields the IO endpoint documents beyond the OpenAI contract. */
interface IoRequestExtras {
  reasoning_content?: boolean;
}

/** vLLM-style deltas carry reasoning beside content. */
interface ReasoningDelta {
  reasoning_content?: string | null;
  reasoning?: string | null;
}

/** The IO Intelligence API on top of the openai SDK: typed events out, typed RequestErrors thrown. */
export class ApiClient {
  private readonly sdk: OpenAI;
  private readonly baseUrl: string;
  /** The base URL as failures name it: made once, without credentials, query or key. */
  private readonly shownUrl: string;

  constructor(private readonly options: ClientOptions) {
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
    this.shownUrl = cleanMessage(displayUrl(this.baseUrl), { apiKey: options.apiKey }) ?? '';
    this.sdk = new OpenAI({
      baseURL: this.baseUrl,
      apiKey: options.apiKey ?? 'missing',
      // Our retries are visible to the user; the SDK's would be silent waits.
      maxRetries: 0,
      timeout: options.requestTimeoutMs,
      fetch: createWireFetch(this.baseUrl, options.fetch),
      logLevel: 'off',
    });
  }

  async listModels(signal?: AbortSignal): Promise<ListedModel[]> {
    this.requireKey();
    try {
      const page = await this.sdk.models.list({ signal });
      return page.data.map((model) => {
        const raw = model as unknown as { id: string; max_model_len?: unknown; owned_by?: unknown };
        const ownedBy = typeof raw.owned_by === 'string' ? { ownedBy: raw.owned_by } : {};
        return { id: raw.id, maxModelLen: typeof raw.max_model_len === 'number' ? raw.max_model_len : null, ...ownedBy };
      });
    } catch (error) {
      throw sdkErrorToRequestError(error, { apiKey: this.options.apiKey, url: this.shownUrl });
    }
  }

  /**
   * One raw completion (`POST {baseUrl}completions`, not streamed): the fill-in-the-middle transport of inline
   * completions. A short answer is worth waiting for whole; its own timeout keeps a slow server from holding ghost text.
   */
  async complete(request: RawCompletionRequest, signal?: AbortSignal): Promise<CompletionAnswer> {
    this.requireKey();
    try {
      const body = { model: request.model, prompt: request.prompt, max_tokens: request.maxTokens, temperature: 0, stop: [...request.stop], stream: false as const };
      const completion = await this.sdk.completions.create(body, { signal, timeout: request.timeoutMs });
      const usage = tokenUsage(completion.usage);
      return { text: completion.choices?.[0]?.text ?? '', ...(usage ? { usage } : {}) };
    } catch (error) {
      throw this.failure(error, request.model, signal);
    }
  }

  /**
   * Embeds the inputs with `model` (`POST {baseUrl}embeddings`): one vector per input, in input order, and the tokens
   * they cost. Floats are asked for explicitly: left unset, the SDK asks for base64 and decodes it blindly, which breaks
   * on a server that ignores the field. Throws a RequestError, `cancelled` when `signal` aborts.
   */
  async embed(model: string, inputs: readonly string[], signal: AbortSignal): Promise<Embeddings> {
    this.requireKey();
    if (!inputs.length) return NO_EMBEDDINGS;
    try {
      const response = await this.sdk.embeddings.create({ model, input: [...inputs], encoding_format: 'float' }, { signal });
      return { vectors: vectorsInInputOrder(response.data, inputs.length, model), usage: embeddingUsage(response.usage, inputs) };
    } catch (error) {
      throw this.failure(error, model, signal);
    }
  }

  /** Streams a chat completion. Ends with a `finish` event, or throws an RequestError (also on cancel). */
  async *streamChat(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<StreamEvent> {
    this.requireKey();
    // A stop that came before the request (while the key was read, say) sends nothing: its event has already fired.
    if (signal?.aborted) throw new RequestError('cancelled', { model: request.model });
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    // Our own reasons to stop the stream: the SDK ends an aborted stream quietly, so only this says why.
    let stoppedBy: 'idleTimeout' | 'requestTimeout' | undefined;
    const stop = (why: 'idleTimeout' | 'requestTimeout'): void => {
      stoppedBy ??= why;
      controller.abort();
    };
    const deadline = request.timeoutMs === undefined ? undefined : setTimeout(() => stop('requestTimeout'), request.timeoutMs);
    try {
      const chunks = await this.openStream(request, controller.signal);
      const splitter = new ReasoningSplitter();
      const toolCalls = new ToolCallAccumulator();
      let finish: FinishReason | undefined;
      let usage: TokenUsage | undefined;
      const guarded = withIdleTimeout(chunks, this.options.idleTimeoutMs, () => stop('idleTimeout'));
      for await (const batch of guarded) {
        const events: StreamEvent[] = [];
        for (const chunk of batch) {
          collectEvents(chunk, splitter, events);
          toolCalls.push(chunk.choices?.[0]?.delta?.tool_calls);
          finish = finishOf(chunk) ?? finish;
          usage = tokenUsage(chunk.usage) ?? usage;
        }
        yield* mergeDeltas(events);
      }
      if (stoppedBy) throw new RequestError(stoppedBy, { model: request.model });
      if (controller.signal.aborted) throw new RequestError('cancelled', { model: request.model });
      yield* splitter.flush().map(segmentEvent);
      // Only now is every call whole: arguments may arrive until the last chunk.
      for (const call of toolCalls.complete()) yield { type: 'toolCall', ...call };
      if (usage) yield { type: 'usage', usage };
      if (!finish) {
        throw new RequestError('network', { model: request.model, serverMessage: 'The connection closed before the answer was complete.' });
      }
      yield { type: 'finish', reason: finish };
    } catch (error) {
      if (stoppedBy) throw new RequestError(stoppedBy, { model: request.model });
      throw this.failure(error, request.model, signal);
    } finally {
      clearTimeout(deadline);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private async openStream(request: ChatRequest, signal: AbortSignal): Promise<AsyncIterable<ChatCompletionChunk[]>> {
    const withExtras = isIoEndpoint(this.baseUrl);
    let response: Response;
    try {
      response = await this.sdk.chat.completions.create(this.body(request, withExtras), { signal }).asResponse();
    } catch (error) {
      // Strict OpenAI-compatible servers reject unknown fields with 400: ask once more without ours.
      if (!(withExtras && error instanceof OpenAI.BadRequestError && /reasoning_content|extra|unrecognized|unknown/i.test(error.message))) throw error;
      response = await this.sdk.chat.completions.create(this.body(request, false), { signal }).asResponse();
    }
    return readSseBatches<ChatCompletionChunk>(response.body, response.headers);
  }

  private body(request: ChatRequest, withExtras: boolean): ChatCompletionCreateParamsStreaming & IoRequestExtras {
    return {
      model: request.model,
      messages: request.messages.map(wireMessage),
      stream: true,
      stream_options: { include_usage: true },
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.maxOutputTokens !== undefined ? { max_completion_tokens: request.maxOutputTokens } : {}),
      ...wireTools(request),
      ...(withExtras ? { reasoning_content: true } : {}),
    };
  }

  /** A failed request as a RequestError: `cancelled` when the caller aborted, whatever the SDK made of it. */
  private failure(error: unknown, model: string, signal: AbortSignal | undefined): RequestError {
    if (signal?.aborted) return new RequestError('cancelled', { model });
    return sdkErrorToRequestError(error, { model, apiKey: this.options.apiKey, url: this.shownUrl });
  }

  private requireKey(): void {
    if (!this.options.apiKey) throw new RequestError('noKey');
  }
}

function collectEvents(chunk: ChatCompletionChunk, splitter: ReasoningSplitter, into: StreamEvent[]): void {
  const delta = chunk.choices?.[0]?.delta as (ChatCompletionChunk.Choice.Delta & ReasoningDelta) | undefined;
  if (!delta) return;
  const reasoning = delta.reasoning_content ?? delta.reasoning;
  if (reasoning) into.push({ type: 'reasoning', text: reasoning });
  if (delta.content) for (const segment of splitter.push(delta.content)) into.push(segmentEvent(segment));
}

/** Joins neighbouring deltas of the same kind that arrived in one network read: fewer, larger events downstream. */
function mergeDeltas(events: readonly StreamEvent[]): StreamEvent[] {
  const out: StreamEvent[] = [];
  for (const event of events) {
    const last = out[out.length - 1];
    if (last && last.type === event.type && (event.type === 'content' || event.type === 'reasoning')) {
      out[out.length - 1] = { type: event.type, text: (last as { text: string }).text + event.text };
    } else {
      out.push(event);
    }
  }
  return out;
}

function segmentEvent(segment: { kind: 'content' | 'reasoning'; text: string }): StreamEvent {
  return { type: segment.kind, text: segment.text };
}

function finishOf(chunk: ChatCompletionChunk): FinishReason | undefined {
  const reason = chunk.choices?.[0]?.finish_reason;
  if (!reason) return undefined;
  if (reason === 'stop' || reason === 'length') return reason;
  // `function_call` is the deprecated single-function form of the same stop.
  return reason === 'tool_calls' || reason === 'function_call' ? 'toolCalls' : 'other';
}

/** The server's usage figures (chat chunks and raw completions share the shape). */
function tokenUsage(u: CompletionUsage | null | undefined): TokenUsage | undefined {
  if (!u) return undefined;
  return { promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens, totalTokens: u.total_tokens, estimated: false };
}
