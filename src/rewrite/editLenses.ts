import * as vscode from 'vscode';
import { CommandId } from '../commandIds';
import { keyLabel, keyPlatform, type KeybindingContribution } from '../core/keyLabel';
import type { RewriteController } from './rewriteController';

/** The keys shown on the lenses: each command's contributed keybinding, labelled for this platform. */
export interface LensKeys {
  readonly accept?: string;
  readonly reject?: string;
  readonly cancel?: string;
}

/**
 * Read from package.json, so a lens never names a key the manifest does not bind. (VS Code gives extensions no way to
 * read the user's own rebinding, and in a remote window the host's platform decides Ctrl or Cmd.)
 */
export function lensKeys(extension: vscode.Extension<unknown>, platform = keyPlatform(process.platform)): LensKeys {
  const manifest = extension.packageJSON as { contributes?: { keybindings?: KeybindingContribution[] } };
  const keybindings = manifest.contributes?.keybindings ?? [];
  return {
    accept: keyLabel(keybindings, CommandId.acceptEdit, platform),
    reject: keyLabel(keybindings, CommandId.rejectEdit, platform),
    cancel: keyLabel(keybindings, CommandId.cancelRewrite, platform),
  };
}

const withKey = (title: string, key: string | undefined): string => (key ? `${title} (${key})` : title);

/** Above a pending edit: Cancel while it streams; then Accept, Reject and Show Diff, each with its key. */
export class EditCodeLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly controller: RewriteController,
    private readonly keys: LensKeys,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const edit = this.controller.pendingFor(document);
    if (!edit) return [];
    const at = new vscode.Range(edit.range.start, edit.range.start);
    const lens = (title: string, command: string, tooltip?: string): vscode.CodeLens => new vscode.CodeLens(at, { title, tooltip, command, arguments: command ? [document.uri] : undefined });
    if (edit.state === 'streaming') {
      return [
        lens('$(sync~spin) Rewriting…', ''),
        lens(withKey('$(debug-stop) Cancel', this.keys.cancel), CommandId.cancelRewrite, 'Stop the rewrite and restore the original text'),
      ];
    }
    return [
      ...(edit.incomplete ? [lens('$(warning) Incomplete: the rewrite stopped when you edited inside it', '')] : []),
      lens(withKey('$(check) Accept', this.keys.accept), CommandId.acceptEdit, 'Keep the proposal'),
      lens(withKey('$(close) Reject', this.keys.reject), CommandId.rejectEdit, 'Restore the original text'),
      lens('$(diff) Show Diff', CommandId.showEditDiff, 'Compare the original with the proposal side by side'),
    ];
  }

  dispose(): void {
    this.changed.dispose();
  }
}
