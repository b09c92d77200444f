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

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.remember(process.env[ENV_KEY]);
    this.subscription = secrets.onDidChange((event) => {
      if (event.key === SECRET_KEY) this.changed.fire();
    });
  }

  async get(): Promise<string | undefined> {
    return (await this.getWithSource())?.key;
  }

  async getWithSource(): Promise<{ key: string; source: KeySource } | undefined> {
    const stored = await this.secrets.get(SECRET_KEY);
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
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
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
