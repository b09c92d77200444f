import * as vscode from 'vscode';
import { ApiKeyStore } from './apiKeyStore';
import { ClientFactory } from './clientFactory';
import { registerApiKeyCommands } from './commands/apiKeyCommands';
import { registerModelCommands } from './commands/modelCommands';
import { Logger } from './logger';

/** Handles for the extension's own tests; returned only when VS Code runs the extension in test mode. */
export interface TestApi {
  readonly secrets: vscode.SecretStorage;
  readonly globalState: vscode.Memento;
  readonly workspaceState: vscode.Memento;
}

/** Only wires: each surface registers itself and hands its disposables to the context. */
export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const keys = new ApiKeyStore(context.secrets);
  const log = new Logger(() => keys.secretsToRedact());
  const clients = new ClientFactory(keys);
  context.subscriptions.push(keys, log);

  registerApiKeyCommands(context, { keys, clients, log });
  registerModelCommands(context, { clients, log });

  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return { secrets: context.secrets, globalState: context.globalState, workspaceState: context.workspaceState };
}

export function deactivate(): void {
  // Everything registered is in context.subscriptions and disposed by VS Code.
}
