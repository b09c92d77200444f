import * as vscode from 'vscode';
import type { ClientFactory } from '../clientFactory';
import { CommandId } from '../commandIds';
import type { Logger } from '../logger';
import type { UsageService } from '../usage';
import { ChatAttachments } from './chatAttachments';
import { CodebaseEmbeddings } from './codebaseEmbeddings';
import { CodebaseIndexService } from './codebaseIndexService';
import { WorkspaceFiles } from './workspaceFiles';

export interface ContextDeps {
  readonly clients: ClientFactory;
  readonly usage: UsageService;
  readonly log: Logger;
}

/** Context for the chat: chips, `@` mentions, the @codebase index and their commands. Nothing is read here. */
export function registerContext(context: vscode.ExtensionContext, deps: ContextDeps): ChatAttachments {
  const files = new WorkspaceFiles();
  const storage = context.storageUri;
  const embeddings = new CodebaseEmbeddings({ ...deps, storage, globalState: context.globalState, mayRead: (uri) => files.includes(uri) });
  const index = new CodebaseIndexService(files, storage, embeddings, deps.log);
  const attachments = new ChatAttachments(files, index, deps.log);
  context.subscriptions.push(
    files,
    embeddings,
    index,
    attachments,
    vscode.commands.registerCommand(CommandId.addFileToChat, (uri?: vscode.Uri, selected?: readonly vscode.Uri[]) => addFileToChat(attachments, uri, selected)),
    vscode.commands.registerCommand(CommandId.rebuildIndex, (given?: IndexAction) => rebuildIndex(index, given === 'rebuild' || given === 'delete' ? given : undefined)),
  );
  return attachments;
}

/**
 * From the explorer (every selected file), an editor tab, or the palette (the active editor's file). The chat opens
 * so that the chip is seen; returns what was refused, for tests.
 */
async function addFileToChat(attachments: ChatAttachments, uri: vscode.Uri | undefined, selected: readonly vscode.Uri[] | undefined): Promise<(string | undefined)[]> {
  const uris = selected?.length ? selected : [uri ?? vscode.window.activeTextEditor?.document.uri].filter((u): u is vscode.Uri => u !== undefined);
  if (!uris.length) {
    void vscode.window.showInformationMessage('Open a file, or right-click one in the Explorer, to add it to the chat.');
    return [];
  }
  await vscode.commands.executeCommand(CommandId.openChat);
  return attachments.attachFiles(uris);
}

type IndexAction = 'rebuild' | 'delete';

/** Rebuild or delete the index: asked in a quick pick, or given (a keybinding's or a test's argument). */
async function rebuildIndex(index: CodebaseIndexService, given?: IndexAction): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showInformationMessage('The codebase index is never built in Restricted Mode. Trust this workspace to use @codebase.');
    return;
  }
  const action = given ?? (await pickIndexAction(index));
  if (action === 'rebuild') await index.rebuild();
  else if (action === 'delete') {
    await index.delete();
    void vscode.window.showInformationMessage('The codebase index was deleted. The next @codebase question builds it again.');
  }
}

async function pickIndexAction(index: CodebaseIndexService): Promise<IndexAction | undefined> {
  const stats = index.stats;
  const held = stats ? `holds ${stats.files.toLocaleString('en')} files in ${stats.chunks.toLocaleString('en')} chunks` : 'is not loaded in this window';
  const items: (vscode.QuickPickItem & { action: IndexAction })[] = [
    { action: 'rebuild', label: '$(refresh) Rebuild the index', detail: 'Reads every file of the workspace again.' },
    { action: 'delete', label: '$(trash) Delete the index', detail: 'Removes it from this machine; the next @codebase question builds it again.' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'IO Intelligence: Codebase Index', placeHolder: `The @codebase index of this workspace ${held}.` });
  return picked?.action;
}
