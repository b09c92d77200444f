import * as vscode from 'vscode';
import { CommandId } from '../commandIds';
import type { Logger } from '../logger';
import type { StatusItem } from '../statusItem';
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
export function registerEditPresentation(context: vscode.ExtensionContext, controller: RewriteController, log: Logger, status: StatusItem): void {
  const decorations = createEditDecorationTypes();
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
    lenses,
    originals,
    vscode.languages.registerCodeLensProvider([{ scheme: 'file' }, { scheme: 'untitled' }, { scheme: 'vscode-remote' }], lenses),
    vscode.workspace.registerTextDocumentContentProvider(ORIGINAL_SCHEME, originals),
    controller.onDidChange(refresh),
    vscode.window.onDidChangeVisibleTextEditors(decorate),
    vscode.commands.registerCommand(CommandId.showEditDiff, (uri?: vscode.Uri) => showDiff(controller, uri)),
  );
}

/** A running rewrite or a pending edit, in the extension's status bar item (its click cancels or shows the diff). */
function updateStatus(status: StatusItem, edits: readonly PendingEdit[]): void {
  const streaming = edits.find((e) => e.state === 'streaming');
  const pending = edits.find((e) => e.state === 'pending');
  if (streaming) {
    status.set('activity', {
      icon: 'sync~spin',
      text: `Rewriting with ${shortModel(streaming.model)}`,
      tooltip: 'IO Intelligence is rewriting the selection. Click to cancel; the original text comes back.',
      spoken: `rewriting with ${shortModel(streaming.model)}, activate to cancel`,
      command: CommandId.cancelRewrite,
    });
  } else if (pending) {
    status.set('activity', {
      icon: 'diff',
      text: `Edit${pending.incomplete ? ' (incomplete)' : ''}: Accept or Reject`,
      tooltip: 'An IO Intelligence edit is waiting for Accept or Reject. Click to compare the original with the proposal.',
      spoken: `an edit${pending.incomplete ? ', incomplete,' : ''} waits for Accept or Reject, activate to show the diff`,
      command: { title: 'Show Diff', command: CommandId.showEditDiff, arguments: [pending.document.uri] },
    });
  } else {
    status.set('activity', undefined);
  }
}

function shortModel(model: string): string {
  return model.split('/').pop() ?? model;
}
