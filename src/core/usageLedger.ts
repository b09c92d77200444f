import type { KeyValueStore } from './conversations';
import { describeModel } from './modelCatalog';
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

interface StoredDay {
  readonly day: string;
  readonly models: Record<string, { tokens: number; requests: number; estimated: boolean; exhausted?: boolean; warned?: boolean }>;
}

const STORAGE_KEY = 'ioIntelligence.usage';
export const WARN_AT = 0.8;

/** The UTC day a moment belongs to: quotas reset at 00:00 UTC. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Today's token use per model against the free daily API quota (per account, per model, per UTC day). Kept in
 * global state so that every window shares it and a reload keeps it; read afresh before each write for that reason.
 */
export class UsageLedger {
  constructor(
    private readonly store: KeyValueStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Adds a request's usage; says whether this pushed the model past 80 % for the first time today. */
  async record(model: string, usage: TokenUsage): Promise<{ crossedWarning: boolean; usage: ModelUsage }> {
    const day = this.load();
    const before = day.models[model] ?? { tokens: 0, requests: 0, estimated: false };
    const after = { ...before, tokens: before.tokens + usage.totalTokens, requests: before.requests + 1, estimated: before.estimated || usage.estimated };
    const quota = quotaOf(model);
    const crossedWarning = quota !== undefined && !before.warned && after.tokens >= quota * WARN_AT;
    if (crossedWarning) after.warned = true;
    await this.save({ ...day, models: { ...day.models, [model]: after } });
    return { crossedWarning, usage: this.entry(model, after) };
  }

  /** The server said so: the model's quota is spent for today. */
  async markExhausted(model: string): Promise<void> {
    const day = this.load();
    const entry = day.models[model] ?? { tokens: 0, requests: 0, estimated: false };
    await this.save({ ...day, models: { ...day.models, [model]: { ...entry, exhausted: true } } });
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

  private entry(model: string, stored: StoredDay['models'][string]): ModelUsage {
    return { model, tokens: stored.tokens, requests: stored.requests, estimated: stored.estimated, quota: quotaOf(model), exhausted: Boolean(stored.exhausted) };
  }

  private load(): StoredDay {
    const today = utcDay(this.now());
    const stored = this.store.get<StoredDay>(STORAGE_KEY);
    return stored && stored.day === today && stored.models ? stored : { day: today, models: {} };
  }

  private async save(day: StoredDay): Promise<void> {
    await this.store.update(STORAGE_KEY, day);
  }
}

function quotaOf(model: string): number | undefined {
  return describeModel(model).dailyApiTokens;
}

/** The first model of the fallback list that is not spent today (and is not the one that just ran out). */
export function nextFallback(ledger: UsageLedger, spent: string, fallbacks: readonly string[]): string | undefined {
  return fallbacks.find((m) => m !== spent && !ledger.isExhausted(m));
}
