import { describeModel } from './modelCatalog';
import { isRecord, StoredRecord, type Fields, type KeyValueStore, type RecordShape } from './storedRecord';
import type { TokenUsage } from './streamEvents';

/** Tokens one model used today. */
export interface ModelUsage {
  readonly model: string;
  readonly tokens: number;
  readonly requests: number;
  /** Some of the figures are our estimate (the server sent no usage). */
  readonly estimated: boolean;
  /** The free daily API quota, when the documented table knows the model. */
  readonly quota: number | undefined;
  /** The server said the quota is spent (a quota 429), whatever our count says. */
  readonly exhausted: boolean;
}

interface StoredEntry {
  tokens: number;
  requests: number;
  estimated: boolean;
  exhausted?: boolean;
  warned?: boolean;
}

/** Completions' own share of a model's day: their budget is counted apart from chat and rewrite. */
export interface CompletionUsage {
  readonly model: string;
  readonly tokens: number;
  readonly requests: number;
  /** Suggestions the user accepted (Tab). */
  readonly accepted: number;
}

type StoredCompletions = Omit<CompletionUsage, 'model'>;

/**
 * What a request was for: completions are also counted apart, against their own daily budget; embeddings (the
 * @codebase index) go to the embedding model's own day, which a chat model's never shares.
 */
export type UsagePurpose = 'answer' | 'completion' | 'embedding';

interface StoredDay {
  readonly day: string;
  readonly models: Record<string, StoredEntry>;
  readonly completions?: Record<string, StoredCompletions>;
}

const STORAGE_KEY = 'ioIntelligence.usage';
export const WARN_AT = 0.8;

/**
 * Stored as `{ version: 1, day, models }` (see storedRecord.ts). Version 0, the same without `version`, is read
 * the same way and written as version 1 by the next record.
 */
const SHAPE = {
  key: STORAGE_KEY,
  version: 1,
  current: readDay,
  older: { 0: (value) => (isRecord(value) ? readDay(value) : undefined) },
  empty: () => ({ day: '', models: {} }),
  what: "today's usage figures",
  consequence: "today's count starts from zero, so the 80 % warning may come late",
} satisfies RecordShape<StoredDay>;

/** The UTC day a moment belongs to: quotas reset at 00:00 UTC. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Today's token use per model against the free daily API quota (per account, per model, per UTC day). Kept in
 * global state so that every window shares it and a reload keeps it; read afresh before each write for that reason.
 */
export class UsageLedger {
  private readonly stored: StoredRecord<StoredDay>;

  constructor(
    store: KeyValueStore,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.stored = new StoredRecord(store, SHAPE, now);
  }

  /** Once: what to tell the user when the stored figures could not be read and were set aside. */
  takeNotice(): string | undefined {
    return this.stored.takeNotice();
  }

  /**
   * Adds a request's usage; says whether this pushed the model past 80 % for the first time today. Never for
   * embeddings: the index embeds in the background, where a warning would interrupt the user with no choice to make;
   * whoever embeds asks isExhausted first (keyword search needs no quota), and the usage page shows the figures.
   */
  async record(model: string, usage: TokenUsage, purpose: UsagePurpose = 'answer'): Promise<{ crossedWarning: boolean; usage: ModelUsage }> {
    const loaded = this.load();
    const day = purpose === 'completion' ? withCompletions(loaded, model, (c) => ({ ...c, tokens: c.tokens + usage.totalTokens, requests: c.requests + 1 })) : loaded;
    const before = entryOf(day, model);
    const after = { ...before, tokens: before.tokens + usage.totalTokens, requests: before.requests + 1, estimated: before.estimated || usage.estimated };
    const quota = quotaOf(model);
    const crossedWarning = purpose !== 'embedding' && quota !== undefined && !before.warned && after.tokens >= quota * WARN_AT;
    if (crossedWarning) after.warned = true;
    await this.save({ ...day, models: { ...day.models, [model]: after } });
    return { crossedWarning, usage: this.entry(model, after) };
  }

  /** The server said so: the model's quota is spent for today. */
  async markExhausted(model: string): Promise<void> {
    const day = this.load();
    const entry = entryOf(day, model);
    await this.save({ ...day, models: { ...day.models, [model]: { ...entry, exhausted: true } } });
  }

