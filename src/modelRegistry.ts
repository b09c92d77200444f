import type { ClientFactory } from './clientFactory';
import { MIN_USEFUL_OUTPUT_TOKENS, SAFETY_MARGIN_TOKENS } from './core/budget';
import { RequestError } from './core/errors';
import type { ChatMessage } from './core/streamEvents';
import { estimateMessagesTokens } from './core/tokens';
import { buildCatalog, chatModels, describeModel, type ListedModel, type ModelInfo } from './core/modelCatalog';

const FRESH_MS = 10 * 60_000;

/**
 * What the extension knows about models: the server's `/models` when it was asked recently, else the documented table.
 * Requests never wait for `/models`; it is refreshed in the background.
 */
export class ModelRegistry {
  private listed: ListedModel[] | undefined;
  private fetchedAt = 0;
  private refreshing: Promise<void> | undefined;

  constructor(private readonly clients: ClientFactory) {}

  remember(listed: ListedModel[]): void {
    this.listed = listed;
    this.fetchedAt = Date.now();
  }

  info(model: string): ModelInfo {
    return describeModel(model, this.listed?.find((m) => m.id === model));
  }

  catalog(): ModelInfo[] {
    return chatModels(buildCatalog(this.listed));
  }

  /** The failure for a prompt that leaves no room for a useful answer, naming the smallest model that would fit. */
  doesNotFit(model: string, messages: readonly ChatMessage[]): RequestError {
    const needed = estimateMessagesTokens(messages) + MIN_USEFUL_OUTPUT_TOKENS + SAFETY_MARGIN_TOKENS;
    const suggestedModel = this.catalog()
      .filter((m) => m.id !== model && m.contextTokens >= needed)
      .sort((a, b) => a.contextTokens - b.contextTokens)[0]?.id;
    return new RequestError('contextTooLong', { model, suggestedModel });
  }

  refreshInBackground(): void {
    if (this.refreshing || Date.now() - this.fetchedAt < FRESH_MS) return;
    this.refreshing = this.clients
      .create()
      .then((client) => client.listModels())
      .then((listed) => this.remember(listed))
      .catch(() => undefined) // the table stands in; the next request tries again
      .finally(() => (this.refreshing = undefined));
  }
}
