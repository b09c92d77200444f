import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { ApiKeyStore } from '../apiKeyStore';
import type { ClientFactory } from '../clientFactory';
import { fitHistory } from '../core/budget';
import { ConversationStore, newConversation, surroundingOf, titleFor, type Conversation } from '../core/conversations';
import { describeError } from '../core/errorText';
import { thrownText, toRequestError } from '../core/errorMapping';
import { RequestError } from '../core/errors';
import { conversationMessages, type SurroundingCode } from '../core/prompts';
import type { TokenUsage } from '../core/streamEvents';
import { estimateTokens } from '../core/tokens';
import type { Logger } from '../logger';
import type { ModelRegistry } from '../modelRegistry';
import type { CodeQuote, Turn, TurnStatus } from '../core/domain';
import { toTurnView, type ChatState, type HostMessage } from '../protocol/messages';
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

/** The answer being built, across retries and fallbacks. */
interface AnswerProgress {
  text: string;
  reasoning: string;
  model: string;
  status?: TurnStatus;
  usage?: TokenUsage;
  note?: string;
  error?: RequestError;
}

/**
 * One answer: fixed when it starts (which conversation and turn it belongs to, what it is asked with), so that
 * switching conversations while it streams cannot move it into another one.
 */
interface Answer {
  readonly turnId: string;
  readonly conversationId: string;
  readonly controller: AbortController;
  /** The turns before the answer: what the request carries. */
  readonly history: readonly Turn[];
  /** The code around an Explain's quote, sent with the question that the answer answers. */
  readonly surrounding: SurroundingCode | undefined;
  readonly progress: AnswerProgress;
}

/**
 * The chat's source of truth: the current conversation, the request in flight, and what the view is told.
 * The view renders from `state()` plus the incremental messages emitted on `onMessage`; messages about an answer
 * are emitted only while its conversation is the one shown.
 */
export class ChatController implements vscode.Disposable {
  private conversation: Conversation;
  /**
   * Answers that have not ended: the one streaming, and any stopped one still winding down (its request closing,
   * its usage being recorded), possibly in a conversation no longer shown.
   */
  private readonly active = new Set<Answer>();
  /** Conversations left (New Chat, another opened) while their answer was still ending: the answer ends there. */
  private readonly left = new Map<string, Conversation>();
  private readonly emitter = new vscode.EventEmitter<HostMessage>();
  readonly onMessage = this.emitter.event;

  constructor(private readonly deps: ChatDeps) {
    this.conversation = deps.store.all()[0] ?? newConversation(randomUUID());
  }

  get current(): Conversation {
    return this.conversation;
  }

  /** An answer is streaming in the conversation shown. */
  get busy(): boolean {
    return this.shownAnswer() !== undefined;
  }

  async state(): Promise<ChatState> {
    const settings = readSettings();
    return {
      conversationId: this.conversation.id,
      turns: this.turnsWithProgress().map(toTurnView),
      history: this.deps.store.history(),
      model: settings.chatModel,
      hasKey: Boolean(await this.deps.keys.get()),
      showReasoning: settings.showReasoning,
      busy: this.busy,
    };
  }

  /** The shown turns, the streaming one with what has arrived, so that a view that (re)loads mid-answer has it. */
  private turnsWithProgress(): readonly Turn[] {
    const answer = this.shownAnswer();
    const turns = this.conversation.turns;
    if (!answer) return turns;
    const { text, reasoning, model } = answer.progress;
    return turns.map((t) => (t.id === answer.turnId ? { ...t, text, reasoning: reasoning || undefined, model } : t));
  }

  async publishState(): Promise<void> {
    this.emitter.fire({ type: 'state', state: await this.state() });
  }

  /**
   * Asks a question (with quoted code for Explain) and streams the answer. Resolves when the answer has ended.
   * Everything up to the start of the answer is synchronous, so that a Stop right after this call is seen.
   */
  async ask(text: string, quote?: CodeQuote, surrounding?: SurroundingCode): Promise<Turn> {
    this.stop();
    const user: Turn = { id: randomUUID(), role: 'user', text, quote, status: 'done' };
    if (surrounding) this.conversation = { ...this.conversation, surroundings: { ...this.conversation.surroundings, [user.id]: surrounding } };
    this.append(user);
    return this.answer(this.begin());
  }