  /** A completion the user accepted. */
  async recordAccepted(model: string): Promise<void> {
    await this.save(withCompletions(this.load(), model, (c) => ({ ...c, accepted: c.accepted + 1 })));
  }

  /** Completions' figures for a model today. */
  completionUsageOf(model: string): CompletionUsage {
    return { model, ...completionsOf(this.load(), model) };
  }

  /** Every model that served completions today, most used first. */
  completionsToday(): CompletionUsage[] {
    const day = this.load();
    return Object.entries(day.completions ?? {})
      .map(([model, entry]) => ({ model, ...entry }))
      .sort((a, b) => b.tokens - a.tokens);
  }

  isExhausted(model: string): boolean {
    const found = this.today().find((u) => u.model === model);
    return Boolean(found && (found.exhausted || (found.quota !== undefined && found.tokens >= found.quota)));
  }

  usageOf(model: string): ModelUsage {
    return this.today().find((u) => u.model === model) ?? this.entry(model, { tokens: 0, requests: 0, estimated: false });
  }

  /** Every model used today, most used first. */
  today(): ModelUsage[] {
    const day = this.load();
    return Object.entries(day.models)
      .map(([model, entry]) => this.entry(model, entry))
      .sort((a, b) => b.tokens - a.tokens);
  }

  private entry(model: string, stored: StoredEntry): ModelUsage {
    return { model, tokens: stored.tokens, requests: stored.requests, estimated: stored.estimated, quota: quotaOf(model), exhausted: Boolean(stored.exhausted) };
  }

  private load(): StoredDay {
    const today = utcDay(this.now());
    const stored = this.stored.read();
    return stored.day === today ? stored : { day: today, models: {} };
  }

  private async save(day: StoredDay): Promise<void> {
    await this.stored.write(day);
  }
}

/** A model's figures today; by own key only, so that a model id such as "constructor" finds nothing inherited. */
function entryOf(day: StoredDay, model: string): StoredEntry {
  return Object.hasOwn(day.models, model) ? day.models[model] : { tokens: 0, requests: 0, estimated: false };
}

function completionsOf(day: StoredDay, model: string): StoredCompletions {
  return day.completions && Object.hasOwn(day.completions, model) ? day.completions[model] : { tokens: 0, requests: 0, accepted: 0 };
}

function withCompletions(day: StoredDay, model: string, change: (entry: StoredCompletions) => StoredCompletions): StoredDay {
  return { ...day, completions: { ...day.completions, [model]: change(completionsOf(day, model)) } };
}

/** A stored day; an entry whose counts are not numbers is dropped, a flag that is not a boolean is left out. */
function readDay(record: Fields): StoredDay | undefined {
  if (typeof record.day !== 'string' || !isRecord(record.models)) return undefined;
  const models = Object.entries(record.models).flatMap(([model, value]): [string, StoredEntry][] => {
    if (!isRecord(value) || !isCount(value.tokens) || !isCount(value.requests)) return [];
    const entry: StoredEntry = { tokens: value.tokens, requests: value.requests, estimated: typeof value.estimated === 'boolean' ? value.estimated : true };
    if (typeof value.exhausted === 'boolean') entry.exhausted = value.exhausted;
    if (typeof value.warned === 'boolean') entry.warned = value.warned;
    return [[model, entry]];
  });
  // fromEntries defines own properties: a model id "__proto__" stays a key, never a prototype.
  return { day: record.day, models: Object.fromEntries(models), ...(isRecord(record.completions) ? { completions: readCompletions(record.completions) } : {}) };
}

/** Completions' figures of a stored day; an entry whose counts are not numbers is dropped (an older version has none). */
function readCompletions(value: unknown): Record<string, StoredCompletions> {
  if (!isRecord(value)) return {};
  const entries = Object.entries(value).flatMap(([model, entry]): [string, StoredCompletions][] =>
    isRecord(entry) && isCount(entry.tokens) && isCount(entry.requests) && isCount(entry.accepted) ? [[model, { tokens: entry.tokens, requests: entry.requests, accepted: entry.accepted }]] : [],
  );
  return Object.fromEntries(entries);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function quotaOf(model: string): number | undefined {
  return describeModel(model).dailyApiTokens;
}
