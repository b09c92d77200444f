import type { CompletionAnswer, RawCompletionRequest } from '../apiClient';
import { displayUrl } from '../endpoint';
import { isRequestError, RequestError } from '../errors';
import type { ChatRequest, TokenUsage } from '../streamEvents';
import { estimateTokens } from '../tokens';
import { cleanCompletion } from './cleanCompletion';
import { CompletionCache } from './completionCache';
import { completionShape, lineAfter, lineBefore, type CompletionShape } from './completionShape';
import { afterFimFailure, servesCompletions, TransportMemory, type CompletionTransport } from './completionTransport';
import { FIM_STOP, fimPrompt, type NeighbourFile } from './fimPrompt';
import { holePrompt } from './holePrompt';
import { TypingPace } from './typingPace';

/** The document around the cursor, as the adapter read it (excluded neighbours already left out). */
export interface CompletionInput {
  readonly before: string;
  readonly after: string;
  readonly path: string;
  readonly language: string;
  readonly neighbours: readonly NeighbourFile[];
  readonly repoName?: string;
  /** Asked for by the user (a keybinding), not by typing: no wait. */
  readonly explicit?: boolean;
}

export interface CompletionConfig {
  readonly baseUrl: string;
  readonly model: string;
  /** Tokens a UTC day that completions may spend on this model. */
  readonly dailyTokenBudget: number;
  /** Tokens of prompt (prefix + suffix + context). */
  readonly promptBudgetTokens: number;
}

/** The network, behind the adapter: the API client's raw completion and a chat answer collected whole. */
export interface CompletionBackend {
  complete(request: RawCompletionRequest, signal: AbortSignal): Promise<CompletionAnswer>;
  chat(request: ChatRequest, signal: AbortSignal): Promise<CompletionAnswer>;
  /** Whether the server's `/models` lists the model (then a 404 means the endpoint is missing); rejects when unread. */
  isListed(model: string): Promise<boolean>;
}

/** The usage ledger, as completions see it. */
export interface CompletionBook {
  /** Tokens completions spent on the model today. */
  spentToday(model: string): number;
  /** The model's whole daily quota is spent (by anything). */
  quotaSpent(model: string): boolean;
  markQuotaSpent(model: string): Promise<void>;
  record(model: string, usage: TokenUsage): Promise<void>;
}

/** Time, so that the bench can replay typing on a virtual clock. */
export interface Clock {
  now(): number;
  /** Resolves true after `ms`, or false as soon as `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<boolean>;
}

export type CompletionResult =
  | { readonly kind: 'item'; readonly text: string; readonly via: 'request' | 'cache' | 'typedThrough' }
  | { readonly kind: 'none'; readonly why: 'textAfterCursor' | 'superseded' | 'paused' | 'empty' | 'failed' };

/** Why completions are not asking: the user sees it in the status bar item. */
export type CompletionPause =
  | { readonly reason: 'reasoningModel' | 'budget' | 'quota' }
  /** `lasting`: until the key or the model changes (a bad key, no key, an unknown model), not for a while. */
  | { readonly reason: 'error'; readonly error: RequestError; readonly lasting: boolean };

/** Output caps, tokens: the rest of a line, or a block. */
const MAX_TOKENS: Record<Exclude<CompletionShape, 'none'>, number> = { line: 48, block: 160 };
/** A ghost text that comes later than this is no longer wanted. */
const REQUEST_TIMEOUT_MS = 10_000;
/** After a failure that may pass (network, server, rate limit), completions wait this long before asking again. */
const RETRY_AFTER_FAILURE_MS = 30_000;
/** The API takes at most 4 stop sequences; the rest are cut from the answer by cleanCompletion. */
const STOP_SLOTS = 4;

export interface CompletionCounts {
  requests: number;
  cacheHits: number;
  typedThrough: number;
  superseded: number;
  promptTokens: number;
  outputTokens: number;
}

/**
 * The logic of inline completions, apart from VS Code: decide whether to ask, wait for a pause in typing, ask the
 * server by the transport it takes, clean the answer, and remember it. One request at a time: a newer one aborts the
 * older one's HTTP request.
 */
export class CompletionEngine {
  private readonly cache = new CompletionCache();
  private readonly pace = new TypingPace();
  private readonly transports = new TransportMemory();
  private running: AbortController | undefined;
  private failure: { readonly error: RequestError; readonly model: string; readonly until: number } | undefined;
  readonly counts: CompletionCounts = { requests: 0, cacheHits: 0, typedThrough: 0, superseded: 0, promptTokens: 0, outputTokens: 0 };
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly backend: CompletionBackend,
    private readonly book: CompletionBook,
    private readonly clock: Clock,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  /** Why no request would go out now for this model, if one would not. */
  pause(config: CompletionConfig): CompletionPause | undefined {
    if (!servesCompletions(config.model)) return { reason: 'reasoningModel' };
    const failure = this.failure;
    if (failure && failure.model === config.model && this.clock.now() < failure.until) return { reason: 'error', error: failure.error, lasting: failure.until === Infinity };
    if (this.book.quotaSpent(config.model)) return { reason: 'quota' };
    if (this.book.spentToday(config.model) >= config.dailyTokenBudget) return { reason: 'budget' };
    return undefined;
  }

