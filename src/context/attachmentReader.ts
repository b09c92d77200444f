import * as vscode from 'vscode';
import type { AttachedContext, ContextPiece } from '../core/context/contextPieces';
import type { Attachment } from '../core/domain';
import { isExcludedUri } from '../exclusions';
import { excludedMessage, openFileUris, relative } from './mentionCatalog';

/** Files larger than this are not read for a chip (the plan could send only a small part of one anyway). */
export const MAX_ATTACHED_FILE_BYTES = 1_000_000;
/** A workspace's problems beyond this many are summed up, not listed. */
const MAX_PROBLEMS = 200;

/** The chunks of the workspace that match a question (the @codebase index). */
export interface CodebaseSearch {
  relevant(question: string, signal: AbortSignal): Promise<AttachedContext>;
}

/**
 * Reads a question's attachments when its answer starts: files and selections as they are now (an open editor's
 * unsaved text included), the open editors, problems, and the codebase's matches for the question. Every file is
 * checked against `ioIntelligence.exclude` again here: a pattern added after the chip was made still holds.
 */
export class AttachmentReader {
  constructor(private readonly codebase: CodebaseSearch) {}

  async read(attachments: readonly Attachment[], question: string, signal: AbortSignal): Promise<AttachedContext> {
    const pieces: ContextPiece[] = [];
    const notes: string[] = [];
    const seen = new Set<string>();
    // The narrowest first: when the window is short, a selection wins room over a whole file, a file over a search.
    const ordered = [...attachments].sort((a, b) => PRIORITY[a.kind] - PRIORITY[b.kind]);
    for (const attachment of ordered) {
      const read = await this.readOne(attachment, question, signal);
      for (const piece of read.pieces) {
        const key = `${piece.source?.uri ?? piece.title}#${piece.source?.startLine ?? 0}#${piece.text.length}`;
        if (!seen.has(key)) pieces.push(piece);
        seen.add(key);
      }
      notes.push(...read.notes);
    }
    return { pieces, notes };
  }

  private async readOne(attachment: Attachment, question: string, signal: AbortSignal): Promise<AttachedContext> {
    switch (attachment.kind) {
      case 'file':
        return attachment.uri ? readFiles([vscode.Uri.parse(attachment.uri, true)]) : nothing;
      case 'selection':
        return attachment.uri ? readLines(vscode.Uri.parse(attachment.uri, true), attachment.startLine ?? 1, attachment.endLine ?? 1) : nothing;
      case 'open':
        return readFiles([...openFileUris()].map((uri) => vscode.Uri.parse(uri, true)));
      case 'problems':
        return problems(attachment.uri ? vscode.Uri.parse(attachment.uri, true) : undefined);
      case 'codebase':
        return this.codebase.relevant(question, signal);
    }
  }
}

const nothing: AttachedContext = { pieces: [], notes: [] };

const PRIORITY: Readonly<Record<Attachment['kind'], number>> = { selection: 0, file: 1, problems: 2, open: 3, codebase: 4 };

async function readFiles(uris: readonly vscode.Uri[]): Promise<AttachedContext> {
  const pieces: ContextPiece[] = [];
  const notes: string[] = [];
  for (const uri of uris) {
    const read = await readText(uri);
    // A file's last line break ends its last line: it is not another (empty) line to cite.
    if (typeof read === 'string') pieces.push(filePiece(uri, read.replace(/\r?\n$/, ''), 1));
    else notes.push(read.note);
  }
  return { pieces, notes };
}

async function readLines(uri: vscode.Uri, startLine: number, endLine: number): Promise<AttachedContext> {
  const read = await readText(uri);
  if (typeof read !== 'string') return { pieces: [], notes: [read.note] };
  const lines = read.split(/\r?\n/);
  const first = Math.min(startLine, lines.length);
  return { pieces: [filePiece(uri, lines.slice(first - 1, Math.max(first, endLine)).join('\n'), first)], notes: [] };
}

export function filePiece(uri: vscode.Uri, text: string, startLine: number): ContextPiece {
  return { title: relative(uri), language: fenceLanguage(uri), text, source: { uri: uri.toString(), startLine } };
}

/** A file's text (an open editor's, unsaved changes included), or a note saying why it is not sent. */
export async function readText(uri: vscode.Uri): Promise<string | { note: string }> {
  if (isExcludedUri(uri)) return { note: excludedMessage(uri) };
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  return open ? open.getText() : readDiskText(uri);
}

/** A file's text as saved, when it is a text file of at most 1 MB; else a note saying why not (for chips and the index). */
export async function readDiskText(uri: vscode.Uri): Promise<string | { note: string }> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) return { note: `${relative(uri)} is a folder: attach its files instead.` };
    if (stat.size > MAX_ATTACHED_FILE_BYTES) return { note: `${relative(uri)} was not sent: it is larger than 1 MB.` };
    const bytes = await vscode.workspace.fs.readFile(uri);
    if (bytes.subarray(0, 8_000).includes(0)) return { note: `${relative(uri)} was not sent: it is not a text file.` };
    return new TextDecoder().decode(bytes);
  } catch {
    return { note: `${relative(uri)} could not be read (it may have been moved or deleted).` };
  }
}

function problems(uri: vscode.Uri | undefined): AttachedContext {
  const entries = uri ? [[uri, vscode.languages.getDiagnostics(uri)] as const] : vscode.languages.getDiagnostics();
  const lines: string[] = [];
  for (const [file, diagnostics] of entries) {
    if (isExcludedUri(file)) continue; // its messages quote its content
    for (const d of diagnostics) {
      if (d.severity > vscode.DiagnosticSeverity.Warning) continue;
      lines.push(`${relative(file)}:${d.range.start.line + 1}:${d.range.start.character + 1} ${SEVERITY[d.severity]}: ${d.message}${d.source ? ` (${d.source})` : ''}`);
    }
  }
  const title = uri ? `Problems in ${relative(uri)}` : 'Problems in the workspace';
  if (!lines.length) return { pieces: [{ title, language: '', text: 'No errors or warnings.' }], notes: [] };
  const shown = lines.slice(0, MAX_PROBLEMS);
  if (lines.length > shown.length) shown.push(`… and ${lines.length - shown.length} more`);
  return { pieces: [{ title, language: '', text: shown.join('\n') }], notes: [] };
}

const SEVERITY: Record<number, string> = { [vscode.DiagnosticSeverity.Error]: 'error', [vscode.DiagnosticSeverity.Warning]: 'warning' };

/** The fence tag: the file's extension is what models and highlighters know code by. */
function fenceLanguage(uri: vscode.Uri): string {
  const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}
