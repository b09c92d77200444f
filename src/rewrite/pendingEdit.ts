import * as vscode from 'vscode';
import type { Surroundings } from '../core/rewrite/adaptText';
import { isOwnEdit, moveRange, shrinkChanges, type OwnEdit, type TextChange } from '../core/rewrite/rangeTracking';

export type PendingState = 'streaming' | 'pending' | 'settled';

/** Why a streaming edit has to stop: the user changed text inside its range, or pressed Undo. */
export type Interruption = 'editedInside' | 'undo' | 'writeFailed';

/** What a pending edit needs to be offered again after a window reload. */
export interface PendingEditSnapshot {
  readonly uri: string;
  readonly start: number;
  readonly original: string;
  readonly shown: string;
  readonly model: string;
  readonly incomplete: boolean;
}

export class WriteRefusedError extends Error {
  constructor() {
    super('VS Code kept refusing to write the proposal into the document.');
  }
}

interface InFlight extends OwnEdit {
  /** The document version our edit was made against: if it applies, its change event has version + 1. */
  readonly version: number;
  seen: boolean;
}

interface UndoStops {
  readonly undoStopBefore: boolean;
  readonly undoStopAfter: boolean;
}

/** Settling writes are undo steps of their own: one Undo after Accept gives the original back. */
const OWN_STEP: UndoStops = { undoStopBefore: true, undoStopAfter: true };
const FRAME_MS = 16;
const MAX_WRITE_ATTEMPTS = 200;

/**
 * A proposed replacement of one range, living in the document until the user accepts or rejects it.
 *
 * Our own edits are recognised precisely: each write is versioned (VS Code applies it only to the document version
 * it was computed for) and its change event must reproduce exactly the text we wrote. Every other change is the
 * user's: before the range it shifts the range, after it leaves it, inside it grows the range to cover it (and, while
 * streaming, interrupts the stream). A write that VS Code refuses because the user typed first is recomputed and sent
 * again once their change has arrived.
 */
export class PendingEdit implements vscode.Disposable {
  state: PendingState = 'streaming';
  /** True when streaming stopped before the proposal was complete (the user edited inside it). */
  incomplete = false;
  /** Accept or Reject is writing its last edits: no more streaming, but the range is still followed. */
  private settling = false;
  /** Set the moment the user edits inside or presses Undo while streaming: no model text is written after that. */
  private interruption: Interruption | undefined;
  /** The document's text and line endings as of the last change event handled: what a change is measured against. */
  private before: string;
  private eol: vscode.EndOfLine;
  /** The one Accept or Reject in progress: a second call waits for it instead of settling twice. */
  private settlement: Promise<boolean> | undefined;
  /** The last streamed write that failed (after its retries): streaming stops, the controller reports it. */
  writeError: Error | undefined;
  readonly original: string;
  private start: number;
  /** What the range holds now: our last write, or the text after the user's edit inside it. */
  private shown: string;
  private proposal: string;
  private inFlight: InFlight | undefined;
  private writing: Promise<void> = Promise.resolve();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private waiters: (() => void)[] = [];
  private readonly interrupted = new vscode.EventEmitter<Interruption>();
  readonly onInterrupted = this.interrupted.event;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after each change of the range or state: decorations, CodeLens and persistence follow it. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /** Editor edits applied (the benchmark counts them). */
  editsApplied = 0;