  /** The key, the model or the endpoint changed: a failure that paused completions no longer holds. */
  clearFailure(): void {
    this.failure = undefined;
  }

  /** Called when a failure pauses completions (the status bar item shows why). */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Aborts the request on the wire, if any: the user moved on (or to a place where nothing may be asked). */
  cancel(): void {
    this.running?.abort();
  }

  transportOf(config: CompletionConfig): CompletionTransport {
    return this.transports.get(config.baseUrl, config.model);
  }

  async provide(input: CompletionInput, config: CompletionConfig, signal: AbortSignal): Promise<CompletionResult> {
    if (!input.explicit) this.pace.typed(this.clock.now());
    const shape = completionShape(lineBefore(input.before), lineAfter(input.after));
    if (shape === 'none') return { kind: 'none', why: 'textAfterCursor' };
    const scope = `${config.baseUrl}\u0000${config.model}\u0000${input.path}`;
    const known = this.cache.lookup(input.before, input.after, scope);
    if (known) return this.fromCache(known);
    if (this.pause(config)) return { kind: 'none', why: 'paused' };
    const own = this.supersede(signal);
    try {
      if (!input.explicit && !(await this.clock.sleep(this.pace.wait(), own.signal))) return this.superseded();
      const raw = await this.ask(input, config, shape, own.signal);
      const text = cleanCompletion(raw, { before: input.before, after: input.after, multiline: shape === 'block' });
      this.cache.set(input.before, input.after, text, scope);
      return text ? { kind: 'item', text, via: 'request' } : { kind: 'none', why: 'empty' };
    } catch (error) {
      if (own.signal.aborted) return this.superseded();
      await this.fail(error, config);
      return { kind: 'none', why: 'failed' };
    } finally {
      if (this.running === own) this.running = undefined;
    }
  }

  private fromCache(known: { text: string; via: 'cache' | 'typedThrough' }): CompletionResult {
    if (known.via === 'cache') this.counts.cacheHits++;
    else this.counts.typedThrough++;
    return known.text ? { kind: 'item', text: known.text, via: known.via } : { kind: 'none', why: 'empty' };
  }

  private superseded(): CompletionResult {
    this.counts.superseded++;
    return { kind: 'none', why: 'superseded' };
  }

  /** Aborts the request before this one (its HTTP request, not only its result) and ties this one to `signal`. */
  private supersede(signal: AbortSignal): AbortController {
    this.running?.abort();
    const own = new AbortController();
    if (signal.aborted) own.abort();
    else signal.addEventListener('abort', () => own.abort(), { once: true });
    this.running = own;
    return own;
  }

  /** Asks by the transport the server took last time; a FIM endpoint that is missing switches to chat for the session. */
  private async ask(input: CompletionInput, config: CompletionConfig, shape: Exclude<CompletionShape, 'none'>, signal: AbortSignal): Promise<string> {
    if (this.transportOf(config) === 'fim') {
      try {
        return await this.askFim(input, config, shape, signal);
      } catch (error) {
        if (signal.aborted || !(await this.endpointMissing(error, config))) throw error;
        this.transports.set(config.baseUrl, config.model, 'chat');
        this.log(`Completions: ${displayUrl(config.baseUrl)}completions does not take a raw prompt for ${config.model} (${(error as RequestError).details.status}); using chat completions for this session.`);
      }
    }
    return this.askChat(input, config, shape, signal);
  }

