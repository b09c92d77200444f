import * as vscode from 'vscode';
import type { ClientFactory } from './clientFactory';
import { isLoopbackHttp } from './core/endpoint';
import { buildCatalog, chatModels, describeModel, isDemoListing, type ListedModel, type ModelInfo } from './core/modelCatalog';
import { RequestError } from './core/errors';
import { readSettings } from './settings';

const FRESH_MS = 10 * 60_000;

/**
 * What the extension knows about models: the server's `/models` when it was asked recently, else the documented table.
 * Requests never wait for `/models`; it is refreshed in the background. A listing belongs to the base URL it came
 * from: when the setting changes, it is forgotten (and with it whether the server is the demo).
 */
export class ModelRegistry implements vscode.Disposable {
  private listed: ListedModel[] | undefined;
  private listedFrom: string | undefined;
  private fetchedAt = 0;
  /** Settles with the failure of the `/models` request in flight, or undefined when it was read. */
  private refreshing: Promise<unknown> | undefined;
  private readonly demoChanged = new vscode.EventEmitter<boolean>();
  /** Fires when the server turns out to be (or stops being) the demo endpoint of `npm start`. */
  readonly onDidChangeDemo = this.demoChanged.event;

  constructor(private readonly clients: ClientFactory) {}

  /** Keeps a listing of `baseUrl` (the current setting when not given); a late one from a server no longer set is dropped. */
  remember(listed: ListedModel[], baseUrl = readSettings().baseUrl): void {
    if (baseUrl !== readSettings().baseUrl) return;
    const wasDemo = this.isDemo;
    this.listed = listed;
    this.listedFrom = baseUrl;
    this.fetchedAt = Date.now();
    if (this.isDemo !== wasDemo) this.demoChanged.fire(this.isDemo);
  }

  /** True when the configured server's `/models` carried the demo marker (design.md, "Demo endpoint"). */
  get isDemo(): boolean {
    return this.listedFrom === readSettings().baseUrl && isDemoListing(this.listed);
  }

  /** The base URL setting changed: the listing described another server. */
  forgetServer(): void {
    const wasDemo = isDemoListing(this.listed);
    this.refreshing = undefined; // a request in flight asked the old server: the new one is asked afresh
    this.listed = undefined;
    this.listedFrom = undefined;
    this.fetchedAt = 0;
    if (wasDemo) this.demoChanged.fire(false);
  }

  /**
   * Resolves when a `/models` request in flight (the startup probe, say) has settled, or after `maxWaitMs`: a prompt
   * that depends on whether this is the demo waits that long at most.
   */
  async settled(maxWaitMs: number): Promise<void> {
    if (!this.refreshing) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, maxWaitMs)));
    await Promise.race([this.refreshing, timeout]).finally(() => clearTimeout(timer));
  }

  info(model: string): ModelInfo {
    return describeModel(model, this.listed?.find((m) => m.id === model));
  }

  /**
   * Whether the configured server's `/models` lists the model; asked now when no listing of this server is kept.
   * Rejects with the failure when `/models` could not be read: not knowing is not "not listed".
   */
  async lists(model: string): Promise<boolean> {
    if (this.listed && this.listedFrom === readSettings().baseUrl) return this.listed.some((m) => m.id === model);
    this.refreshInBackground();
    const failure = await this.refreshing;
    if (this.listed && this.listedFrom === readSettings().baseUrl) return this.listed.some((m) => m.id === model);
    throw failure ?? new RequestError('network', { serverMessage: 'The list of models could not be read.' });
  }

  catalog(): ModelInfo[] {
    return chatModels(buildCatalog(this.listed));
  }

  /**
   * Asks a server on this machine (the demo of `npm start`, vLLM, Ollama) for its models, unless a fresh listing is
   * kept: only loopback decides *whether to ask*; whether it is the demo comes from its own marker alone.
   */
  probeLocal(): void {
    if (isLoopbackHttp(readSettings().baseUrl)) this.refreshInBackground();
  }

  /** Asks `/models` unless a fresh listing is kept; `quiet` never asks the user anything (no base-URL confirmation). */
  refreshInBackground(quiet = false): void {
    if (this.refreshing || Date.now() - this.fetchedAt < FRESH_MS) return;
    const settings = readSettings();
    const refreshing: Promise<unknown> = (quiet ? this.clients.createQuietly(settings) : this.clients.create(settings))
      .then((client) => client.listModels())
      .then(
        (listed) => this.remember(listed, settings.baseUrl),
        (error: unknown) => error, // the table stands in; the next request tries again
      )
      .finally(() => {
        if (this.refreshing === refreshing) this.refreshing = undefined;
      });
    this.refreshing = refreshing;
  }

  dispose(): void {
    this.demoChanged.dispose();
  }
}
