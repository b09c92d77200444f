import * as vscode from 'vscode';
import type { AttachedContext, ContextPiece } from '../core/context/contextPieces';
import { CodebaseIndex, contentHash, IndexFormatError, type ChunkRef } from '../core/context/codebaseIndex';
import type { Logger } from '../logger';
import { filePiece, MAX_ATTACHED_FILE_BYTES, readText, type CodebaseSearch } from './attachmentReader';
import { EMBEDDINGS_SETTING, type CodebaseEmbeddings } from './codebaseEmbeddings';
import { SECTION } from '../settings';
import type { WorkspaceFiles } from './workspaceFiles';

/** Chunks sent for one @codebase question (the plan cuts them further to fit). */
const CHUNKS_PER_QUESTION = 8;
/** How many of each list rank fusion looks at. */
const CANDIDATES = 24;
/** File changes are applied in batches, this long after the last one. */
const UPDATE_DELAY_MS = 400;
/** The index is written to workspace storage this long after its last change. */
const SAVE_DELAY_MS = 2_000;
const INDEX_FILE = 'codebase-index.json';

/**
 * The @codebase index of this workspace: built on first use (with a cancellable progress notification), kept in the
 * extension's workspace storage so that a reload does not rebuild it, and updated as files change, by content hash.
 * Never built in Restricted Mode.
 */
export class CodebaseIndexService implements CodebaseSearch, vscode.Disposable {
  private index: CodebaseIndex | undefined;
  private building: Promise<CodebaseIndex | undefined> | undefined;
  private readonly pending = new Set<string>();
  private updateTimer: NodeJS.Timeout | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private watcher: vscode.Disposable | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the index was built, loaded, updated or deleted. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly files: WorkspaceFiles,
    private readonly storage: vscode.Uri | undefined,
    private readonly embeddings: CodebaseEmbeddings,
    private readonly log: Logger,
  ) {
    this.settingWatch = vscode.workspace.onDidChangeConfiguration((event) => {
      if (this.index && event.affectsConfiguration(`${SECTION}.${EMBEDDINGS_SETTING}`)) void this.embeddings.fill(this.index);
    });
  }

  private readonly settingWatch: vscode.Disposable;

  /** What the last build or update from storage did: files listed, and files read into the index (content changed). */
  lastBuild: { readonly listed: number; readonly indexed: number; readonly ms: number } | undefined;

  get stats(): { readonly files: number; readonly chunks: number } | undefined {
    return this.index?.stats;
  }

  /** The chunks that match a question, read as the files are now. Builds or loads the index first if needed. */
  async relevant(question: string, signal: AbortSignal): Promise<AttachedContext> {
    if (!vscode.workspace.isTrusted) return { pieces: [], notes: ['@codebase was not searched: the index is never built in Restricted Mode.'] };
    const index = await this.ready();
    if (!index) return { pieces: [], notes: ['@codebase was not searched: indexing was cancelled. Ask again to index, or run "IO Intelligence: Rebuild Codebase Index".'] };
    void this.embeddings.fill(index); // turned on since the index was built, or a batch failed before
    const keyword = index.search(question, CANDIDATES);
    const ranked = await this.embeddings.rerank(index, question, keyword, signal);
    const pieces = await readChunks(ranked.chunks.slice(0, CHUNKS_PER_QUESTION));
    if (!pieces.length) return { pieces, notes: [...ranked.notes, '@codebase found nothing in the workspace that matches the question.'] };
    return { pieces, notes: ranked.notes };
  }

  /** The index, loaded from storage or built (once; callers share the work). Undefined when the build was cancelled. */
  ready(): Promise<CodebaseIndex | undefined> {
    if (this.index) return Promise.resolve(this.index);
    return (this.building ??= this.loadOrBuild().finally(() => (this.building = undefined)));
  }

  /** Drops the index and builds it again from every file. */
  async rebuild(): Promise<CodebaseIndex | undefined> {
    await this.building;
    this.index = undefined;
    this.embeddings.clear();
    return (this.building ??= this.build(CodebaseIndex.empty(), 'Rebuilding').finally(() => (this.building = undefined)));
  }

  /** Chunks are being embedded in the background. */
  get embedding(): boolean {
    return this.embeddings.busy;
  }

  /** Drops the index from memory only (as a window reload does); the next use loads it from storage. */
  async forget(): Promise<void> {
    await this.building;
    this.stopWatching();
    this.index = undefined;
  }

  /** Deletes the index from memory and from storage; the next @codebase builds it again. */
  async delete(): Promise<void> {
    await this.building;
    this.stopWatching();
    this.index = undefined;
    this.embeddings.clear();
    if (this.storage) await vscode.workspace.fs.delete(vscode.Uri.joinPath(this.storage, INDEX_FILE)).then(undefined, () => undefined);
    await this.embeddings.deleteStored();
    this.changed.fire();
  }

  private async loadOrBuild(): Promise<CodebaseIndex | undefined> {
    const stored = await this.load();
    // A stored index is brought up to date like a new one: only files whose content changed are read into it again.
    return this.build(stored ?? CodebaseIndex.empty(), stored ? 'Updating' : 'Building');
  }

  private async load(): Promise<CodebaseIndex | undefined> {
    if (!this.storage) return undefined;
    try {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.storage, INDEX_FILE));
      return CodebaseIndex.fromJSON(new TextDecoder().decode(bytes));
    } catch (error) {
      if (error instanceof IndexFormatError) this.log.warn(`The stored codebase index could not be read (${error.message}); it is built again.`);
      return undefined;
    }
  }

  /** Brings `index` up to date with the workspace's files, with a cancellable progress notification. */
  private build(index: CodebaseIndex, verb: string): Promise<CodebaseIndex | undefined> {
    const started = Date.now();
    return Promise.resolve(
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `IO Intelligence: ${verb} the codebase index`, cancellable: true },
        async (progress, token) => {
          const { files, complete } = await this.files.list();
          if (!complete) this.log.warn(`The codebase index holds the first ${files.length.toLocaleString('en')} files of this workspace (sorted by path).`);
          const listed = new Set(files.map((f) => f.uri.toString()));
          for (const path of index.paths()) if (!listed.has(path)) index.remove(path);
          let done = 0;
          let indexed = 0;
          for (const file of files) {
            if (token.isCancellationRequested) return undefined;
            if (await updateFile(index, file.uri)) indexed++;
            if (++done % 100 === 0) progress.report({ message: `${done.toLocaleString('en')} of ${files.length.toLocaleString('en')} files`, increment: (100 * 100) / files.length });
          }
          this.index = index;
          this.lastBuild = { listed: files.length, indexed, ms: Date.now() - started };
          this.log.info(`Codebase index: ${index.stats.files} files, ${index.stats.chunks} chunks; ${indexed} files read into it in ${this.lastBuild.ms} ms.`);
          this.watch();
          this.scheduleSave();
          this.changed.fire();
          void this.embeddings.fill(index);
          return index;
        },
      ),
    );
  }

  private watch(): void {
    if (this.watcher) return;
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    const queue = (uri: vscode.Uri) => this.queue(uri);
    this.watcher = vscode.Disposable.from(watcher, watcher.onDidCreate(queue), watcher.onDidChange(queue), watcher.onDidDelete(queue));
  }

  private stopWatching(): void {
    this.watcher?.dispose();
    this.watcher = undefined;
  }

  private queue(uri: vscode.Uri): void {
    this.pending.add(uri.toString());
    clearTimeout(this.updateTimer);
    this.updateTimer = setTimeout(() => void this.applyPending(), UPDATE_DELAY_MS);
  }

  /** Applies the files changed since the last batch (a file that is no longer listed leaves the index). */
  private async applyPending(): Promise<void> {
    const index = this.index;
    if (!index) return;
    const uris = [...this.pending].map((u) => vscode.Uri.parse(u, true));
    this.pending.clear();
    let changed = false;
    for (const uri of uris) {
      if (await this.files.includes(uri)) changed = (await updateFile(index, uri)) || changed;
      else if (index.hashOf(uri.toString()) !== undefined) {
        index.remove(uri.toString());
        changed = true;
      }
    }
    if (!changed) return;
    this.scheduleSave();
    this.changed.fire();
    void this.embeddings.fill(index);
  }

  private scheduleSave(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => void this.save(), SAVE_DELAY_MS);
  }

  private async save(): Promise<void> {
    if (!this.storage || !this.index) return;
    try {
      await vscode.workspace.fs.createDirectory(this.storage);
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(this.storage, INDEX_FILE), new TextEncoder().encode(this.index.toJSON()));
      await this.embeddings.save();
    } catch (error) {
      this.log.warn(`The codebase index could not be saved (it is built again after a reload): ${String(error)}`);
    }
  }

  /** Writes what is pending now (tests, and before a reload). */
  async flush(): Promise<void> {
    if (this.pending.size) await this.applyPending();
    clearTimeout(this.saveTimer);
    await this.save();
  }

  dispose(): void {
    clearTimeout(this.updateTimer);
    clearTimeout(this.saveTimer);
    this.stopWatching();
    this.settingWatch.dispose();
    this.changed.dispose();
  }
}

