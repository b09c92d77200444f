import type { ClientFactory } from './clientFactory';
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
