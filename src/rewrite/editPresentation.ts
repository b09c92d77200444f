import * as vscode from 'vscode';
import { CommandId } from '../commandIds';
import type { Logger } from '../logger';
import { createEditDecorationTypes, editDecorations } from './editDecorations';
import { EditCodeLenses, lensKeys } from './editLenses';
import type { PendingEdit } from './pendingEdit';
import { closeSettledDiffs, ORIGINAL_SCHEME, OriginalDocuments, outsideReviewDiffs, showDiff } from './reviewDiff';
import type { RewriteController } from './rewriteController';

/**
 * How a pending edit looks: its new lines marked like inserted diff lines and the removed lines shown beside them,
 * a CodeLens with Accept / Reject / Show Diff (Cancel while it streams), a status bar item, and a diff editor of
 * original against proposal that closes when the edit settles.
 */
export function registerEditPresentation(context: vscode.ExtensionContext, controller: RewriteController, log: Logger): void {
  const decorations = createEditDecorationTypes();
  const status = vscode.window.createStatusBarItem('ioIntelligence.rewriteStatus', vscode.StatusBarAlignment.Left, 100);
  status.name = 'IO Intelligence Rewrite';
  const lenses = new EditCodeLenses(controller, lensKeys(context.extension));
  const originals = new OriginalDocuments(controller);

  const decorate = (): void => {
    const decorated = new Set(outsideReviewDiffs(vscode.window.visibleTextEditors));
    for (const editor of vscode.window.visibleTextEditors) {
      // Inside our diff editor the diff itself shows what was removed and added.
      const edit = decorated.has(editor) ? controller.pendingFor(editor.document) : undefined;
      const shown = edit ? editDecorations(edit) : { added: [], removed: [] };
      editor.setDecorations(decorations.added, shown.added);
      editor.setDecorations(decorations.removed, shown.removed);
    }
  };
  const refresh = (edit: PendingEdit | undefined): void => {
    decorate();
    updateStatus(status, controller.all());
    lenses.refresh();
    if (edit) originals.refresh(edit.document.uri);
    closeSettledDiffs(controller, log);
  };

  context.subscriptions.push(
    decorations.added,
    decorations.removed,
    status,
    lenses,
    originals,
    vscode.languages.registerCodeLensProvider([{ scheme: 'file' }, { scheme: 'untitled' }, { scheme: 'vscode-remote' }], lenses),
    vscode.workspace.registerTextDocumentContentProvider(ORIGINAL_SCHEME, originals),
    controller.onDidChange(refresh),
    vscode.window.onDidChangeVisibleTextEditors(decorate),
    vscode.commands.registerCommand(CommandId.showEditDiff, (uri?: vscode.Uri) => showDiff(controller, uri)),
  );
}

function updateStatus(status: vscode.StatusBarItem, edits: readonly PendingEdit[]): void {
  const streaming = edits.find((e) => e.state === 'streaming');
  const pending = edits.find((e) => e.state === 'pending');
  if (streaming) {
    status.text = `$(sync~spin) Rewriting with ${shortModel(streaming.model)}…`;
    status.tooltip = 'IO Intelligence is rewriting the selection. Click to cancel; the original text comes back.';
    status.command = CommandId.cancelRewrite;
    status.show();
  } else if (pending) {
    status.text = `$(diff) IO Intelligence edit${pending.incomplete ? ' (incomplete)' : ''}: Accept or Reject`;
    status.tooltip = 'Click to compare the original with the proposal.';
    status.command = { title: 'Show Diff', command: CommandId.showEditDiff, arguments: [pending.document.uri] };
    status.show();
  } else {
    status.hide();
  }
}

function shortModel(model: string): string {
  return model.split('/').pop() ?? model;
}
