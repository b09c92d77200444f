import * as vscode from 'vscode';
import type { ApiKeyStore } from '../apiKeyStore';
import type { ClientFactory } from '../clientFactory';
import { CommandId, InternalCommand } from '../commandIds';
import type { ApiClient } from '../core/apiClient';
import { clientBackend } from '../core/completions/clientBackend';
import { CompletionEngine, realClock, type CompletionBook } from '../core/completions/completionEngine';
import type { Logger } from '../logger';
import type { ModelRegistry } from '../modelRegistry';
import { SECTION } from '../settings';
import type { StatusItem } from '../statusItem';
import type { UsageService } from '../usage';
import { CompletionStatus } from './completionStatus';
import { affectsCompletions, readCompletionSettings } from './completionSettings';
import { IoInlineCompletions } from './inlineProvider';

export interface CompletionDeps {
  readonly keys: ApiKeyStore;
  readonly clients: ClientFactory;
  readonly models: ModelRegistry;
  readonly usage: UsageService;
  readonly status: StatusItem;
  readonly log: Logger;
}

/** Inline completions: the provider, its toggle, its accepted count and its state in the status bar item. */
export function registerCompletions(context: vscode.ExtensionContext, deps: CompletionDeps): CompletionEngine {
  const clients = new QuietClients(deps.clients);
  const engine = new CompletionEngine(clientBackend(() => clients.get(), (model) => deps.models.lists(model)), usageBook(deps.usage), realClock, (m) => deps.log.info(m));
  const status = new CompletionStatus(engine, deps);
  const changed = (): void => {
    clients.forget();
    engine.clearFailure();
    status.update();
  };
  context.subscriptions.push(
    status,
    vscode.languages.registerInlineCompletionItemProvider(IoInlineCompletions.selector, new IoInlineCompletions({ engine, hasKey: async () => Boolean(await deps.keys.get()), log: (m) => deps.log.debug(m) })),
    vscode.commands.registerCommand(CommandId.toggleInlineCompletions, () => toggle()),
    vscode.commands.registerCommand(InternalCommand.completionAccepted, (model: unknown) => typeof model === 'string' && deps.usage.recordAccepted(model)),
    deps.keys.onDidChange(changed),
    vscode.workspace.onDidChangeConfiguration((event) => affectsCompletions(event) && changed()),
  );
  return engine;
}

/** Flips the user's own setting; a language or folder setting that still says otherwise is named. */
async function toggle(): Promise<boolean> {
  const document = vscode.window.activeTextEditor?.document;
  const on = !readCompletionSettings(document).enabled;
  await vscode.workspace.getConfiguration(SECTION).update('inlineCompletions.enabled', on, vscode.ConfigurationTarget.Global);
  const now = readCompletionSettings(document).enabled;
  if (now !== on) {
    void vscode.window.showInformationMessage(`IO Intelligence: inline completions stay ${now ? 'on' : 'off'} here: a ${document?.languageId ?? ''} or workspace setting of ioIntelligence.inlineCompletions.enabled says so.`, 'Open Settings').then(
      (choice) => choice && vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.inlineCompletions.enabled`),
    );
  } else {
    void vscode.window.setStatusBarMessage(`$(check) IO Intelligence: inline completions ${on ? 'on' : 'off'}.`, 3_000);
  }
  return now;
}

/** The usage ledger as completions see it: their own tokens against their budget, the model's quota shared. */
function usageBook(usage: UsageService): CompletionBook {
  return {
    spentToday: (model) => usage.ledger.completionUsageOf(model).tokens,
    quotaSpent: (model) => usage.ledger.isExhausted(model),
    markQuotaSpent: (model) => usage.markExhausted(model),
    record: (model, tokens) => usage.record(model, tokens, 'completion'),
  };
}

/**
 * One client while the key and settings stay the same (a request per pause in typing should not build an SDK client
 * each time), made without ever asking the user anything.
 */
class QuietClients {
  private client: Promise<ApiClient> | undefined;

  constructor(private readonly factory: ClientFactory) {}

  get(): Promise<ApiClient> {
    this.client ??= this.factory.createQuietly().catch((error: unknown) => {
      this.client = undefined;
      throw error;
    });
    return this.client;
  }

  forget(): void {
    this.client = undefined;
  }
}
