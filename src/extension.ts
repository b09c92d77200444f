import * as vscode from 'vscode';
import { ApiKeyStore } from './apiKeyStore';
import { ClientFactory } from './clientFactory';
import { registerApiKeyCommands } from './commands/apiKeyCommands';
import { registerModelCommands } from './commands/modelCommands';
import { ChatController } from './chat/chatController';
import { chatMessageHandler } from './chat/chatActions';
import { CHAT_VIEW_ID, ChatViewProvider } from './chat/chatView';
import { registerChatCommands } from './commands/chatCommands';
import { ConversationStore } from './core/conversations';
import type { HostMessage } from './protocol/messages';
import { Logger } from './logger';
import { ModelRegistry } from './modelRegistry';
import { affectsSettings } from './settings';
import { registerUsageSurfaces, UsageService } from './usage';
import { IoCodeActions } from './rewrite/codeActions';
import { registerEditPresentation } from './rewrite/editPresentation';
import { registerRewriteCommands } from './rewrite/rewriteCommands';
import { PendingEditStore } from './rewrite/pendingEditStore';
import { RewriteController } from './rewrite/rewriteController';
import { announceSetAside } from './setAsideNotice';

/** Handles for the extension's own tests; returned only when VS Code runs the extension in test mode. */
export interface TestApi {
  readonly secrets: vscode.SecretStorage;
  readonly globalState: vscode.Memento;
  readonly workspaceState: vscode.Memento;
  readonly chat: ChatController;
  readonly rewrite: RewriteController;
  readonly usage: UsageService;
  /** Every message the host posted to the chat webview. */
  readonly postedToWebview: readonly HostMessage[];
  /** Every log line written, at every level, after redaction. */
  readonly logLines: readonly string[];
  /** Delivers a message as if the chat webview had sent it (same validation and handler). */
  readonly fromWebview: (raw: unknown) => Promise<void>;
}

/** Only wires: each surface registers itself and hands its disposables to the context. */
const moduleLoaded = performance.now();

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const activateStart = performance.now();
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  const keys = new ApiKeyStore(context.secrets);
  const log = new Logger(() => keys.secretsToRedact(), testMode);
  const clients = new ClientFactory(keys, context.globalState);
  context.subscriptions.push(keys, log);

  const models = new ModelRegistry(clients);

  const usage = new UsageService(context.globalState);
  const controller = new ChatController({ store: announceSetAside(new ConversationStore(context.workspaceState)), clients, keys, models, usage, log });
  const showInChat = async (question: string, answer: string, model: string): Promise<void> => {
    await view.reveal();
    await controller.addExchange(question, answer, model);
  };
  const rewrite = new RewriteController({ clients, models, usage, log, store: announceSetAside(new PendingEditStore(context.workspaceState)), showInChat });
  const view = new ChatViewProvider(context.extensionUri, controller, chatMessageHandler(controller, rewrite), log, testMode);
  registerUsageSurfaces(context, usage);
  context.subscriptions.push(
    usage,
    controller,
    view,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, view),
    keys.onDidChange(() => controller.publishState()),
    vscode.workspace.onDidChangeConfiguration((event) => affectsSettings(event) && controller.publishState()),
  );

  registerApiKeyCommands(context, { keys, clients, log });
  registerModelCommands(context, { clients, models, log });
  registerChatCommands(context, { controller, view, models, rewrite });
  registerRewriteCommands(context, rewrite);
  registerEditPresentation(context, rewrite);
  context.subscriptions.push(
    rewrite,
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new IoCodeActions(), { providedCodeActionKinds: IoCodeActions.kinds }),
  );

  // Pending edits from before a window reload are offered again once activation has returned.
  setTimeout(() => rewrite.restoreOpenDocuments(), 0);
  log.debug(`Activated in ${(performance.now() - activateStart).toFixed(1)} ms (module evaluated ${(activateStart - moduleLoaded).toFixed(1)} ms before).`);
  if (!testMode) return undefined;
  return {
    secrets: context.secrets,
    globalState: context.globalState,
    workspaceState: context.workspaceState,
    chat: controller,
    rewrite,
    usage,
    postedToWebview: view.posted ?? [],
    fromWebview: (raw) => view.receive(raw),
    logLines: log.lines ?? [],
  };
}

export function deactivate(): void {
  // Everything registered is in context.subscriptions and disposed by VS Code.
}
