/**
 * The chat without VS Code: the shown conversation, the answers in flight, and how a failed request is retried,
 * moved to a fallback model or sent again with less history. Settings, clock, store and client are injected, so
 * it runs (and is tested) under plain Node; the adapter in src/chat only connects it to the view and the commands.
 */
import { describeError } from '../errorText';
import { thrownText, toRequestError } from '../errorMapping';
import { RequestError } from '../errors';
import type { AttachedContext } from '../context/contextPieces';
import type { Attachment, CodeQuote, Reference, SurroundingCode, Turn, TurnStatus } from '../domain';
import { ConversationStore, newConversation, surroundingOf, titleFor, type Conversation } from '../conversations';
import type { ModelInfo } from '../modelCatalog';
import { chooseModel, fallbackNote, planChat, type PlanFacts, type RequestPlan } from '../requestPlan';
import type { Settings } from '../settings';
import type { ChatRequest, StreamEvent, TokenUsage } from '../streamEvents';
import { estimatedUsage } from '../tokens';
import { MAX_ATTEMPTS, retryDelaySeconds, sleep } from './retryPolicy';

/** What streams an answer: the API client, or a fake in tests. Throws typed errors or anything else (→ internal). */
export interface ChatStreamer {
  streamChat(request: ChatRequest, signal: AbortSignal): AsyncIterable<StreamEvent>;
}

export interface Clock {
  now(): number;
  /** Resolves true after `ms`, false as soon as the signal aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<boolean>;
}

export const systemClock: Clock = { now: () => Date.now(), sleep };

export interface ChatSessionDeps {
  /** A fresh snapshot of the settings: read once per request. */
  readonly settings: () => Settings;
  readonly modelInfo: (model: string) => ModelInfo;
  readonly chatModels: () => readonly ModelInfo[];
  readonly quota: {
    isExhausted(model: string): boolean;
    markExhausted(model: string): Promise<void>;
    record(model: string, usage: TokenUsage): Promise<void>;
  };
  readonly store: ConversationStore;
  /** A client for the plan's settings (key read, base URL confirmed); throws a typed error when it cannot. */
  readonly connect: (settings: Settings) => Promise<ChatStreamer>;
  readonly clock: Clock;
  readonly newId: () => string;
  /**
   * Reads a question's attachments (files, selection, problems, codebase search for the question) when its answer
   * starts; what cannot be read comes back as a note. Without it, attachments are not sent.
   */
  readonly readAttachments?: (attachments: readonly Attachment[], question: string, signal: AbortSignal) => Promise<AttachedContext>;
  readonly log: { info(message: string): void; warn(message: string): void; error(message: string): void };
}

/** What the view is told, in order; messages about an answer come only while its conversation is shown. */
export type SessionEvent =
  | { readonly type: 'turnAdded'; readonly turn: Turn }
  | { readonly type: 'delta'; readonly turnId: string; readonly content: string; readonly reasoning: string }
  | { readonly type: 'turnEnded'; readonly turn: Turn }
  | { readonly type: 'notice'; readonly text: string }
  /** The conversation shown, its turns or the history changed as a whole: the view asks for the state again. */
  | { readonly type: 'changed' }
  /** Only the list of stored conversations changed (another conversation was renamed or deleted). */
  | { readonly type: 'historyChanged' };

/** The answer being built, across retries and fallbacks. */
interface AnswerProgress {
  text: string;
  reasoning: string;
  model: string;
  status?: TurnStatus;
  usage?: TokenUsage;
  /** Said when the model or the history differs from what was asked for; set by the last plan or a fallback. */
  note?: string;
  /** The file ranges the last plan sent with the question. */
  references?: readonly Reference[];
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
  /** The settings when the answer started: every plan of this answer (retries, fallbacks) reads this snapshot. */
  readonly settings: Settings;
  /** The turns before the answer: what the request carries. */
  readonly history: readonly Turn[];
  /** The code around an Explain's quote, sent with the question that the answer answers. */
  readonly surrounding: SurroundingCode | undefined;
  /** The question's attachments, read once when the answer starts (retries and fallbacks reuse them). */
  attached?: AttachedContext;
  readonly progress: AnswerProgress;
}

type Recovery = { readonly contextShare: number } | undefined;

/** After the server says "too long", the next plan is made for this share of the model's window. */
const SHRUNK_CONTEXT_SHARE = 0.6;

