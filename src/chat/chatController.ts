import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { ApiKeyStore } from '../apiKeyStore';
import type { ClientFactory } from '../clientFactory';
import { ChatSession, systemClock, type SessionEvent } from '../core/chat/chatSession';
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
}

/**
 * Connects the chat session (src/core/chat) to VS Code: settings, key, client, ledger and store go in; what the
 * session says comes out as protocol messages for the view. The chat's logic lives in the session.
 */
export class ChatController implements vscode.Disposable {
  private readonly session: ChatSession;
  private readonly emitter = new vscode.EventEmitter<HostMessage>();
  readonly onMessage = this.emitter.event;
  /** The newest state publication the session asked for, so that New Chat and Open resolve once it is posted. */
  private published: Promise<void> = Promise.resolve();

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
      log: deps.log,
    });
    this.session.onEvent((event) => void this.forward(event));
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
      hasKey: Boolean(await this.deps.keys.get()),
      showReasoning: settings.showReasoning,
      busy: this.session.busy,
    };
  }

  async publishState(): Promise<void> {
    this.emitter.fire({ type: 'state', state: await this.state() });
  }

  ask(text: string, quote?: CodeQuote, surrounding?: SurroundingCode): Promise<Turn> {
    return this.session.ask(text, quote, surrounding);
  }

  retry(turnId?: string): Promise<Turn | undefined> {
    return this.session.retry(turnId);
  }

  stop(): void {
    this.session.stop();
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

  private async forward(event: SessionEvent): Promise<void> {
    switch (event.type) {
      case 'changed':
        this.published = this.publishState();
        return this.published;
      case 'turnAdded':
      case 'turnEnded':
        return this.emitter.fire({ type: event.type, turn: toTurnView(event.turn) });
      default:
        return this.emitter.fire(event);
    }
  }

  dispose(): void {
    this.session.dispose();
    this.emitter.dispose();
  }
}
