import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { ApiKeyStore } from '../apiKeyStore';
import type { ClientFactory } from '../clientFactory';
import { ChatSession, systemClock, type SessionEvent } from '../core/chat/chatSession';
import type { ChatAttachments } from '../context/chatAttachments';
import type { ConversationStore, Conversation } from '../core/conversations';
import type { CodeQuote, SurroundingCode, Turn } from '../core/domain';
import type { Logger } from '../logger';
import type { ModelRegistry } from '../modelRegistry';
import { toTurnView, type ChatState, type HostMessage } from '../protocol/messages';
import { readSettings } from '../settings';
import type { UsageService } from '../usage';

export interface ChatDeps {
  readonly store: ConversationStore;
  readonly usage: UsageService;
  readonly clients: ClientFactory;
  readonly keys: ApiKeyStore;
  readonly models: ModelRegistry;
  readonly log: Logger;
  readonly attachments: ChatAttachments;
}

/**
 * Connects the chat session (src/core/chat) to VS Code: settings, key, client, ledger and store go in; what the
 * session says comes out as protocol messages for the view. The chat's logic lives in the session.
 */
export class ChatController implements vscode.Disposable {
  private readonly session: ChatSession;
  private readonly emitter = new vscode.EventEmitter<HostMessage>();
  readonly onMessage = this.emitter.event;
  /**
   * Set while a state message is being prepared (the key is read asynchronously): messages emitted meanwhile are
   * posted after it, so that the view never gets an older state after newer deltas. Undefined: post at once.
   */
  private outbox: Promise<void> | undefined;
  /** The newest state publication the session asked for, so that New Chat and Open resolve once it is posted. */
  private published: Promise<void> = Promise.resolve();
  private readonly chipsChanged: vscode.Disposable;

  constructor(private readonly deps: ChatDeps) {
    this.session = new ChatSession({
      settings: readSettings,
      modelInfo: (model) => deps.models.info(model),
      chatModels: () => deps.models.catalog(),
      quota: {
        isExhausted: (model) => deps.usage.ledger.isExhausted(model),
        markExhausted: (model) => deps.usage.markExhausted(model),
        record: (model, usage) => deps.usage.record(model, usage),
      },
      store: deps.store,
      connect: async (settings) => {
        const client = await deps.clients.create(settings);
        deps.models.refreshInBackground();
        return client;
      },
      clock: systemClock,
      newId: randomUUID,
      readAttachments: (attachments, question, signal) => deps.attachments.reader.read(attachments, question, signal),
      log: deps.log,
    });
    this.session.onEvent((event) => void this.forward(event));
    this.chipsChanged = deps.attachments.tray.onDidChange((attachments) => void this.post({ type: 'attachments', attachments }));
  }

  get current(): Conversation {
    return this.session.current;
  }

  get busy(): boolean {
    return this.session.busy;
  }

  turn(id: string): Turn | undefined {
    return this.session.turn(id);
  }

  async state(): Promise<ChatState> {
    const settings = readSettings();
    return {
      conversationId: this.session.current.id,
      turns: this.session.turnsWithProgress().map(toTurnView),
      history: this.deps.store.history(),
      model: settings.chatModel,
      demo: this.deps.models.isDemo,
      hasKey: Boolean(await this.deps.keys.get()),
      showReasoning: settings.showReasoning,
      busy: this.session.busy,
      attachments: this.deps.attachments.tray.attachments,
    };
  }

  /** Posts the state as it is now (taken at once; only whether a key is set is read asynchronously). */
  publishState(): Promise<void> {
    const state = this.state();
    return this.post(state.then((s): HostMessage => ({ type: 'state', state: s })));
  }

  /** Tells the view something that is not the session's (the `@` list's options). */
  tell(message: HostMessage): Promise<void> {
    return this.post(message);
  }

  private post(message: HostMessage | Promise<HostMessage>): Promise<void> {
    if (!this.outbox && !(message instanceof Promise)) {
      this.emitter.fire(message);
      return Promise.resolve();
    }
    const posted = (this.outbox ?? Promise.resolve())
      .then(async () => this.emitter.fire(await message))
      .catch((error: unknown) => this.deps.log.error(`A message to the chat view could not be prepared: ${String(error)}`));
    this.outbox = posted;
    void posted.finally(() => {
      if (this.outbox === posted) this.outbox = undefined;
    });
    return posted;
  }

  ask(text: string, quote?: CodeQuote, surrounding?: SurroundingCode): Promise<Turn> {
    return this.session.ask(text, quote, surrounding);
  }

  /** A question typed in the chat: it takes the chips waiting above the input (and any `@codebase` typed in it). */
  async send(text: string): Promise<Turn> {
    const { attachments } = this.deps;
    // Asked at once when nothing was typed to attach, so that a Stop right after is seen (see ChatSession.ask).
    if (attachments.hasTyped(text)) await attachments.attachTyped(text);
    return this.session.ask(text, undefined, undefined, attachments.tray.take());
  }

  retry(turnId?: string): Promise<Turn | undefined> {
    return this.session.retry(turnId);
  }

  stop(): void {
    this.session.stop();
  }

  /** The shown conversation or a stored one. */
  conversation(id: string): Conversation | undefined {
    return id === this.session.current.id ? this.session.current : this.deps.store.get(id);
  }

  rename(id: string, title: string): Promise<void> {
    return this.session.rename(id, title);
  }

  remove(id: string): Promise<void> {
    return this.session.remove(id);
  }

  turnsAfter(turnId: string): number {
    return this.session.turnsAfter(turnId);
  }

  regenerate(turnId: string): Promise<Turn | undefined> {
    return this.session.regenerate(turnId);
  }

  async edit(turnId: string, text: string): Promise<Turn | undefined> {
    return this.session.edit(turnId, text);
  }

  async newChat(): Promise<void> {
    this.session.newChat();
    await this.published;
  }

  async open(id: string): Promise<void> {
    this.session.open(id);
    await this.published;
  }

  addExchange(question: string, answer: string, model: string): Promise<void> {
    return this.session.addExchange(question, answer, model);
  }

  private postHistory(): Promise<void> {
    return this.post({ type: 'history', history: this.deps.store.history() });
  }

  private async forward(event: SessionEvent): Promise<void> {
    switch (event.type) {
      case 'changed':
        this.published = this.publishState();
        return this.published;
      case 'turnAdded':
        return this.post({ type: event.type, turn: toTurnView(event.turn) });
      case 'turnEnded':
        // The answer was saved before it ended: the history list gets the conversation's place and title.
        await this.post({ type: event.type, turn: toTurnView(event.turn) });
        return this.postHistory();
      case 'historyChanged':
        return this.postHistory();
      default:
        return this.post(event);
    }
  }

  dispose(): void {
    this.chipsChanged.dispose();
    this.session.dispose();
    this.emitter.dispose();
  }
}
