import { ERROR_ACTIONS, MENTION_KINDS, TURN_ROLES, TURN_STATUSES, type Attachment, type CodeQuote, type ErrorAction, type Reference, type SurroundingCode, type Turn, type TurnError, type TurnUsage } from './domain';
import { fence } from './prompts';
import { isRecord, StoredRecord, type KeyValueStore, type RecordShape } from './storedRecord';

export type { KeyValueStore } from './storedRecord';

export interface Conversation {
  readonly id: string;
  readonly title: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly turns: readonly Turn[];
  /** Set when the user renamed it: its title no longer follows its first question. */
  readonly named?: boolean;
  /**
   * The code around an Explain's quote, by the id of its user turn: sent with that question, never shown, and kept
   * so that a retry (also after a reload) sends exactly what the first try sent.
   */
  readonly surroundings?: Readonly<Record<string, SurroundingCode>>;
}

const STORAGE_KEY = 'ioIntelligence.conversations';
const MAX_CONVERSATIONS = 50;
const TITLE_LENGTH = 60;
/** Ids travel back from the webview, which accepts ids of up to 100 characters (src/protocol/validate.ts). */
const MAX_ID_LENGTH = 100;

interface Stored {
  readonly conversations: readonly Conversation[];
}

/**
 * Stored as `{ version: 1, conversations }` (see storedRecord.ts). Version 0, the bare array stored before, is
 * read the same way and written as version 1 by the next save.
 */
const SHAPE = {
  key: STORAGE_KEY,
  version: 1,
  current: (record) => (Array.isArray(record.conversations) ? { conversations: readConversations(record.conversations) } : undefined),
  older: { 0: (value) => (Array.isArray(value) ? { conversations: readConversations(value) } : undefined) },
  empty: () => ({ conversations: [] }),
  what: 'the saved conversations of this workspace',
  consequence: 'the chat history starts empty',
} satisfies RecordShape<Stored>;

/** Conversations of one workspace, newest first, persisted as a whole after each change. */
export class ConversationStore {
  private readonly record: StoredRecord<Stored>;

  constructor(storage: KeyValueStore) {
    this.record = new StoredRecord(storage, SHAPE);
  }

  all(): Conversation[] {
    return [...this.record.read().conversations];
  }

  get(id: string): Conversation | undefined {
    return this.all().find((c) => c.id === id);
  }

  history(): { id: string; title: string; updatedAt: number }[] {
    return this.all().map(({ id, title, updatedAt }) => ({ id, title, updatedAt }));
  }

  /** Stores a changed copy of a conversation in its place in the history (a rename is not activity). */
  async replace(conversation: Conversation): Promise<void> {
    const all = this.all();
    if (!all.some((c) => c.id === conversation.id)) return this.save(conversation);
    await this.record.write({ conversations: all.map((c) => (c.id === conversation.id ? conversation : c)) });
  }

  /** Forgets a conversation. */
  async remove(id: string): Promise<void> {
    const all = this.all();
    if (all.some((c) => c.id === id)) await this.record.write({ conversations: all.filter((c) => c.id !== id) });
  }

  async save(conversation: Conversation): Promise<void> {
    if (conversation.turns.length === 0) return;
    const others = this.all().filter((c) => c.id !== conversation.id);
    await this.record.write({ conversations: [conversation, ...others].slice(0, MAX_CONVERSATIONS) });
  }

  /** Once: what to tell the user when the stored conversations could not be read and were set aside. */
  takeNotice(): string | undefined {
    return this.record.takeNotice();
  }
}

/**
 * Stored conversations, each checked for what the code relies on: a conversation without a usable id or turns
 * array is dropped, as is a turn without id, known role or text; a later duplicate id is dropped; optional fields
 * that are wrong are left out, and a missing title, time or status is filled in.
 */
function readConversations(values: readonly unknown[]): Conversation[] {
  const seen = new Set<string>();
  const read: Conversation[] = [];
  for (const value of values) {
    const conversation = readConversation(value);
    if (!conversation || seen.has(conversation.id)) continue;
    seen.add(conversation.id);
    read.push(conversation);
  }
  return read;
}

function readConversation(value: unknown): Conversation | undefined {
  if (!isRecord(value) || !isId(value.id) || !Array.isArray(value.turns)) return undefined;
  const seen = new Set<string>();
  const turns: Turn[] = [];
  for (const candidate of value.turns) {
    const turn = readTurn(candidate);
    if (!turn || seen.has(turn.id)) continue;
    seen.add(turn.id);
    turns.push(turn);
  }
  if (turns.length === 0) return undefined; // nothing to show (an empty conversation is never saved)
  const createdAt = time(value.createdAt) ?? time(value.updatedAt) ?? 0;
  return defined({
    id: value.id,
    title: typeof value.title === 'string' ? value.title : titleFor(turns),
    named: value.named === true ? true : undefined,
    createdAt,
    updatedAt: time(value.updatedAt) ?? createdAt,
    turns,
    surroundings: readSurroundings(value.surroundings),
  });
}

