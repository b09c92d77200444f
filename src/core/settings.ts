/**
 * The extension's settings as one immutable snapshot. The adapter reads VS Code's configuration into it once per
 * request (src/settings.ts); everything after reads the snapshot, so a request never mixes two configurations.
 */
export interface Settings {
  readonly baseUrl: string;
  readonly chatModel: string;
  readonly editModel: string;
  readonly completionModel: string;
  readonly temperature: number;
  readonly maxOutputTokens: number;
  readonly showReasoning: boolean;
  readonly requestTimeoutSeconds: number;
  readonly idleTimeoutSeconds: number;
  readonly fallbackModels: readonly string[];
}

export const DEFAULT_MODEL = 'Qwen/Qwen2.5-Coder-32B-Instruct';
