import * as vscode from 'vscode';
import { MAX_CHUNK_CHARS } from '../core/context/codeChunks';
import { IndexFormatError, type CodebaseIndex, type ChunkRef, type SearchHit } from '../core/context/codebaseIndex';
import { reciprocalRankFusion } from '../core/context/rankFusion';
import { VectorStore } from '../core/context/vectorStore';
import { thrownText, toRequestError } from '../core/errorMapping';
import type { RequestError } from '../core/errors';
import type { ClientFactory } from '../clientFactory';
import type { Logger } from '../logger';
import { readSettings, SECTION } from '../settings';
import type { UsageService } from '../usage';

/** Chunks per `/embeddings` request. */
const BATCH = 32;
const VECTORS_PREFIX = 'codebase-vectors-';
const EXPLAINED_KEY = 'ioIntelligence.codebaseEmbeddingsExplained';
export const EMBEDDINGS_SETTING = 'codebaseIndex.embeddings';
export const DEFAULT_EMBEDDING_MODEL = 'mixedbread-ai/mxbai-embed-large-v1';

export interface Ranked {
  readonly chunks: readonly ChunkRef[];
  readonly notes: readonly string[];
}

export interface EmbeddingsDeps {
  readonly clients: ClientFactory;
  readonly usage: UsageService;
  readonly storage: vscode.Uri | undefined;
  readonly globalState: vscode.Memento;
  readonly log: Logger;
  /** Whether a file may still leave the machine (the rules may have changed since it was indexed). */
  readonly mayRead: (uri: vscode.Uri) => Promise<boolean>;
}

/**
 * Semantic search for @codebase, opt-in (`ioIntelligence.codebaseIndex.embeddings`, application scope: a workspace
 * cannot opt a user into sending code). Chunks are embedded by IO's `/embeddings` in the background, keyed by their
 * text's hash (an unchanged chunk is never sent again), counted in the usage ledger, and kept in workspace storage,
 * one file per embedding model (vectors of two models do not compare). A question is embedded once and its nearest
 * chunks are fused with the keyword hits by reciprocal rank.
 */
export class CodebaseEmbeddings implements vscode.Disposable {
  private vectors: { readonly model: string; readonly store: VectorStore } | undefined;
  private filling: { readonly done: Promise<void>; readonly stop: AbortController } | undefined;
  /** Chunks the server refused one by one (too long for the model, say): not asked again in this session. */
  private readonly refused = new Set<string>();

  constructor(private readonly deps: EmbeddingsDeps) {}

  get busy(): boolean {
    return this.filling !== undefined;
  }

  /** Keyword hits alone, or fused with the nearest chunks when semantic search is on and has vectors. */
  async rerank(index: CodebaseIndex, question: string, keyword: readonly SearchHit[], signal: AbortSignal): Promise<Ranked> {
    if (!enabled()) {
      void this.explainOnce(index);
      return { chunks: keyword, notes: [] };
    }
    const model = embeddingModel();
    const vectors = await this.loaded(model);
    if (!vectors.size) return { chunks: keyword, notes: ['@codebase used keyword search only: the code is still being embedded.'] };
    if (this.deps.usage.ledger.isExhausted(model)) return { chunks: keyword, notes: [`@codebase used keyword search only: today's embedding quota of ${model} is spent.`] };
    try {
      const client = await this.deps.clients.createQuietly();
      const answer = await client.embed(model, [question], signal);
      await this.deps.usage.record(model, answer.usage, 'embedding');
      const byHash = chunksByTextHash(index);
      const nearest = vectors.nearest(answer.vectors[0], keyword.length || 24).flatMap((n) => byHash.get(n.textHash) ?? []);
      return { chunks: reciprocalRankFusion<ChunkRef>([keyword, nearest], (c) => c.id), notes: [] };
    } catch (caught) {
      const error = toRequestError(caught, { model });
      this.deps.log.warn(`Embedding the question failed (${error.kind}); keyword search only.`);
      return { chunks: keyword, notes: [`@codebase used keyword search only: embedding the question failed (${error.kind}).`] };
    }
  }