  constructor(
    readonly document: vscode.TextDocument,
    range: vscode.Range,
    readonly model: string,
    restored?: PendingEditSnapshot,
  ) {
    this.start = restored?.start ?? document.offsetAt(range.start);
    this.shown = restored?.shown ?? document.getText(range);
    this.original = restored?.original ?? this.shown;
    this.proposal = this.shown;
    if (restored) {
      this.state = 'pending';
      this.incomplete = restored.incomplete;
    }
    this.before = document.getText();
    this.eol = document.eol;
    this.subscription = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document === document) this.onDocumentChange(event);
    });
  }

  get range(): vscode.Range {
    return new vscode.Range(this.document.positionAt(this.start), this.document.positionAt(this.start + this.shown.length));
  }

  /** The text of the range now: the proposal, with whatever the user changed inside it. */
  get proposedText(): string {
    return this.shown;
  }

  snapshot(): PendingEditSnapshot {
    return { uri: this.document.uri.toString(), start: this.start, original: this.original, shown: this.shown, model: this.model, incomplete: this.incomplete || this.state === 'streaming' };
  }

  /** The whole document as it was before the request, for the diff view. */
  originalDocumentText(): string {
    const text = this.document.getText();
    return text.slice(0, this.start) + this.original + text.slice(this.start + this.shown.length);
  }

  /** Where model code goes: the original text and the document's line endings (for the adapters in core). */
  surroundings(): Surroundings {
    return { original: this.original, eol: this.document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n' };
  }

  /** Sets the streaming proposal; the document follows within a frame. Ignored once streaming has stopped. */
  propose(text: string): void {
    if (!this.streamingWrites()) return;
    this.proposal = text;
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      this.enqueue(() => this.writeProposal());
    }, FRAME_MS);
  }

  /** Streaming ended with a complete proposal: the user decides now. */
  async complete(finalText: string): Promise<void> {
    if (this.state !== 'streaming') return;
    this.proposal = finalText;
    await this.flush();
    if (this.state !== 'streaming' || this.interruption || this.writeError) return; // the controller decides what happens
    this.state = 'pending';
    this.changed.fire();
  }

  /**
   * Streaming stopped early (the user edited inside): what is there now stays pending, marked incomplete.
   * No more model text is written.
   */
  async stopIncomplete(): Promise<void> {
    if (this.state !== 'streaming') return;
    this.incomplete = true;
    this.cancelTimer();
    await this.writing.catch(() => undefined);
    if (this.state === 'streaming') this.state = 'pending';
    this.changed.fire();
  }

  /** Keeps the range as it is now, as one undoable step: one Undo after Accept gives the original back. */
  accept(): Promise<boolean> {
    if (this.state === 'settled') return Promise.resolve(false);
    return (this.settlement ??= this.settle(async () => {
      const kept = this.shown;
      await this.write(this.original, OWN_STEP);
      await this.write(kept, OWN_STEP);
    }));
  }

  /** Puts the original text back, exactly as it was. */
  async reject(): Promise<void> {
    if (this.state === 'settled') return;
    await (this.settlement ??= this.settle(() => this.write(this.original, OWN_STEP)));
  }

  /**
   * Runs the last writes of Accept or Reject. When they fail, the edit stays pending (its original is not lost) and
   * the error goes to the caller; a later Accept or Reject can try again.
   */
  private async settle(writes: () => Promise<void>): Promise<boolean> {
    this.settling = true;
    this.cancelTimer();
    await this.writing;
    try {
      await writes();
    } catch (error) {
      this.settling = false;
      this.settlement = undefined;
      if (this.state === 'streaming') this.state = 'pending';
      throw error;
    }
    this.dispose();
    return true;
  }

  /** The document went away (closed): forget the edit without writing. */
  forget(): void {
    this.dispose();
  }

  private async flush(): Promise<void> {
    this.cancelTimer();
    if (this.streamingWrites()) this.enqueue(() => this.writeProposal());
    await this.writing;
  }

  private cancelTimer(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
  }

  /** Writes are serialised: each runs after the previous one has settled. */
  private enqueue(write: () => Promise<void>): void {
    this.writing = this.writing.then(write).catch((error: unknown) => {
      this.writeError = error instanceof Error ? error : new Error(String(error));
      this.cancelTimer();
      this.interrupted.fire('writeFailed');
    });
  }

  private async writeProposal(): Promise<void> {
    if (!this.streamingWrites()) return;
    // The first streamed write starts its own undo step; the rest join it, so one Undo takes the whole stream back.
    const stops = { undoStopBefore: this.editsApplied === 0, undoStopAfter: false };
    await this.write(this.proposal, stops, () => this.streamingWrites());
  }

  /**
   * Makes the range hold `target`: an append when the range already holds a prefix of it, else one replacement.
   * Streamed writes join one undo step where VS Code allows it (an editor shows the document).
   */
  private async write(target: string, stops: UndoStops, wanted: () => boolean = () => true): Promise<void> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      if (this.shown === target || this.document.isClosed || !wanted()) return;
      const append = target.startsWith(this.shown);
      const edit: InFlight = {
        offset: append ? this.start + this.shown.length : this.start,
        length: append ? 0 : this.shown.length,
        before: append ? '' : this.shown,
        text: append ? target.slice(this.shown.length) : target,
        version: this.document.version,
        seen: false,
      };
      this.inFlight = edit;
      const applied = await this.apply(edit, stops);
      if (applied && !edit.seen) await this.nextChange(1_000);
      this.inFlight = undefined;
      if (applied && !edit.seen) throw new WriteRefusedError(); // VS Code said it applied the edit, yet the text is not ours
      if (applied) {
        this.editsApplied++;
        continue; // the loop ends when the range holds the target
      }
      // Refused: the user changed the document first. Their change is on its way; compute the write again then.
      if (this.document.version === edit.version) await this.nextChange(50);
    }
    if (this.shown !== target && !this.document.isClosed && wanted()) throw new WriteRefusedError();
  }

  private takeAsApplied(edit: OwnEdit): void {
    // (VS Code may report our edit as a smaller diff; the region's new text is still exactly ours.)
    const at = edit.offset - this.start;
    this.shown = this.shown.slice(0, at) + edit.text + this.shown.slice(at + edit.length);
  }

  private async apply(edit: InFlight, stops: UndoStops): Promise<boolean> {
    const range = new vscode.Range(this.document.positionAt(edit.offset), this.document.positionAt(edit.offset + edit.length));
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === this.document);
    if (editor) {
      try {
        // false: the editor holds a newer version (a keystroke not yet seen here). The caller waits for that change
        // and computes the write again; a workspace edit now would land at offsets of the old version.
        return await editor.edit((builder) => builder.replace(range, edit.text), stops);
      } catch {
        // The editor closed meanwhile: the document is written without it below.
      }
    }
    if (this.document.isClosed) return false; // a closed document has no version: the edit would not be checked
    const workspaceEdit = new vscode.WorkspaceEdit();
    workspaceEdit.replace(this.document.uri, range, edit.text);
    return vscode.workspace.applyEdit(workspaceEdit);
  }

  private nextChange(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private onDocumentChange(event: vscode.TextDocumentChangeEvent): void {
    if (!event.contentChanges.length) return;
    const changes: TextChange[] = event.contentChanges.map((c) => ({ offset: c.rangeOffset, length: c.rangeLength, text: c.text }));
    const own = this.inFlight;
    if (own && !own.seen && event.document.version === own.version + 1 && isOwnEdit(own, changes)) {
      own.seen = true;
      this.takeAsApplied(own);
    } else if (event.document.eol !== this.eol) {
      this.followLineEndings();
    } else {
      this.followUserChange(shrinkChanges(changes, this.before), event.reason);
    }
    this.before = event.document.getText();
    this.eol = event.document.eol;
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((wake) => wake());
    if (this.state !== 'settled') this.changed.fire();
  }

  /** Switching line endings keeps every line and column: the range is found again by its positions. */
  private followLineEndings(): void {
    const start = positionIn(this.before, this.start);
    const end = positionIn(this.before, this.start + this.shown.length);
    this.start = this.document.offsetAt(start);
    this.shown = this.document.getText(new vscode.Range(start, this.document.validatePosition(end)));
  }

  private followUserChange(changes: readonly TextChange[], reason: vscode.TextDocumentChangeReason | undefined): void {
    const moved = moveRange({ start: this.start, end: this.start + this.shown.length }, changes);
    this.start = moved.range.start;
    if (moved.touched) this.shown = this.document.getText(new vscode.Range(this.document.positionAt(moved.range.start), this.document.positionAt(moved.range.end)));
    if (!this.streamingWrites()) return;
    const undo = reason === vscode.TextDocumentChangeReason.Undo || reason === vscode.TextDocumentChangeReason.Redo;
    if (!undo && !moved.touched) return;
    this.interruption = undo ? 'undo' : 'editedInside';
    this.cancelTimer();
    this.interrupted.fire(this.interruption);
  }

  private streamingWrites(): boolean {
    return this.state === 'streaming' && !this.incomplete && !this.settling && !this.interruption;
  }

  dispose(): void {
    this.cancelTimer();
    this.state = 'settled';
    this.subscription.dispose();
    this.interrupted.dispose();
    this.changed.fire();
    this.changed.dispose();
    this.waiters.forEach((wake) => wake());
    this.waiters = [];
  }
}

/** The line and column of an offset in a text (any line endings), as VS Code counts them. */
function positionIn(text: string, offset: number): vscode.Position {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return new vscode.Position(line, offset - lineStart);
}
