import * as vscode from 'vscode';
import { BuiltinCommand, CommandId } from '../commandIds';
import { lastCoveredLine } from '../editorRange';
import type { PendingEdit } from './pendingEdit';
import type { RewriteController } from './rewriteController';

export const ORIGINAL_SCHEME = 'io-intelligence-original';
const SHOW_DIFF_COMMAND = CommandId.showEditDiff;

/**
 * How a pending edit looks: its lines marked like inserted diff lines, a CodeLens with Accept / Reject / Show Diff,
 * a status bar item with progress and Cancel while it streams, and a diff view of original against proposal.
 */
export function registerEditPresentation(context: vscode.ExtensionContext, controller: RewriteController): void {
  const decoration = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('diffEditor.insertedLineBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  const status = vscode.window.createStatusBarItem('ioIntelligence.rewriteStatus', vscode.StatusBarAlignment.Left, 100);
  status.name = 'IO Intelligence Rewrite';
  const lenses = new EditCodeLenses(controller);
  const originals = new OriginalDocuments(controller);

  const refresh = (): void => {
    for (const editor of vscode.window.visibleTextEditors) {
      const edit = controller.pendingFor(editor.document);
      editor.setDecorations(decoration, edit && edit.proposedText !== edit.original ? [visibleLines(edit.range)] : []);
    }
    updateStatus(status, controller.all());
    lenses.refresh();
  };

  context.subscriptions.push(
    decoration,
    status,
    lenses,
    vscode.languages.registerCodeLensProvider([{ scheme: 'file' }, { scheme: 'untitled' }, { scheme: 'vscode-remote' }], lenses),
    vscode.workspace.registerTextDocumentContentProvider(ORIGINAL_SCHEME, originals),
    controller.onDidChange(refresh),
    vscode.window.onDidChangeVisibleTextEditors(refresh),
    vscode.commands.registerCommand(SHOW_DIFF_COMMAND, (uri?: vscode.Uri) => showDiff(controller, uri)),
  );
}

/** Whole-line decorations must not mark the line a range merely ends at (column 0). */
function visibleLines(range: vscode.Range): vscode.Range {
  return new vscode.Range(range.start, new vscode.Position(lastCoveredLine(range), 0));
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
    status.command = { title: 'Show Diff', command: SHOW_DIFF_COMMAND, arguments: [pending.document.uri] };
    status.show();
  } else {
    status.hide();
  }
}

function shortModel(model: string): string {
  return model.split('/').pop() ?? model;
}

class EditCodeLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly controller: RewriteController) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const edit = this.controller.pendingFor(document);
    if (!edit) return [];
    const at = new vscode.Range(edit.range.start, edit.range.start);
    if (edit.state === 'streaming') {
      return [
        new vscode.CodeLens(at, { title: '$(sync~spin) Rewriting…', command: '' }),
        new vscode.CodeLens(at, { title: 'Cancel', tooltip: 'Stop the rewrite and restore the original text', command: CommandId.cancelRewrite, arguments: [document.uri] }),
      ];
    }
    return [
      ...(edit.incomplete ? [new vscode.CodeLens(at, { title: '$(warning) Incomplete: the rewrite stopped when you edited inside it', command: '' })] : []),
      new vscode.CodeLens(at, { title: '$(check) Accept', tooltip: 'Keep the proposal (Ctrl+Enter)', command: CommandId.acceptEdit, arguments: [document.uri] }),
      new vscode.CodeLens(at, { title: '$(close) Reject', tooltip: 'Restore the original text (Escape)', command: CommandId.rejectEdit, arguments: [document.uri] }),
      new vscode.CodeLens(at, { title: '$(diff) Show Diff', command: SHOW_DIFF_COMMAND, arguments: [document.uri] }),
    ];
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Serves the document as it was before the pending edit, so VS Code's diff editor can show original vs proposal. */
class OriginalDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly controller: RewriteController) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const target = vscode.Uri.parse(decodeURIComponent(uri.query));
    const edit = this.controller.all().find((e) => e.document.uri.toString() === target.toString());
    return edit ? edit.originalDocumentText() : '';
  }
}

async function showDiff(controller: RewriteController, uri?: vscode.Uri): Promise<void> {
  const document = uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) : vscode.window.activeTextEditor?.document;
  const edit = document && controller.pendingFor(document);
  if (!edit) return;
  const name = edit.document.uri.path.split('/').pop() ?? 'file';
  const original = vscode.Uri.from({ scheme: ORIGINAL_SCHEME, path: `/${name}`, query: encodeURIComponent(edit.document.uri.toString()) });
  await vscode.commands.executeCommand(BuiltinCommand.diff, original, edit.document.uri, `${name}: original ↔ IO Intelligence proposal`);
}
