import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ApiClient } from './core/apiClient';
import { displayUrl, isSafeBaseUrl } from './core/endpoint';
import { RequestError } from './core/errors';
import type { ApiKeyStore } from './apiKeyStore';
import { readSettings, type Settings } from './settings';

type ClientModule = typeof import('./core/apiClient');

/**
 * The client and the openai SDK are a separate bundle (dist/client.js, see esbuild.mjs) required on first use, so
 * that activation does not parse them. Under tsc output (tests of this file's callers) the module is required directly.
 */
function loadClientModule(): ClientModule {
  const bundled = path.join(__dirname, 'client.js');
  // A computed path keeps esbuild from inlining the bundle into extension.js: a runtime require is the point here.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = (file: string): ClientModule => require(file) as ClientModule;
  return fs.existsSync(bundled) ? load(bundled) : load('./core/apiClient');
}

const CONFIRMED_URL_KEY = 'ioIntelligence.confirmedInsecureBaseUrl';

/**
 * Builds an ApiClient from the current settings and key. The client module (and the openai SDK in it) is loaded on
 * first use, not at activation, so that activating the extension stays cheap.
 */
export class ClientFactory {
  constructor(
    private readonly keys: ApiKeyStore,
    private readonly globalState: vscode.Memento,
  ) {}

  /** A client for `settings` (a request's plan passes its snapshot; other callers read the current settings). */
  async create(settings: Settings = readSettings(), overrideKey?: string): Promise<ApiClient> {
    if (!(await this.allowBaseUrl(settings.baseUrl))) throw new RequestError('cancelled');
    return this.build(settings, overrideKey ?? (await this.keys.get()));
  }

  /**
   * A client for work the user did not start (completions as they type): it never asks, so a base URL that would need
   * the user's yes is refused until they have said it once (from the chat or a command).
   */
  async createQuietly(settings: Settings = readSettings()): Promise<ApiClient> {
    if (!isSafeBaseUrl(settings.baseUrl) && this.globalState.get<string>(CONFIRMED_URL_KEY) !== settings.baseUrl) {
      throw new RequestError('badRequest', { serverMessage: `${displayUrl(settings.baseUrl)} is not https: send one chat question to confirm it first.` });
    }
    return this.build(settings, await this.keys.get());
  }

  private build(settings: Settings, apiKey: string | undefined): ApiClient {
    this.keys.remember(apiKey);
    const { ApiClient } = loadClientModule();
    return new ApiClient({
      baseUrl: settings.baseUrl,
      apiKey,
      requestTimeoutMs: settings.requestTimeoutSeconds * 1000,
      idleTimeoutMs: settings.idleTimeoutSeconds * 1000,
    });
  }

  /** A base URL that is neither https nor loopback would carry the key in clear text: the user says yes once. */
  private async allowBaseUrl(baseUrl: string): Promise<boolean> {
    if (isSafeBaseUrl(baseUrl) || this.globalState.get<string>(CONFIRMED_URL_KEY) === baseUrl) return true;
    const choice = await vscode.window.showWarningMessage(
      `Send your IO Intelligence API key to ${baseUrl}?`,
      { modal: true, detail: 'This base URL is not https, so the key and your code would cross the network unencrypted.' },
      'Send Anyway',
    );
    if (choice !== 'Send Anyway') return false;
    await this.globalState.update(CONFIRMED_URL_KEY, baseUrl);
    return true;
  }
}
