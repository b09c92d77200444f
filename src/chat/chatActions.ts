import * as vscode from 'vscode';
import { CommandId } from '../commandIds';
import { conversationMarkdown } from '../core/conversations';
import { inertText } from '../core/notificationText';
import { runAction } from '../errorNotifications';
import type { WebviewMessage } from '../protocol/messages';
import { isOpenableLink } from '../protocol/validate';
import type { RewriteController } from '../rewrite/rewriteController';
import { confirmWrite } from '../writeGuard';
import type { ChatAttachments } from '../context/chatAttachments';
import { isInsideWorkspace } from '../exclusions';
import { wholeLines } from '../editorRange';
import type { ChatController } from './chatController';

/** What each message from the chat webview does on the host side. */
export function chatMessageHandler(controller: ChatController, rewrite: RewriteController, attachments: ChatAttachments): (message: WebviewMessage) => Promise<void> {
  return async (message) => {
    switch (message.type) {
      case 'ready':
        return controller.publishState();
      case 'send':
        await controller.send(message.text.trim());
        return;
      case 'mentionQuery':
        // The kinds at once; the files once the workspace is listed (the first time, that takes a moment).
        await controller.tell({ type: 'mentionOptions', query: message.query, options: attachments.catalog.kinds(message.query) });
        return controller.tell({ type: 'mentionOptions', query: message.query, options: await attachments.catalog.options(message.query) });
      case 'attach':
        if (message.uri !== undefined && !workspaceUri(message.uri)) return;
        await attachments.attach(message.kind, message.uri === undefined ? undefined : workspaceUri(message.uri));
        return;
      case 'detach':
        return attachments.tray.remove(message.id);
      case 'dropFiles':
        await attachments.attachFiles(message.uris.flatMap((uri) => workspaceUri(uri) ?? []));
        return;
      case 'openReference':
        return openReference(controller, message.turnId, message.index);
      case 'stop':
        return controller.stop();
      case 'newChat':
        return controller.newChat();
      case 'openConversation':
        return controller.open(message.id);
      case 'copyCode':
        await vscode.env.clipboard.writeText(message.code);
        void vscode.window.setStatusBarMessage('$(check) Code copied', 2_000);
        return;
      case 'insertCode':
        return insertAtCursor(message.code);
      case 'applyCode':
        await applyThroughReview(rewrite, message.code);
        return;
      case 'openLink':
        if (isOpenableLink(message.href)) await vscode.env.openExternal(vscode.Uri.parse(message.href, true));
        return;
      case 'revealQuote':
        return revealQuote(controller, message.turnId);
      case 'runAction':
        return runAction(message.action, () => controller.retry(message.turnId));
      case 'selectModel':
        await vscode.commands.executeCommand(CommandId.selectModel);
        return;
      case 'renameConversation':
        return renameConversation(controller, message.id);
      case 'deleteConversation':
        return deleteConversation(controller, message.id);
      case 'exportConversation':
        return exportConversation(controller, message.id);
      case 'copyAnswer':
        return copyAnswer(controller, message.turnId);
      case 'regenerate':
        if (refusedWhileBusy(controller, 'regenerating an answer')) return;
        if (await confirmReplacing(controller.turnsAfter(message.turnId), 'Regenerate', 'the')) await controller.regenerate(message.turnId);
        return;
      case 'editTurn':
        if (refusedWhileBusy(controller, 'resending a question')) return;
        // The question's own answer is replaced anyway: only what came after it needs a confirmation.
        if (await confirmReplacing(controller.turnsAfter(message.turnId) - 1, 'Resend', 'its answer and the')) await controller.edit(message.turnId, message.text.trim());
        return;
    }
  };
}

/**
 * A uri the view names: only a file of the workspace (the view never attaches anything else, and a drop from
 * outside the workspace is refused rather than read).
 */
function workspaceUri(text: string): vscode.Uri | undefined {
  try {
    const uri = vscode.Uri.parse(text, true);
    return isInsideWorkspace(uri) ? uri : undefined;
  } catch {
    return undefined;
  }
}

