import * as vscode from 'vscode';
import { ApiKeyStore } from './apiKeyStore';
import { ClientFactory } from './clientFactory';
import { registerApiKeyCommands } from './commands/apiKeyCommands';
import { registerCompletions } from './completions/registerCompletions';
import { registerContext } from './context/registerContext';
import { registerLanguageModels } from './languageModels/registerLanguageModels';
import { registerModelCommands } from './commands/modelCommands';
import { ChatController } from './chat/chatController';
import { chatMessageHandler } from './chat/chatActions';
import { ChatViewProvider } from './chat/chatView';
import { CHAT_VIEW_ID } from './commandIds';
import { registerChatCommands } from './commands/chatCommands';
import { ConversationStore } from './core/conversations';
import { Logger } from './logger';
import { ModelRegistry } from './modelRegistry';
import { affectsSettings, SECTION } from './settings';
import { registerUsageSurfaces, UsageService } from './usage';
import { StatusItem } from './statusItem';
import { IoCodeActions } from './rewrite/codeActions';
import { registerEditPresentation } from './rewrite/editPresentation';
import { registerRewriteCommands } from './rewrite/rewriteCommands';
import { PendingEditStore } from './rewrite/pendingEditStore';
import { RewriteController } from './rewrite/rewriteController';
import { announceSetAside } from './setAsideNotice';
import { testRecorder, type TestApi } from './testApi';
import { registerWalkthrough } from './walkthrough';

export type { TestApi } from './testApi';

/** Only wires: each surface registers itself and hands its disposables to the context. */
const moduleLoaded = performance.now();

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const activateStart = performance.now();
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  const keys = new ApiKeyStore(context.secrets);
  const log = new Logger(() => keys.secretsToRedact());
  const testApi = testMode ? testRecorder(context, log) : undefined;
  const clients = new ClientFactory(keys, context.globalState);
  context.subscriptions.push(keys, log);

  const models = new ModelRegistry(clients);

  const usage = new UsageService(context.globalState);
  const conversations = new ConversationStore(context.workspaceState);
  const pendingEdits = new PendingEditStore(context.workspaceState);
  const attachments = registerContext(context, { clients, usage, log });
  const controller = new ChatController({ store: conversations, clients, keys, models, usage, log, attachments });
  const showInChat = async (question: string, answer: string, model: string): Promise<void> => {
    await view.reveal();
    await controller.addExchange(question, answer, model);
  };
  const rewrite = new RewriteController({ clients, models, usage, log, store: pendingEdits, showInChat });
  const view = new ChatViewProvider(context.extensionUri, controller, chatMessageHandler(controller, rewrite, attachments), log);
  const status = new StatusItem();
  context.subscriptions.push(status);
  registerUsageSurfaces(context, usage, models, status);
  context.subscriptions.push(
    models,
    models.onDidChangeDemo(() => controller.publishState()),
    vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration(`${SECTION}.baseUrl`) && models.forgetServer()),
    usage,
    controller,
    view,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, view),
    keys.onDidChange(() => controller.publishState()),
    vscode.workspace.onDidChangeConfiguration((event) => affectsSettings(event) && controller.publishState()),
  );

  registerApiKeyCommands(context, { keys, clients, models, log });
  registerWalkthrough(context, keys);
  registerModelCommands(context, { clients, models, log });
  registerChatCommands(context, { controller, view, rewrite });
  registerRewriteCommands(context, rewrite);
  registerEditPresentation(context, rewrite, log, status);
  const completions = registerCompletions(context, { keys, clients, models, usage, status, log });
  const languageModels = registerLanguageModels(context, { keys, clients, models, usage, rewrite, log });
  context.subscriptions.push(
    rewrite,
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new IoCodeActions(), { providedCodeActionKinds: IoCodeActions.kinds }),
  );

  // Stored data is read once activation has returned: what could not be read is told, and pending edits from
  // before a window reload are offered again.
  const afterActivation = setTimeout(() => {
    for (const store of [conversations, pendingEdits, usage.ledger]) announceSetAside(store);
    rewrite.restoreOpenDocuments();
  }, 0);
  // Later, once the window has settled: the probe reads the key and loads the client.
  // A local server (the demo of npm start) is asked for its models, so that the Demo labels show before the first
  // request; nothing else is asked at startup (not the IO endpoint, not a remote server).
  const probe = setTimeout(() => models.probeLocal(), PROBE_DELAY_MS);
  context.subscriptions.push({ dispose: () => clearTimeout(afterActivation) }, { dispose: () => clearTimeout(probe) });
  log.debug(`Activated in ${(performance.now() - activateStart).toFixed(1)} ms (module evaluated ${(activateStart - moduleLoaded).toFixed(1)} ms before).`);
  return testApi?.({ chat: controller, rewrite, usage, view, models, completions, status, attachments, languageModels });
}

/** How long after activation a local server is asked for its models (startup work comes first). */
const PROBE_DELAY_MS = 1_500;



export function deactivate(): void {
  // Everything registered is in context.subscriptions and disposed by VS Code.
}
