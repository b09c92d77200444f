import * as vscode from 'vscode';
import { BuiltinCommand } from '../commandIds';
import { DisposableStore } from '../disposableStore';
import { DeltaBatcher } from '../protocol/deltaBatcher';
import type { WebviewMessage } from '../protocol/messages';
import { parseWebviewMessage } from '../protocol/validate';
import type { Logger } from '../logger';
import type { ChatController } from './chatController';
import { chatViewHtml } from './chatViewHtml';

export type WebviewMessageHandler = (message: WebviewMessage) => Promise<void>;

/** The sidebar webview: renders what the controller says, forwards what the user does. */
export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private readonly disposables = new DisposableStore();
  private viewSubscriptions: DisposableStore | undefined;
  private readonly outgoing = new DeltaBatcher((message) => void this.view?.webview.postMessage(message));

  constructor(
    private readonly extensionUri: vscode.Uri,
    controller: ChatController,
    private readonly handle: WebviewMessageHandler,
    private readonly log: Logger,
  ) {
    this.disposables.add(controller.onMessage((message) => this.outgoing.post(message)));
    this.disposables.add(this.outgoing);
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    view.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    view.webview.html = chatViewHtml(view.webview, dist);
    this.viewSubscriptions?.dispose();
    const subscriptions = (this.viewSubscriptions = new DisposableStore());
    subscriptions.add(view.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
    subscriptions.add(
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
        subscriptions.dispose();
      }),
    );
  }

  get isResolved(): boolean {
    return this.view !== undefined;
  }

  /** Shows the chat view (opening the sidebar container if needed). */
  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(BuiltinCommand.focusChatView);
  }

  /** Validates a message from the webview and handles it; anything off-protocol is dropped and logged. */
  async receive(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.log.warn(`Dropped an invalid message from the chat view: ${JSON.stringify(raw).slice(0, 200)}`);
      return;
    }
    try {
      await this.handle(message);
    } catch (error) {
      this.log.error(`Handling ${message.type} from the chat view failed: ${String(error)}`);
    }
  }

  dispose(): void {
    this.viewSubscriptions?.dispose();
    this.disposables.dispose();
  }
}
