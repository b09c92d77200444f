import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { ApiKeyStore } from '../apiKeyStore';
import type { ClientFactory } from '../clientFactory';
import { fitHistory } from '../core/budget';
import { ConversationStore, newConversation, titleFor, type Conversation } from '../core/conversations';
import { describeError } from '../core/errorText';
import { toIoError } from '../core/errorMapping';
import { IoError } from '../core/errors';
import { conversationMessages, type SurroundingCode } from '../core/prompts';
import type { TokenUsage } from '../core/streamEvents';
import { estimateTokens } from '../core/tokens';
import type { Logger } from '../logger';
import type { ModelRegistry } from '../modelRegistry';
import type { ChatState, CodeQuote, HostMessage, TurnStatus, TurnView } from '../protocol/messages';
import { readSettings } from '../settings';
import { joinNotes, MAX_ATTEMPTS, retryDelaySeconds, sleep } from './retryPolicy';
import type { UsageService } from '../usage';

export interface ChatDeps {
  readonly store: ConversationStore;
  readonly usage: UsageService;
  readonly clients: ClientFactory;
  readonly keys: ApiKeyStore;
  readonly models: ModelRegistry;
  readonly log: Logger;
}

interface Running {
  readonly turnId: string;
  readonly controller: AbortController;
}

/** The answer being built, across retries and fallbacks. */
interface AnswerProgress {
  text: string;
  reasoning: string;
  model: string;
  status?: TurnStatus;
  usage?: TokenUsage;
  note?: string;
  error?: IoError;
}

/**
 * The chat's source of truth: the current conversation, the request in flight, and what the view is told.
 * The view renders from `state()` plus the incremental messages emitted on `onMessage`.
 */
export class ChatController implements vscode.Disposable {
  private conversation: Conversation;
  private running: Running | undefined;
  /** The answer streaming now, so that a view that (re)loads mid-answer gets what has arrived. */
  private progress: AnswerProgress | undefined;
  private readonly emitter = new vscode.EventEmitter<HostMessage>();
  readonly onMessage = this.emitter.event;

  constructor(private readonly deps: ChatDeps) {
    this.conversation = deps.store.all()[0] ?? newConversation(randomUUID());
  }

