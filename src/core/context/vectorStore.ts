import { IndexFormatError } from './indexFormatError';

/** "IOVS": the first bytes of a vector file, so that another file is not read as vectors. */
const MAGIC = [0x49, 0x4f, 0x56, 0x53];
const FORMAT_VERSION = 1;
/** Magic, version (u8), dimensions (u32), count (u32); then per vector: hash length (u8), hash, one int8 per value. */
const HEADER_BYTES = 13;
const INT8_MAX = 127;

interface Quantized {
  /** The vector scaled so its largest component is ±127: cosine similarity ignores the scale, so it is not kept. */
  readonly values: Int8Array;
  /** 1 / |values|, or 0 for a zero vector (which is like nothing). */
  readonly inverseNorm: number;
}

export interface Neighbour {
  readonly textHash: string;
  /** Cosine similarity, from -1 to 1. */
  readonly score: number;
}

/**
 * Embeddings kept compactly, keyed by a chunk's textHash, so an unchanged chunk keeps its vector across edits and
 * renames. Each vector is int8-quantized against its own largest component (a byte per dimension instead of eight);
 * ranking by cosine similarity survives that (unit tests hold it to it).
 */
export class VectorStore {
  private readonly vectors = new Map<string, Quantized>();
  private dimensions = 0;

  /** Every vector of a store has the same length (one model's); another length throws a RangeError. */
  set(textHash: string, vector: readonly number[]): void {
    this.checkDimensions(vector);
    if (!vector.every(Number.isFinite)) throw new RangeError('A vector holds a value that is not a finite number.');
    if (new TextEncoder().encode(textHash).length > 255) throw new RangeError('A text hash is longer than 255 bytes.');
    this.dimensions = vector.length;
    this.vectors.set(textHash, quantize(vector));
  }

  has(textHash: string): boolean {
    return this.vectors.has(textHash);
  }

  /** Drops every vector whose hash is not in `keep` (after files changed). */
  retain(keep: ReadonlySet<string>): void {
    for (const textHash of this.vectors.keys()) if (!keep.has(textHash)) this.vectors.delete(textHash);
  }

  /** The `limit` vectors most similar to `query` by cosine, most similar first. */
  nearest(query: readonly number[], limit: number): Neighbour[] {
    if (this.vectors.size === 0 || limit <= 0) return [];
    this.checkDimensions(query);
    const queryNorm = Math.hypot(...query);
    if (queryNorm === 0) return [];
    const best: Neighbour[] = [];
    for (const [textHash, stored] of this.vectors) {
      const score = (dot(query, stored.values) * stored.inverseNorm) / queryNorm;
      if (best.length === limit && score <= best[limit - 1].score) continue;
      insertByScore(best, { textHash, score }, limit);
    }
    return best;
  }

  get size(): number {
    return this.vectors.size;
  }

  /** A versioned binary: the header, then each vector's hash and its bytes. */
  toBytes(): Uint8Array {
    const encoder = new TextEncoder();
    const hashes = [...this.vectors.keys()].map((hash) => encoder.encode(hash));
    const length = HEADER_BYTES + hashes.reduce((sum, hash) => sum + 1 + hash.length + this.dimensions, 0);
    const bytes = new Uint8Array(length);
    const view = new DataView(bytes.buffer);
    bytes.set(MAGIC, 0);
    view.setUint8(4, FORMAT_VERSION);
    view.setUint32(5, this.dimensions, true);
    view.setUint32(9, this.vectors.size, true);
    let offset = HEADER_BYTES;
    [...this.vectors.values()].forEach((stored, i) => {
      bytes[offset] = hashes[i].length;
      bytes.set(hashes[i], offset + 1);
      bytes.set(new Uint8Array(stored.values.buffer, stored.values.byteOffset, stored.values.length), offset + 1 + hashes[i].length);
      offset += 1 + hashes[i].length + this.dimensions;
    });
    return bytes;
  }

  /** Throws IndexFormatError for another format version or damaged bytes. */
  static fromBytes(bytes: Uint8Array): VectorStore {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.length < HEADER_BYTES || MAGIC.some((byte, i) => bytes[i] !== byte)) throw new IndexFormatError('Not a vector file.');
    if (view.getUint8(4) !== FORMAT_VERSION) throw new IndexFormatError(`Vector file format ${view.getUint8(4)}, expected ${FORMAT_VERSION}.`);
    const store = new VectorStore();
    store.dimensions = view.getUint32(5, true);
    const count = view.getUint32(9, true);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let offset = HEADER_BYTES;
    for (let i = 0; i < count; i++) {
      const hashLength = bytes[offset] ?? 0;
      const valuesAt = offset + 1 + hashLength;
      if (hashLength === 0 || valuesAt + store.dimensions > bytes.length) throw new IndexFormatError('The vector file is cut short.');
      const textHash = decodeHash(decoder, bytes.subarray(offset + 1, valuesAt));
      store.vectors.set(textHash, withNorm(new Int8Array(bytes.slice(valuesAt, valuesAt + store.dimensions).buffer)));
      offset = valuesAt + store.dimensions;
    }
    if (offset !== bytes.length || store.vectors.size !== count) throw new IndexFormatError('The vector file does not hold what its header says.');
    return store;
  }

  private checkDimensions(vector: readonly number[]): void {
    if (vector.length === 0) throw new RangeError('An empty vector.');
    if (this.dimensions !== 0 && this.vectors.size > 0 && vector.length !== this.dimensions) {
      throw new RangeError(`A vector of ${vector.length} dimensions in a store of ${this.dimensions}: another embedding model?`);
    }
  }
}

function quantize(vector: readonly number[]): Quantized {
  const largest = vector.reduce((max, value) => Math.max(max, Math.abs(value)), 0);
  const values = new Int8Array(vector.length);
  if (largest > 0) vector.forEach((value, i) => (values[i] = Math.round((value / largest) * INT8_MAX)));
  return withNorm(values);
}

function withNorm(values: Int8Array): Quantized {
  let sumOfSquares = 0;
  for (const value of values) sumOfSquares += value * value;
  return { values, inverseNorm: sumOfSquares === 0 ? 0 : 1 / Math.sqrt(sumOfSquares) };
}

function dot(query: readonly number[], values: Int8Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += query[i] * values[i];
  return sum;
}

/** Puts a neighbour into a list kept sorted by score (highest first) and at most `limit` long. */
function insertByScore(best: Neighbour[], neighbour: Neighbour, limit: number): void {
  let at = best.length;
  while (at > 0 && best[at - 1].score < neighbour.score) at--;
  best.splice(at, 0, neighbour);
  if (best.length > limit) best.pop();
}

function decodeHash(decoder: TextDecoder, bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch (error) {
    throw new IndexFormatError(`A text hash in the vector file is not UTF-8: ${String(error)}`);
  }
}
