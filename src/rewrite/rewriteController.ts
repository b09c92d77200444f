import * as vscode from 'vscode';
import type { ClientFactory } from '../clientFactory';
import { outputBudget } from '../core/budget';
import { toIoError } from '../core/errorMapping';
import { IoError } from '../core/errors';
import { describeError } from '../core/errorText';
import { surroundingLines } from '../core/prompts';
import { CodeExtractor } from '../core/rewrite/codeExtractor';
import { rewriteMessages } from '../core/rewrite/rewritePrompt';
import type { ChatMessage } from '../core/streamEvents';
import { notifyError } from '../errorNotifications';
import type { Logger } from '../logger';
import type { ModelRegistry } from '../modelRegistry';
import { readSettings } from '../settings';
import type { UsageService } from '../usage';
import { confirmWrite } from '../writeGuard';
import { PendingEdit } from './pendingEdit';

export type RewriteOutcome = 'pending' | 'cancelled' | 'failed' | 'cut' | 'conflict' | 'declined';

export interface RewriteResult {
  readonly outcome: RewriteOutcome;
  /** What the model proposed (complete when pending, partial otherwise: never left in the file). */
  readonly proposal: string;
  readonly message?: string;
}

export interface RewriteRequest {
  readonly editor: vscode.TextEditor;
  readonly range: vscode.Range;
  readonly instruction: string;
  readonly diagnostics?: readonly string[];
}

export interface RewriteDeps {
  readonly clients: ClientFactory;
  readonly usage: UsageService;
  readonly models: ModelRegistry;
  readonly log: Logger;
}

const CONTEXT_KEY = 'ioIntelligence.editPending';

