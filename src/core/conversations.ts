import type { SurroundingCode, Turn } from './domain';

export interface Conversation {
  readonly id: string;
  readonly title: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly turns: readonly Turn[];
  /**
   * The code around an Explain's quote, by the id of its user turn: sent with that question, never shown, and kept
   * so that a retry (also after a reload) sends exactly what the first try sent.
   */
  readonly surroundings?: Readonly<Record<string, SurroundingCode>>;
}

/** The part of VS Code's Memento the store needs, so that the store runs under plain Node too. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

const STORAGE_KEY = 'ioIntelligence.conversations';
const MAX_CONVERSATIONS = 50;
const TITLE_LENGTH = 60;

/** Conversations of one workspace, newest first, persisted as a whole after each change. */
export class ConversationStore {
  constructor(private readonly storage: KeyValueStore) {}

  all(): Conversation[] {
    const stored = this.storage.get<Conversation[]>(STORAGE_KEY);
    return Array.isArray(stored) ? stored : [];
  }

  get(id: string): Conversation | undefined {
    return this.all().find((c) => c.id === id);
  }

  history(): { id: string; title: string; updatedAt: number }[] {
    return this.all().map(({ id, title, updatedAt }) => ({ id, title, updatedAt }));
  }

  async save(conversation: Conversation): Promise<void> {
    if (conversation.turns.length === 0) return;
    const others = this.all().filter((c) => c.id !== conversation.id);
    await this.storage.update(STORAGE_KEY, [conversation, ...others].slice(0, MAX_CONVERSATIONS));
  }
}

/** The surrounding code stored for a user turn, if any. */
export function surroundingOf(conversation: Conversation, turnId: string | undefined): SurroundingCode | undefined {
  const all = conversation.surroundings;
  return all && turnId !== undefined && Object.hasOwn(all, turnId) ? all[turnId] : undefined;
}

export function newConversation(id: string, now = Date.now()): Conversation {
  return { id, title: 'New chat', createdAt: now, updatedAt: now, turns: [] };
}

/** A conversation is titled after its first question (or the file it quoted). */
export function titleFor(turns: readonly Turn[]): string {
  const first = turns.find((t) => t.role === 'user');
  if (!first) return 'New chat';
  const text = first.quote ? `${first.text} ${first.quote.file}:${first.quote.startLine}` : first.text;
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > TITLE_LENGTH ? `${flat.slice(0, TITLE_LENGTH - 1)}…` : flat;
}
