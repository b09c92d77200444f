import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChatController } from '../chat/chatController';
import type { ChatViewProvider } from '../chat/chatView';
import { CommandId } from '../commandIds';
import { lastCoveredLine, selectionOrLine } from '../editorRange';
import { EXPLAIN_QUESTION, surroundingLines } from '../core/prompts';
import { EXPLAIN_SURROUNDING_CAP_TOKENS } from '../core/requestPlan';
import type { RewriteController } from '../rewrite/rewriteController';
import type { CodeQuote, SurroundingCode, Turn } from '../core/domain';

export interface ChatCommandDeps {
  readonly controller: ChatController;
  readonly rewrite: RewriteController;
  readonly view: ChatViewProvider;
}

export function registerChatCommands(context: vscode.ExtensionContext, deps: ChatCommandDeps): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(CommandId.openChat, () => deps.view.reveal()),
    vscode.commands.registerCommand(CommandId.newChat, async () => {
      await deps.view.reveal();
      await deps.controller.newChat();
    }),
    vscode.commands.registerCommand(CommandId.stop, () => deps.controller.stop()),
    vscode.commands.registerCommand(CommandId.explainSelection, () => explainSelection(deps)),
  );
}

/** Reveals the chat and streams an explanation of the selection (the whole line when it is empty). */
async function explainSelection(deps: ChatCommandDeps): Promise<Turn | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Open a file and select code to explain.');
    return undefined;
  }
  const quote = quoteOf(editor);
  if (!quote.code.trim()) {
    void vscode.window.showInformationMessage('The selection is empty: select code to explain.');
    return undefined;
  }
  // The view opens while the request goes out: the webview asks for the state (with what has arrived) once loaded.
  void deps.view.reveal();
  return deps.controller.ask(EXPLAIN_QUESTION, quote, surroundingOf(editor.document, quote));
}

export function quoteOf(editor: vscode.TextEditor): CodeQuote {
  const document = editor.document;
  const range = selectionOrLine(editor);
  const endLine = lastCoveredLine(range);
  return {
    uri: document.uri.toString(),
    file: displayPath(document.uri),
    language: document.languageId,
    startLine: range.start.line + 1,
    endLine: endLine + 1,
    code: document.getText(range),
  };
}

function displayPath(uri: vscode.Uri): string {
  const relative = vscode.workspace.asRelativePath(uri, false);
  return relative === uri.fsPath ? path.basename(uri.fsPath) : relative;
}

/** Surrounding lines up to the most any plan uses; the request plan trims them to what fits the model that answers. */
export function surroundingOf(document: vscode.TextDocument, quote: CodeQuote): SurroundingCode {
  const lines = document.getText().split(/\r?\n/);
  return surroundingLines(lines, quote.startLine, quote.endLine, EXPLAIN_SURROUNDING_CAP_TOKENS);
}
