import * as path from 'node:path';
import * as vscode from 'vscode';

/** Files where a model's code could do harm beyond the text itself: configuration, secrets, git internals. */
const SENSITIVE = [/(^|\/)\.vscode\//, /(^|\/)\.env[^/]*$/, /(^|\/)\.git\//, /(^|\/)\.(?:npmrc|pypirc|netrc)$/];

/** Why writing model output into this document needs the user's explicit yes, or undefined when it does not. */
export function writeConcern(document: vscode.TextDocument): string | undefined {
  if (document.uri.scheme === 'untitled') return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(document.uri);
  if (!folder) return `${path.basename(document.uri.fsPath)} is outside the workspace.`;
  const relative = path.posix.normalize(vscode.workspace.asRelativePath(document.uri, false).replace(/\\/g, '/'));
  if (SENSITIVE.some((pattern) => pattern.test(relative))) return `${relative} holds configuration, secrets or git internals.`;
  if (!vscode.workspace.isTrusted) return 'This workspace is in Restricted Mode.';
  return undefined;
}

/** Asks before model output is written where it needs a yes; true when the write may go ahead. */
export async function confirmWrite(document: vscode.TextDocument): Promise<boolean> {
  const concern = writeConcern(document);
  if (!concern) return true;
  const choice = await vscode.window.showWarningMessage(
    `Let IO Intelligence change this file? ${concern}`,
    { modal: true, detail: 'The change stays a pending edit that you can still reject.' },
    'Allow',
  );
  return choice === 'Allow';
}
