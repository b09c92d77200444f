import * as vscode from 'vscode';
import type { ClientFactory } from '../clientFactory';
import { thrownText, toRequestError } from '../core/errorMapping';
import { RequestError } from '../core/errors';
import { describeError } from '../core/errorText';
import { surroundingLines } from '../core/prompts';
import type { FinishReason } from '../core/streamEvents';
import { ProposalExtractor } from '../core/rewrite/codeExtractor';
import { IncrementalAdapter } from '../core/rewrite/incrementalAdapter';
import { adaptToSurroundings } from '../core/rewrite/adaptText';
import { planRewrite, REWRITE_SURROUNDING_CAP_TOKENS, type RequestPlan, type RewritePlanInput } from '../core/requestPlan';
import { notifyError } from '../errorNotifications';
import { inertText } from '../core/notificationText';
import type { Logger } from '../logger';
import type { ModelRegistry } from '../modelRegistry';
import { BuiltinCommand } from '../commandIds';
import { DisposableStore } from '../disposableStore';
import { planFacts } from '../planFacts';
import type { UsageService } from '../usage';
import { confirmWrite } from '../writeGuard';
import { PendingEdit, type Interruption } from './pendingEdit';
import { locate, PendingEditStore } from './pendingEditStore';
import { RangeFollower } from './rangeFollower';

export type RewriteOutcome = 'pending' | 'incomplete' | 'cancelled' | 'failed' | 'cut' | 'declined' | 'busy' | 'notCode';

export interface RewriteResult {
  readonly outcome: RewriteOutcome;
  /** What the model proposed (complete when pending, partial otherwise: never left in the file unless kept pending). */
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
  readonly store: PendingEditStore;
  /** Shows an answer that was not code as a new turn of the current chat conversation. */
  readonly showInChat: (question: string, answer: string, model: string) => Promise<void>;
}

const PENDING_KEY = 'ioIntelligence.editPending';
const STREAMING_KEY = 'ioIntelligence.rewriteStreaming';
const PERSIST_MS = 300;

/**
 * One pending operation per document: starts rewrites, streams them in, and settles them only on Accept or Reject
 * (Cancel, a failure and Undo while streaming are rejections; closing the document forgets the edit).
 */
export class RewriteController implements vscode.Disposable {
  private readonly edits = new Map<string, PendingEdit>();
  private readonly requests = new Map<PendingEdit, AbortController>();
  /** Documents whose rewrite is being prepared (dialogs, settling an older edit): taken before the first await. */
  private readonly preparing = new Set<string>();
  private readonly interruptions = new Map<PendingEdit, Interruption>();
  private readonly persistTimers = new Map<PendingEdit, ReturnType<typeof setTimeout>>();
  private readonly savedNoticeShown = new WeakSet<PendingEdit>();
  private readonly changed = new vscode.EventEmitter<PendingEdit | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions = new DisposableStore();

  constructor(private readonly deps: RewriteDeps) {
    this.subscriptions.add(vscode.window.onDidChangeActiveTextEditor(() => this.updateContext()));
    this.subscriptions.add(vscode.workspace.onDidSaveTextDocument((document) => this.onSaved(document)));
    this.subscriptions.add(vscode.workspace.onDidCloseTextDocument((document) => this.onClosed(document)));
    this.subscriptions.add(vscode.workspace.onDidOpenTextDocument((document) => this.restore(document)));
  }

  /** Offers again the pending edits of documents already open (after a window reload). */
  restoreOpenDocuments(): void {
    vscode.workspace.textDocuments.forEach((document) => this.restore(document));
  }

  pendingFor(document: vscode.TextDocument): PendingEdit | undefined {
    return this.edits.get(document.uri.toString());
  }

  all(): PendingEdit[] {
    return [...this.edits.values()];
  }

  /** Streams a rewrite of `range` into the document. Resolves when streaming has ended. */
  async rewrite(request: RewriteRequest): Promise<RewriteResult> {
    const document = request.editor.document;
    const key = document.uri.toString();
    if (this.preparing.has(key)) return this.busy();
    this.preparing.add(key);
    const follower = new RangeFollower(document, request.range);
    let edit: PendingEdit;
    let plan: RequestPlan;
    try {
      if (!(await confirmWrite(document)) || !(await this.makeRoom(document))) return { outcome: 'declined', proposal: '' };
      // Lines may have moved while the dialogs were open: the range sent is where the code is now.
      const planned = planRewrite(planFacts(this.deps.models, this.deps.usage), this.planInput(document, follower.range, request));
      if (planned.error) {
        const range = follower.range;
        return this.fail(planned.error, '', () => this.retry(document, range, request));
      }
      plan = planned.plan;
      edit = this.track(new PendingEdit(document, follower.range, plan.model));
      this.deps.log.info(`Rewrite request: ${plan.model}, ~${plan.promptTokens} prompt tokens, max ${plan.request.maxOutputTokens} output tokens.${plan.note ? ` ${plan.note}` : ''}`);
      // A fallback model or code left out changes what the user reviews: they hear it, not only the log.
      if (plan.note) void vscode.window.showInformationMessage(inertText(`IO Intelligence: ${plan.note}`));
    } finally {
      follower.dispose();
      this.preparing.delete(key);
    }
    return this.stream(edit, request, plan);
  }

