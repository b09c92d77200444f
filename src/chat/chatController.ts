import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { ApiKeyStore } from '../apiKeyStore';
import type { ClientFactory } from '../clientFactory';
import { fitHistory, MIN_USEFUL_OUTPUT_TOKENS, SAFETY_MARGIN_TOKENS } from '../core/budget';
import { ConversationStore, newConversation, titleFor, type Conversation } from '../core/conversations';
import { describeError } from '../core/errorText';
import { toIoError } from '../core/errorMapping';
import { IoError } from '../core/errors';
import { conversationMessages, type SurroundingCode } from '../core/prompts';
import type { TokenUsage } from '../core/streamEvents';
import { estimateMessagesTokens, estimateTokens } from '../core/tokens';
import type { Logger } from '../logger';
import type { ModelRegistry } from '../modelRegistry';
import type { ChatState, CodeQuote, HostMessage, TurnStatus, TurnView } from '../protocol/messages';
import { readSettings } from '../settings';

export interface ChatDeps {
  readonly store: ConversationStore;
  readonly clients: ClientFactory;
  readonly keys: ApiKeyStore;
  readonly models: ModelRegistry;
  readonly log: Logger;
}

interface Running {
  readonly turnId: string;
  readonly controller: AbortController;
}

/**
 * The chat's source of truth: the current conversation, the request in flight, and what the view is told.
 * The view renders from `state()` plus the incremental messages emitted on `onMessage`.
 */
export class ChatController implements vscode.Disposable {
  private conversation: Conversation;
  private running: Running | undefined;
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
      turns: this.conversation.turns,
      history: this.deps.store.history(),
      model: settings.chatModel,
      hasKey: Boolean(await this.deps.keys.get()),
      showReasoning: settings.showReasoning,
      busy: this.busy,
    };
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
    const model = settings.chatModel;
    const assistant = { id: randomUUID(), text: '', reasoning: '' };
    const running: Running = { turnId: assistant.id, controller: new AbortController() };
    this.running = running;
    this.append({ id: assistant.id, role: 'assistant', text: '', status: 'streaming', model });
    let status: TurnStatus = 'streaming';
    let usage: TokenUsage | undefined;
    let error: IoError | undefined;
    let promptTokens = 0;
    try {
      const history = this.conversation.turns.slice(0, -1);
      const context = this.deps.models.info(model).contextTokens;
      const fitted = fitHistory(conversationMessages(history, surrounding), context, settings.maxOutputTokens);
      if (!fitted.budget) throw this.doesNotFit(model, estimateMessagesTokens(fitted.messages));
      if (fitted.dropped) this.deps.log.info(`Left ${fitted.dropped} older messages out to fit ${model}'s context.`);
      promptTokens = fitted.budget.promptTokens;
      const client = await this.deps.clients.create();
      this.deps.models.refreshInBackground();
      const request = { model, messages: fitted.messages, temperature: settings.temperature, maxOutputTokens: fitted.budget.maxOutputTokens };
      this.deps.log.info(`Chat request: ${model}, ~${promptTokens} prompt tokens, max ${fitted.budget.maxOutputTokens} output tokens.`);
      for await (const event of client.streamChat(request, running.controller.signal)) {
        if (event.type === 'content' || event.type === 'reasoning') {
          if (event.type === 'content') assistant.text += event.text;
          else assistant.reasoning += event.text;
          this.emitter.fire({ type: 'delta', turnId: assistant.id, content: event.type === 'content' ? event.text : '', reasoning: event.type === 'reasoning' ? event.text : '' });
        } else if (event.type === 'usage') {
          usage = event.usage;
        } else {
          status = event.reason === 'length' ? 'cut' : 'done';
        }
      }
    } catch (caught) {
      error = toIoError(caught, { model });
      status = error.kind === 'cancelled' ? 'stopped' : 'interrupted';
      this.deps.log.warn(`Chat request ended: ${error.kind}${error.details.status ? ` (${error.details.status})` : ''}`);
    } finally {
      if (this.running === running) this.running = undefined;
    }
    const finalUsage = usage ?? estimatedUsage(promptTokens, assistant.text + assistant.reasoning);
    const ended: TurnView = {
      id: assistant.id,
      role: 'assistant',
      text: assistant.text,
      reasoning: assistant.reasoning || undefined,
      status,
      model,
      usage: { promptTokens: finalUsage.promptTokens, completionTokens: finalUsage.completionTokens, estimated: finalUsage.estimated },
      error: error && error.kind !== 'cancelled' ? { message: describeError(error), actions: error.actions } : undefined,
    };
    this.replaceLast(ended);
    await this.deps.store.save(this.conversation);
    this.emitter.fire({ type: 'turnEnded', turn: ended });
    return ended;
  }

  private doesNotFit(model: string, promptTokens: number): IoError {
    const needed = promptTokens + MIN_USEFUL_OUTPUT_TOKENS + SAFETY_MARGIN_TOKENS;
    return new IoError('contextTooLong', { model, suggestedModel: this.deps.models.smallestFitting(needed, model) });
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

  dispose(): void {
    this.stop();
    this.emitter.dispose();
  }
}

function estimatedUsage(promptTokens: number, completion: string): TokenUsage {
  const completionTokens = estimateTokens(completion);
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, estimated: true };
}
