import * as vscode from 'vscode';
import type { ClientFactory } from '../clientFactory';
import { CommandId } from '../commandIds';
import { toRequestError } from '../core/errorMapping';
import { describeError } from '../core/errorText';
import type { RequestError } from '../core/errors';
import { inertText } from '../core/notificationText';
import { servesCompletions } from '../core/completions/completionTransport';
import { buildCatalog, chatModels, formatTokens, isEmbeddingModel, type ModelInfo } from '../core/modelCatalog';
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
    vscode.commands.registerCommand(CommandId.selectModel, (modelId?: unknown, options?: unknown) =>
      selectModel(deps, typeof modelId === 'string' ? modelId : undefined, targetOf(options)),
    ),
  );
}

/** What Select Model sets: the model of the chat, of rewrites, of inline completions, or all of them. */
type ModelTarget = 'chat' | 'edit' | 'completion' | 'all';
type ModelSetting = 'chatModel' | 'editModel' | 'completionModel';
const TARGETS: Record<ModelTarget, { readonly settings: readonly ModelSetting[]; readonly name: string }> = {
  chat: { settings: ['chatModel'], name: 'Chat' },
  edit: { settings: ['editModel'], name: 'Rewrite' },
  completion: { settings: ['completionModel'], name: 'Inline Completions' },
  all: { settings: ['chatModel', 'editModel', 'completionModel'], name: 'Chat, Rewrite and Completions' },
};
const NOT_FOR_COMPLETIONS = 'a reasoning model: it thinks before it answers, far too slow and costly for ghost text';
/** The order the picker's button steps through: the order of TARGETS. */
const TARGET_ORDER = Object.keys(TARGETS) as ModelTarget[];

/** `{ target }` from a caller; an unknown target is refused (null), a missing one is the chat. */
function targetOf(options: unknown): ModelTarget | null {
  const target = options && typeof options === 'object' ? (options as { target?: unknown }).target : undefined;
  if (target === undefined) return 'chat';
  return typeof target === 'string' && Object.hasOwn(TARGETS, target) ? (target as ModelTarget) : null;
}

/**
 * Sets the model of a target (the chat unless told otherwise). With an id it runs without UI (for tests and links)
 * and returns the id it set; the picker lets the user switch the target and says what it sets.
 */
async function selectModel(deps: ModelDeps, given: string | undefined, target: ModelTarget | null): Promise<string | undefined> {
  if (!target) {
    void vscode.window.showErrorMessage(`Select Model sets the model of ${TARGET_ORDER.map((t) => `“${t}”`).join(', ')}.`);
    return undefined;
  }
  const catalog = await loadCatalog(deps);
  if (!catalog) return undefined;
  const choices = chatModels(catalog.models);
  const picked = given ? { modelId: given, target } : await pickModel(choices, target, catalog.fromServer);
  if (!picked) return undefined;
  // Known without the server: an id given by a caller must not make an embedding model the chat's, even offline.
  if (isEmbeddingModel(picked.modelId)) {
    void vscode.window.showErrorMessage(inertText(`${picked.modelId} is an embedding model: it turns code into vectors for @codebase (ioIntelligence.embeddingModel), it cannot chat, rewrite or complete code.`));
    return undefined;
  }
  if (catalog.fromServer && !choices.some((m) => m.id === picked.modelId)) {
    void vscode.window.showErrorMessage(inertText(`The server does not offer a chat model “${picked.modelId}”. Select one it lists.`), 'Select Model').then(
      (choice) => choice && vscode.commands.executeCommand(CommandId.selectModel),
    );
    return undefined;
  }
  const settings = TARGETS[picked.target].settings.filter((s) => s !== 'completionModel' || servesCompletions(picked.modelId));
  if (!settings.length) {
    void vscode.window.showErrorMessage(inertText(`${picked.modelId} is ${NOT_FOR_COMPLETIONS}: it is never used for inline completions. Pick another model for them.`));
    return undefined;
  }
  for (const setting of settings) await updateGlobalSetting(setting, picked.modelId);
  const kept = settings.length < TARGETS[picked.target].settings.length ? ` Inline completions keep ${readSettings().completionModel}: this is ${NOT_FOR_COMPLETIONS}.` : '';
  const what = `${TARGETS[picked.target].name} model set to ${picked.modelId}.${kept}`;
  deps.log.info(what);
  void vscode.window.setStatusBarMessage(`$(check) ${what}`, 4_000);
  return picked.modelId;
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

/** The models, marked for the current target, with a title button that switches the target. */
function pickModel(models: readonly ModelInfo[], initial: ModelTarget, fromServer: boolean): Promise<{ modelId: string; target: ModelTarget } | undefined> {
  const pick = vscode.window.createQuickPick<ModelItem>();
  const switchTarget: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('arrow-swap'), tooltip: 'Set the model for something else: Chat, Rewrite, Inline Completions, or all' };
  let target = initial;
  const show = (): void => {
    const settings = readSettings();
    const current = TARGETS[target].settings.map((key) => settings[key]);
    pick.title = `IO Intelligence: Select Model for ${TARGETS[target].name}`;
    pick.placeholder = `Sets ${TARGETS[target].settings.map((key) => `ioIntelligence.${key}`).join(' and ')} (now ${[...new Set(current)].join(' / ')})${fromServer ? '' : ' — from the documented table, the server could not be asked'}`;
    pick.items = models.map((model) => ({
      modelId: model.id,
      label: current.includes(model.id) ? `$(check) ${model.id}` : model.id,
      description: `${formatTokens(model.contextTokens)} context${model.contextSource === 'default' ? ' (assumed)' : ''}`,
      detail: target === 'completion' && !servesCompletions(model.id) ? `$(circle-slash) Not for completions: ${NOT_FOR_COMPLETIONS}` : model.dailyApiTokens ? `Free daily API quota ${formatTokens(model.dailyApiTokens)} tokens` : undefined,
    }));
  };
  pick.buttons = [switchTarget];
  pick.matchOnDescription = true;
  // Opened from the walkthrough, whose editor takes focus back: the pick must stay until the user chooses.
  pick.ignoreFocusOut = true;
  show();
  return new Promise((resolve) => {
    pick.onDidTriggerButton(() => {
      target = TARGET_ORDER[(TARGET_ORDER.indexOf(target) + 1) % TARGET_ORDER.length];
      show();
    });
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0];
      resolve(chosen && { modelId: chosen.modelId, target });
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}
