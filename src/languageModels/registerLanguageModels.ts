import * as vscode from 'vscode';
import type { ApiKeyStore } from '../apiKeyStore';
import type { ClientFactory } from '../clientFactory';
import { InternalCommand } from '../commandIds';
import type { Logger } from '../logger';
import type { ModelRegistry } from '../modelRegistry';
import type { RewriteController } from '../rewrite/rewriteController';
import type { UsageService } from '../usage';
import { IoModelProvider, VENDOR } from './ioModelProvider';
import { registerIoParticipant, type ProposalTarget } from './ioParticipant';

export interface LanguageModelDeps {
  readonly keys: ApiKeyStore;
  readonly clients: ClientFactory;
  readonly models: ModelRegistry;
  readonly usage: UsageService;
  readonly rewrite: RewriteController;
  readonly log: Logger;
}

/** IO Intelligence in VS Code's own chat: our models in its model picker, and the `@io` participant. Only registers. */
export function registerLanguageModels(context: vscode.ExtensionContext, deps: LanguageModelDeps): IoModelProvider {
  const provider = new IoModelProvider(deps);
  // VS Code asks the provider for its models once it is registered, after activation has returned: the key and
  // `/models` are read then, at VS Code's request, and a silent request never asks the user anything.
  context.subscriptions.push(
    provider,
    vscode.lm.registerLanguageModelChatProvider(VENDOR, provider),
    registerIoParticipant(deps),
    vscode.commands.registerCommand(InternalCommand.applyProposal, (target: ProposalTarget, code: string) => applyProposal(deps.rewrite, target, code)),
  );
  return provider;
}

/**
 * The code an @io answer proposed, as a pending edit of exactly the range it was asked about: reviewed before it
 * stays. Refused in Restricted Mode (an old button in the chat's history may still be clicked), and when that range no
 * longer holds the text it had (the file changed since the answer).
 */
async function applyProposal(rewrite: RewriteController, target: ProposalTarget, code: string): Promise<void> {
  if (!isTarget(target) || typeof code !== 'string') return;
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showInformationMessage('This workspace is in Restricted Mode: @io does not change files here. Copy the code from the answer instead.');
    return;
  }
  const editor = await vscode.window.showTextDocument(vscode.Uri.parse(target.uri, true), { preview: false });
  const range = new vscode.Range(editor.document.positionAt(target.start), editor.document.positionAt(target.end));
  if (editor.document.getText(range) !== target.original) {
    void vscode.window.showWarningMessage('The code @io was asked about has changed since: ask again to get a proposal for the code as it is now.');
    return;
  }
  await rewrite.propose(editor, range, code);
}

function isTarget(value: unknown): value is ProposalTarget {
  const t = value as ProposalTarget | undefined;
  return typeof t?.uri === 'string' && typeof t.original === 'string' && Number.isInteger(t.start) && Number.isInteger(t.end) && t.start >= 0 && t.end >= t.start;
}
