import { createHash } from 'node:crypto';
import MiniSearch, { type AsPlainObject, type SearchOptions } from 'minisearch';
import { chunkCode } from './codeChunks';
import { IndexFormatError } from './indexFormatError';
import { indexedTerm, searchTerms } from './searchTerms';

export { IndexFormatError } from './indexFormatError';

export interface ChunkRef {
  readonly id: string;
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly symbol?: string;
  /** contentHash of the chunk's text: the key of its embedding in a VectorStore. */
  readonly textHash: string;
}

export interface SearchHit extends ChunkRef {
  readonly score: number;
}

/** A stable hash of text (SHA-1, hex): equal text, equal hash, across sessions. */
export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/**
 * Raised whenever chunking, terms or the stored shape change, so that an index made before is rebuilt, not misread.
 * 2: whole compound names left out of the body text, more function words dropped, "-tion"/"-sion" stemmed.
 */
const FORMAT_VERSION = 2;
const FORMAT = 'io-intelligence/codebase-index';

/** What MiniSearch indexes of a chunk; the text is read once, while indexing, and never kept. */
interface ChunkDocument {
  readonly id: string;
  readonly path: string;
  readonly symbols: string;
  readonly text: string;
}

/**
 * Prefix search from four characters ("calcul" finds calculateTotal), one typo forgiven from six. Fields are not
 * boosted: on the labelled questions of the bench, boosting declared names or paths pulled type declarations full of
 * names above the code that answers.
 */
const MIN_PREFIX_LENGTH = 4;
const MIN_FUZZY_LENGTH = 6;

const ENGINE_OPTIONS = {
  fields: ['path', 'symbols', 'text'],
  // A body of code is found by the parts of its names; whole compound names are terms of the path and declared
  // names only, which keeps one term per distinct identifier out of the index (a quarter of its memory).
  tokenize: (text: string, field?: string) => searchTerms(text, { compounds: field !== 'text' }),
  processTerm: (term: string) => indexedTerm(term),
  searchOptions: {
    prefix: (term: string) => term.length >= MIN_PREFIX_LENGTH,
    fuzzy: (term: string) => (term.length >= MIN_FUZZY_LENGTH ? 1 : false),
    weights: { prefix: 0.4, fuzzy: 0.3 },
  } satisfies SearchOptions,
};

/** What the index keeps of a file: its hash and its chunks, in order. */
interface FileEntry {
  readonly hash: string;
  readonly chunks: readonly ChunkRef[];
}

/** In JSON: [path, hash, [[id, startLine, endLine, textHash, symbol?], …]], compact because there are thousands. */
type StoredFile = [string, string, StoredChunk[]];
type StoredChunk = [string, number, number, string] | [string, number, number, string, string];

interface StoredIndex {
  readonly format: typeof FORMAT;
  readonly version: number;
  readonly nextId: number;
  readonly files: StoredFile[];
  readonly search: AsPlainObject;
}

/**
 * A keyword index of a workspace's code, by chunk. It keeps no text: a hit names the file and lines, and the caller
 * reads them. Files are replaced whole, by content hash, so an update costs one file's chunks.
 */
export class CodebaseIndex {
  private readonly files = new Map<string, FileEntry>();
  private readonly chunks = new Map<string, ChunkRef>();

  private constructor(
    private readonly engine: MiniSearch<ChunkDocument>,
    private nextId = 0,
  ) {}

  static empty(): CodebaseIndex {
    return new CodebaseIndex(new MiniSearch<ChunkDocument>(ENGINE_OPTIONS));
  }

  /** Throws IndexFormatError for another format version or damaged JSON: the caller rebuilds. */
  static fromJSON(json: string): CodebaseIndex {
    const stored = parseStoredIndex(json);
    const index = new CodebaseIndex(loadEngine(stored.search), stored.nextId);
    for (const [path, hash, chunks] of stored.files) index.keep(path, hash, chunks.map((chunk) => chunkRefOf(path, chunk)));
    if (!index.isConsistent()) throw new IndexFormatError('The stored index does not match its list of chunks.');
    return index;
  }

  /** Every chunk is in the keyword index and nothing else is; every id is below the next one to be given. */
  private isConsistent(): boolean {
    if (this.chunks.size !== this.engine.documentCount) return false;
    for (const id of this.chunks.keys()) if (!this.engine.has(id) || !(parseInt(id, 36) < this.nextId)) return false;
    return true;
  }

  /** Versioned; holds no chunk text, only what search needs. */
  toJSON(): string {
    const files = [...this.files].map(([path, entry]): StoredFile => [path, entry.hash, entry.chunks.map(storedChunkOf)]);
    const stored: StoredIndex = { format: FORMAT, version: FORMAT_VERSION, nextId: this.nextId, files, search: this.engine.toJSON() };
    return JSON.stringify(stored);
  }

  /** The content hash given at upsert. */
  hashOf(path: string): string | undefined {
    return this.files.get(path)?.hash;
  }

