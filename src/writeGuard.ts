import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { sensitiveWriteReason } from './core/rewrite/sensitivePaths';

/**
 * Why writing model output into this document needs the user's explicit yes, or undefined when it does not.
 * Paths are compared after resolving symbolic links, and case-insensitively where the file system is.
 */
export function writeConcern(document: vscode.TextDocument): string | undefined {
  if (document.uri.scheme === 'untitled') return undefined; // nothing on disk until the user saves it
  const relative = workspaceRelativePath(document.uri);
  if (relative === undefined) return `${path.basename(document.uri.path)} is outside the workspace.`;
  return sensitiveWriteReason(relative) ?? restricted();
}

function restricted(): string | undefined {
  return vscode.workspace.isTrusted ? undefined : 'This workspace is in Restricted Mode.';
}

/** The path inside the workspace folder that holds the file, or undefined when no folder does. */
function workspaceRelativePath(uri: vscode.Uri): string | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (uri.scheme !== 'file') {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder ? insideOrUndefined(path.posix.relative(folder.uri.path, uri.path)) : undefined;
  }
  const file = realPath(uri.fsPath);
  for (const folder of folders.filter((f) => f.uri.scheme === 'file')) {
    const root = realPath(folder.uri.fsPath);
    const fold = caseInsensitive(root) ? (p: string) => p.toLowerCase() : (p: string) => p;
    const relative = insideOrUndefined(path.relative(fold(root), fold(file)));
    if (relative !== undefined) return relative.split(path.sep).join('/');
  }
  return undefined;
}

function insideOrUndefined(relative: string): string | undefined {
  if (!relative || relative === '..' || relative.startsWith(`..${path.sep}`) || relative.startsWith('../') || path.isAbsolute(relative)) return undefined;
  return relative;
}

/** The real path of a file, or of its nearest existing parent (a new file) joined with the rest. */
function realPath(file: string): string {
  const rest: string[] = [];
  let current = path.resolve(file);
  for (;;) {
    try {
      return path.join(fs.realpathSync.native(current), ...rest.reverse());
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return path.join(current, ...rest.reverse());
      rest.push(path.basename(current));
      current = parent;
    }
  }
}

const caseInsensitiveCache = new Map<string, boolean>();

/** Whether the file system holding `dir` ignores case: the same folder is found under a name in the other case. */
function caseInsensitive(dir: string): boolean {
  const cached = caseInsensitiveCache.get(dir);
  if (cached !== undefined) return cached;
  const swapped = dir.replace(/[a-zA-Z]/g, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));
  let result = false;
  if (swapped !== dir) {
    try {
      const a = fs.statSync(dir);
      const b = fs.statSync(swapped);
      result = a.ino === b.ino && a.dev === b.dev;
    } catch {
      result = false; // the other-case name does not exist: case matters here
    }
  }
  caseInsensitiveCache.set(dir, result);
  return result;
}

/** Asks before model output is written where it needs a yes; true when the write may go ahead. */
export async function confirmWrite(document: vscode.TextDocument): Promise<boolean> {
  const concern = writeConcern(document);
  if (!concern) return true;
  const choice = await vscode.window.showWarningMessage(
    `Let IO Intelligence change this file? ${concern}`,
    { modal: true, detail: 'Model output is written into it only if you allow it.' },
    'Allow',
  );
  return choice === 'Allow';
}
