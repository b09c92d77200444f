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

/** Raised whenever chunking, terms or the stored shape change, so that an index made before is rebuilt, not misread. */
const FORMAT_VERSION = 1;
const FORMAT = 'io-intelligence/codebase-index';

/** What MiniSearch indexes of a chunk; the text is read once, while indexing, and never kept. */
interface ChunkDocument {
  readonly id: string;
  readonly path: string;
  readonly symbols: string;
  readonly text: string;
}

/** A name declared in the chunk, or the file's name, says more about it than a word somewhere in its body. */
const FIELD_BOOST = { symbols: 3, path: 2, text: 1 };
/** Prefix search from three characters ("retry" finds retrydelayseconds); one typo forgiven from six. */
const MIN_PREFIX_LENGTH = 3;
const MIN_FUZZY_LENGTH = 6;

const ENGINE_OPTIONS = {
  fields: ['path', 'symbols', 'text'],
  tokenize: (text: string) => searchTerms(text),
  processTerm: (term: string) => indexedTerm(term),
  searchOptions: {
    boost: FIELD_BOOST,
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
    if (index.chunks.size !== index.engine.documentCount || [...index.chunks.keys()].some((id) => !index.engine.has(id))) {
      throw new IndexFormatError('The stored index does not match its list of chunks.');
    }
    return index;
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

  /** Keyword search over the chunks' terms, declared names and file path; best first. */
  search(query: string, limit: number): SearchHit[] {
    if (limit <= 0) return [];
    const hits: SearchHit[] = [];
    for (const result of this.engine.search(query)) {
      const chunk = this.chunks.get(String(result.id));
      if (chunk) hits.push({ ...chunk, score: result.score });
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