  /** Embeds the chunks that have no vector yet (in the background; one run at a time). */
  fill(index: CodebaseIndex): Promise<void> {
    if (!enabled()) return Promise.resolve();
    if (this.filling) return this.filling.done;
    const stop = new AbortController();
    const done = this.embedMissing(index, stop.signal).finally(() => (this.filling = undefined));
    this.filling = { done, stop };
    return done;
  }

  private async embedMissing(index: CodebaseIndex, signal: AbortSignal): Promise<void> {
    const model = embeddingModel();
    const vectors = await this.loaded(model);
    const live = chunksByTextHash(index);
    vectors.retain(new Set(live.keys()));
    const missing = [...live.values()].map((chunks) => chunks[0]).filter((c) => !vectors.has(c.textHash) && !this.refused.has(c.textHash));
    if (!missing.length) return;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'IO Intelligence: embedding code for @codebase' }, async (progress) => {
      for (let at = 0; at < missing.length; at += BATCH) {
        if (signal.aborted || !enabled() || embeddingModel() !== model) return;
        if (this.deps.usage.ledger.isExhausted(model)) {
          this.deps.log.warn(`Embedding stopped: today's quota of ${model} is spent; keyword search goes on.`);
          return;
        }
        if (!(await this.embedBatch(model, missing.slice(at, at + BATCH), vectors, signal))) return;
        progress.report({ message: `${Math.min(at + BATCH, missing.length)} of ${missing.length} chunks` });
      }
    });
  }

  /** One request; a batch the server refuses as too long or malformed is sent again a chunk at a time. */
  private async embedBatch(model: string, batch: readonly ChunkRef[], vectors: VectorStore, signal: AbortSignal): Promise<boolean> {
    const texts = await this.chunkTexts(batch);
    const sendable = batch.filter((_, i) => texts[i] !== undefined);
    if (!sendable.length) return true;
    try {
      const client = await this.deps.clients.createQuietly();
      const answer = await client.embed(model, texts.filter((t): t is string => t !== undefined), signal);
      await this.deps.usage.record(model, answer.usage, 'embedding');
      sendable.forEach((chunk, i) => vectors.set(chunk.textHash, answer.vectors[i]));
      return true;
    } catch (caught) {
      const error = toRequestError(caught, { model });
      if (!refusesInput(error)) {
        this.deps.log.warn(`Embedding code for @codebase stopped: ${thrownText(caught)}`);
        return false;
      }
      if (sendable.length === 1) {
        this.refused.add(sendable[0].textHash);
        return true;
      }
      for (const chunk of sendable) if (!(await this.embedBatch(model, [chunk], vectors, signal))) return false;
      return true;
    }
  }

  /** The chunks' texts as saved on disk now (the index keeps none); undefined for a file the rules now keep here. */
  private async chunkTexts(batch: readonly ChunkRef[]): Promise<(string | undefined)[]> {
    const files = new Map<string, Promise<string[] | undefined>>();
    const linesOf = (path: string): Promise<string[] | undefined> => {
      let lines = files.get(path);
      if (!lines) {
        lines = this.readLines(vscode.Uri.parse(path, true));
        files.set(path, lines);
      }
      return lines;
    };
    return Promise.all(batch.map(async (chunk) => (await linesOf(chunk.path))?.slice(chunk.startLine - 1, chunk.endLine).join('\n').slice(0, MAX_CHUNK_CHARS)));
  }

  private async readLines(uri: vscode.Uri): Promise<string[] | undefined> {
    if (!(await this.deps.mayRead(uri))) return undefined;
    try {
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)).split(/\r?\n/);
    } catch {
      return undefined;
    }
  }

  /** The first @codebase without semantic search says once what it would send, and lets the user turn it on. */
  private async explainOnce(index: CodebaseIndex): Promise<void> {
    if (this.deps.globalState.get<boolean>(EXPLAINED_KEY)) return;
    await this.deps.globalState.update(EXPLAINED_KEY, true);
    const turnOn = 'Turn On Semantic Search';
    const choice = await vscode.window.showInformationMessage(
      `@codebase searched a keyword index kept on this machine. Semantic search finds code that a question describes without naming it, but it sends your code, in chunks, to ${new URL('embeddings', readSettings().baseUrl).href} (${embeddingModel()}, 50,000,000 free tokens a day). Files matching ioIntelligence.exclude or .gitignore are never sent.`,
      turnOn,
      'Keep Keyword Only',
    );
    if (choice !== turnOn) return;
    await vscode.workspace.getConfiguration(SECTION).update(EMBEDDINGS_SETTING, true, vscode.ConfigurationTarget.Global);
    void this.fill(index);
  }

  /** The vectors of `model`, read from storage on first use (another model's are put away first). */
  private async loaded(model: string): Promise<VectorStore> {
    if (this.vectors?.model === model) return this.vectors.store;
    if (this.vectors) await this.save();
    let store = new VectorStore();
    if (this.deps.storage) {
      try {
        store = VectorStore.fromBytes(await vscode.workspace.fs.readFile(this.fileOf(model)));
      } catch (error) {
        if (error instanceof IndexFormatError) this.deps.log.warn(`The stored embeddings of ${model} could not be read; the code is embedded again.`);
      }
    }
    if (this.vectors?.model !== model) this.vectors = { model, store };
    return this.vectors.store;
  }

  async save(): Promise<void> {
    if (!this.deps.storage || !this.vectors) return;
    await vscode.workspace.fs.writeFile(this.fileOf(this.vectors.model), this.vectors.store.toBytes());
  }

  /** Forgets every vector (a rebuild embeds again what it needs). */
  clear(): void {
    this.filling?.stop.abort();
    this.vectors = undefined;
    this.refused.clear();
  }

  /** Stops embedding and deletes every stored vector, of every model. */
  async deleteAll(): Promise<void> {
    this.clear();
    const storage = this.deps.storage;
    if (!storage) return;
    const entries = await vscode.workspace.fs.readDirectory(storage).then(undefined, () => [] as [string, vscode.FileType][]);
    for (const [name] of entries) if (name.startsWith(VECTORS_PREFIX)) await vscode.workspace.fs.delete(vscode.Uri.joinPath(storage, name)).then(undefined, () => undefined);
  }

  private fileOf(model: string): vscode.Uri {
    return vscode.Uri.joinPath(this.deps.storage!, `${VECTORS_PREFIX}${model.replace(/[^A-Za-z0-9.-]+/g, '_')}.bin`);
  }

  dispose(): void {
    this.filling?.stop.abort();
  }
}

/** The server refused what was sent (too long for the model, or otherwise bad), not the request as such. */
function refusesInput(error: RequestError): boolean {
  return error.kind === 'badRequest' || error.kind === 'contextTooLong' || error.kind === 'malformed';
}

function enabled(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>(EMBEDDINGS_SETTING, false) && vscode.workspace.isTrusted;
}

function embeddingModel(): string {
  return vscode.workspace.getConfiguration(SECTION).get<string>('embeddingModel') || DEFAULT_EMBEDDING_MODEL;
}

/** Every chunk of the index by its text's hash (the same text in two places shares one vector). */
function chunksByTextHash(index: CodebaseIndex): Map<string, ChunkRef[]> {
  const map = new Map<string, ChunkRef[]>();
  for (const chunk of index.allChunks()) {
    const same = map.get(chunk.textHash);
    if (same) same.push(chunk);
    else map.set(chunk.textHash, [chunk]);
  }
  return map;
}
