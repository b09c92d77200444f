import type * as vscode from 'vscode';
import type { ChatController } from './chat/chatController';
import type { ChatViewProvider } from './chat/chatView';
import type { ChatAttachments } from './context/chatAttachments';
import type { CompletionEngine } from './core/completions/completionEngine';
import type { IoModelProvider } from './languageModels/ioModelProvider';
import type { Logger } from './logger';
import type { ModelRegistry } from './modelRegistry';
import type { HostMessage } from './protocol/messages';
import type { RewriteController } from './rewrite/rewriteController';
import type { StatusItem } from './statusItem';
import type { UsageService } from './usage';

/** Handles for the extension's own tests; returned only when VS Code runs the extension in test mode. */
export interface TestApi {
  readonly secrets: vscode.SecretStorage;
  readonly globalState: vscode.Memento;
  readonly workspaceState: vscode.Memento;
  /** The extension's storage for this workspace (where the @codebase index is kept). */
  readonly storageUri: vscode.Uri | undefined;
  readonly chat: ChatController;
  readonly rewrite: RewriteController;
  readonly usage: UsageService;
  readonly models: ModelRegistry;
  /** Inline completions' engine: its counts and its pause. */
  readonly completions: CompletionEngine;
  /** The chat's chips, `@` options and the @codebase index. */
  readonly attachments: ChatAttachments;
  /** Our models in VS Code's chat. */
  readonly languageModels: IoModelProvider;
  /** The one status bar item, read by its parts. */
  readonly status: StatusItem;
  /** Every message the host posted to the chat webview. */
  readonly postedToWebview: readonly HostMessage[];
  /** Every log line written, at every level, after redaction. */
  readonly logLines: readonly string[];
  /** Delivers a message as if the chat webview had sent it (same validation and handler). */
  readonly fromWebview: (raw: unknown) => Promise<void>;
}

interface Surfaces {
  readonly chat: ChatController;
  readonly rewrite: RewriteController;
  readonly usage: UsageService;
  readonly view: ChatViewProvider;
  readonly models: ModelRegistry;
  readonly completions: CompletionEngine;
  readonly attachments: ChatAttachments;
  readonly status: StatusItem;
  readonly languageModels: IoModelProvider;
}

/**
 * Installed by activation in test mode only: records from the public events of the extension's parts, so that no
 * production class keeps anything for tests. The log is recorded from the first line on.
 */
export function testRecorder(context: vscode.ExtensionContext, log: Logger): (surfaces: Surfaces) => TestApi {
  const logLines: string[] = [];
  context.subscriptions.push(log.onDidLog((line) => logLines.push(line)));
  return ({ chat, rewrite, usage, view, models, completions, attachments, status, languageModels }) => {
    const postedToWebview: HostMessage[] = [];
    context.subscriptions.push(chat.onMessage((message) => postedToWebview.push(message)));
    return {
      secrets: context.secrets,
      globalState: context.globalState,
      workspaceState: context.workspaceState,
      storageUri: context.storageUri,
      chat,
      rewrite,
      usage,
      models,
      completions,
      attachments,
      status,
      languageModels,
      postedToWebview,
      logLines,
      fromWebview: (raw) => view.receive(raw),
    };
  };
}
