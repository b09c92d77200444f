import * as vscode from 'vscode';
import type { ApiKeyStore } from '../apiKeyStore';
import type { ClientFactory } from '../clientFactory';
import { InternalCommand } from '../commandIds';
import type { Logger } from '../logger';
import type { ModelRegistry } from '../modelRegistry';
import type { RewriteController } from '../rewrite/rewriteController';
import type { UsageService } from '../usage';
import { IoModelProvider, VENDOR } from './ioModelProvider';
import { registerIoParticipant } from './ioParticipant';

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
  context.subscriptions.push(
    provider,
    vscode.lm.registerLanguageModelChatProvider(VENDOR, provider),
    registerIoParticipant(deps),
    vscode.commands.registerCommand(InternalCommand.applyProposal, (uri: string, startLine: number, endLine: number, code: string) => applyProposal(deps.rewrite, uri, startLine, endLine, code)),
  );
  return provider;
}

/** The code an @io answer proposed, as a pending edit of the lines it was asked about: reviewed before it stays. */
async function applyProposal(rewrite: RewriteController, uri: string, startLine: number, endLine: number, code: string): Promise<void> {
  if (typeof uri !== 'string' || typeof code !== 'string' || !Number.isInteger(startLine) || !Number.isInteger(endLine)) return;
  const editor = await vscode.window.showTextDocument(vscode.Uri.parse(uri, true), { preview: false });
  const last = Math.min(endLine, editor.document.lineCount) - 1;
  const range = new vscode.Range(startLine - 1, 0, last, editor.document.lineAt(last).text.length);
  await rewrite.propose(editor, range, code);
}
