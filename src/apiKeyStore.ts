import * as vscode from 'vscode';

const SECRET_KEY = 'ioIntelligence.apiKey';
const ENV_KEY = 'IOINTELLIGENCE_API_KEY';

export type KeySource = 'secretStorage' | 'environment';

/**
 * The API key lives in SecretStorage only, with the environment variable as a fallback.
 * The last key seen is remembered in memory so that the logger can redact it synchronously.
 */
export class ApiKeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly knownKeys = new Set<string>();
  private readonly subscription: vscode.Disposable;
  /**
   * The stored key as last read. In a browser-hosted VS Code every SecretStorage read is a round trip to the page,
   * which is busy while a view opens; one read per session (and one per change) keeps requests from waiting on it.
   */
  private cached: Promise<string | undefined> | undefined;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.remember(process.env[ENV_KEY]);
    this.subscription = secrets.onDidChange((event) => {
      if (event.key !== SECRET_KEY) return;
      this.cached = undefined;
      this.changed.fire();
    });
  }

  async get(): Promise<string | undefined> {
    return (await this.getWithSource())?.key;
  }

  async getWithSource(): Promise<{ key: string; source: KeySource } | undefined> {
    // A failed read counts as no stored key: the user is then asked to set one, and the next read tries again.
    this.cached ??= Promise.resolve(this.secrets.get(SECRET_KEY)).catch(() => {
      this.cached = undefined;
      return undefined;
    });
    const stored = await this.cached;
    if (stored) {
      this.remember(stored);
      return { key: stored, source: 'secretStorage' };
    }
    const fromEnv = process.env[ENV_KEY]?.trim();
    return fromEnv ? { key: fromEnv, source: 'environment' } : undefined;
  }

  async set(key: string): Promise<void> {
    this.remember(key);
    await this.secrets.store(SECRET_KEY, key);
    this.cached = Promise.resolve(key);
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
    this.cached = Promise.resolve(undefined);
  }

  hasEnvironmentKey(): boolean {
    return Boolean(process.env[ENV_KEY]?.trim());
  }

  /** Every key this session has seen, for redaction. */
  secretsToRedact(): readonly string[] {
    return [...this.knownKeys];
  }

  remember(key: string | undefined): void {
    if (key) this.knownKeys.add(key);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
