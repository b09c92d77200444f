import * as vscode from 'vscode';
import type { AttachedContext, ContextPiece } from '../core/context/contextPieces';
import { CodebaseIndex, contentHash, IndexFormatError, type ChunkRef } from '../core/context/codebaseIndex';
import type { Logger } from '../logger';
import { SECTION } from '../settings';
import { filePiece, readDiskText, readText, type CodebaseSearch } from './attachmentReader';
import { EMBEDDINGS_SETTING, type CodebaseEmbeddings } from './codebaseEmbeddings';
import type { WorkspaceFiles } from './workspaceFiles';

/** Chunks sent for one @codebase question (the plan cuts them further to fit). */
const CHUNKS_PER_QUESTION = 8;
/** How many of each list rank fusion looks at. */
const CANDIDATES = 24;
/** File changes are applied in batches, this long after the last one. */
const UPDATE_DELAY_MS = 400;
/** The index is written to workspace storage this long after its last change (writing it takes a moment). */
const SAVE_DELAY_MS = 10_000;
/** A file with a line longer than this is minified or generated: not code anyone asks about, and costly to send. */
const MAX_INDEXED_LINE_CHARS = 2_000;
/** A chunk sent is never longer than this (a long line in it is cut). */
const MAX_SENT_CHUNK_CHARS = 4_000;
const INDEX_FILE = 'codebase-index.json';

type Location = vscode.ProgressLocation.Notification | vscode.ProgressLocation.Window;

/**
 * The @codebase index of this workspace: built on first use (with a cancellable progress notification), kept in the
 * extension's workspace storage so that a reload does not rebuild it, and updated as files change, by content hash.
 * When a rule changes (an exclusion, a `.gitignore`) it is brought up to date with the rules quietly. Never built in
 * Restricted Mode.
 */
export class CodebaseIndexService implements CodebaseSearch, vscode.Disposable {
  private index: CodebaseIndex | undefined;
  private building: Promise<CodebaseIndex | undefined> | undefined;
  private readonly pending = new Set<string>();
  private updateTimer: NodeJS.Timeout | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private watcher: vscode.Disposable | undefined;
  private readonly disposed = new vscode.CancellationTokenSource();
  private readonly subscriptions: vscode.Disposable[];
  /** What the last build or update from storage did: files listed, and files read into the index (content changed). */
  lastBuild: { readonly listed: number; readonly indexed: number; readonly ms: number } | undefined;