function readTurn(value: unknown): Turn | undefined {
  if (!isRecord(value) || !isId(value.id) || !isOneOf(TURN_ROLES, value.role) || typeof value.text !== 'string') return undefined;
  return defined({
    id: value.id,
    role: value.role,
    text: value.text,
    status: storedStatus(value),
    reasoning: optionalString(value.reasoning),
    quote: readQuote(value.quote),
    attachments: readList(value.attachments, readAttachment),
    references: readList(value.references, readReference),
    model: optionalString(value.model),
    note: optionalString(value.note),
    usage: readUsage(value.usage),
    error: readError(value.error),
  });
}

function readQuote(value: unknown): CodeQuote | undefined {
  if (!isRecord(value)) return undefined;
  const { uri, file, language, startLine, endLine, code } = value;
  const ok = typeof uri === 'string' && typeof file === 'string' && typeof language === 'string' && typeof code === 'string';
  return ok && isNumber(startLine) && isNumber(endLine) ? { uri, file, language, startLine, endLine, code } : undefined;
}

function readList<T>(value: unknown, read: (item: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const items = value.map(read).filter((item): item is T => item !== undefined);
  return items.length ? items : undefined;
}

function readAttachment(value: unknown): Attachment | undefined {
  if (!isRecord(value) || !isId(value.id) || !isOneOf(MENTION_KINDS, value.kind) || typeof value.label !== 'string') return undefined;
  return defined({ id: value.id, kind: value.kind, label: value.label, uri: optionalString(value.uri), ...readLines(value) });
}

function readReference(value: unknown): Reference | undefined {
  if (!isRecord(value) || typeof value.uri !== 'string' || typeof value.path !== 'string') return undefined;
  const lines = readLines(value);
  return lines.startLine !== undefined && lines.endLine !== undefined ? { uri: value.uri, path: value.path, startLine: lines.startLine, endLine: lines.endLine } : undefined;
}

function readLines(value: Record<string, unknown>): { startLine?: number; endLine?: number } {
  const { startLine, endLine } = value;
  return isNumber(startLine) && isNumber(endLine) && startLine >= 1 && endLine >= startLine ? { startLine, endLine } : {};
}

function readUsage(value: unknown): TurnUsage | undefined {
  if (!isRecord(value)) return undefined;
  const { promptTokens, completionTokens, estimated } = value;
  return isNumber(promptTokens) && isNumber(completionTokens) && typeof estimated === 'boolean' ? { promptTokens, completionTokens, estimated } : undefined;
}

function readError(value: unknown): TurnError | undefined {
  if (!isRecord(value) || typeof value.message !== 'string') return undefined;
  const actions = Array.isArray(value.actions) ? value.actions.filter((a): a is ErrorAction => isOneOf(ERROR_ACTIONS, a)) : [];
  return { message: value.message, actions };
}

function readSurroundings(value: unknown): Record<string, SurroundingCode> | undefined {
  if (!isRecord(value)) return undefined;
  const entries = Object.entries(value).flatMap(([turnId, s]): [string, SurroundingCode][] =>
    isRecord(s) && typeof s.before === 'string' && typeof s.after === 'string' ? [[turnId, { before: s.before, after: s.after }]] : [],
  );
  // fromEntries defines own properties: a turn id "__proto__" stays a key, never a prototype.
  return entries.length ? Object.fromEntries(entries) : undefined;
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;
}

function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return list.includes(value as T);
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function time(value: unknown): number | undefined {
  return isNumber(value) ? value : undefined;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The object without its undefined fields, as it reads back after a JSON round trip. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The surrounding code stored for a user turn, if any. */
export function surroundingOf(conversation: Conversation, turnId: string | undefined): SurroundingCode | undefined {
  const all = conversation.surroundings;
  return all && turnId !== undefined && Object.hasOwn(all, turnId) ? all[turnId] : undefined;
}

/** A conversation as a markdown document: its title, then each turn under who said it (quoted code in a fence). */
export function conversationMarkdown(conversation: Conversation): string {
  const parts = [`# ${conversation.title}`, `_${new Date(conversation.updatedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC_`];
  for (const turn of conversation.turns) {
    const who = turn.role === 'user' ? 'You' : (turn.model ?? 'IO Intelligence');
    const quote = turn.quote ? `\n\n${turn.quote.file} · lines ${turn.quote.startLine}–${turn.quote.endLine}\n\n${fence(turn.quote.code.replace(/\n$/, ''), turn.quote.language)}` : '';
    parts.push(`## ${who}\n\n${turn.text}${quote}`);
  }
  return `${parts.join('\n\n')}\n`;
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

/**
 * An unknown status (from a later version, say) reads as the end that claims least. So does `streaming`: a turn is
 * saved mid-answer when an older answer of the same conversation ends meanwhile, and nothing streams after a reload.
 */
function storedStatus(value: Record<string, unknown>): Turn['status'] {
  if (isOneOf(TURN_STATUSES, value.status) && value.status !== 'streaming') return value.status;
  return value.role === 'user' ? 'done' : 'interrupted';
}
