import * as vscode from 'vscode';
import { CodebaseIndex, IndexFormatError, type ChunkRef, type SearchHit } from '../core/context/codebaseIndex';
import { reciprocalRankFusion } from '../core/context/rankFusion';
import { VectorStore } from '../core/context/vectorStore';
import { thrownText, toRequestError } from '../core/errorMapping';
import type { ClientFactory } from '../clientFactory';
import type { Logger } from '../logger';
import { readSettings, SECTION } from '../settings';
import type { UsageService } from '../usage';

/** Chunks per `/embeddings` request. */
const BATCH = 32;
const VECTORS_FILE = 'codebase-vectors.bin';
const EXPLAINED_KEY = 'ioIntelligence.codebaseEmbeddingsExplained';
export const EMBEDDINGS_SETTING = 'codebaseIndex.embeddings';
export const DEFAULT_EMBEDDING_MODEL = 'mixedbread-ai/mxbai-embed-large-v1';

export interface Ranked {
  readonly chunks: readonly ChunkRef[];
  readonly notes: readonly string[];
}

/**
 * Semantic search for @codebase, opt-in (`ioIntelligence.codebaseIndex.embeddings`, application scope: a workspace
 * cannot opt a user into sending code). Chunks are embedded by IO's `/embeddings` in the background, keyed by their
 * text's hash (an unchanged chunk is never sent again), counted in the usage ledger, and kept in workspace storage.
 * A question is embedded once and its nearest chunks are fused with the keyword hits by reciprocal rank.
 */
export class CodebaseEmbeddings implements vscode.Disposable {
  private vectors: VectorStore | undefined;
  private filling: Promise<void> | undefined;
  private readonly stop = new AbortController();

  constructor(
    private readonly deps: {
      readonly clients: ClientFactory;
      readonly usage: UsageService;
      readonly storage: vscode.Uri | undefined;
      readonly globalState: vscode.Memento;
      readonly log: Logger;
    },
  ) {}

  get busy(): boolean {
    return this.filling !== undefined;
  }

  /** Keyword hits alone, or fused with the nearest chunks when semantic search is on and has vectors. */
  async rerank(index: CodebaseIndex, question: string, keyword: readonly SearchHit[], signal: AbortSignal): Promise<Ranked> {
    if (!enabled()) {
      void this.explainOnce(index);
      return { chunks: keyword, notes: [] };
    }
    const vectors = await this.loaded();
    if (!vectors.size) return { chunks: keyword, notes: ['@codebase used keyword search only: the code is still being embedded.'] };
    const model = embeddingModel();
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
    if (!enabled() || !vscode.workspace.isTrusted) return Promise.resolve();
    return (this.filling ??= this.embedMissing(index).finally(() => (this.filling = undefined)));
  }

  private async embedMissing(index: CodebaseIndex): Promise<void> {
    const vectors = await this.loaded();
    const live = chunksByTextHash(index);
    vectors.retain(new Set(live.keys()));
    const missing = [...live.values()].map((chunks) => chunks[0]).filter((c) => !vectors.has(c.textHash));
    if (!missing.length) return;
    const model = embeddingModel();
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'IO Intelligence: embedding code for @codebase' }, async (progress) => {
      for (let at = 0; at < missing.length; at += BATCH) {
        if (this.stop.signal.aborted || !enabled()) return;
        if (this.deps.usage.ledger.isExhausted(model)) {
          this.deps.log.warn(`Embedding stopped: today's quota of ${model} is spent; keyword search goes on.`);
          return;
        }
        const batch = missing.slice(at, at + BATCH);
        if (!(await this.embedBatch(model, batch, vectors))) return;
        progress.report({ message: `${Math.min(at + BATCH, missing.length)} of ${missing.length} chunks` });
      }
    });
  }

  private async embedBatch(model: string, batch: readonly ChunkRef[], vectors: VectorStore): Promise<boolean> {
    try {
      const files = new Map<string, Promise<string[]>>();
      const texts = await Promise.all(batch.map((chunk) => chunkText(chunk, files)));
      const client = await this.deps.clients.createQuietly();
      const answer = await client.embed(model, texts, this.stop.signal);
      await this.deps.usage.record(model, answer.usage, 'embedding');
      batch.forEach((chunk, i) => vectors.set(chunk.textHash, answer.vectors[i]));
      return true;
    } catch (caught) {
      this.deps.log.warn(`Embedding code for @codebase stopped: ${thrownText(caught)}`);
      return false;
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

  private async loaded(): Promise<VectorStore> {
    if (this.vectors) return this.vectors;
    let read = new VectorStore();
    if (this.deps.storage) {
      try {
        read = VectorStore.fromBytes(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.deps.storage, VECTORS_FILE)));
      } catch (error) {
        if (error instanceof IndexFormatError) this.deps.log.warn('The stored embeddings could not be read; the code is embedded again.');
      }
    }
    return (this.vectors ??= read);
  }

  async save(): Promise<void> {
    if (!this.deps.storage || !this.vectors) return;
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(this.deps.storage, VECTORS_FILE), this.vectors.toBytes());
  }

  clear(): void {
    this.vectors = new VectorStore();
  }

  async deleteStored(): Promise<void> {
    if (this.deps.storage) await vscode.workspace.fs.delete(vscode.Uri.joinPath(this.deps.storage, VECTORS_FILE)).then(undefined, () => undefined);
  }

  dispose(): void {
    this.stop.abort();
  }
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
  for (const chunk of index.allChunks()) map.set(chunk.textHash, [...(map.get(chunk.textHash) ?? []), chunk]);
  return map;
}

/** A chunk's text as saved on disk now (the index keeps no text); `files` reads each file once per batch. */
async function chunkText(chunk: ChunkRef, files: Map<string, Promise<string[]>>): Promise<string> {
  let lines = files.get(chunk.path);
  if (!lines) {
    lines = Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.parse(chunk.path, true))).then((bytes) => new TextDecoder().decode(bytes).split(/\r?\n/));
    files.set(chunk.path, lines);
  }
  return (await lines).slice(chunk.startLine - 1, chunk.endLine).join('\n');
}