  /** Retry on a failed rewrite's notification: the same instruction on the same code, which is back in the file. */
  private async retry(document: vscode.TextDocument, range: vscode.Range, request: RewriteRequest): Promise<void> {
    // By its URI: the document may have been closed since the failure.
    const editor = await vscode.window.showTextDocument(document.uri, { selection: range });
    await this.rewrite({ ...request, editor, range });
  }

  private async stream(edit: PendingEdit, rewrite: RewriteRequest, plan: RequestPlan): Promise<RewriteResult> {
    const instruction = rewrite.instruction;
    const request = plan.request;
    const controller = new AbortController();
    this.requests.set(edit, controller);
    const extractor = new ProposalExtractor(edit.document.languageId);
    const adapter = new IncrementalAdapter(edit.surroundings());
    let released = '';
    let finish: FinishReason | undefined;
    try {
      const client = await this.deps.clients.create(plan.settings);
      if (controller.signal.aborted) throw new RequestError('cancelled', { model: request.model });
      for await (const event of client.streamChat(request, controller.signal)) {
        if (event.type === 'content') {
          const release = extractor.push(event.text);
          released = release.code;
          if (release.added || release.replaced) edit.propose(adapter.follow(release));
        } else if (event.type === 'usage') await this.deps.usage.record(request.model, event.usage);
        else if (event.type === 'finish') finish = event.reason;
      }
    } catch (error) {
      return this.streamFailed(edit, toRequestError(error, { model: request.model }), released, rewrite);
    } finally {
      this.requests.delete(edit);
    }
    if (this.interruptions.has(edit)) return this.streamFailed(edit, new RequestError('cancelled', { model: request.model }), released, rewrite);
    if (finish === 'length') return this.cut(edit, released);
    const extraction = extractor.finish();
    if (extraction.kind === 'prose') return this.notCode(edit, instruction, extraction.answer, request.model);
    adapter.follow(extraction);
    await edit.complete(adapter.complete());
    // The user may have typed inside, or pressed Undo, while the last part was being written.
    if (edit.state === 'streaming') return this.streamFailed(edit, new RequestError('cancelled', { model: request.model }), released, rewrite);
    this.persist(edit);
    this.updateContext();
    return { outcome: 'pending', proposal: edit.proposedText };
  }

  /** The answer was an explanation, not code: nothing is applied, and the answer is offered in the chat. */
  private async notCode(edit: PendingEdit, instruction: string, answer: string, model: string): Promise<RewriteResult> {
    await this.settle(edit, 'reject');
    const message = 'The model answered with an explanation instead of code, so nothing in the file was changed.';
    void vscode.window.showInformationMessage(message, 'Show in Chat').then((choice) => choice && this.deps.showInChat(`Rewrite: ${instruction}`, answer, model));
    return { outcome: 'notCode', proposal: '', message };
  }

  private async streamFailed(edit: PendingEdit, error: RequestError, partial: string, rewrite: RewriteRequest): Promise<RewriteResult> {
    const interruption = this.interruptions.get(edit);
    if (interruption === 'editedInside') return this.keptIncomplete(edit, partial);
    await this.settle(edit, 'reject');
    this.logPartial(partial);
    if (interruption === 'writeFailed') {
      this.deps.log.error(`Rewrite stopped: ${edit.writeError?.message ?? 'a write failed'}`);
      const message = 'VS Code kept refusing to write the rewrite into the file, so it was stopped and the original text was restored.';
      void vscode.window.showErrorMessage(message);
      return { outcome: 'failed', proposal: partial, message };
    }
    if (interruption === 'undo') {
      void vscode.window.setStatusBarMessage('$(discard) Rewrite undone: the original text is back.', 4_000);
      return { outcome: 'cancelled', proposal: partial };
    }
    if (error.kind === 'internal') this.deps.log.error(`Rewrite failed unexpectedly: ${thrownText(error.cause ?? error)}`);
    if (error.kind === 'cancelled') {
      void vscode.window.setStatusBarMessage('$(close) Rewrite cancelled: the original text is back.', 4_000);
      return { outcome: 'cancelled', proposal: partial };
    }
    // Rejecting put the original text back where the edit was: that is what is rewritten again, wherever edits
    // above it move it before Retry is chosen.
    const follower = new RangeFollower(edit.document, edit.range);
    return this.fail(error, partial, () => this.retry(edit.document, follower.range, rewrite), follower);
  }