  /** Nothing IO-specific is sent with a raw prompt, so a 400 is the prompt refused, not our extra fields. */
  private async endpointMissing(error: unknown, config: CompletionConfig): Promise<boolean> {
    if (!isRequestError(error)) return false;
    const status = error.details.status;
    const modelListed =
      status === 404
        ? await this.backend.isListed(config.model).catch((listing: unknown) => {
            throw new UnreadListing(listing);
          })
        : false;
    return afterFimFailure({ kind: error.kind, status, modelListed, retriedWithoutExtras: true }) === 'useChat';
  }

  private async askFim(input: CompletionInput, config: CompletionConfig, shape: Exclude<CompletionShape, 'none'>, signal: AbortSignal): Promise<string> {
    const prompt = fimPrompt({ ...input, budgetTokens: config.promptBudgetTokens });
    const stop = shape === 'line' ? ['\n', ...FIM_STOP] : FIM_STOP;
    const request = { model: config.model, prompt: prompt.prompt, maxTokens: MAX_TOKENS[shape], stop: stop.slice(0, STOP_SLOTS), timeoutMs: REQUEST_TIMEOUT_MS };
    this.counts.requests++;
    const answer = await this.backend.complete(request, signal).catch(async (error: unknown) => {
      // The server may have read (and billed) the prompt before the abort: the budget counts it, marked estimated.
      if (signal.aborted) await this.record(config.model, { text: '' }, prompt.promptTokens);
      throw error;
    });
    await this.record(config.model, answer, prompt.promptTokens);
    return answer.text;
  }

  private async askChat(input: CompletionInput, config: CompletionConfig, shape: Exclude<CompletionShape, 'none'>, signal: AbortSignal): Promise<string> {
    // The FIM cut decides how much code around the cursor fits the budget; neighbours stay out of a chat prompt.
    const cut = fimPrompt({ before: input.before, after: input.after, path: input.path, budgetTokens: config.promptBudgetTokens });
    const messages = holePrompt({ ...input, before: input.before.slice(input.before.length - cut.beforeChars), after: input.after.slice(0, cut.afterChars), multiline: shape === 'block' });
    this.counts.requests++;
    const answer = await this.backend.chat({ model: config.model, messages, temperature: 0, maxOutputTokens: MAX_TOKENS[shape], timeoutMs: REQUEST_TIMEOUT_MS }, signal);
    await this.record(config.model, answer, messages.reduce((sum, m) => sum + estimateTokens(m.content), 0));
    return answer.text;
  }

  private async record(model: string, answer: CompletionAnswer, estimatedPrompt: number): Promise<void> {
    const usage = answer.usage ?? estimatedUsage(estimatedPrompt, answer.text);
    this.counts.promptTokens += usage.promptTokens;
    this.counts.outputTokens += usage.completionTokens;
    await this.book.record(model, usage);
  }

  /**
   * A failure pauses completions: a quota until it resets, a key or model until it changes, anything else a while.
   * A FIM 404 whose `/models` could not be read leaves open whether the model exists: that pause is short too.
   */
  private async fail(error: unknown, config: CompletionConfig): Promise<void> {
    const unread = error instanceof UnreadListing;
    const failure = asRequestError(unread ? error.listing : error);
    this.log(`Completions failed (${failure.kind})${unread ? ' reading /models after a 404 from the completions endpoint' : ''}: ${failure.message}`);
    if (failure.kind === 'quotaExhausted') return this.book.markQuotaSpent(config.model);
    const lasting = !unread && (failure.kind === 'badKey' || failure.kind === 'noKey' || failure.kind === 'unknownModel');
    const wait = failure.details.retryAfterSeconds !== undefined ? failure.details.retryAfterSeconds * 1000 : RETRY_AFTER_FAILURE_MS;
    this.failure = { error: failure, model: config.model, until: lasting ? Infinity : this.clock.now() + wait };
    for (const listener of this.listeners) listener();
  }
}

/** `/models` failed while a FIM 404 was being read: whether the model exists is not known. */
class UnreadListing {
  constructor(readonly listing: unknown) {}
}

function asRequestError(error: unknown): RequestError {
  return isRequestError(error) ? error : new RequestError('internal', { serverMessage: String(error) }, error);
}

function estimatedUsage(promptTokens: number, text: string): TokenUsage {
  const completionTokens = estimateTokens(text);
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, estimated: true };
}

/** The wall clock, for the extension. */
export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve(false);
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve(false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    }),
};
