import * as vscode from 'vscode';
import type { ApiKeyStore } from '../apiKeyStore';
import type { ClientFactory } from '../clientFactory';
import { CommandId } from '../commandIds';
import { describeError } from '../core/errorText';
import { toRequestError } from '../core/errorMapping';
import { inertText } from '../core/notificationText';
import type { Logger } from '../logger';
import type { ModelRegistry } from '../modelRegistry';
import { readSettings } from '../settings';

export interface ApiKeyDeps {
  readonly keys: ApiKeyStore;
  readonly clients: ClientFactory;
  readonly models: ModelRegistry;
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
  const key = (given ?? (await askForKey(deps.models)))?.trim();
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
    const demo = deps.models.isDemo ? ' This is the demo endpoint of npm start: it accepts any key, and its answers come from the local demo server, not from IO Intelligence.' : '';
    void vscode.window.showInformationMessage(`IO Intelligence API key saved. It works: ${check.modelCount} models available.${demo}`);
    return { stored: true, verified: 'ok', modelCount: check.modelCount };
  }
  void vscode.window.showWarningMessage(inertText(`IO Intelligence API key saved, but it could not be checked: ${check.reason}`));
  return { stored: true, verified: 'unverified' };
}

/** How long the prompt waits for a `/models` answer in flight, to know whether it talks to the demo. */
const DEMO_CHECK_WAIT_MS = 1_500;

/** Against the demo endpoint (known from its `/models` marker) the prompt says that any key will do. */
async function askForKey(models: ModelRegistry): Promise<string | undefined> {
  // Set API Key is the walkthrough's first step, maybe before the startup probe: a local server is asked now.
  models.probeLocal();
  await models.settled(DEMO_CHECK_WAIT_MS);
  const demo = models.isDemo;
  const prompt = demo
    ? `Demo endpoint (${readSettings().baseUrl}): it accepts any key, for example "demo". For IO Intelligence itself, get a key at ${KEYS_URL}.`
    : `Paste your IO Intelligence API key (issued at ${KEYS_URL}). It is kept in VS Code's secret storage.`;
  return vscode.window.showInputBox({
    title: demo ? 'IO Intelligence: Set API Key (Demo)' : 'IO Intelligence: Set API Key',
    prompt,
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
    deps.models.remember(models);
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

