import * as vscode from 'vscode';
import type { ClientFactory } from '../clientFactory';
import { CommandId } from '../commandIds';
import { toRequestError } from '../core/errorMapping';
import { describeError } from '../core/errorText';
import type { RequestError } from '../core/errors';
import { inertText } from '../core/notificationText';
import { buildCatalog, chatModels, formatTokens, type ModelInfo } from '../core/modelCatalog';
import { notifyError } from '../errorNotifications';
import type { Logger } from '../logger';
import type { ModelRegistry } from '../modelRegistry';
import { readSettings, updateGlobalSetting } from '../settings';

export interface ModelDeps {
  readonly clients: ClientFactory;
  readonly models: ModelRegistry;
  readonly log: Logger;
}

export function registerModelCommands(context: vscode.ExtensionContext, deps: ModelDeps): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(CommandId.selectModel, (modelId?: unknown) =>
      selectModel(deps, typeof modelId === 'string' ? modelId : undefined),
    ),
  );
}

/** Sets the chat model. With an id it runs without UI (for tests and links) and returns the id it set. */
async function selectModel(deps: ModelDeps, given: string | undefined): Promise<string | undefined> {
  const catalog = await loadCatalog(deps);
  if (!catalog) return undefined;
  const choices = chatModels(catalog.models);
  const current = readSettings().chatModel;
  const chosen = given ?? (await pickModel(choices, current, catalog.fromServer));
  if (!chosen) return undefined;
  if (catalog.fromServer && !choices.some((m) => m.id === chosen)) {
    void vscode.window.showErrorMessage(inertText(`The server does not offer a chat model “${chosen}”. Select one it lists.`), 'Select Model').then(
      (choice) => choice && vscode.commands.executeCommand(CommandId.selectModel),
    );
    return undefined;
  }
  await updateGlobalSetting('chatModel', chosen);
  deps.log.info(`Chat model set to ${chosen}.`);
  return chosen;
}

async function loadCatalog(deps: ModelDeps): Promise<{ models: ModelInfo[]; fromServer: boolean } | undefined> {
  try {
    const client = await deps.clients.create();
    const listed = await client.listModels();
    deps.models.remember(listed);
    return { models: buildCatalog(listed), fromServer: true };
  } catch (error) {
    const ioError: RequestError = toRequestError(error);
    deps.log.warn(`Listing models failed: ${ioError.kind}`);
    if (ioError.kind === 'noKey' || ioError.kind === 'badKey') {
      void notifyError(ioError);
      return undefined;
    }
    // Offline, a failing server or a refused redirect: the documented table still lets the user choose, and the
    // reason is shown, since it may be a setting to fix (ioIntelligence.baseUrl).
    const reason = ioError.kind === 'cancelled' ? '' : ` ${describeError(ioError)}`;
    void vscode.window.showWarningMessage(inertText(`Could not list the server’s models, so the documented IO Intelligence models are shown instead.${reason}`));
    return { models: buildCatalog(undefined), fromServer: false };
  }
}

interface ModelItem extends vscode.QuickPickItem {
  readonly modelId: string;
}

async function pickModel(models: readonly ModelInfo[], current: string, fromServer: boolean): Promise<string | undefined> {
  const items: ModelItem[] = models.map((model) => ({
    modelId: model.id,
    label: model.id === current ? `$(check) ${model.id}` : model.id,
    description: `${formatTokens(model.contextTokens)} context${model.contextSource === 'default' ? ' (assumed)' : ''}`,
    detail: model.dailyApiTokens ? `Free daily API quota ${formatTokens(model.dailyApiTokens)} tokens` : undefined,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'IO Intelligence: Select Model',
    placeHolder: fromServer ? `Chat model (now ${current})` : `Chat model (now ${current}) — from the documented table, the server could not be asked`,
    matchOnDescription: true,
    // Opened from the walkthrough, whose editor takes focus back: the pick must stay until the user chooses.
    ignoreFocusOut: true,
  });
  return picked?.modelId;
}
