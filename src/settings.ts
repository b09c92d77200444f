import * as vscode from 'vscode';
import { DEFAULT_BASE_URL, normalizeBaseUrl } from './core/endpoint';
import { DEFAULT_MODEL, type Settings } from './core/settings';

export type { Settings } from './core/settings';

export const SECTION = 'ioIntelligence';

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration(SECTION);
  return {
    baseUrl: readBaseUrl(config),
    chatModel: config.get<string>('chatModel') || DEFAULT_MODEL,
    editModel: config.get<string>('editModel') || DEFAULT_MODEL,
    completionModel: config.get<string>('completionModel') || DEFAULT_MODEL,
    temperature: config.get<number>('temperature', 0.2),
    maxOutputTokens: Math.max(1, config.get<number>('maxOutputTokens', 4096)),
    showReasoning: config.get<boolean>('showReasoning', true),
    requestTimeoutSeconds: Math.max(1, config.get<number>('requestTimeoutSeconds', 120)),
    idleTimeoutSeconds: Math.max(1, config.get<number>('idleTimeoutSeconds', 30)),
    fallbackModels: config.get<string[]>('fallbackModels', []),
  };
}

/**
 * Only the user's own (global) value counts: the setting is application-scoped, and even if a workspace file
 * carries a value it must never redirect the key to another host.
 */
function readBaseUrl(config: vscode.WorkspaceConfiguration): string {
  const inspected = config.inspect<string>('baseUrl');
  return normalizeBaseUrl(inspected?.globalValue || DEFAULT_BASE_URL);
}

export function affectsSettings(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(SECTION);
}

export async function updateGlobalSetting(key: keyof Settings, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update(key, value, vscode.ConfigurationTarget.Global);
}
