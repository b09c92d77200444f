import fuzzysort from 'fuzzysort';
import * as vscode from 'vscode';
import type { Attachment, MentionKind } from '../core/domain';
import { isExcludedUri, isInsideWorkspace } from '../exclusions';
import type { MentionOption } from '../protocol/messages';
import type { WorkspaceFiles } from './workspaceFiles';

/** Files shown for one query: enough to pick from, few enough to read. */
const MAX_FILE_OPTIONS = 20;
/** A query starting with this lists only files. */
export const FILE_PREFIX = 'file:';

export type Attached = { readonly attachment: Omit<Attachment, 'id'>; readonly refused?: undefined } | { readonly attachment?: undefined; readonly refused: string };

/** What `@` offers in the chat input, and the chip each choice becomes (or why it is refused). */
export class MentionCatalog {
  constructor(private readonly files: WorkspaceFiles) {}

  /** The kinds that match the query (at once: they need no listing of the workspace). */
  kinds(query: string): MentionOption[] {
    return query.toLowerCase().startsWith(FILE_PREFIX) ? [] : kindOptions().filter((o) => matches(query, o));
  }

  /** The kinds, then the files that match the query. */
  async options(query: string): Promise<MentionOption[]> {
    const onlyFiles = query.toLowerCase().startsWith(FILE_PREFIX);
    return [...this.kinds(query), ...(await this.fileOptions(onlyFiles ? query.slice(FILE_PREFIX.length) : query))];
  }

  /** The chip for a choice (from the `@` list, a drop, or Add File to Chat), or why it cannot be attached. */
  attach(kind: MentionKind, uri?: vscode.Uri): Attached {
    switch (kind) {
      case 'file':
        return uri ? fileAttachment(uri) : { refused: 'No file was named.' };
      case 'selection':
        return selectionAttachment();
      case 'open':
        return { attachment: { kind, label: 'Open editors' } };
      case 'problems':
        return { attachment: uri ? { kind, label: `Problems in ${relative(uri)}`, uri: uri.toString() } : { kind, label: 'Problems in the workspace' } };
      case 'codebase':
        if (!vscode.workspace.isTrusted) return { refused: 'The codebase index is never built in Restricted Mode. Trust this workspace to use @codebase.' };
        if (!vscode.workspace.workspaceFolders?.length) return { refused: 'Open a folder to use @codebase: the index is of a workspace.' };
        return { attachment: { kind, label: 'Codebase' } };
    }
  }

  private async fileOptions(text: string): Promise<MentionOption[]> {
    const { files } = await this.files.list();
    const open = openFileUris();
    if (!text.trim()) {
      // Nothing typed yet: the open editors first, as Quick Open does.
      return files.filter((f) => open.has(f.uri.toString())).slice(0, MAX_FILE_OPTIONS).map(fileOption);
    }
    return fuzzysort.go(text.trim(), files, { key: 'path', limit: MAX_FILE_OPTIONS, threshold: 0.2 }).map((r) => fileOption(r.obj));
  }
}

function kindOptions(): MentionOption[] {
  const editor = vscode.window.activeTextEditor;
  const options: MentionOption[] = [{ kind: 'file', label: '@file', description: 'a file of the workspace: type its name' }];
  if (editor && !editor.selection.isEmpty) options.push({ kind: 'selection', label: '@selection', description: selectionLabel(editor) });
  const openCount = openFileUris().size;
  options.push({ kind: 'open', label: '@open', description: `the ${openCount} open editor${openCount === 1 ? '' : 's'}` });
  if (editor) options.push({ kind: 'problems', label: '@problems', description: `problems in ${relative(editor.document.uri)}`, uri: editor.document.uri.toString() });
  options.push({ kind: 'problems', label: '@problems', description: 'problems in the workspace' });
  options.push({ kind: 'codebase', label: '@codebase', description: 'code of the workspace that matches the question (local index)' });
  return options;
}

function matches(text: string, option: MentionOption): boolean {
  const typed = text.trim().toLowerCase();
  return !typed || option.label.slice(1).startsWith(typed) || option.description.toLowerCase().includes(typed);
}

function fileOption(file: { uri: vscode.Uri; path: string }): MentionOption {
  const slash = file.path.lastIndexOf('/');
  return { kind: 'file', label: file.path.slice(slash + 1), description: slash > 0 ? file.path.slice(0, slash) : '', uri: file.uri.toString() };
}

function fileAttachment(uri: vscode.Uri): Attached {
  if (isExcludedUri(uri)) return { refused: excludedMessage(uri) };
  return { attachment: { kind: 'file', label: relative(uri), uri: uri.toString() } };
}

function selectionAttachment(): Attached {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) return { refused: 'Select some code in an editor first: @selection attaches what is selected.' };
  if (isExcludedUri(editor.document.uri)) return { refused: excludedMessage(editor.document.uri) };
  return { attachment: { kind: 'selection', label: selectionLabel(editor), uri: editor.document.uri.toString(), ...selectedLines(editor.selection) } };
}

/** The 1-based lines a selection covers; a selection that ends at the start of a line does not take that line. */
function selectedLines({ start, end }: vscode.Selection): { startLine: number; endLine: number } {
  return { startLine: start.line + 1, endLine: end.character === 0 && end.line > start.line ? end.line : end.line + 1 };
}

function selectionLabel(editor: vscode.TextEditor): string {
  const { startLine, endLine } = selectedLines(editor.selection);
  return `${relative(editor.document.uri)}:${startLine === endLine ? startLine : `${startLine}–${endLine}`}`;
}

export function excludedMessage(uri: vscode.Uri): string {
  return `${relative(uri)} matches ioIntelligence.exclude: its content never leaves this machine, so it was not attached.`;
}

/** The path the user reads: relative to its folder, with the folder's name only in a multi-root workspace. */
export function relative(uri: vscode.Uri): string {
  return uri.scheme === 'untitled' ? uri.path : vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
}

/**
 * The text files open in editor tabs, in tab order: files of the workspace and untitled ones. A tab of a file elsewhere
 * (VS Code's own settings.json, a file from the home folder) is not the code the question is about.
 */
export function openFileUris(): Set<string> {
  const uris = vscode.window.tabGroups.all.flatMap((group) =>
    group.tabs.flatMap((tab) => (tab.input instanceof vscode.TabInputText && isOpenWorkFile(tab.input.uri) ? [tab.input.uri.toString()] : [])),
  );
  return new Set(uris);
}

function isOpenWorkFile(uri: vscode.Uri): boolean {
  return uri.scheme === 'untitled' || (uri.scheme === 'file' && isInsideWorkspace(uri));
}