  private async keptIncomplete(edit: PendingEdit, partial: string): Promise<RewriteResult> {
    await edit.stopIncomplete();
    this.persist(edit);
    this.updateContext();
    this.logPartial(partial);
    const message = 'You edited inside the rewrite while it streamed, so it stopped. What is there now stays pending (incomplete): Accept keeps it, Reject restores the original.';
    void vscode.window.showWarningMessage(message);
    return { outcome: 'incomplete', proposal: edit.proposedText, message };
  }

  private async cut(edit: PendingEdit, partial: string): Promise<RewriteResult> {
    await this.settle(edit, 'reject');
    this.logPartial(partial);
    const message = 'The rewrite was cut at the output limit (ioIntelligence.maxOutputTokens), so it was not applied. Select less code or raise the limit.';
    void vscode.window.showWarningMessage(message);
    return { outcome: 'cut', proposal: partial, message };
  }

  /** A fixed proposal (the chat's Apply) reviewed the same way as a streamed one. */
  async propose(editor: vscode.TextEditor, range: vscode.Range, text: string): Promise<RewriteResult> {
    const document = editor.document;
    const key = document.uri.toString();
    if (this.preparing.has(key)) return this.busy();
    this.preparing.add(key);
    const follower = new RangeFollower(document, range);
    let edit: PendingEdit;
    try {
      if (!(await confirmWrite(document)) || !(await this.makeRoom(document))) return { outcome: 'declined', proposal: '' };
      edit = this.track(new PendingEdit(document, follower.range, 'chat'));
    } finally {
      follower.dispose();
      this.preparing.delete(key);
    }
    await edit.complete(adaptToSurroundings(text, edit.surroundings(), true));
    this.persist(edit);
    this.updateContext();
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

  /** Stops a streaming rewrite (of the given document, else the active one, else any); its original text comes back. */
  cancel(document?: vscode.TextDocument): boolean {
    const edit = this.target(document, (e) => e.state === 'streaming');
    const request = edit && this.requests.get(edit);
    request?.abort();
    return Boolean(request);
  }

  private track(edit: PendingEdit): PendingEdit {
    this.edits.set(edit.document.uri.toString(), edit);
    edit.onInterrupted((why) => {
      if (this.interruptions.has(edit)) return;
      this.interruptions.set(edit, why);
      this.requests.get(edit)?.abort();
    });
    edit.onDidChange(() => {
      this.changed.fire(edit);
      this.persist(edit);
    });
    this.updateContext();
    this.changed.fire(edit);
    return edit;
  }

  /** Accept or Reject; when its writes fail the edit stays pending (the original is kept) and the user is told. */
  private async settle(edit: PendingEdit, how: 'accept' | 'reject'): Promise<void> {
    this.requests.delete(edit);
    try {
      if (how === 'accept') await edit.accept();
      else await edit.reject();
    } catch (error) {
      this.deps.log.error(`${how === 'accept' ? 'Accept' : 'Reject'} failed: ${thrownText(error)}`);
      void vscode.window.showErrorMessage(`The IO Intelligence edit could not be ${how === 'accept' ? 'accepted' : 'rejected'}: the file kept changing. It is still pending; try again.`);
    } finally {
      if (edit.state === 'settled') this.drop(edit);
      else this.changed.fire(edit);
    }
  }

  private drop(edit: PendingEdit): void {
    const key = edit.document.uri.toString();
    if (this.edits.get(key) === edit) {
      this.edits.delete(key);
      void this.deps.store.remove(key);
    }
    this.interruptions.delete(edit);
    clearTimeout(this.persistTimers.get(edit));
    this.persistTimers.delete(edit);
    this.updateContext();
    this.changed.fire(undefined);
  }

  /** One pending edit per document: a second request asks what to do with the first. */
  private async makeRoom(document: vscode.TextDocument): Promise<boolean> {
    const existing = this.pendingFor(document);
    if (!existing) return true;
    const streaming = existing.state === 'streaming';
    const choice = await vscode.window.showWarningMessage(
      streaming ? 'An IO Intelligence rewrite is still streaming in this file.' : 'An IO Intelligence edit is still pending in this file.',
      { modal: true, detail: streaming ? 'Cancel it (its original text comes back) before starting another one.' : 'Accept or reject it before starting another one.' },
      ...(streaming ? ['Cancel and Continue'] : ['Accept and Continue', 'Reject and Continue']),
    );
    if (!choice) return false;
    if (this.pendingFor(document) !== existing) return !this.pendingFor(document); // settled while the dialog was open
    this.requests.get(existing)?.abort();
    await this.settle(existing, choice === 'Accept and Continue' && existing.state === 'pending' ? 'accept' : 'reject');
    return true;
  }

  private target(document?: vscode.TextDocument, where: (edit: PendingEdit) => boolean = () => true): PendingEdit | undefined {
    const doc = document ?? vscode.window.activeTextEditor?.document;
    const edit = doc && this.pendingFor(doc);
    if (edit) return where(edit) ? edit : undefined;
    return document ? undefined : this.all().find(where);
  }

  private onSaved(document: vscode.TextDocument): void {
    const edit = this.pendingFor(document);
    if (!edit || this.savedNoticeShown.has(edit)) return;
    this.savedNoticeShown.add(edit);
    void vscode.window.showInformationMessage(
      `${inertText(vscode.workspace.asRelativePath(document.uri, false))} was saved with the IO Intelligence edit still pending: the file on disk has the proposal. Accept keeps it; Reject restores the original in the editor (save again to write it).`,
    );
  }

  private onClosed(document: vscode.TextDocument): void {
    const edit = this.pendingFor(document);
    // A language change reports close and open of a document that stays open: the edit goes on.
    if (!edit || !document.isClosed) return;
    this.requests.get(edit)?.abort();
    this.requests.delete(edit);
    edit.forget();
    this.drop(edit);
  }

  /** A pending edit from before a window reload whose proposal is still in the document is offered again. */
  private restore(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const snapshot = this.deps.store.all().find((s) => s.uri === key);
    if (!snapshot || this.edits.has(key)) return;
    const start = locate(snapshot, document.getText());
    if (start === undefined) {
      void this.deps.store.remove(key);
      return;
    }
    const range = new vscode.Range(document.positionAt(start), document.positionAt(start + snapshot.shown.length));
    this.track(new PendingEdit(document, range, snapshot.model, { ...snapshot, start }));
  }

  /** Throttled: a streaming edit changes every frame, and state is written to disk. */
  private persist(edit: PendingEdit): void {
    if (this.persistTimers.has(edit)) return;
    this.persistTimers.set(
      edit,
      setTimeout(() => {
        this.persistTimers.delete(edit);
        if (this.edits.get(edit.document.uri.toString()) === edit && edit.state !== 'settled') void this.deps.store.put(edit.snapshot());
      }, PERSIST_MS),
    );
  }

  /** What the rewrite is about; the plan trims the surrounding lines to what fits the model that answers. */
  private planInput(document: vscode.TextDocument, range: vscode.Range, request: RewriteRequest): RewritePlanInput {
    const lines = document.getText().split(/\r?\n/);
    return {
      instruction: request.instruction,
      code: document.getText(range),
      language: document.languageId,
      file: vscode.workspace.asRelativePath(document.uri, false),
      surrounding: surroundingLines(lines, range.start.line + 1, range.end.line + 1, REWRITE_SURROUNDING_CAP_TOKENS),
      diagnostics: request.diagnostics,
    };
  }

  private busy(): RewriteResult {
    const message = 'An IO Intelligence rewrite is already starting in this file.';
    void vscode.window.setStatusBarMessage(`$(info) ${message}`, 4_000);
    return { outcome: 'busy', proposal: '', message };
  }

  private fail(error: RequestError, proposal: string, retry: () => Promise<void>, follower?: vscode.Disposable): RewriteResult {
    void notifyError(error, retry)
      .catch((caught: unknown) => this.deps.log.error(`Retrying the rewrite failed: ${thrownText(caught)}`))
      .finally(() => follower?.dispose());
    return { outcome: 'failed', proposal, message: describeError(error) };
  }

  private logPartial(code: string): void {
    if (code) this.deps.log.info(`Rewrite not applied; what had arrived (${code.length} characters):\n${code}`);
  }

  private updateContext(): void {
    const document = vscode.window.activeTextEditor?.document;
    const edit = document && this.pendingFor(document);
    void vscode.commands.executeCommand(BuiltinCommand.setContext, PENDING_KEY, Boolean(edit));
    void vscode.commands.executeCommand(BuiltinCommand.setContext, STREAMING_KEY, edit?.state === 'streaming');
  }

  dispose(): void {
    for (const controller of this.requests.values()) controller.abort();
    this.subscriptions.dispose();
    this.changed.dispose();
  }
}
