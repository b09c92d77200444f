import * as vscode from 'vscode';
import type { ApiKeyStore } from '../apiKeyStore';
import type { ClientFactory } from '../clientFactory';
import { CommandId } from '../commandIds';
import { describeError } from '../core/errorText';
import { toRequestError } from '../core/errorMapping';
import { inertText } from '../core/notificationText';
import type { Logger } from '../logger';

export interface ApiKeyDeps {
  readonly keys: ApiKeyStore;
  readonly clients: ClientFactory;
  readonly log: Logger;
}

/** What Set API Key did, returned to callers (tests, the walkthrough) that pass the key as an argument. */
export interface SetKeyResult {
  readonly stored: boolean;
  readonly verified: 'ok' | 'rejected' | 'unverified';
  readonly modelCount?: number;
}

const KEYS_URL = 'https://ai.io.net/ai/api-keys';

export function registerApiKeyCommands(context: vscode.ExtensionContext, deps: ApiKeyDeps): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(CommandId.setApiKey, (key?: unknown) => setApiKey(deps, typeof key === 'string' ? key : undefined)),
    vscode.commands.registerCommand(CommandId.clearApiKey, () => clearApiKey(deps)),
  );
}

async function setApiKey(deps: ApiKeyDeps, given: string | undefined): Promise<SetKeyResult | undefined> {
  const key = (given ?? (await askForKey()))?.trim();
  if (!key) return undefined;
  deps.keys.remember(key);
  const check = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'IO Intelligence: checking the API key…' },
    () => verifyKey(deps, key),
  );
  if (check.verified === 'rejected') {
    void vscode.window.showErrorMessage('The server rejected this API key, so it was not saved. Check it and set it again.', 'Set API Key', 'Get a Key').then(
      (choice) => choice === 'Set API Key' ? vscode.commands.executeCommand(CommandId.setApiKey) : choice && vscode.env.openExternal(vscode.Uri.parse(KEYS_URL)),
    );
    return { stored: false, verified: 'rejected' };
  }
  await deps.keys.set(key);
  deps.log.info(`API key saved in SecretStorage (${check.verified === 'ok' ? 'checked against /models' : 'not checked'}).`);
  if (check.verified === 'ok') {
    void vscode.window.showInformationMessage(`IO Intelligence API key saved. It works: ${check.modelCount} models available.`);
    return { stored: true, verified: 'ok', modelCount: check.modelCount };
  }
  void vscode.window.showWarningMessage(inertText(`IO Intelligence API key saved, but it could not be checked: ${check.reason}`));
  return { stored: true, verified: 'unverified' };
}

async function askForKey(): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: 'IO Intelligence: Set API Key',
    prompt: `Paste your IO Intelligence API key (issued at ${KEYS_URL}). It is kept in VS Code's secret storage.`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : 'The key cannot be empty.'),
  });
}

async function verifyKey(
  deps: ApiKeyDeps,
  key: string,
): Promise<{ verified: 'ok'; modelCount: number } | { verified: 'rejected' } | { verified: 'unverified'; reason: string }> {
  try {
    const client = await deps.clients.create(undefined, key);
    const models = await client.listModels();
    return { verified: 'ok', modelCount: models.length };
  } catch (error) {
    const ioError = toRequestError(error, { apiKey: key });
    deps.log.warn(`Checking the API key failed: ${ioError.kind}`);
    if (ioError.kind === 'badKey') return { verified: 'rejected' };
    return { verified: 'unverified', reason: describeError(ioError) };
  }
}

async function clearApiKey(deps: ApiKeyDeps): Promise<void> {
  await deps.keys.clear();
  deps.log.info('API key removed from SecretStorage.');
  const note = deps.keys.hasEnvironmentKey() ? ' The IOINTELLIGENCE_API_KEY environment variable still provides a key.' : '';
  void vscode.window.showInformationMessage(`IO Intelligence API key cleared.${note}`);
}