/** Reads a file into the index when its content changed; true when the index changed. Paths are uri strings. */
async function updateFile(index: CodebaseIndex, uri: vscode.Uri): Promise<boolean> {
  const key = uri.toString();
  const text = await readIndexable(uri);
  if (text === undefined) {
    if (index.hashOf(key) === undefined) return false;
    index.remove(key);
    return true;
  }
  const hash = contentHash(text);
  if (index.hashOf(key) === hash) return false;
  index.upsert(key, hash, text);
  return true;
}

/** A file's text as saved on disk, when it is text of a size worth indexing. */
async function readIndexable(uri: vscode.Uri): Promise<string | undefined> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (!(stat.type & vscode.FileType.File) || stat.size > MAX_ATTACHED_FILE_BYTES) return undefined;
    const bytes = await vscode.workspace.fs.readFile(uri);
    return bytes.subarray(0, 8_000).includes(0) ? undefined : new TextDecoder().decode(bytes);
  } catch {
    return undefined;
  }
}

/** The chunks' lines as the files are now (an open editor's text included); a vanished file is skipped. */
async function readChunks(chunks: readonly ChunkRef[]): Promise<ContextPiece[]> {
  const pieces: ContextPiece[] = [];
  for (const chunk of chunks) {
    const uri = vscode.Uri.parse(chunk.path, true);
    const text = await readText(uri);
    if (typeof text !== 'string') continue;
    const lines = text.split(/\r?\n/);
    if (chunk.startLine > lines.length) continue;
    pieces.push(filePiece(uri, lines.slice(chunk.startLine - 1, chunk.endLine).join('\n'), chunk.startLine));
  }
  return pieces;
}