/** One pending edit per document: starts rewrites, streams them in, and settles them on Accept, Reject or Cancel. */
export class RewriteController implements vscode.Disposable {
  private readonly edits = new Map<string, PendingEdit>();
  private readonly requests = new Map<PendingEdit, AbortController>();
  private readonly changed = new vscode.EventEmitter<PendingEdit | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly deps: RewriteDeps) {
    this.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(() => this.updateContext()));
  }

  pendingFor(document: vscode.TextDocument): PendingEdit | undefined {
    return this.edits.get(document.uri.toString());
  }

  all(): PendingEdit[] {
    return [...this.edits.values()];
  }

  /** Streams a rewrite of `range` into the document. Resolves when streaming has ended. */
  async rewrite(request: RewriteRequest): Promise<RewriteResult> {
    const { editor, range } = request;
    const settings = readSettings();
    const model = settings.editModel;
    const messages = this.messagesFor(request);
    const budget = outputBudget(this.deps.models.info(model).contextTokens, messages, settings.maxOutputTokens);
    if (!budget) return this.fail(this.deps.models.doesNotFit(model, messages), '');
    if (!(await confirmWrite(editor.document)) || !(await this.makeRoom(editor.document))) return { outcome: 'declined', proposal: '' };

    const edit = this.track(new PendingEdit(editor.document, range, model));
    const controller = new AbortController();
    this.requests.set(edit, controller);
    edit.onConflict(() => controller.abort());
    const extractor = new CodeExtractor();
    let finish: 'stop' | 'length' | 'other' | undefined;
    try {
      const client = await this.deps.clients.create();
      this.deps.log.info(`Rewrite request: ${model}, ~${budget.promptTokens} prompt tokens, max ${budget.maxOutputTokens} output tokens.`);
      const stream = client.streamChat({ model, messages, temperature: settings.temperature, maxOutputTokens: budget.maxOutputTokens }, controller.signal);
      for await (const event of stream) {
        if (event.type === 'content') edit.propose(edit.fit(extractor.push(event.text), false));
        else if (event.type === 'usage') await this.deps.usage.record(model, event.usage);
        else if (event.type === 'finish') finish = event.reason;
      }
    } catch (error) {
      const ioError = toIoError(error, { model });
      const conflict = this.conflicted.has(edit);
      await this.settle(edit, 'reject');
      this.logPartial(extractor.code);
      if (conflict) return this.conflictResult(extractor.code);
      if (ioError.kind === 'cancelled') {
        void vscode.window.setStatusBarMessage('$(close) Rewrite cancelled: the original text is back.', 4_000);
        return { outcome: 'cancelled', proposal: extractor.code };
      }
      return this.fail(ioError, extractor.code);
    }
    if (finish === 'length') {
      await this.settle(edit, 'reject');
      this.logPartial(extractor.code);
      const message = 'The rewrite was cut at the output limit (ioIntelligence.maxOutputTokens), so it was not applied. Select less code or raise the limit.';
      void vscode.window.showWarningMessage(message);
      return { outcome: 'cut', proposal: extractor.code, message };
    }
    await edit.complete(edit.fit(extractor.finish(), true));
    this.changed.fire(edit);
    return { outcome: 'pending', proposal: edit.proposedText };
  }

  /** A fixed proposal (the chat's Apply) reviewed the same way as a streamed one. */
  async propose(editor: vscode.TextEditor, range: vscode.Range, text: string): Promise<RewriteResult> {
    if (!(await confirmWrite(editor.document)) || !(await this.makeRoom(editor.document))) return { outcome: 'declined', proposal: '' };
    const edit = this.track(new PendingEdit(editor.document, range, 'chat'));
    await edit.complete(edit.fit(text, true));
    this.changed.fire(edit);
    return { outcome: 'pending', proposal: edit.proposedText };
  }

  async accept(document?: vscode.TextDocument): Promise<boolean> {
    const edit = this.target(document);
    if (!edit || edit.state !== 'pending') return false;
    await this.settle(edit, 'accept');
    return true;
  }

  async reject(document?: vscode.TextDocument): Promise<boolean> {
    const edit = this.target(document);
    if (!edit) return false;
    this.requests.get(edit)?.abort();
    await this.settle(edit, 'reject');
    return true;
  }

  /** Cancels every rewrite that is still streaming. */
  cancelStreaming(): void {
    for (const [edit, controller] of this.requests) if (edit.state === 'streaming') controller.abort();
  }

  private readonly conflicted = new Set<PendingEdit>();

  private track(edit: PendingEdit): PendingEdit {
    this.edits.set(edit.document.uri.toString(), edit);
    edit.onConflict(() => {
      // While streaming, typing inside stops the rewrite (rewrite() restores the original). Once the proposal is
      // complete, typing inside means working with it: it is kept as it now is.
      if (edit.state === 'pending') this.keepAsEdited(edit);
      else this.conflicted.add(edit);
    });
    edit.onDidChange(() => this.changed.fire(edit));
    this.updateContext();
    this.changed.fire(edit);
    return edit;
  }

  private keepAsEdited(edit: PendingEdit): void {
    this.requests.delete(edit);
    this.edits.delete(edit.document.uri.toString());
    edit.dispose();
    this.updateContext();
    this.changed.fire(undefined);
    void vscode.window.setStatusBarMessage('$(check) IO Intelligence edit kept: you edited inside it.', 4_000);
  }

  private async settle(edit: PendingEdit, how: 'accept' | 'reject'): Promise<void> {
    this.requests.delete(edit);
    if (this.edits.get(edit.document.uri.toString()) === edit) this.edits.delete(edit.document.uri.toString());
    try {
      if (how === 'accept') await edit.accept();
      else await edit.reject();
    } finally {
      this.updateContext();
      this.changed.fire(undefined);
    }
  }

  /** One pending edit per document: a second request asks what to do with the first. */
  private async makeRoom(document: vscode.TextDocument): Promise<boolean> {
    const existing = this.pendingFor(document);
    if (!existing) return true;
    const choice = await vscode.window.showWarningMessage(
      'An IO Intelligence edit is still pending in this file.',
      { modal: true, detail: 'Accept or reject it before starting another one.' },
      'Accept and Continue',
      'Reject and Continue',
    );
    if (!choice) return false;
    this.requests.get(existing)?.abort();
    await this.settle(existing, choice === 'Accept and Continue' && existing.state === 'pending' ? 'accept' : 'reject');
    return true;
  }

  private target(document?: vscode.TextDocument): PendingEdit | undefined {
    const doc = document ?? vscode.window.activeTextEditor?.document;
    return doc ? this.pendingFor(doc) : this.all()[0];
  }

  private messagesFor(request: RewriteRequest): ChatMessage[] {
    const document = request.editor.document;
    const lines = document.getText().split(/\r?\n/);
    const around = surroundingLines(lines, request.range.start.line + 1, request.range.end.line + 1, 600);
    return rewriteMessages({
      instruction: request.instruction,
      code: document.getText(request.range),
      language: document.languageId,
      file: vscode.workspace.asRelativePath(document.uri, false),
      before: around.before,
      after: around.after,
      diagnostics: request.diagnostics,
    });
  }

  private fail(error: IoError, proposal: string): RewriteResult {
    void notifyError(error);
    return { outcome: 'failed', proposal, message: describeError(error) };
  }

  private conflictResult(proposal: string): RewriteResult {
    const message = 'You edited inside the pending IO Intelligence edit, so it was stopped and the original text was restored there.';
    void vscode.window.showWarningMessage(message);
    return { outcome: 'conflict', proposal, message };
  }

  private logPartial(code: string): void {
    if (code) this.deps.log.info(`Rewrite not applied; what had arrived (${code.length} characters):\n${code}`);
  }

  private updateContext(): void {
    const document = vscode.window.activeTextEditor?.document;
    void vscode.commands.executeCommand('setContext', CONTEXT_KEY, Boolean(document && this.pendingFor(document)));
  }

  dispose(): void {
    for (const controller of this.requests.values()) controller.abort();
    for (const edit of this.edits.values()) void edit.reject();
    this.subscriptions.forEach((d) => d.dispose());
    this.changed.dispose();
  }
}
