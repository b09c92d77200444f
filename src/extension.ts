import * as vscode from 'vscode';
import { ApiKeyStore } from './apiKeyStore';
import { ClientFactory } from './clientFactory';
import { registerApiKeyCommands } from './commands/apiKeyCommands';
import { registerModelCommands } from './commands/modelCommands';
import { Logger } from './logger';

/** Only wires: each surface registers itself and hands its disposables to the context. */
export function activate(context: vscode.ExtensionContext): void {
  const keys = new ApiKeyStore(context.secrets);
  const log = new Logger(() => keys.secretsToRedact());
  const clients = new ClientFactory(keys);
  context.subscriptions.push(keys, log);

  registerApiKeyCommands(context, { keys, clients, log });
  registerModelCommands(context, { clients, log });
}

export function deactivate(): void {
  // Everything registered is in context.subscriptions and disposed by VS Code.
}