  paths(): string[] {
    return [...this.files.keys()];
  }

  /**
   * Replaces what the index holds of one file (by its content); returns the chunks now indexed for it. The same hash
   * as the one indexed changes nothing.
   */
  upsert(path: string, hash: string, text: string): ChunkRef[] {
    const known = this.files.get(path);
    if (known?.hash === hash) return [...known.chunks];
    this.remove(path);
    const refs: ChunkRef[] = [];
    for (const chunk of chunkCode(path, text)) {
      const ref: ChunkRef = {
        id: (this.nextId++).toString(36),
        path,
        startLine: chunk.startLine,
        endLine: chunk.endLine,
        ...(chunk.symbol !== undefined ? { symbol: chunk.symbol } : {}),
        textHash: contentHash(chunk.text),
      };
      this.engine.add({ id: ref.id, path, symbols: chunk.declared.join(' '), text: chunk.text });
      refs.push(ref);
    }
    this.keep(path, hash, refs);
    return [...refs];
  }

  remove(path: string): void {
    const entry = this.files.get(path);
    if (!entry) return;
    for (const chunk of entry.chunks) {
      // discard(), unlike remove(), needs no copy of the document: the index keeps none.
      this.engine.discard(chunk.id);
      this.chunks.delete(chunk.id);
    }
    this.files.delete(path);
  }

  /** Keyword search over the chunks' terms, declared names and file path; best first, each text once. */
  search(query: string, limit: number): SearchHit[] {
    if (limit <= 0) return [];
    const hits: SearchHit[] = [];
    const seen = new Set<string>();
    for (const result of this.engine.search(query)) {
      const chunk = this.chunks.get(String(result.id));
      // The same text twice (a package's CommonJS and ESM builds, a vendored copy) adds nothing to an answer's context.
      if (!chunk || seen.has(chunk.textHash)) continue;
      seen.add(chunk.textHash);
      hits.push({ ...chunk, score: result.score });
      if (hits.length === limit) break;
    }
    return hits;
  }

  chunk(id: string): ChunkRef | undefined {
    return this.chunks.get(id);
  }

  /** Every chunk indexed (for embedding those that have no vector yet). */
  allChunks(): IterableIterator<ChunkRef> {
    return this.chunks.values();
  }

  get stats(): { readonly files: number; readonly chunks: number } {
    return { files: this.files.size, chunks: this.chunks.size };
  }

  private keep(path: string, hash: string, chunks: readonly ChunkRef[]): void {
    this.files.set(path, { hash, chunks });
    for (const chunk of chunks) this.chunks.set(chunk.id, chunk);
  }
}

function storedChunkOf(chunk: ChunkRef): StoredChunk {
  const fields: StoredChunk = [chunk.id, chunk.startLine, chunk.endLine, chunk.textHash];
  return chunk.symbol === undefined ? fields : [...fields, chunk.symbol];
}

function chunkRefOf(path: string, [id, startLine, endLine, textHash, symbol]: StoredChunk): ChunkRef {
  return { id, path, startLine, endLine, ...(symbol !== undefined ? { symbol } : {}), textHash };
}

function loadEngine(search: AsPlainObject): MiniSearch<ChunkDocument> {
  try {
    return MiniSearch.loadJS<ChunkDocument>(search, ENGINE_OPTIONS);
  } catch (error) {
    throw new IndexFormatError(`The stored keyword index cannot be loaded: ${String(error)}`);
  }
}

/** The stored index, checked for its version and shape; the MiniSearch part is checked as it loads. */
function parseStoredIndex(json: string): StoredIndex {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new IndexFormatError(`The stored index is not JSON: ${String(error)}`);
  }
  if (!isRecord(value) || value.format !== FORMAT) throw new IndexFormatError('Not a stored codebase index.');
  if (value.version !== FORMAT_VERSION) throw new IndexFormatError(`Index format ${String(value.version)}, expected ${FORMAT_VERSION}.`);
  const { nextId, files, search } = value;
  if (!Number.isSafeInteger(nextId) || !Array.isArray(files) || !files.every(isStoredFile) || !isRecord(search)) {
    throw new IndexFormatError('The stored index is damaged.');
  }
  return value as unknown as StoredIndex;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStoredFile(value: unknown): value is StoredFile {
  return (
    Array.isArray(value) &&
    value.length === 3 &&
    typeof value[0] === 'string' &&
    typeof value[1] === 'string' &&
    Array.isArray(value[2]) &&
    value[2].every(isStoredChunk)
  );
}

function isStoredChunk(value: unknown): value is StoredChunk {
  if (!Array.isArray(value) || (value.length !== 4 && value.length !== 5)) return false;
  const [id, startLine, endLine, textHash, symbol] = value as unknown[];
  return (
    typeof id === 'string' &&
    Number.isSafeInteger(startLine) &&
    Number.isSafeInteger(endLine) &&
    typeof textHash === 'string' &&
    (value.length === 4 || typeof symbol === 'string')
  );
}