  /**
   * Retry on an error card: asks again the question before the assistant turn `turnId` (the last turn when not
   * given) and puts the new answer in that turn's place; later turns stay as they are. The request carries only the
   * turns before it (with an Explain's quoted and surrounding code), exactly as the first try did.
   */
  async retry(turnId?: string): Promise<Turn | undefined> {
    const turns = this.conversation.turns;
    const target = turnId === undefined ? turns[turns.length - 1] : turns.find((t) => t.id === turnId);
    const index = target ? turns.indexOf(target) : -1;
    if (this.busy || !target || target.role !== 'assistant' || turns[index - 1]?.role !== 'user') return undefined;
    const answer = this.begin(target.id);
    await this.publishState();
    return this.answer(answer);
  }

  stop(): void {
    for (const answer of this.active) answer.controller.abort();
  }

  async newChat(): Promise<void> {
    this.leave();
    this.conversation = newConversation(randomUUID());
    await this.publishState();
  }

  async open(id: string): Promise<void> {
    // The shown conversation is newer than its stored copy (its answer is saved when it ends): nothing to switch.
    if (id === this.conversation.id) return this.publishState();
    const found = this.left.get(id) ?? this.deps.store.get(id);
    if (!found) return;
    this.leave();
    // A conversation opened again while its answer still ends: that answer now ends in the shown conversation.
    this.left.delete(id);
    this.conversation = found;
    await this.publishState();
  }

  /** Stops the answer and, if it belongs to the shown conversation, keeps that conversation for it to end in. */
  private leave(): void {
    this.stop();
    if (!this.shownAnswer()) return;
    this.left.set(this.conversation.id, this.conversation);
    this.notice(''); // a retry countdown of the answer left behind says nothing about the next conversation
  }

  private shows(answer: Answer): boolean {
    return answer.conversationId === this.conversation.id;
  }

  /** The newest unfinished answer of the shown conversation. */
  private shownAnswer(): Answer | undefined {
    return [...this.active].reverse().find((answer) => this.shows(answer));
  }

  turn(id: string): Turn | undefined {
    return this.conversation.turns.find((t) => t.id === id);
  }

  /**
   * Starts an answer to the question before it: a streaming turn appended, or put in the place of `replacing`.
   * Synchronous, so that Stop pressed at any moment after this finds the answer to abort.
   */
  private begin(replacing?: string): Answer {
    const chosen = readSettings().chatModel;
    const model = this.deps.usage.ledger.isExhausted(chosen) ? this.deps.usage.fallbackFor(chosen) ?? chosen : chosen;
    const progress: AnswerProgress = { text: '', reasoning: '', model };
    if (model !== chosen) progress.note = `Answered by ${model}: the daily quota of ${chosen} is spent (ioIntelligence.fallbackModels).`;
    const turn: Turn = { id: randomUUID(), role: 'assistant', text: '', status: 'streaming', model };
    const turns = this.conversation.turns;
    const at = replacing === undefined ? turns.length : turns.findIndex((t) => t.id === replacing);
    const history = turns.slice(0, at);
    const answer: Answer = {
      turnId: turn.id,
      conversationId: this.conversation.id,
      controller: new AbortController(),
      history,
      surrounding: surroundingOf(this.conversation, history[history.length - 1]?.id),
      progress,
    };
    this.active.add(answer);
    if (replacing === undefined) this.append(turn);
    else this.replaceTurns(turns.map((t) => (t.id === replacing ? turn : t)));
    return answer;
  }