  get current(): Conversation {
    return this.conversation;
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  async state(): Promise<ChatState> {
    const settings = readSettings();
    return {
      conversationId: this.conversation.id,
      turns: this.turnsWithProgress(),
      history: this.deps.store.history(),
      model: settings.chatModel,
      hasKey: Boolean(await this.deps.keys.get()),
      showReasoning: settings.showReasoning,
      busy: this.busy,
    };
  }

  private turnsWithProgress(): readonly TurnView[] {
    const turns = this.conversation.turns;
    const last = turns[turns.length - 1];
    const progress = this.progress;
    if (!progress || !last || last.id !== this.running?.turnId) return turns;
    return [...turns.slice(0, -1), { ...last, text: progress.text, reasoning: progress.reasoning || undefined, model: progress.model }];
  }

  async publishState(): Promise<void> {
    this.emitter.fire({ type: 'state', state: await this.state() });
  }

  /** Asks a question (with quoted code for Explain) and streams the answer. Resolves when the answer has ended. */
  async ask(text: string, quote?: CodeQuote, surrounding?: SurroundingCode): Promise<TurnView> {
    if (this.running) this.stop();
    const user: TurnView = { id: randomUUID(), role: 'user', text, quote, status: 'done' };
    this.append(user);
    return this.answer(surrounding);
  }

  /** Asks the last question again (Retry on an error card). */
  async retry(): Promise<TurnView | undefined> {
    const turns = this.conversation.turns;
    const last = turns[turns.length - 1];
    if (this.running || !last || last.role !== 'assistant') return undefined;
    this.replaceTurns(turns.slice(0, -1));
    await this.publishState();
    return this.answer();
  }

  stop(): void {
    this.running?.controller.abort();
  }

  async newChat(): Promise<void> {
    this.stop();
    this.conversation = newConversation(randomUUID());
    await this.publishState();
  }

  async open(id: string): Promise<void> {
    const found = this.deps.store.get(id);
    if (!found) return;
    this.stop();
    this.conversation = found;
    await this.publishState();
  }

  turn(id: string): TurnView | undefined {
    return this.conversation.turns.find((t) => t.id === id);
  }

  private async answer(surrounding?: SurroundingCode): Promise<TurnView> {
    const settings = readSettings();
    const chosen = settings.chatModel;
    const running: Running = { turnId: randomUUID(), controller: new AbortController() };
    this.running = running;
    const progress: AnswerProgress = { text: '', reasoning: '', model: this.deps.usage.ledger.isExhausted(chosen) ? this.deps.usage.fallbackFor(chosen) ?? chosen : chosen };
    this.progress = progress;
    if (progress.model !== chosen) progress.note = `Answered by ${progress.model}: the daily quota of ${chosen} is spent (ioIntelligence.fallbackModels).`;
    this.append({ id: running.turnId, role: 'assistant', text: '', status: 'streaming', model: progress.model });
    let attempt = 0;
    let historyShare = 1;
    for (;;) {
      const error = await this.streamOnce(progress, running, surrounding, historyShare);
      if (!error) break;
      const retry = progress.text || progress.reasoning ? undefined : await this.recover(error, progress, attempt++, historyShare, running.controller.signal);
      if (retry === 'shrink') historyShare = 0.6;
      if (!retry) {
        progress.error = running.controller.signal.aborted ? new IoError('cancelled', { model: progress.model }) : error;
        break;
      }
    }
    if (this.running === running) {
      this.running = undefined;
      this.progress = undefined;
    }
    return this.endTurn(running.turnId, progress);
  }

  /** One request; returns the failure, or undefined when the answer ended normally. */
  private async streamOnce(progress: AnswerProgress, running: Running, surrounding: SurroundingCode | undefined, historyShare: number): Promise<IoError | undefined> {
    const settings = readSettings();
    const model = progress.model;
    let usage: TokenUsage | undefined;
    let promptTokens = 0;
    try {
      const history = this.conversation.turns.slice(0, -1);
      const context = Math.floor(this.deps.models.info(model).contextTokens * historyShare);
      const fitted = fitHistory(conversationMessages(history, surrounding), context, settings.maxOutputTokens);
      if (!fitted.budget) return this.deps.models.doesNotFit(model, fitted.messages);
      if (fitted.dropped) progress.note = joinNotes(progress.note, `${fitted.dropped} older messages were left out to fit ${model}'s context window.`);
      promptTokens = fitted.budget.promptTokens;
      const client = await this.deps.clients.create();
      this.deps.models.refreshInBackground();
      const request = { model, messages: fitted.messages, temperature: settings.temperature, maxOutputTokens: fitted.budget.maxOutputTokens };
      this.deps.log.info(`Chat request: ${model}, ~${promptTokens} prompt tokens, max ${fitted.budget.maxOutputTokens} output tokens.`);
      for await (const event of client.streamChat(request, running.controller.signal)) {
        if (event.type === 'content' || event.type === 'reasoning') {
          if (event.type === 'content') progress.text += event.text;
          else progress.reasoning += event.text;
          this.emitter.fire({ type: 'delta', turnId: running.turnId, content: event.type === 'content' ? event.text : '', reasoning: event.type === 'reasoning' ? event.text : '' });
        } else if (event.type === 'usage') {
          usage = event.usage;
        } else {
          progress.status = event.reason === 'length' ? 'cut' : 'done';
        }
      }
      return undefined;
    } catch (caught) {
      const error = toIoError(caught, { model });
      this.deps.log.warn(`Chat request ended: ${error.kind}${error.details.status ? ` (${error.details.status})` : ''}`);
      return error;
    } finally {
      const spent = usage ?? (progress.text || progress.reasoning ? estimatedUsage(promptTokens, progress.text + progress.reasoning) : undefined);
      if (spent) {
        progress.usage = spent;
        await this.deps.usage.record(model, spent);
      }
    }
  }

  /**
   * What to do about a failure before anything arrived: move to a fallback model when the quota is spent, retry once
   * with less history when the server says the request is too long, or wait visibly and retry a transient failure.
   */
  private async recover(error: IoError, progress: AnswerProgress, attempt: number, historyShare: number, signal: AbortSignal): Promise<'again' | 'shrink' | undefined> {
    if (error.kind === 'quotaExhausted') {
      await this.deps.usage.markExhausted(progress.model);
      const next = this.deps.usage.fallbackFor(progress.model);
      if (!next) return undefined;
      progress.note = `Answered by ${next}: the daily quota of ${progress.model} is spent (ioIntelligence.fallbackModels).`;
      progress.model = next;
      this.notice(progress.note);
      return 'again';
    }
    if (error.kind === 'contextTooLong' && error.details.status && historyShare === 1) {
      progress.note = joinNotes(progress.note, 'The server said the request was too long; it was sent again with less history.');
      this.notice(progress.note);
      return 'shrink';
    }
    const wait = retryDelaySeconds(error, attempt);
    if (wait === undefined) return undefined;
    for (let left = wait; left > 0; left--) {
      this.notice(`${error.kind === 'rateLimited' ? 'Rate limited' : `Server error${error.details.status ? ` (${error.details.status})` : ''}`}: retrying in ${left} s (attempt ${attempt + 2} of ${MAX_ATTEMPTS}). Stop cancels.`);
      if (!(await sleep(1_000, signal))) return undefined;
    }
    this.notice('');
    return 'again';
  }

  private async endTurn(id: string, progress: AnswerProgress): Promise<TurnView> {
    const error = progress.error;
    const status: TurnStatus = error ? (error.kind === 'cancelled' ? 'stopped' : 'interrupted') : (progress.status ?? 'interrupted');
    const usage = progress.usage;
    const ended: TurnView = {
      id,
      role: 'assistant',
      text: progress.text,
      reasoning: progress.reasoning || undefined,
      status,
      model: progress.model,
      note: progress.note,
      usage: usage ? { promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, estimated: usage.estimated } : undefined,
      error: error && error.kind !== 'cancelled' ? { message: describeError(error), actions: error.actions } : undefined,
    };
    this.replaceLast(ended);
    await this.deps.store.save(this.conversation);
    this.notice('');
    this.emitter.fire({ type: 'turnEnded', turn: ended });
    return ended;
  }

  private notice(text: string): void {
    this.emitter.fire({ type: 'notice', text });
  }

  private append(turn: TurnView): void {
    this.replaceTurns([...this.conversation.turns, turn]);
    this.emitter.fire({ type: 'turnAdded', turn });
  }

  private replaceLast(turn: TurnView): void {
    this.replaceTurns(this.conversation.turns.map((t) => (t.id === turn.id ? turn : t)));
  }

  private replaceTurns(turns: readonly TurnView[]): void {
    this.conversation = { ...this.conversation, turns, title: titleFor(turns), updatedAt: Date.now() };
  }

  /** Adds a finished exchange from elsewhere (a rewrite answer that was not code) to the current conversation. */
  async addExchange(question: string, answer: string, model: string): Promise<void> {
    this.append({ id: randomUUID(), role: 'user', text: question, status: 'done' });
    const turn: TurnView = { id: randomUUID(), role: 'assistant', text: answer, status: 'done', model };
    this.append(turn);
    this.emitter.fire({ type: 'turnEnded', turn });
    await this.deps.store.save(this.conversation);
  }

  dispose(): void {
    this.stop();
    this.emitter.dispose();
  }
}

function estimatedUsage(promptTokens: number, completion: string): TokenUsage {
  const completionTokens = estimateTokens(completion);
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, estimated: true };
}
