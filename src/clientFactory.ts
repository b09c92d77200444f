import type { IoClient } from './core/apiClient';
import type { ApiKeyStore } from './apiKeyStore';
import { readSettings } from './settings';

/**
 * Builds an IoClient from the current settings and key. The client module (and the openai SDK in it) is loaded on
 * first use, not at activation, so that activating the extension stays cheap.
 */
export class ClientFactory {
  constructor(private readonly keys: ApiKeyStore) {}

  async create(overrideKey?: string): Promise<IoClient> {
    const settings = readSettings();
    const apiKey = overrideKey ?? (await this.keys.get());
    this.keys.remember(apiKey);
    const { IoClient } = await import('./core/apiClient');
    return new IoClient({
      baseUrl: settings.baseUrl,
      apiKey,
      requestTimeoutMs: settings.requestTimeoutSeconds * 1000,
      idleTimeoutMs: settings.idleTimeoutSeconds * 1000,
    });
  }
}