/** Opens the file an answer cites, with the cited lines selected. */
async function openReference(controller: ChatController, turnId: string, index: number): Promise<void> {
  const reference = controller.turn(turnId)?.references?.[index];
  if (!reference) return;
  const selection = wholeLines(reference.startLine, reference.endLine);
  await vscode.window.showTextDocument(vscode.Uri.parse(reference.uri, true), { selection, preview: true });
}

/** The stored text of an answer (not what the view shows), so that the copy is exactly what the model wrote. */
async function copyAnswer(controller: ChatController, turnId: string): Promise<void> {
  const turn = controller.turn(turnId);
  if (turn?.role !== 'assistant' || !turn.text) return;
  await vscode.env.clipboard.writeText(turn.text);
  void vscode.window.setStatusBarMessage('$(check) Answer copied', 2_000);
}

async function renameConversation(controller: ChatController, id: string): Promise<void> {
  const conversation = controller.conversation(id);
  if (!conversation) return;
  const title = await vscode.window.showInputBox({
    title: 'IO Intelligence: Rename Conversation',
    prompt: 'Leave it empty to name it after its first question again.',
    value: conversation.title,
    ignoreFocusOut: true,
  });
  if (title !== undefined) await controller.rename(id, title);
}

async function deleteConversation(controller: ChatController, id: string): Promise<void> {
  const conversation = controller.conversation(id);
  if (!conversation) return;
  const choice = await vscode.window.showWarningMessage(inertText(`Delete the conversation “${conversation.title}”?`), { modal: true, detail: 'It cannot be restored.' }, 'Delete');
  if (choice === 'Delete') await controller.remove(id);
}

/** Writes the conversation as markdown where the user chooses (the save dialog asks before replacing a file). */
async function exportConversation(controller: ChatController, id: string): Promise<void> {
  const conversation = controller.conversation(id);
  if (!conversation) return;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = `${conversation.title.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 60) || 'conversation'}.md`;
  const target = await vscode.window.showSaveDialog({
    title: 'IO Intelligence: Export Conversation',
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: { Markdown: ['md'] },
  });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(conversationMarkdown(conversation)));
  const choice = await vscode.window.showInformationMessage(inertText(`Conversation exported to ${vscode.workspace.asRelativePath(target)}.`), 'Open');
  if (choice === 'Open') await vscode.window.showTextDocument(target);
}

/** One answer at a time: said at once, before any question about replacing turns. */
function refusedWhileBusy(controller: ChatController, what: string): boolean {
  if (!controller.busy) return false;
  void vscode.window.showInformationMessage(`An answer is still streaming: stop it or let it finish before ${what}.`);
  return true;
}

/** Regenerating or editing an earlier turn drops the turns after it: asked first when there are any. */
async function confirmReplacing(later: number, verb: string, what: string): Promise<boolean> {
  if (later <= 0) return true;
  const choice = await vscode.window.showWarningMessage(
    `${verb} replaces ${what} ${later} message${later === 1 ? '' : 's'} after it in this conversation.`,
    { modal: true },
    verb,
  );
  return choice === verb;
}

function targetEditor(): vscode.TextEditor | undefined {
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  if (!editor) void vscode.window.showWarningMessage('Open a file to put the code into.');
  return editor;
}

/** Insert is a write like any other: it passes the write guard first, and is one undo step. */
async function insertAtCursor(code: string): Promise<void> {
  const editor = targetEditor();
  if (!editor || !(await confirmWrite(editor.document))) return;
  const at = editor.selection.active;
  const inserted = await editor.edit((edit) => edit.insert(at, code), { undoStopBefore: true, undoStopAfter: true });
  if (!inserted) void vscode.window.showWarningMessage('The code was not inserted: the file changed at the same moment. Try again.');
}

/** Apply proposes the block as a pending edit of the selection (or at the cursor), reviewed like a rewrite. */
async function applyThroughReview(rewrite: RewriteController, code: string): Promise<void> {
  const editor = targetEditor();
  if (!editor) return;
  await rewrite.propose(editor, editor.selection, code);
}

async function revealQuote(controller: ChatController, turnId: string): Promise<void> {
  const quote = controller.turn(turnId)?.quote;
  if (!quote) return;
  const range = wholeLines(quote.startLine, quote.endLine);
  await vscode.window.showTextDocument(vscode.Uri.parse(quote.uri), { selection: range, preserveFocus: false });
}
