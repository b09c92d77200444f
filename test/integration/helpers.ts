import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';

export const EXTENSION_ID = 'io-intelligence.io-intelligence';
export const SECRET_KEY = 'ioIntelligence.apiKey';

export async function activateExtension(): Promise<TestApi> {
  const extension = vscode.extensions.getExtension<TestApi | undefined>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  if (!api) throw new Error('the extension did not return its test API: is it running in test mode?');
  return api;
}

export async function setGlobal(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('ioIntelligence').update(key, value, vscode.ConfigurationTarget.Global);
}

/** Every settings file the user could open: user settings and the workspace's .vscode/settings.json. */
export function settingsFilesText(): string {
  const files = [
    process.env.IOI_TEST_USER_DATA_DIR ? path.join(process.env.IOI_TEST_USER_DATA_DIR, 'User', 'settings.json') : undefined,
    ...(vscode.workspace.workspaceFolders ?? []).map((f) => path.join(f.uri.fsPath, '.vscode', 'settings.json')),
  ].filter((f): f is string => Boolean(f));
  return files.map((f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '')).join('\n');
}

/** Every value of every ioIntelligence setting at every level, as one string. */
export function allSettingValues(): string {
  const config = vscode.workspace.getConfiguration('ioIntelligence');
  const keys = ['baseUrl', 'chatModel', 'editModel', 'temperature', 'maxOutputTokens', 'showReasoning', 'requestTimeoutSeconds', 'idleTimeoutSeconds', 'fallbackModels'];
  return JSON.stringify(keys.map((k) => config.inspect(k)));
}

export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