  private async answer(answer: Answer): Promise<Turn> {
    const { progress, controller } = answer;
    let attempt = 0;
    let historyShare = 1;
    for (;;) {
      const error = await this.streamOnce(answer, historyShare);
      if (!error) break;
      const stopped = controller.signal.aborted;
      const retry = stopped || progress.text || progress.reasoning ? undefined : await this.recover(error, answer, attempt++, historyShare);
      if (retry === 'shrink') historyShare = 0.6;
      if (!retry) {
        progress.error = controller.signal.aborted ? new RequestError('cancelled', { model: progress.model }) : error;
        break;
      }
    }
    return this.endTurn(answer);
  }

  /** One request; returns the failure, or undefined when the answer ended normally. */
  private async streamOnce(answer: Answer, historyShare: number): Promise<RequestError | undefined> {
    const settings = readSettings();
    const { progress, controller } = answer;
    const model = progress.model;
    const stopped = (): RequestError | undefined => (controller.signal.aborted ? new RequestError('cancelled', { model }) : undefined);
    let usage: TokenUsage | undefined;
    let promptTokens = 0;
    try {
      if (stopped()) return stopped();
      const context = Math.floor(this.deps.models.info(model).contextTokens * historyShare);
      const fitted = fitHistory(conversationMessages(answer.history, answer.surrounding), context, settings.maxOutputTokens);
      if (!fitted.budget) return this.deps.models.doesNotFit(model, fitted.messages);
      if (fitted.dropped) progress.note = joinNotes(progress.note, `${fitted.dropped} older messages were left out to fit ${model}'s context window.`);
      promptTokens = fitted.budget.promptTokens;
      const client = await this.deps.clients.create();
      // Stop may have come while the client was made (key read, base-URL question): then nothing is sent.
      if (stopped()) return stopped();
      this.deps.models.refreshInBackground();
      const request = { model, messages: fitted.messages, temperature: settings.temperature, maxOutputTokens: fitted.budget.maxOutputTokens };
      this.deps.log.info(`Chat request: ${model}, ~${promptTokens} prompt tokens, max ${fitted.budget.maxOutputTokens} output tokens.`);
      for await (const event of client.streamChat(request, controller.signal)) {
        if (event.type === 'content' || event.type === 'reasoning') {
          if (event.type === 'content') progress.text += event.text;
          else progress.reasoning += event.text;
          this.emitFor(answer, { type: 'delta', turnId: answer.turnId, content: event.type === 'content' ? event.text : '', reasoning: event.type === 'reasoning' ? event.text : '' });
        } else if (event.type === 'usage') {
          usage = event.usage;
        } else {
          progress.status = event.reason === 'length' ? 'cut' : 'done';
        }
      }
      return undefined;
    } catch (caught) {
      const error = toRequestError(caught, { model });
      this.deps.log.warn(`Chat request ended: ${error.kind}${error.details.status ? ` (${error.details.status})` : ''}`);
      // The client turns its own surprises into `internal` too, keeping what was thrown as the cause.
      if (error.kind === 'internal') this.deps.log.error(`Chat failed unexpectedly: ${thrownText(error.cause ?? caught)}`);
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
  private async recover(error: RequestError, answer: Answer, attempt: number, historyShare: number): Promise<'again' | 'shrink' | undefined> {
    const { progress } = answer;
    const notice = (text: string): void => this.emitFor(answer, { type: 'notice', text });
    if (error.kind === 'quotaExhausted') {
      await this.deps.usage.markExhausted(progress.model);
      const next = this.deps.usage.fallbackFor(progress.model);
      if (!next) return undefined;
      progress.note = `Answered by ${next}: the daily quota of ${progress.model} is spent (ioIntelligence.fallbackModels).`;
      progress.model = next;
      notice(progress.note);
      return 'again';
    }
    if (error.kind === 'contextTooLong' && error.details.status && historyShare === 1) {
      progress.note = joinNotes(progress.note, 'The server said the request was too long; it was sent again with less history.');
      notice(progress.note);
      return 'shrink';
    }
    const wait = retryDelaySeconds(error, attempt);
    if (wait === undefined) return undefined;
    for (let left = wait; left > 0; left--) {
      notice(`${error.kind === 'rateLimited' ? 'Rate limited' : `Server error${error.details.status ? ` (${error.details.status})` : ''}`}: retrying in ${left} s (attempt ${attempt + 2} of ${MAX_ATTEMPTS}). Stop cancels.`);
      if (!(await sleep(1_000, answer.controller.signal))) return undefined;
    }
    notice('');
    return 'again';
  }

  private async endTurn(answer: Answer): Promise<Turn> {
    // Leaving the answer set and writing the turn into its conversation happen without an await between them,
    // so that a switch of conversation sees the answer either running or ended, never in between.
    this.active.delete(answer);
    const { progress } = answer;
    const error = progress.error;
    const status: TurnStatus = error ? (error.kind === 'cancelled' ? 'stopped' : 'interrupted') : (progress.status ?? 'interrupted');
    const usage = progress.usage;
    const ended: Turn = {
      id: answer.turnId,
      role: 'assistant',
      text: progress.text,
      reasoning: progress.reasoning || undefined,
      status,
      model: progress.model,
      note: progress.note,
      usage: usage ? { promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, estimated: usage.estimated } : undefined,
      error: error && error.kind !== 'cancelled' ? { message: describeError(error), actions: error.actions } : undefined,
    };
    if (this.shows(answer)) {
      this.conversation = withTurn(this.conversation, ended);
      await this.deps.store.save(this.conversation);
      this.notice('');
      this.emitter.fire({ type: 'turnEnded', turn: toTurnView(ended) });
    } else {
      await this.endInLeftConversation(answer.conversationId, ended);
    }
    return ended;
  }

  /**
   * An answer whose conversation was left while it ended: saved there, and the history in the view refreshed.
   * The conversation stays in `left` (where open() finds it) until it is saved and none of its answers runs.
   */
  private async endInLeftConversation(conversationId: string, ended: Turn): Promise<void> {
    const owner = this.left.get(conversationId);
    if (!owner) {
      this.deps.log.error(`An answer ended in a conversation that is no longer kept (${conversationId}); it was not saved.`);
      return;
    }
    const updated = withTurn(owner, ended);
    this.left.set(conversationId, updated);
    await this.deps.store.save(updated);
    const stillRunning = [...this.active].some((a) => a.conversationId === conversationId);
    if (this.left.get(conversationId) === updated && !stillRunning) this.left.delete(conversationId);
    await this.publishState();
  }

  /** Posts a message about an answer only while its conversation is the one shown. */
  private emitFor(answer: Answer, message: HostMessage): void {
    if (this.shows(answer)) this.emitter.fire(message);
  }

  private notice(text: string): void {
    this.emitter.fire({ type: 'notice', text });
  }

  private append(turn: Turn): void {
    this.replaceTurns([...this.conversation.turns, turn]);
    this.emitter.fire({ type: 'turnAdded', turn: toTurnView(turn) });
  }

  private replaceTurns(turns: readonly Turn[]): void {
    this.conversation = withTurns(this.conversation, turns);
  }

  /** Adds a finished exchange from elsewhere (a rewrite answer that was not code) to the current conversation. */
  async addExchange(question: string, answer: string, model: string): Promise<void> {
    this.append({ id: randomUUID(), role: 'user', text: question, status: 'done' });
    const turn: Turn = { id: randomUUID(), role: 'assistant', text: answer, status: 'done', model };
    this.append(turn);
    this.emitter.fire({ type: 'turnEnded', turn: toTurnView(turn) });
    await this.deps.store.save(this.conversation);
  }

  dispose(): void {
    this.stop();
    this.emitter.dispose();
  }
}

function withTurns(conversation: Conversation, turns: readonly Turn[]): Conversation {
  return { ...conversation, turns, title: titleFor(turns), updatedAt: Date.now() };
}

/** The conversation with `turn` in the place of the turn with its id. */
function withTurn(conversation: Conversation, turn: Turn): Conversation {
  return withTurns(conversation, conversation.turns.map((t) => (t.id === turn.id ? turn : t)));
}

function estimatedUsage(promptTokens: number, completion: string): TokenUsage {
  const completionTokens = estimateTokens(completion);
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, estimated: true };
}
