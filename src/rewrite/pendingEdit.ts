import * as vscode from 'vscode';
import { adaptToSurroundings } from '../core/rewrite/adaptText';

export type PendingState = 'streaming' | 'pending' | 'settled';

/**
 * A proposed replacement of one range, living in the document until the user accepts or rejects it.
 * It tracks where its range is while the user edits elsewhere, writes the growing proposal at most once per frame
 * (append-only when it can), and restores the original text byte for byte when rejected.
 */
export class PendingEdit implements vscode.Disposable {
  state: PendingState = 'streaming';
  private start: number;
  private written: string;
  private proposal: string;
  /**
   * True while our own edit is being applied: the change events it causes are not the user's. (VS Code reports a
   * workspace edit as its minimal diff, so our changes cannot be recognised by their offsets.)
   */
  private applying = false;
  private writing: Promise<void> = Promise.resolve();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly conflict = new vscode.EventEmitter<void>();
  readonly onConflict = this.conflict.event;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after each write: decorations and CodeLens follow it. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /** Editor edits applied while streaming (the benchmark counts them). */
  editsApplied = 0;

  constructor(
    readonly document: vscode.TextDocument,
    range: vscode.Range,
    readonly model: string,
  ) {
    this.start = document.offsetAt(range.start);
    this.written = document.getText(range);
    this.original = this.written;
    this.proposal = this.written;
    this.subscription = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document === document) this.track(event.contentChanges);
    });
  }

  readonly original: string;

  get range(): vscode.Range {
    return new vscode.Range(this.document.positionAt(this.start), this.document.positionAt(this.start + this.written.length));
  }

  get proposedText(): string {
    return this.proposal;
  }

  /** The whole document as it was before the request, for the diff view. */
  originalDocumentText(): string {
    const text = this.document.getText();
    return text.slice(0, this.start) + this.original + text.slice(this.start + this.written.length);
  }

  /** Model code made to fit this range: the document's line endings, the original's indentation and final newline. */
  fit(code: string, complete: boolean): string {
    const eol = this.document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    return adaptToSurroundings(code, { original: this.original, eol }, complete);
  }

  /** Sets the proposal; the document follows within a frame. */
  propose(text: string): void {
    if (this.state === 'settled') return;
    this.proposal = text;
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      this.enqueueWrite();
    }, 16);
  }

  /** Waits until the document holds the latest proposal. */
  async flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.enqueueWrite();
    await this.writing;
  }

  /** Writes are serialised; each one writes whatever the proposal is by the time it runs. */
  private enqueueWrite(): void {
    this.writing = this.writing.then(() => (this.state === 'settled' ? undefined : this.write(this.proposal)));
  }

  /** Streaming ended with a complete proposal: the user decides now. */
  async complete(finalText: string): Promise<void> {
    this.proposal = finalText;
    await this.flush();
    if (this.state === 'streaming') this.state = 'pending';
    this.changed.fire();
  }

  /** Keeps the proposal as one undoable step: one Undo after Accept gives the original back. */
  async accept(): Promise<boolean> {
    if (this.state === 'settled') return false;
    await this.flush();
    this.state = 'settled';
    const proposal = this.proposal;
    await this.write(this.original);
    await this.write(proposal);
    this.dispose();
    return true;
  }

  /** Puts the original text back, exactly as it was. */
  async reject(): Promise<void> {
    if (this.state === 'settled') return;
    await this.flush().catch(() => undefined); // a failed write must not keep the original from coming back
    this.state = 'settled';
    await this.write(this.original);
    this.dispose();
  }

  private async write(text: string): Promise<void> {
    if (text === this.written) return;
    const edit = new vscode.WorkspaceEdit();
    const appendOnly = text.startsWith(this.written);
    const offset = appendOnly ? this.start + this.written.length : this.start;
    const length = appendOnly ? 0 : this.written.length;
    const inserted = appendOnly ? text.slice(this.written.length) : text;
    const from = this.document.positionAt(offset);
    edit.replace(this.document.uri, new vscode.Range(from, this.document.positionAt(offset + length)), inserted);
    this.applying = true;
    let applied: boolean;
    try {
      applied = await vscode.workspace.applyEdit(edit);
    } finally {
      this.applying = false;
    }
    if (!applied) throw new Error('VS Code refused the edit');
    this.written = text;
    this.editsApplied++;
    this.changed.fire();
  }

  /** Follows the user's edits: before the range shifts it, after leaves it, inside is a conflict. */
  private track(changes: readonly vscode.TextDocumentContentChangeEvent[]): void {
    if (this.applying || this.state === 'settled') return;
    for (const change of [...changes].sort((a, b) => b.rangeOffset - a.rangeOffset)) {
      const end = this.start + this.written.length;
      if (change.rangeOffset + change.rangeLength <= this.start) {
        this.start += change.text.length - change.rangeLength;
      } else if (change.rangeOffset >= end) {
        continue;
      } else {
        // The user typed inside the proposal: from now on the range covers their change too, and it is given up.
        const changeEnd = change.rangeOffset + change.rangeLength;
        const newStart = Math.min(this.start, change.rangeOffset);
        const newEnd = Math.max(end, changeEnd) + change.text.length - change.rangeLength;
        this.start = newStart;
        this.written = this.document.getText().slice(newStart, newEnd);
        this.conflict.fire();
      }
    }
  }

  dispose(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.state = 'settled';
    this.subscription.dispose();
    this.conflict.dispose();
    this.changed.fire();
    this.changed.dispose();
  }
}