  constructor(
    private readonly files: WorkspaceFiles,
    private readonly storage: vscode.Uri | undefined,
    private readonly embeddings: CodebaseEmbeddings,
    private readonly log: Logger,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (this.index && event.affectsConfiguration(`${SECTION}.${EMBEDDINGS_SETTING}`)) void this.embeddings.fill(this.index);
      }),
      files.onDidChangeRules(() => void this.followRules()),
    ];
  }

  get stats(): { readonly files: number; readonly chunks: number } | undefined {
    return this.index?.stats;
  }

  /** Chunks are being embedded in the background. */
  get embedding(): boolean {
    return this.embeddings.busy;
  }

  /** The chunks that match a question, read as the files are now. Builds or loads the index first if needed. */
  async relevant(question: string, signal: AbortSignal): Promise<AttachedContext> {
    if (!vscode.workspace.isTrusted) return { pieces: [], notes: ['@codebase was not searched: the index is never built in Restricted Mode.'] };
    const index = await this.ready();
    if (!index) return { pieces: [], notes: ['@codebase was not searched: indexing was cancelled. Ask again to index, or run "IO Intelligence: Rebuild Codebase Index".'] };
    void this.embeddings.fill(index); // turned on since the index was built, or a batch failed before
    const keyword = index.search(question, CANDIDATES);
    const ranked = await this.embeddings.rerank(index, question, keyword, signal);
    const pieces = await this.readChunks(ranked.chunks.slice(0, CHUNKS_PER_QUESTION));
    if (!pieces.length) return { pieces, notes: [...ranked.notes, '@codebase found nothing in the workspace that matches the question.'] };
    return { pieces, notes: ranked.notes };
  }

  /** The index, loaded from storage or built (once; callers share the work). Undefined when the build was cancelled. */
  ready(): Promise<CodebaseIndex | undefined> {
    if (this.index) return Promise.resolve(this.index);
    return this.run(async () => {
      const stored = await this.load();
      // A stored index is brought up to date like a new one: only files whose content changed are read into it again.
      return this.build(stored ?? CodebaseIndex.empty(), stored ? 'Updating' : 'Building', vscode.ProgressLocation.Notification);
    });
  }

  /** Drops the index and builds it again from every file. */
  async rebuild(): Promise<CodebaseIndex | undefined> {
    await this.building;
    this.index = undefined;
    // Vectors are kept: they are filed by the text of their chunk, and the chunks that remain keep theirs.
    return this.run(() => this.build(CodebaseIndex.empty(), 'Rebuilding', vscode.ProgressLocation.Notification));
  }

  /** Drops the index from memory only (as a window reload does); the next use loads it from storage. */
  async forget(): Promise<void> {
    await this.building;
    this.stopWatching();
    clearTimeout(this.saveTimer);
    this.index = undefined;
  }

  /** Deletes the index from memory and from storage; the next @codebase builds it again. */
  async delete(): Promise<void> {
    await this.building;
    this.stopWatching();
    clearTimeout(this.saveTimer);
    this.index = undefined;
    await this.embeddings.deleteAll();
    if (this.storage) await vscode.workspace.fs.delete(vscode.Uri.joinPath(this.storage, INDEX_FILE)).then(undefined, () => undefined);
  }

  /** Writes what is pending now (tests, and before a reload). */
  async flush(): Promise<void> {
    if (this.pending.size) await this.applyPending();
    clearTimeout(this.saveTimer);
    await this.save();
  }

  /** One build at a time: callers during a build share it. */
  private run(work: () => Promise<CodebaseIndex | undefined>): Promise<CodebaseIndex | undefined> {
    return (this.building ??= work().finally(() => (this.building = undefined)));
  }

  /** A rule changed: files it now leaves out leave the index, files it lets in come in (quietly, in the status bar). */
  private async followRules(): Promise<void> {
    await this.building;
    const index = this.index;
    if (index) await this.run(() => this.build(index, 'Updating', vscode.ProgressLocation.Window));
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

  /** Brings `index` up to date with the workspace's files and rules, with a progress item (the notification can cancel). */
  private async build(index: CodebaseIndex, verb: string, location: Location): Promise<CodebaseIndex | undefined> {
    // Changes during the build are queued and applied after it, not lost.
    this.watch();
    const started = Date.now();
    const title = `IO Intelligence: ${verb} the codebase index`;
    return vscode.window.withProgress({ location, title, cancellable: location === vscode.ProgressLocation.Notification }, async (progress, token) => {
      const { files, complete } = await this.files.list(true);
      if (!complete) this.log.warn(`The codebase index holds the first ${files.length.toLocaleString('en')} files of this workspace (sorted by path).`);
      const listed = new Set(files.map((f) => f.uri.toString()));
      for (const path of index.paths()) if (!listed.has(path)) index.remove(path);
      let indexed = 0;
      for (const [done, file] of files.entries()) {
        if (token.isCancellationRequested || this.disposed.token.isCancellationRequested) return this.cancelled();
        if (await updateFile(index, file.uri)) indexed++;
        if ((done + 1) % 100 === 0) progress.report({ message: `${(done + 1).toLocaleString('en')} of ${files.length.toLocaleString('en')} files`, increment: (100 * 100) / files.length });
      }
      this.index = index;
      this.lastBuild = { listed: files.length, indexed, ms: Date.now() - started };
      this.log.info(`Codebase index: ${index.stats.files} files, ${index.stats.chunks} chunks; ${indexed} files read into it in ${this.lastBuild.ms} ms.`);
      if (indexed || !this.storage) this.scheduleSave();
      void this.embeddings.fill(index);
      return index;
    });
  }

  private cancelled(): undefined {
    if (!this.index) this.stopWatching();
    return undefined;
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
    this.pending.clear();
    clearTimeout(this.updateTimer);
  }

  private queue(uri: vscode.Uri): void {
    this.pending.add(uri.toString());
    clearTimeout(this.updateTimer);
    this.updateTimer = setTimeout(() => void this.applyPending(), UPDATE_DELAY_MS);
  }

  /** Applies the files changed since the last batch (a file no longer listed leaves the index); waits for a build. */
  private async applyPending(): Promise<void> {
    if (this.building) {
      await this.building;
      this.updateTimer = setTimeout(() => void this.applyPending(), UPDATE_DELAY_MS);
      return;
    }
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
    void this.embeddings.fill(index);
  }

  /** The chunks' lines as the files are now, for files the rules still let out (an exclusion may be newer than the index). */
  private async readChunks(chunks: readonly ChunkRef[]): Promise<ContextPiece[]> {
    const pieces: ContextPiece[] = [];
    for (const chunk of chunks) {
      const uri = vscode.Uri.parse(chunk.path, true);
      if (!(await this.files.includes(uri))) continue;
      const text = await readText(uri);
      if (typeof text !== 'string') continue;
      const lines = text.split(/\r?\n/);
      if (chunk.startLine > lines.length) continue;
      pieces.push(filePiece(uri, lines.slice(chunk.startLine - 1, chunk.endLine).join('\n').slice(0, MAX_SENT_CHUNK_CHARS), chunk.startLine));
    }
    return pieces;
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
      this.log.warn(`The codebase index could not be saved (it is brought up to date after a reload): ${String(error)}`);
    }
  }

  dispose(): void {
    this.disposed.cancel();
    this.disposed.dispose();
    clearTimeout(this.saveTimer);
    this.stopWatching();
    for (const s of this.subscriptions) s.dispose();
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

/** A file's text as saved on disk, when it is text of a size and shape worth indexing (not binary, not minified). */
async function readIndexable(uri: vscode.Uri): Promise<string | undefined> {
  const text = await readDiskText(uri);
  return typeof text === 'string' && !hasLongLine(text) ? text : undefined;
}

function hasLongLine(text: string): boolean {
  let start = 0;
  for (let end = text.indexOf('\n'); ; end = text.indexOf('\n', start)) {
    if ((end < 0 ? text.length : end) - start > MAX_INDEXED_LINE_CHARS) return true;
    if (end < 0) return false;
    start = end + 1;
  }
}
