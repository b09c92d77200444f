import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { contributedSettings } from '../fixtures/testSettings';

export const EXTENSION_ID = 'io-intelligence.io-intelligence';
export const SECRET_KEY = 'ioIntelligence.apiKey';

/** Every settings file the user could open: user settings and the workspace's .vscode/settings.json. */
export function settingsFilesText(): string {
  const files = [
    process.env.IOI_TEST_USER_DATA_DIR ? path.join(process.env.IOI_TEST_USER_DATA_DIR, 'User', 'settings.json') : undefined,
    ...(vscode.workspace.workspaceFolders ?? []).map((f) => path.join(f.uri.fsPath, '.vscode', 'settings.json')),
  ].filter((f): f is string => Boolean(f));
  return files.map((f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '')).join('\n');
}

/** Every value of every contributed ioIntelligence setting at every level, as one string. */
export function allSettingValues(): string {
  const config = vscode.workspace.getConfiguration('ioIntelligence');
  const keys = contributedSettings(vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON);
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
