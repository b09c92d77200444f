import * as vscode from 'vscode';
import { BuiltinCommand } from '../commandIds';
import { thrownText } from '../core/errorMapping';
import type { Logger } from '../logger';
import type { RewriteController } from './rewriteController';

/**
 * The left side of Show Diff. package.json's editor/title Accept/Reject entries match this scheme through the diff
 * editor's `diffEditorOriginalUri` context key, so they appear in our diff editor and nowhere else.
 */
export const ORIGINAL_SCHEME = 'io-intelligence-original';

/** The original side's URI for a document: one per document, so its content can be refreshed and its tab found. */
export function originalUri(document: vscode.Uri): vscode.Uri {
  const name = document.path.split('/').pop() || 'file';
  return vscode.Uri.from({ scheme: ORIGINAL_SCHEME, path: `/${name}`, query: encodeURIComponent(document.toString()) });
}

/** The document a URI stands for: itself, or the proposal's document when it is an original side. */
export function proposalUri(uri: vscode.Uri): vscode.Uri {
  return uri.scheme === ORIGINAL_SCHEME ? vscode.Uri.parse(decodeURIComponent(uri.query)) : uri;
}

/** Serves each document as it was before its pending edit, and tells the diff editor when that changes. */
export class OriginalDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly controller: RewriteController) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const target = proposalUri(uri).toString();
    const edit = this.controller.all().find((e) => e.document.uri.toString() === target);
    return edit ? edit.originalDocumentText() : '';
  }

  /** The user typed outside the range: the left side has their text too, so only the edit shows as a difference. */
  refresh(document: vscode.Uri): void {
    this.changed.fire(originalUri(document));
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export async function showDiff(controller: RewriteController, uri?: vscode.Uri): Promise<void> {
  const target = uri && proposalUri(uri).toString();
  const document = target ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === target) : vscode.window.activeTextEditor?.document;
  const edit = document && controller.pendingFor(document);
  if (!edit) return;
  const name = edit.document.uri.path.split('/').pop() ?? 'file';
  await vscode.commands.executeCommand(BuiltinCommand.diff, originalUri(edit.document.uri), edit.document.uri, `${name}: original ↔ IO Intelligence proposal`);
}

/**
 * The editors that are not part of a Show Diff editor. Both sides of a diff editor are visible text editors of the
 * same column, and the left one shows our original scheme: the other editor of that column is its right side.
 */
export function outsideReviewDiffs(editors: readonly vscode.TextEditor[]): vscode.TextEditor[] {
  const diffColumns = new Set(editors.filter((e) => e.document.uri.scheme === ORIGINAL_SCHEME).map((e) => e.viewColumn));
  return editors.filter((e) => !diffColumns.has(e.viewColumn));
}

/** Closes every Show Diff editor whose edit is no longer pending (accepted, rejected, cancelled, document closed). */
export function closeSettledDiffs(controller: RewriteController, log: Logger): void {
  const pending = new Set(controller.all().map((e) => e.document.uri.toString()));
  const settled = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.original.scheme === ORIGINAL_SCHEME && !pending.has(proposalUri(tab.input.original).toString()));
  if (!settled.length) return;
  vscode.window.tabGroups.close(settled).then(undefined, (error: unknown) => log.error(`Could not close the diff of a settled edit: ${thrownText(error)}`));
}
