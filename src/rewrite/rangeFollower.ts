import * as vscode from 'vscode';
import { moveRange, shrinkChanges, type OffsetRange } from '../core/rewrite/rangeTracking';

/**
 * Follows a range of a document through every change while a request is being prepared (dialogs, other edits being
 * settled), so the range that is sent is where the user's code is then, not where it was when they asked.
 */
export class RangeFollower implements vscode.Disposable {
  private offsets: OffsetRange;
  private before: string;
  private readonly subscription: vscode.Disposable;

  constructor(readonly document: vscode.TextDocument, range: vscode.Range) {
    this.offsets = { start: document.offsetAt(range.start), end: document.offsetAt(range.end) };
    this.before = document.getText();
    this.subscription = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document !== document || !event.contentChanges.length) return;
      const changes = event.contentChanges.map((c) => ({ offset: c.rangeOffset, length: c.rangeLength, text: c.text }));
      this.offsets = moveRange(this.offsets, shrinkChanges(changes, this.before)).range;
      this.before = document.getText();
    });
  }

  get range(): vscode.Range {
    return new vscode.Range(this.document.positionAt(this.offsets.start), this.document.positionAt(this.offsets.end));
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
