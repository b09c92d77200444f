import * as vscode from 'vscode';
import { usageMarkdown } from './core/usageReport';
import { readCompletionSettings } from './completions/completionSettings';
import type { UsageService } from './usage';

const SCHEME = 'io-intelligence-usage';
const URI = vscode.Uri.from({ scheme: SCHEME, path: '/IO Intelligence usage today.md' });

/**
 * Show Usage as a page to read: a read-only markdown document (today's usage per model against its quota), shown in
 * the markdown preview, which follows the ledger while it is open.
 */
export class UsageView implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly usage: UsageService) {
    this.subscriptions = [vscode.workspace.registerTextDocumentContentProvider(SCHEME, this), usage.onDidChange(() => this.changed.fire(URI))];
  }

  provideTextDocumentContent(): string {
    return usageMarkdown(this.usage.ledger.today(), new Date(), this.usage.ledger.completionsToday(), readCompletionSettings().dailyTokenBudget);
  }

  async show(): Promise<void> {
    try {
      await vscode.commands.executeCommand('markdown.showPreview', URI);
    } catch {
      // Without the built-in markdown extension the page is still readable as text.
      await vscode.window.showTextDocument(URI, { preview: true });
    }
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}