export class ChatSession {
  private shown: Conversation | undefined;
  /**
   * Answers that have not ended: the one streaming, and any stopped one still winding down (its request closing,
   * its usage being recorded), possibly in a conversation no longer shown.
   */
  private readonly active = new Set<Answer>();
  /** Conversations left (New Chat, another opened) while their answer was still ending: the answer ends there. */
  private readonly left = new Map<string, Conversation>();
  /** Conversations deleted here: an answer of theirs that ends afterwards is not saved back. */
  private readonly deleted = new Set<string>();
  private readonly listeners = new Set<(event: SessionEvent) => void>();

  constructor(private readonly deps: ChatSessionDeps) {}

  /** The conversation shown: the latest stored one, read on first use (the store is not read at activation). */
  private get conversation(): Conversation {
    return (this.shown ??= this.deps.store.all()[0] ?? newConversation(this.deps.newId(), this.deps.clock.now()));
  }

  private set conversation(conversation: Conversation) {
    this.shown = conversation;
  }

  onEvent(listener: (event: SessionEvent) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  get current(): Conversation {
    return this.conversation;
  }

  /** An answer is streaming in the conversation shown. */
  get busy(): boolean {
    return this.shownAnswer() !== undefined;
  }

  /** The shown turns, the streaming one with what has arrived, so that a view that (re)loads mid-answer has it. */
  turnsWithProgress(): readonly Turn[] {
    const answer = this.shownAnswer();
    const turns = this.conversation.turns;
    if (!answer) return turns;
    const { text, reasoning, model } = answer.progress;
    return turns.map((t) => (t.id === answer.turnId ? { ...t, text, reasoning: reasoning || undefined, model } : t));
  }

  turn(id: string): Turn | undefined {
    return this.conversation.turns.find((t) => t.id === id);
  }

  /**
   * Asks a question (with quoted code for Explain) and streams the answer. Resolves when the answer has ended.
   * Everything up to the start of the answer is synchronous, so that a Stop right after this call is seen.
   */
  ask(text: string, quote?: CodeQuote, surrounding?: SurroundingCode, attachments?: readonly Attachment[]): Promise<Turn> {
    this.stop();
    const user: Turn = { id: this.deps.newId(), role: 'user', text, quote, ...(attachments?.length ? { attachments } : {}), status: 'done' };
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
    this.emit({ type: 'changed' });
    return this.answer(answer);
  }

  /** How many turns follow `turnId`: what regenerating it (after its answer) or editing it (after itself) replaces. */
  turnsAfter(turnId: string): number {
    const index = this.conversation.turns.findIndex((t) => t.id === turnId);
    return index < 0 ? 0 : this.conversation.turns.length - index - 1;
  }

  /**
   * Regenerate: like retry, with the model chosen now, but the turns after the answer go (they followed the answer
   * that is being replaced).
   */
  async regenerate(turnId: string): Promise<Turn | undefined> {
    const turns = this.conversation.turns;
    const index = turns.findIndex((t) => t.id === turnId);
    if (this.busy || index < 1 || turns[index].role !== 'assistant' || turns[index - 1].role !== 'user') return undefined;
    this.replaceTurns(turns.slice(0, index + 1));
    return this.retry(turnId);
  }

  /** Edit and resend: the question gets its new text (its quoted code stays), what followed it goes, and it is asked. */
  edit(turnId: string, text: string): Promise<Turn> | undefined {
    const turns = this.conversation.turns;
    const index = turns.findIndex((t) => t.id === turnId);
    if (this.busy || index < 0 || turns[index].role !== 'user') return undefined;
    this.replaceTurns([...turns.slice(0, index), { ...turns[index], text }]);
    this.emit({ type: 'changed' });
    return this.answer(this.begin());
  }

  stop(): void {
    for (const answer of this.active) answer.controller.abort();
  }

  newChat(): void {
    this.leave();
    this.conversation = newConversation(this.deps.newId(), this.deps.clock.now());
    this.emit({ type: 'changed' });
  }

  open(id: string): void {
    // The shown conversation is newer than its stored copy (its answer is saved when it ends): nothing to switch.
    if (id === this.conversation.id) return this.emit({ type: 'changed' });
    const found = this.left.get(id) ?? this.deps.store.get(id);
    if (!found) return;
    this.leave();
    // A conversation opened again while its answer still ends: that answer now ends in the shown conversation.
    this.left.delete(id);
    this.conversation = found;
    this.emit({ type: 'changed' });
  }

  /** Names a conversation (the shown one or a stored one); an empty name goes back to the first question. */
  async rename(id: string, title: string): Promise<void> {
    const named = title.trim();
    const rename = (c: Conversation): Conversation => ({ ...c, title: named || titleFor(c.turns), named: named ? true : undefined });
    if (id === this.conversation.id) {
      this.conversation = rename(this.conversation);
      this.emit({ type: 'changed' });
      await this.deps.store.replace(this.conversation);
      return;
    }
    const stored = this.left.get(id) ?? this.deps.store.get(id);
    if (!stored) return;
    if (this.left.has(id)) this.left.set(id, rename(stored));
    await this.deps.store.replace(rename(stored));
    this.emit({ type: 'historyChanged' });
  }

  /** Deletes a conversation; deleting the shown one starts a new chat (its answer, if any, is stopped). */
  async remove(id: string): Promise<void> {
    this.deleted.add(id);
    for (const answer of this.active) if (answer.conversationId === id) answer.controller.abort();
    const shown = id === this.conversation.id;
    if (shown) this.conversation = newConversation(this.deps.newId(), this.deps.clock.now());
    this.left.delete(id);
    await this.deps.store.remove(id);
    this.emit({ type: shown ? 'changed' : 'historyChanged' });
  }

  /** Adds a finished exchange from elsewhere (a rewrite answer that was not code) to the current conversation. */
  async addExchange(question: string, answer: string, model: string): Promise<void> {
    this.append({ id: this.deps.newId(), role: 'user', text: question, status: 'done' });
    const turn: Turn = { id: this.deps.newId(), role: 'assistant', text: answer, status: 'done', model };
    this.append(turn);
    this.emit({ type: 'turnEnded', turn });
    await this.deps.store.save(this.conversation);
  }

  dispose(): void {
    this.stop();
    this.listeners.clear();
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

  /**
   * Starts an answer to the question before it: a streaming turn appended, or put in the place of `replacing`.
   * Synchronous, so that Stop pressed at any moment after this finds the answer to abort. The model shown while it
   * streams is the one the first plan will choose; the plan is made (and may differ) when the request goes out.
   */
  private begin(replacing?: string): Answer {
    const turns = this.conversation.turns;
    const at = replacing === undefined ? turns.length : turns.findIndex((t) => t.id === replacing);
    const history = turns.slice(0, at);
    const settings = this.deps.settings();
    const model = this.firstModel(settings);
    const turn: Turn = { id: this.deps.newId(), role: 'assistant', text: '', status: 'streaming', model };
    const answer: Answer = {
      turnId: turn.id,
      conversationId: this.conversation.id,
      controller: new AbortController(),
      settings,
      history,
      surrounding: surroundingOf(this.conversation, history[history.length - 1]?.id),
      progress: { text: '', reasoning: '', model },
    };
    this.active.add(answer);
    if (replacing === undefined) this.append(turn);
    else this.replaceTurns(turns.map((t) => (t.id === replacing ? turn : t)));
    return answer;
  }

  /** The model the next plan will choose: the chat model, or the first fallback whose quota is not spent. */
  private firstModel(settings: Settings): string {
    return chooseModel(this.planFacts(settings), settings.chatModel).model;
  }

  private async answer(answer: Answer): Promise<Turn> {
    const { progress, controller } = answer;
    let attempt = 0;
    let contextShare = 1;
    try {
      for (;;) {
        const error = await this.streamOnce(answer, contextShare);
        if (!error) break;
        const arrived = progress.text || progress.reasoning;
        const recovery = controller.signal.aborted || arrived ? undefined : await this.recover(error, answer, attempt++, contextShare);
        if (!recovery) {
          progress.error = controller.signal.aborted ? new RequestError('cancelled', { model: progress.model }) : error;
          break;
        }
        contextShare = recovery.contextShare;
      }
    } catch (caught) {
      // Recording usage or a spent quota failed (storage): the answer still ends, with what arrived, never stuck busy.
      progress.error = this.failed(caught, progress.model);
    }
    return this.endTurn(answer);
  }

  /** One request, made from a fresh plan; returns the failure, or undefined when the answer ended normally. */
  private async streamOnce(answer: Answer, contextShare: number): Promise<RequestError | undefined> {
    const { progress, controller } = answer;
    const stopped = (): RequestError | undefined => (controller.signal.aborted ? new RequestError('cancelled', { model: progress.model }) : undefined);
    if (stopped()) return stopped();
    const attached = await this.readAttachments(answer);
    if (stopped()) return stopped();
    const planned = planChat(this.planFacts(answer.settings), {
      history: answer.history,
      surrounding: answer.surrounding,
      attachments: attached.pieces,
      contextShare,
    });
    if (planned.error) {
      progress.model = planned.error.details.model ?? progress.model;
      return planned.error;
    }
    const plan = planned.plan;
    progress.model = plan.model;
    progress.note = [...attached.notes, plan.note].filter(Boolean).join(' ') || progress.note;
    progress.references = plan.references.length ? plan.references : undefined;
    let usage: TokenUsage | undefined;
    try {
      const client = await this.deps.connect(plan.settings);
      // Stop may have come while the client was made (key read, base-URL question): then nothing is sent.
      if (stopped()) return stopped();
      this.deps.log.info(`Chat request: ${plan.model}, ~${plan.promptTokens} prompt tokens, max ${plan.request.maxOutputTokens} output tokens.`);
      for await (const event of client.streamChat(plan.request, controller.signal)) {
        if (event.type === 'usage') usage = event.usage;
        else if (event.type === 'finish') progress.status = event.reason === 'length' ? 'cut' : 'done';
        // The panel offers the model no tools, so no call can come; a stray one has nothing to run it.
        else if (event.type !== 'toolCall') this.arrived(answer, event.type, event.text);
      }
      return undefined;
    } catch (caught) {
      return this.failed(caught, plan.model);
    } finally {
      await this.recordUsage(plan, progress, usage);
    }
  }

  /**
   * The question's attachments, read on the answer's first request. A follow-up without chips of its own is about
   * what the conversation last attached: those are read again for it (as they are now).
   */
  private async readAttachments(answer: Answer): Promise<AttachedContext> {
    const question = answer.history[answer.history.length - 1];
    const attachments = question?.role === 'user' ? [...answer.history].reverse().find((t) => t.role === 'user' && t.attachments?.length)?.attachments : undefined;
    if (!question || !attachments?.length || !this.deps.readAttachments) return (answer.attached ??= { pieces: [], notes: [] });
    try {
      answer.attached ??= await this.deps.readAttachments(attachments, question.text, answer.controller.signal);
    } catch (caught) {
      this.deps.log.error(`Reading the attachments failed: ${thrownText(caught)}`);
      answer.attached ??= { pieces: [], notes: ['The attachments could not be read (see the log); the question was sent without them.'] };
    }
    return answer.attached;
  }

  private planFacts(settings: Settings): PlanFacts {
    return { settings, modelInfo: this.deps.modelInfo, chatModels: this.deps.chatModels, isExhausted: (m) => this.deps.quota.isExhausted(m) };
  }

  private arrived(answer: Answer, kind: 'content' | 'reasoning', text: string): void {
    if (kind === 'content') answer.progress.text += text;
    else answer.progress.reasoning += text;
    this.emitFor(answer, { type: 'delta', turnId: answer.turnId, content: kind === 'content' ? text : '', reasoning: kind === 'reasoning' ? text : '' });
  }

  private failed(caught: unknown, model: string): RequestError {
    const error = toRequestError(caught, { model });
    this.deps.log.warn(`Chat request ended: ${error.kind}${error.details.status ? ` (${error.details.status})` : ''}`);
    // The client turns its own surprises into `internal` too, keeping what was thrown as the cause.
    if (error.kind === 'internal') this.deps.log.error(`Chat failed unexpectedly: ${thrownText(error.cause ?? caught)}`);
    return error;
  }

  /** The server's figures, else an estimate from what arrived; nothing when nothing was spent. */
  private async recordUsage(plan: RequestPlan, progress: AnswerProgress, usage: TokenUsage | undefined): Promise<void> {
    const arrived = progress.text + progress.reasoning;
    const spent = usage ?? (arrived ? estimatedUsage(plan.promptTokens, arrived) : undefined);
    if (!spent) return;
    progress.usage = spent;
    await this.deps.quota.record(plan.model, spent);
  }

  /**
   * What to do about a failure before anything arrived: move to a fallback model when the quota is spent, retry once
   * with less history when the server says the request is too long, or wait visibly and retry a transient failure.
   */
  private async recover(error: RequestError, answer: Answer, attempt: number, contextShare: number): Promise<Recovery> {
    const { progress } = answer;
    const notice = (text: string): void => this.emitFor(answer, { type: 'notice', text });
    if (error.kind === 'quotaExhausted') {
      const spent = progress.model;
      await this.deps.quota.markExhausted(spent);
      const next = this.firstModel(answer.settings);
      if (answer.controller.signal.aborted || next === spent || this.deps.quota.isExhausted(next)) return undefined;
      progress.note = fallbackNote(next, spent);
      notice(progress.note);
      // Another model, another window: its plan starts from the whole context again.
      return { contextShare: 1 };
    }
    if (error.kind === 'contextTooLong' && error.details.status && contextShare === 1) {
      // The plan made for the smaller share says what was left out, once it is sent.
      notice('The server said the request was too long; trying again with less history.');
      return { contextShare: SHRUNK_CONTEXT_SHARE };
    }
    const wait = retryDelaySeconds(error, attempt);
    if (wait === undefined) return undefined;
    for (let left = wait; left > 0; left--) {
      notice(`${error.kind === 'rateLimited' ? 'Rate limited' : `Server error${error.details.status ? ` (${error.details.status})` : ''}`}: retrying in ${left} s (attempt ${attempt + 2} of ${MAX_ATTEMPTS}). Stop cancels.`);
      if (!(await this.deps.clock.sleep(1_000, answer.controller.signal))) return undefined;
    }
    notice('');
    return { contextShare };
  }

  private async endTurn(answer: Answer): Promise<Turn> {
    // Leaving the answer set and writing the turn into its conversation happen without an await between them,
    // so that a switch of conversation sees the answer either running or ended, never in between.
    this.active.delete(answer);
    const ended = endedTurn(answer);
    if (this.shows(answer)) {
      this.conversation = this.withTurn(this.conversation, ended);
      await this.deps.store.save(this.conversation);
      this.notice('');
      this.emit({ type: 'turnEnded', turn: ended });
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
    if (!owner && this.deleted.has(conversationId)) return;
    if (!owner) {
      this.deps.log.error(`An answer ended in a conversation that is no longer kept (${conversationId}); it was not saved.`);
      return;
    }
    const updated = this.withTurn(owner, ended);
    this.left.set(conversationId, updated);
    await this.deps.store.save(updated);
    const stillRunning = [...this.active].some((a) => a.conversationId === conversationId);
    if (this.left.get(conversationId) === updated && !stillRunning) this.left.delete(conversationId);
    this.emit({ type: 'changed' });
  }

  /** Emits an event about an answer only while its conversation is the one shown. */
  private emitFor(answer: Answer, event: SessionEvent): void {
    if (this.shows(answer)) this.emit(event);
  }

  private emit(event: SessionEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private notice(text: string): void {
    this.emit({ type: 'notice', text });
  }

  private append(turn: Turn): void {
    this.replaceTurns([...this.conversation.turns, turn]);
    this.emit({ type: 'turnAdded', turn });
  }

  private replaceTurns(turns: readonly Turn[]): void {
    this.conversation = this.withTurns(this.conversation, turns);
  }

  private withTurns(conversation: Conversation, turns: readonly Turn[]): Conversation {
    return { ...conversation, turns, title: conversation.named ? conversation.title : titleFor(turns), updatedAt: this.deps.clock.now() };
  }

  /** The conversation with `turn` in the place of the turn with its id. */
  private withTurn(conversation: Conversation, turn: Turn): Conversation {
    return this.withTurns(conversation, conversation.turns.map((t) => (t.id === turn.id ? turn : t)));
  }
}

function endedTurn(answer: Answer): Turn {
  const { progress } = answer;
  const error = progress.error;
  const status: TurnStatus = error ? (error.kind === 'cancelled' ? 'stopped' : 'interrupted') : (progress.status ?? 'interrupted');
  const usage = progress.usage;
  return {
    id: answer.turnId,
    role: 'assistant',
    text: progress.text,
    reasoning: progress.reasoning || undefined,
    status,
    model: progress.model,
    note: progress.note,
    references: progress.references,
    usage: usage ? { promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, estimated: usage.estimated } : undefined,
    error: error && error.kind !== 'cancelled' ? { message: describeError(error), actions: error.actions } : undefined,
  };
}
